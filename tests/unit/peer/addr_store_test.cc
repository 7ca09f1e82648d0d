// Unit tests for peer::AddrStore (SQLite persistence), BanList and the time conversions.
#include "peer/addr_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace hauptbuch::p2p::peer {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

Multiaddr ma(const std::string& s) { return *Multiaddr::parse(s); }
const Time kNow = Time{} + 5000h;
const WallTime kWall = WallTime{} + std::chrono::hours(24 * 365 * 56);

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("hbp2p-addrstore-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const char* name) const { return (path_ / name).string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(StoredTime, RoundTripsPastFutureAndNever) {
  EXPECT_EQ(to_stored_time(Time{}, kNow, kWall), 0);
  EXPECT_EQ(from_stored_time(0, kNow, kWall), Time{});
  EXPECT_EQ(from_stored_time(-5, kNow, kWall), Time{});
  for (Duration d : {Duration(0), Duration(3h), Duration(-7h)}) {
    const Time t = kNow - d;
    EXPECT_EQ(from_stored_time(to_stored_time(t, kNow, kWall), kNow, kWall), t);
  }
  // Older than the steady clock can express: never.
  EXPECT_EQ(from_stored_time(1, kNow, kWall), Time{});
  // Absurd future values are capped, not overflowed.
  EXPECT_GT(from_stored_time(INT64_MAX, kNow, kWall), kNow);
}

TEST(BanList, BanExpireExtendBound) {
  BanList b;
  b.ban("peer:a", kNow + 1h, "spam");
  EXPECT_TRUE(b.is_banned("peer:a", kNow));
  EXPECT_FALSE(b.is_banned("peer:a", kNow + 1h));
  b.ban("peer:a", kNow + 10min, "shorter");  // never shortens
  EXPECT_TRUE(b.is_banned("peer:a", kNow + 30min));
  b.expire(kNow + 2h);
  EXPECT_EQ(b.size(), 0u);
  for (size_t i = 0; i < BanList::kMaxBans + 50; ++i)
    b.ban("ip:" + std::to_string(i), kNow + std::chrono::seconds(i + 1), std::string(500, 'x'));
  EXPECT_EQ(b.size(), BanList::kMaxBans);
  EXPECT_FALSE(b.is_banned("ip:0", kNow));  // the earliest-expiring went first
  EXPECT_EQ(b.get("ip:9999", kNow)->reason.size(), BanList::kMaxReasonLength);
}

TEST(AddrStore, SaveLoadRoundTrip) {
  TempDir dir;
  const std::string path = dir.file("peers.db");
  std::array<uint8_t, kSecretSize> secret{};
  secret.fill(9);
  AddrMan am(secret);
  for (int i = 1; i <= 300; ++i)
    am.add(ma("/ip4/" + std::to_string(i % 250 + 1) + "." + std::to_string(i % 250) + ".0.1/tcp/4001"),
           ma("/ip4/8." + std::to_string(i % 200) + ".1.1/tcp/1"), kNow - std::chrono::minutes(i));
  am.good(ma("/ip4/3.2.0.1/tcp/4001"), kNow - 1min);
  BanList bans;
  bans.ban(BanList::peer_key("xyz"), kNow + 2h, "invalid blocks");
  bans.ban("ip:9.9.9.9", kNow - 1h, "expired");  // not saved
  const std::vector<Multiaddr> anchors = {
      ma("/ip4/3.2.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")};
  {
    auto store = AddrStore::open(path);
    ASSERT_TRUE(store.ok()) << store.error().message();
    EXPECT_FALSE((*store)->recovered());
    ASSERT_TRUE((*store)->save(am, anchors, bans, kNow, kWall).ok());
  }
  // "Restart": a later steady clock and wall clock, one hour on.
  const Time now2 = Time{} + 9h;
  const WallTime wall2 = kWall + 1h;
  auto store = AddrStore::open(path);
  ASSERT_TRUE(store.ok());
  auto snap = (*store)->load(now2, wall2);
  ASSERT_TRUE(snap.ok());
  EXPECT_TRUE(snap->has_secret);
  EXPECT_EQ(snap->secret, secret);
  EXPECT_EQ(snap->addrs.size(), am.size());
  EXPECT_EQ(snap->skipped_rows, 0u);
  ASSERT_EQ(snap->anchors.size(), 1u);
  EXPECT_EQ(snap->anchors[0], anchors[0]);
  ASSERT_EQ(snap->bans.size(), 1u);
  EXPECT_EQ(snap->bans[0].until, now2 + 1h);
  AddrMan restored(snap->secret);
  size_t n = 0;
  for (const auto& a : snap->addrs) n += restored.restore(a);
  EXPECT_EQ(n, am.size());
  auto t = restored.find(ma("/ip4/3.2.0.1/tcp/4001"));
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->in_tried);
  EXPECT_EQ(t->last_success, now2 - 1h - 1min);  // the age survived the restart
}

TEST(AddrStore, CorruptFileIsMovedAsideAndRebuilt) {
  TempDir dir;
  const std::string path = dir.file("peers.db");
  {
    std::ofstream f(path, std::ios::binary);
    f << "SQLite format 3" << std::string(1, '\0') << std::string(5000, '\x5a');
  }
  auto store = AddrStore::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message();
  EXPECT_TRUE((*store)->recovered());
  EXPECT_TRUE(fs::exists(path + ".corrupt"));
  auto snap = (*store)->load(kNow, kWall);
  ASSERT_TRUE(snap.ok());
  EXPECT_TRUE(snap->addrs.empty());
}

TEST(AddrStore, ForeignSchemaAndBadRowsAreHandled) {
  // An image with our schema but hostile rows: invalid ones are skipped, not trusted.
  auto store = AddrStore::from_image({});
  ASSERT_TRUE(store.ok());
  AddrMan am(AddrMan::random_secret(SystemRandom::instance()));
  ASSERT_TRUE((*store)->save(am, {}, BanList{}, kNow, kWall).ok());
  auto bad = AddrStore::from_image(ByteSpan(reinterpret_cast<const uint8_t*>("garbage"), 7));
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(P2PNetworkError::InvalidMessage));
}

}  // namespace
}  // namespace hauptbuch::p2p::peer

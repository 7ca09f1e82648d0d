// Routing table: buckets by common-prefix length, LRU order, replacement cache and liveness
// pings, closest(), client mode, refresh deadlines.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "kad_test_util.h"
#include "protocols/kad/routing_table.h"

namespace hauptbuch::p2p::kad {
namespace {

using testing::addr_for;
using testing::peer_from_seed;

const Time kT0 = Time{} + std::chrono::hours(1);

// Peers (seeds >= 1000) grouped by their bucket in `table`.
std::map<size_t, std::vector<PeerId>> peers_by_bucket(const RoutingTable& t, size_t n) {
  std::map<size_t, std::vector<PeerId>> m;
  for (uint64_t s = 1000; s < 1000 + n; ++s) {
    PeerId p = peer_from_seed(s);
    m[common_prefix_length(t.self_key(), key_of_peer(p))].push_back(p);
  }
  return m;
}

TEST(RoutingTable, AddsServersOnlyAndNeverSelf) {
  const PeerId self = peer_from_seed(1);
  RoutingTable t(self, {}, kT0);
  EXPECT_EQ(t.on_peer_seen(self, {}, true, kT0).outcome, InsertOutcome::Rejected);
  EXPECT_EQ(t.on_peer_seen(peer_from_seed(2), {addr_for(2)}, false, kT0).outcome, InsertOutcome::Rejected);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.on_peer_seen(peer_from_seed(2), {addr_for(2)}, true, kT0).outcome, InsertOutcome::Added);
  EXPECT_EQ(t.on_peer_seen(peer_from_seed(2), {}, true, kT0).outcome, InsertOutcome::Updated);
  ASSERT_NE(t.find(peer_from_seed(2)), nullptr);
  EXPECT_EQ(t.find(peer_from_seed(2))->addrs, std::vector<Multiaddr>{addr_for(2)});  // kept when none given
  // A peer that turns out to be a client leaves the table.
  t.on_peer_seen(peer_from_seed(2), {}, false, kT0);
  EXPECT_EQ(t.size(), 0u);
}

TEST(RoutingTable, FullBucketPingsLeastRecentlySeenAndReplacesOnlyIfDead) {
  RoutingTableConfig cfg;
  cfg.k = 2;
  cfg.replacement_cache = 2;
  RoutingTable t(peer_from_seed(1), cfg, kT0);
  auto groups = peers_by_bucket(t, 200);
  const auto& b0 = groups[0];  // about half of all peers share no prefix bit with us
  ASSERT_GE(b0.size(), 5u);
  Time now = kT0;
  EXPECT_EQ(t.on_peer_seen(b0[0], {}, true, now += std::chrono::seconds(1)).outcome, InsertOutcome::Added);
  EXPECT_EQ(t.on_peer_seen(b0[1], {}, true, now += std::chrono::seconds(1)).outcome, InsertOutcome::Added);
  auto r = t.on_peer_seen(b0[2], {}, true, now += std::chrono::seconds(1));
  EXPECT_EQ(r.outcome, InsertOutcome::Pending);
  ASSERT_TRUE(r.ping.has_value());
  EXPECT_EQ(*r.ping, b0[0]);  // least recently seen
  // A second newcomer while the ping is in flight: cached, no second ping.
  auto r2 = t.on_peer_seen(b0[3], {}, true, now += std::chrono::seconds(1));
  EXPECT_EQ(r2.outcome, InsertOutcome::Pending);
  EXPECT_FALSE(r2.ping.has_value());
  // Alive: stays, moves to most recently seen.
  t.on_ping_result(b0[0], true, now);
  EXPECT_TRUE(t.contains(b0[0]));
  EXPECT_EQ(t.bucket(0).back().id, b0[0]);
  EXPECT_FALSE(t.contains(b0[2]));
  // Next newcomer pings the new LRS (b0[1]); it is dead: newest candidate takes its place.
  auto r3 = t.on_peer_seen(b0[4], {}, true, now += std::chrono::seconds(1));
  ASSERT_TRUE(r3.ping.has_value());
  EXPECT_EQ(*r3.ping, b0[1]);
  t.on_ping_result(b0[1], false, now);
  EXPECT_FALSE(t.contains(b0[1]));
  EXPECT_TRUE(t.contains(b0[4]));
  EXPECT_EQ(t.size(), 2u);
  EXPECT_LE(t.bucket(0).size(), cfg.k);
}

TEST(RoutingTable, UnansweredPingTimesOutInTick) {
  RoutingTableConfig cfg;
  cfg.k = 1;
  RoutingTable t(peer_from_seed(1), cfg, kT0);
  auto groups = peers_by_bucket(t, 50);
  const auto& b0 = groups[0];
  t.on_peer_seen(b0[0], {}, true, kT0);
  auto r = t.on_peer_seen(b0[1], {}, true, kT0);
  ASSERT_TRUE(r.ping.has_value());
  EXPECT_LE(t.next_deadline(), kT0 + cfg.ping_timeout);
  SeededRandom rng(1);
  t.tick(kT0 + cfg.ping_timeout, rng);
  EXPECT_FALSE(t.contains(b0[0]));
  EXPECT_TRUE(t.contains(b0[1]));
}

TEST(RoutingTable, RemoveFailedPeerPromotesReplacement) {
  RoutingTableConfig cfg;
  cfg.k = 1;
  RoutingTable t(peer_from_seed(1), cfg, kT0);
  auto b0 = peers_by_bucket(t, 50)[0];
  t.on_peer_seen(b0[0], {}, true, kT0);
  t.on_peer_seen(b0[1], {}, true, kT0);
  t.remove(b0[0]);
  EXPECT_TRUE(t.contains(b0[1]));
  EXPECT_EQ(t.size(), 1u);
}

TEST(RoutingTable, ClosestMatchesBruteForce) {
  RoutingTableConfig cfg;
  cfg.k = 1000;  // keep everything, so brute force over all peers is the truth
  RoutingTable t(peer_from_seed(1), cfg, kT0);
  std::vector<PeerId> all;
  for (uint64_t s = 2; s < 302; ++s) {
    all.push_back(peer_from_seed(s));
    t.on_peer_seen(all.back(), {addr_for(static_cast<uint32_t>(s))}, true, kT0);
  }
  EXPECT_EQ(t.size(), 300u);
  const KadKey target = key_of_bytes(Bytes{1, 2, 3});
  std::sort(all.begin(), all.end(), [&](const PeerId& a, const PeerId& b) { return closer(key_of_peer(a), key_of_peer(b), target); });
  auto got = t.closest(target, 20);
  ASSERT_EQ(got.size(), 20u);
  for (size_t i = 0; i < 20; ++i) EXPECT_EQ(got[i].id, all[i]);
  EXPECT_EQ(t.closest(target, 1000).size(), 300u);
}

TEST(RoutingTable, BucketSizeIsBounded) {
  RoutingTable t(peer_from_seed(1), {}, kT0);
  for (uint64_t s = 2; s < 2002; ++s) t.on_peer_seen(peer_from_seed(s), {}, true, kT0);
  for (size_t i = 0; i < kKeyBits; ++i) EXPECT_LE(t.bucket(i).size(), 20u);
  EXPECT_EQ(t.bucket(0).size(), 20u);
  EXPECT_LT(t.size(), 2000u);
}

TEST(RoutingTable, RefreshTargetsFallInStaleBuckets) {
  RoutingTableConfig cfg;
  cfg.replacement_cache = 0;  // no liveness pings: only refresh deadlines
  RoutingTable t(peer_from_seed(1), cfg, kT0);
  for (uint64_t s = 2; s < 100; ++s) t.on_peer_seen(peer_from_seed(s), {}, true, kT0);
  EXPECT_EQ(t.next_deadline(), kT0 + cfg.refresh_interval);
  SeededRandom rng(3);
  EXPECT_TRUE(t.tick(kT0 + std::chrono::minutes(1), rng).empty());
  const Time later = kT0 + cfg.refresh_interval;
  auto keys = t.tick(later, rng);
  ASSERT_FALSE(keys.empty());
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(common_prefix_length(t.self_key(), keys[i]), i);
  EXPECT_TRUE(t.tick(later, rng).empty());  // marked refreshed
  EXPECT_EQ(t.next_deadline(), later + cfg.refresh_interval);
  t.mark_refreshed(keys[0], later + std::chrono::minutes(5));
}

}  // namespace
}  // namespace hauptbuch::p2p::kad

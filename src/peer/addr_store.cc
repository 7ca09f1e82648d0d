// AddrStore: SQLite persistence of addresses, anchors and bans (see addr_store.h).
#include "peer/addr_store.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <algorithm>

namespace hauptbuch::p2p::peer {
namespace {

constexpr int kSchemaVersion = 1;
// Bounds for stored blobs, checked before use: far above real values.
constexpr size_t kMaxPeerIdBytes = 128;
constexpr size_t kMaxGroupBytes = Multiaddr::kMaxBytes + 1;
constexpr size_t kMaxBanKeyBytes = 256;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS addrs(addr BLOB PRIMARY KEY, peer BLOB NOT NULL, src BLOB NOT NULL,
  seen INTEGER NOT NULL, tried_at INTEGER NOT NULL, ok_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL, tried INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS anchors(pos INTEGER PRIMARY KEY, addr BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS bans(k BLOB PRIMARY KEY, until_at INTEGER NOT NULL, reason TEXT NOT NULL);
)sql";

// RAII prepared statement.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK && s_ != nullptr; }
  sqlite3_stmt* get() { return s_; }
  ByteSpan blob(int col) {
    const void* p = sqlite3_column_blob(s_, col);
    const int n = sqlite3_column_bytes(s_, col);
    if (p == nullptr || n <= 0) return {};
    return {static_cast<const uint8_t*>(p), static_cast<size_t>(n)};
  }
  void bind_blob(int i, ByteSpan b) {
    sqlite3_bind_blob(s_, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
  }
  void bind_text(int i, const std::string& s) {
    sqlite3_bind_blob(s_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

Status exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string detail = err ? err : "sqlite error";
    sqlite3_free(err);
    return Status(P2PNetworkError::IoFailed, "address store: " + detail);
  }
  return ok_status();
}

// True if the database passes SQLite's own check and carries our schema version (or is empty).
bool usable(sqlite3* db) {
  {
    Stmt check(db, "PRAGMA quick_check");
    if (!check.ok() || sqlite3_step(check.get()) != SQLITE_ROW) return false;
    const unsigned char* t = sqlite3_column_text(check.get(), 0);
    if (t == nullptr || std::strcmp(reinterpret_cast<const char*>(t), "ok") != 0) return false;
  }
  Stmt ver(db, "PRAGMA user_version");
  if (!ver.ok() || sqlite3_step(ver.get()) != SQLITE_ROW) return false;
  const int v = sqlite3_column_int(ver.get(), 0);
  if (v != 0 && v != kSchemaVersion) return false;
  // Our tables must have our columns: preparing the reads checks that.
  if (v == kSchemaVersion) {
    for (const char* sql : {"SELECT addr,peer,src,seen,tried_at,ok_at,attempts,tried FROM addrs LIMIT 0",
                            "SELECT pos,addr FROM anchors LIMIT 0",
                            "SELECT k,until_at,reason FROM bans LIMIT 0", "SELECT k,v FROM meta LIMIT 0"}) {
      Stmt s(db, sql);
      if (!s.ok()) return false;
    }
  }
  return true;
}

}  // namespace

int64_t to_stored_time(Time t, Time now, WallTime wall_now) {
  if (t == Time{}) return 0;
  const auto wall = wall_now - std::chrono::duration_cast<WallTime::duration>(now - t);
  const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wall.time_since_epoch()).count();
  return ns == 0 ? 1 : ns;
}

Time from_stored_time(int64_t ns, Time now, WallTime wall_now) {
  if (ns <= 0) return Time{};  // never (or a hostile negative value)
  const int64_t wall_now_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(wall_now.time_since_epoch()).count();
  constexpr int64_t kMaxFutureNs = int64_t{100} * 365 * 24 * 3600 * 1'000'000'000;  // 100 years
  if (ns >= wall_now_ns) {
    const int64_t ahead = std::min(ns - wall_now_ns, kMaxFutureNs);
    return now + std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(ahead));
  }
  // Older than the steady clock's range: "never".
  const auto age = std::chrono::nanoseconds(wall_now_ns - ns);
  if (age >= now.time_since_epoch()) return Time{};
  return now - std::chrono::duration_cast<Duration>(age);
}

Status AddrStore::init_schema(sqlite3* db) {
  HBP2P_TRY(exec(db, kSchema));
  return exec(db, "PRAGMA user_version=1");
}

Result<std::unique_ptr<AddrStore>> AddrStore::open(const std::string& path) {
  bool recovered = false;
  for (int attempt = 0; attempt < 2; ++attempt) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc == SQLITE_OK && usable(db) && init_schema(db).ok()) {
      sqlite3_busy_timeout(db, 1000);
      auto store = std::unique_ptr<AddrStore>(new AddrStore(db));
      store->recovered_ = recovered;
      return store;
    }
    sqlite3_close(db);
    if (attempt == 1) break;
    // Move the unusable file aside (kept for inspection) and start afresh.
    const std::string aside = path + ".corrupt";
    std::remove(aside.c_str());
    if (std::rename(path.c_str(), aside.c_str()) != 0 && std::remove(path.c_str()) != 0) break;
    std::remove((path + "-journal").c_str());
    std::remove((path + "-wal").c_str());
    recovered = true;
  }
  return Error(P2PNetworkError::IoFailed, "cannot create the address store at '" + path + "'");
}

Result<std::unique_ptr<AddrStore>> AddrStore::from_image(ByteSpan image) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return Error(P2PNetworkError::IoFailed, "cannot open an in-memory database");
  }
  if (!image.empty()) {
    auto* buf = static_cast<unsigned char*>(sqlite3_malloc64(image.size()));
    if (buf == nullptr) {
      sqlite3_close(db);
      return Error(P2PNetworkError::ResourceLimitExceeded, "database image too large");
    }
    std::memcpy(buf, image.data(), image.size());
    const int rc = sqlite3_deserialize(db, "main", buf, static_cast<sqlite3_int64>(image.size()),
                                       static_cast<sqlite3_int64>(image.size()),
                                       SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
    if (rc != SQLITE_OK) {
      sqlite3_close(db);
      return Error(P2PNetworkError::InvalidMessage, "not a database image");
    }
  }
  if (!usable(db) || !init_schema(db).ok()) {
    sqlite3_close(db);
    return Error(P2PNetworkError::InvalidMessage, "database is corrupt or has another schema");
  }
  return std::unique_ptr<AddrStore>(new AddrStore(db));
}

AddrStore::~AddrStore() { sqlite3_close(db_); }

Result<AddrSnapshot> AddrStore::load(Time now, WallTime wall_now) {
  AddrSnapshot snap;
  {
    Stmt s(db_, "SELECT v FROM meta WHERE k='secret'");
    if (!s.ok()) return Error(P2PNetworkError::IoFailed, "address store: cannot read meta");
    if (sqlite3_step(s.get()) == SQLITE_ROW) {
      ByteSpan v = s.blob(0);
      if (v.size() == kSecretSize) {
        std::memcpy(snap.secret.data(), v.data(), kSecretSize);
        snap.has_secret = true;
      } else {
        ++snap.skipped_rows;
      }
    }
  }
  {
    Stmt s(db_, "SELECT addr,peer,src,seen,tried_at,ok_at,attempts,tried FROM addrs LIMIT ?");
    if (!s.ok()) return Error(P2PNetworkError::IoFailed, "address store: cannot read addresses");
    sqlite3_bind_int64(s.get(), 1, static_cast<sqlite3_int64>(kMaxAddrRows));
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
      auto addr = Multiaddr::from_bytes(s.blob(0));
      ByteSpan peer = s.blob(1), src = s.blob(2);
      const int64_t attempts = sqlite3_column_int64(s.get(), 6);
      if (!addr.ok() || *addr != addr->without_p2p() || !addr->tcp_endpoint() ||
          peer.size() > kMaxPeerIdBytes || src.size() > kMaxGroupBytes || attempts < 0 ||
          attempts > 1'000'000) {
        ++snap.skipped_rows;
        continue;
      }
      AddrInfo info;
      info.addr = std::move(*addr);
      info.peer.assign(peer.begin(), peer.end());
      info.source_group.assign(src.begin(), src.end());
      // Times in the future (clock moved back, or a hostile file) count as "now".
      auto past = [&](int col) {
        return std::min(from_stored_time(sqlite3_column_int64(s.get(), col), now, wall_now), now);
      };
      info.last_seen = past(3);
      info.last_try = past(4);
      info.last_success = past(5);
      info.attempts = static_cast<uint32_t>(attempts);
      info.in_tried = sqlite3_column_int64(s.get(), 7) != 0;
      snap.addrs.push_back(std::move(info));
    }
  }
  {
    Stmt s(db_, "SELECT addr FROM anchors ORDER BY pos LIMIT ?");
    if (!s.ok()) return Error(P2PNetworkError::IoFailed, "address store: cannot read anchors");
    sqlite3_bind_int64(s.get(), 1, static_cast<sqlite3_int64>(kMaxAnchors));
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
      auto addr = Multiaddr::from_bytes(s.blob(0));
      if (!addr.ok() || !addr->last_value(Proto::P2p) || !addr->tcp_endpoint()) {
        ++snap.skipped_rows;
        continue;
      }
      snap.anchors.push_back(std::move(*addr));
    }
  }
  {
    Stmt s(db_, "SELECT k,until_at,reason FROM bans LIMIT ?");
    if (!s.ok()) return Error(P2PNetworkError::IoFailed, "address store: cannot read bans");
    sqlite3_bind_int64(s.get(), 1, static_cast<sqlite3_int64>(BanList::kMaxBans));
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
      ByteSpan k = s.blob(0), reason = s.blob(2);
      const Time until = from_stored_time(sqlite3_column_int64(s.get(), 1), now, wall_now);
      if (k.empty() || k.size() > kMaxBanKeyBytes || until == Time{}) {
        ++snap.skipped_rows;
        continue;
      }
      Ban b;
      b.key.assign(k.begin(), k.end());
      b.until = until;
      b.reason.assign(reason.begin(),
                      reason.begin() + static_cast<std::ptrdiff_t>(std::min(reason.size(), BanList::kMaxReasonLength)));
      snap.bans.push_back(std::move(b));
    }
  }
  return snap;
}

Status AddrStore::save(const AddrMan& addrs, const std::vector<Multiaddr>& anchors,
                       const BanList& bans, Time now, WallTime wall_now) {
  HBP2P_TRY(exec(db_, "BEGIN IMMEDIATE"));
  auto fail = [this](const char* what) {
    (void)exec(db_, "ROLLBACK");
    return Status(P2PNetworkError::IoFailed, std::string("address store: cannot write ") + what);
  };
  if (!exec(db_, "DELETE FROM addrs; DELETE FROM anchors; DELETE FROM bans;").ok())
    return fail("(clear)");
  {
    Stmt s(db_, "INSERT OR REPLACE INTO meta(k,v) VALUES('secret',?)");
    if (!s.ok()) return fail("meta");
    s.bind_blob(1, addrs.secret());
    if (sqlite3_step(s.get()) != SQLITE_DONE) return fail("meta");
  }
  {
    Stmt s(db_, "INSERT OR REPLACE INTO addrs VALUES(?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail("addresses");
    for (const AddrInfo& a : addrs.all()) {
      sqlite3_reset(s.get());
      s.bind_blob(1, a.addr.bytes());
      s.bind_text(2, a.peer);
      s.bind_text(3, a.source_group);
      sqlite3_bind_int64(s.get(), 4, to_stored_time(a.last_seen, now, wall_now));
      sqlite3_bind_int64(s.get(), 5, to_stored_time(a.last_try, now, wall_now));
      sqlite3_bind_int64(s.get(), 6, to_stored_time(a.last_success, now, wall_now));
      sqlite3_bind_int64(s.get(), 7, a.attempts);
      sqlite3_bind_int(s.get(), 8, a.in_tried ? 1 : 0);
      if (sqlite3_step(s.get()) != SQLITE_DONE) return fail("addresses");
    }
  }
  {
    Stmt s(db_, "INSERT INTO anchors VALUES(?,?)");
    if (!s.ok()) return fail("anchors");
    for (size_t i = 0; i < anchors.size() && i < kMaxAnchors; ++i) {
      sqlite3_reset(s.get());
      sqlite3_bind_int64(s.get(), 1, static_cast<sqlite3_int64>(i));
      s.bind_blob(2, anchors[i].bytes());
      if (sqlite3_step(s.get()) != SQLITE_DONE) return fail("anchors");
    }
  }
  {
    Stmt s(db_, "INSERT OR REPLACE INTO bans VALUES(?,?,?)");
    if (!s.ok()) return fail("bans");
    for (const Ban& b : bans.all()) {
      if (b.until <= now) continue;
      sqlite3_reset(s.get());
      s.bind_text(1, b.key);
      sqlite3_bind_int64(s.get(), 2, to_stored_time(b.until, now, wall_now));
      sqlite3_bind_text(s.get(), 3, b.reason.data(), static_cast<int>(b.reason.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(s.get()) != SQLITE_DONE) return fail("bans");
    }
  }
  return exec(db_, "COMMIT");
}

}  // namespace hauptbuch::p2p::peer

// AddrStore: persistence of the address tables, anchors and bans in SQLite.
//
// The database is a cache the node can always rebuild, so it is treated as hostile input: a file
// that SQLite reports as corrupt, that has another schema, or whose rows fail validation never
// crashes the node. A corrupt or foreign file is moved aside (to PATH.corrupt) and a fresh one is
// created; invalid rows are skipped and counted. Times are stored as wall-clock nanoseconds and
// converted to and from the steady `Time` of the protocol cores with the (steady, wall) pair the
// caller passes, so entries keep their age across restarts. Save replaces the whole content in
// one transaction (the tables are bounded: ≤ 81,920 addresses, 10,000 bans).
// Not thread-safe: one owner.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "peer/addr_man.h"
#include "peer/ban_list.h"

struct sqlite3;

namespace hauptbuch::p2p::peer {

using WallTime = std::chrono::system_clock::time_point;

// Everything AddrStore persists.
struct AddrSnapshot {
  std::array<uint8_t, kSecretSize> secret{};
  bool has_secret = false;
  std::vector<AddrInfo> addrs;
  std::vector<Multiaddr> anchors;  // last good outbound peers, with /p2p/<id>, most recent first
  std::vector<Ban> bans;
  size_t skipped_rows = 0;         // rows that failed validation
};

class AddrStore {
 public:
  // Largest number of rows read from each table: the in-memory structures cannot hold more, so
  // reading further could only cost memory.
  static constexpr size_t kMaxAddrRows = (kNewBuckets + kTriedBuckets) * kBucketSize;
  static constexpr size_t kMaxAnchors = 8;

  // Opens or creates the database file. A corrupt or foreign file is renamed to PATH.corrupt and
  // replaced by an empty store (recovered() is then true). Errors: IoFailed when no usable
  // database can be created at `path`.
  static Result<std::unique_ptr<AddrStore>> open(const std::string& path);
  // An in-memory store initialised from a database image (used by the fuzz target and tests).
  // Errors: InvalidMessage when the image is not a usable database of our schema.
  static Result<std::unique_ptr<AddrStore>> from_image(ByteSpan image);
  ~AddrStore();
  AddrStore(const AddrStore&) = delete;
  AddrStore& operator=(const AddrStore&) = delete;

  bool recovered() const { return recovered_; }

  // Reads everything. Never fails on bad rows (they are skipped); errors only for I/O failures.
  Result<AddrSnapshot> load(Time now, WallTime wall_now);
  // Replaces the stored content with this state.
  Status save(const AddrMan& addrs, const std::vector<Multiaddr>& anchors, const BanList& bans,
              Time now, WallTime wall_now);

 private:
  explicit AddrStore(sqlite3* db) : db_(db) {}
  static Status init_schema(sqlite3* db);
  sqlite3* db_;
  bool recovered_ = false;
};

// Conversions between steady protocol time and stored wall-clock nanoseconds (0 = never). Stored
// values in the future map into the future (bans), capped at 100 years; negative ones are "never".
int64_t to_stored_time(Time t, Time now, WallTime wall_now);
Time from_stored_time(int64_t ns, Time now, WallTime wall_now);

}  // namespace hauptbuch::p2p::peer

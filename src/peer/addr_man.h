// AddrMan: the address store that resists eclipse attacks, after Bitcoin Core's addrman (our own
// design and code; see docs/peer-management.md).
//
// Addresses we have heard of live in the "new" table; addresses we have connected to
// successfully move to the "tried" table. Both are arrays of buckets of fixed-size slots, and
// where an address may go is decided by a keyed hash (SipHash, node-local secret key) of its
// network group and of the network group of the peer that told us about it:
//   new bucket   = H(secret, source group, H(secret, group, source group) mod 64) mod 1024
//   tried bucket = H(secret, group, H(secret, address) mod 8) mod 256
//   slot         = H(secret, table, bucket, address) mod 64
// So one source group can place addresses into at most 64 of the 1024 new buckets, and one
// address group can occupy at most 8 of the 256 tried buckets, whatever it sends us; selection
// picks a bucket first, so it cannot buy probability with volume. All sizes are fixed: at most
// (1024 + 256) * 64 = 81,920 entries.
//
// Sans-I/O: time is passed in, randomness is a RandomSource, nothing here touches the network or
// disk (persistence: addr_store.h). Not thread-safe: owned by one strand.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "peer/network_group.h"
#include "util/clock.h"
#include "util/multiaddr.h"
#include "util/random.h"

namespace hauptbuch::p2p::peer {

inline constexpr size_t kNewBuckets = 1024;
inline constexpr size_t kTriedBuckets = 256;
inline constexpr size_t kBucketSize = 64;
// Buckets of the new table one source group can reach, and tried buckets one group can reach.
inline constexpr size_t kNewBucketsPerSourceGroup = 64;
inline constexpr size_t kTriedBucketsPerGroup = 8;
inline constexpr size_t kSecretSize = 16;  // SipHash-2-4 key

// One known address.
struct AddrInfo {
  Multiaddr addr;         // transport address, without /p2p
  std::string peer;       // PeerId bytes if known ("" if not)
  std::string source_group;  // NetGroup key of the peer that told us
  Time last_seen{};       // last time someone advertised it
  Time last_try{};        // last connection attempt
  Time last_success{};    // last successful connection (Time{} = never)
  uint32_t attempts = 0;  // failed attempts since the last success
  bool in_tried = false;
};

struct AddrManStats {
  size_t new_count = 0;
  size_t tried_count = 0;
};

class AddrMan {
 public:
  // `secret` keys the bucket hashes; keep it across restarts (it is persisted by AddrStore) so
  // that placements are stable, and never reveal it.
  explicit AddrMan(std::array<uint8_t, kSecretSize> secret);
  static std::array<uint8_t, kSecretSize> random_secret(RandomSource& rng);
  const std::array<uint8_t, kSecretSize>& secret() const { return secret_; }

  // Learns `addr` (a /ip4|ip6|dns*/…/tcp/N address, optionally ending in /p2p/<id>) from a
  // peer whose address is `source` (use the address itself for configured/bootstrap entries).
  // Returns true if it was stored as a new entry. Refused: unsupported addresses, local
  // addresses from a non-local source, and an occupied slot whose entry is not terrible.
  bool add(const Multiaddr& addr, const Multiaddr& source, Time now);
  // A connection attempt to `addr` starts (feeds the selection back-off).
  void attempt(const Multiaddr& addr, Time now);
  // `addr` answered and authenticated: moves it to the tried table (displacing the entry in
  // its tried slot back to the new table).
  void good(const Multiaddr& addr, Time now);
  // Forgets `addr` (e.g. it authenticated as a different peer than advertised).
  void remove(const Multiaddr& addr);

  // Picks an address to dial: a bucket at random (tried or new with equal odds, unless
  // `new_only`), then an entry in it, preferring entries with few recent failures. `accept`
  // may veto candidates (e.g. the outbound policy's per-group cap, already connected); at most
  // kMaxSelectTries candidates are looked at. nullopt when nothing acceptable was found.
  using Filter = std::function<bool(const AddrInfo&)>;
  static constexpr int kMaxSelectTries = 200;
  std::optional<AddrInfo> select(RandomSource& rng, Time now, bool new_only = false,
                                 const Filter& accept = {}) const;

  std::optional<AddrInfo> find(const Multiaddr& addr) const;
  AddrManStats stats() const { return {new_count_, tried_count_}; }
  size_t size() const { return entries_.size(); }
  // Every entry (for persistence and diagnostics), in no particular order.
  std::vector<AddrInfo> all() const;
  // Restores a persisted entry exactly (placement recomputed from the secret). Returns false if
  // the entry is invalid or its slot is taken.
  bool restore(const AddrInfo& info);

  // An entry is "terrible" (may be overwritten, is not worth dialling) when it has not been
  // seen for 30 days, or failed 3 times without ever succeeding, or failed 10 times in the
  // last week.
  static bool is_terrible(const AddrInfo& a, Time now);
  // Relative odds of selecting `a` (1.0 = fresh, smaller after failures and recent attempts).
  static double chance(const AddrInfo& a, Time now);

  // Table position of an address (exposed for tests of the bucketing rules).
  size_t new_bucket(const NetGroup& group, const std::string& source_group) const;
  size_t tried_bucket(const Multiaddr& addr, const NetGroup& group) const;
  size_t slot(bool tried, size_t bucket, const Multiaddr& addr) const;

 private:
  using Id = uint32_t;  // 0 = empty slot
  struct Entry {
    AddrInfo info;
    NetGroup group;
    size_t bucket = 0, pos = 0;
  };
  uint64_t hash(std::initializer_list<std::string_view> parts) const;
  Id id_of(const Multiaddr& transport_addr) const;
  bool insert_new(Entry e);       // computes the slot; false if taken by a non-terrible entry
  void erase(Id id);
  Id& slot_ref(bool tried, size_t bucket, size_t pos);

  std::array<uint8_t, kSecretSize> secret_;
  std::vector<Id> new_table_;    // kNewBuckets * kBucketSize
  std::vector<Id> tried_table_;  // kTriedBuckets * kBucketSize
  std::unordered_map<Id, Entry> entries_;
  std::unordered_map<std::string, Id> by_addr_;  // transport address bytes -> id
  Id next_id_ = 1;
  size_t new_count_ = 0, tried_count_ = 0;
};

}  // namespace hauptbuch::p2p::peer

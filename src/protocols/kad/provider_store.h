// Provider records (libp2p kad-dht spec "Content provider advertisement and discovery"): who
// announced (ADD_PROVIDER) that they provide a key, with expiry. Spec values: a provider record
// is valid for 48 h and providers re-announce every 22 h. Bounded per key, in keys and in total.
// Must never: grow beyond its bounds (the oldest record of a full key is replaced; a new key in a
// full store is refused), block, or read a clock. Not thread-safe (one owner).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "protocols/kad/kad_message.h"
#include "util/clock.h"

namespace hauptbuch::p2p::kad {

// Spec: provider records expire after 48 hours.
inline constexpr Duration kProviderRecordTtl = std::chrono::hours(48);
// Spec: providers republish every 22 hours.
inline constexpr Duration kProviderRepublishInterval = std::chrono::hours(22);

struct ProviderStoreConfig {
  Duration ttl = kProviderRecordTtl;
  // Providers kept per key: a response carries at most kMaxPeersPerList; more are useless.
  size_t max_per_key = 20;
  // Distinct keys: with ~300 B per record, 64 Ki keys x a few providers stays in tens of MB.
  size_t max_keys = 65536;
  // Records in total across all keys.
  size_t max_total = 262144;
  // Addresses kept per provider.
  size_t max_addrs = 8;
};

class ProviderStore {
 public:
  explicit ProviderStore(ProviderStoreConfig cfg = {}) : cfg_(cfg) {}

  // Adds or refreshes `provider` for `key` (expires at now + ttl). Errors: InvalidMessage (empty
  // or oversized key), ResourceLimitExceeded (store full: too many keys or records).
  Status add(ByteSpan key, const KadPeer& provider, Time now);
  // Unexpired providers of `key` (at most `max`), most recently added first.
  std::vector<KadPeer> get(ByteSpan key, Time now, size_t max) const;
  // Removes expired records; returns how many.
  size_t expire(Time now);
  // When the next record expires (none if empty).
  std::optional<Time> next_expiry() const;
  size_t size() const noexcept { return total_; }
  size_t key_count() const noexcept { return by_key_.size(); }

 private:
  struct Entry {
    KadPeer peer;
    Time expires;
  };
  ProviderStoreConfig cfg_;
  std::map<Bytes, std::vector<Entry>, BytesLess> by_key_;
  size_t total_ = 0;
};

}  // namespace hauptbuch::p2p::kad

// Kademlia routing table (Maymounkov & Mazieres section 2.2; libp2p kad-dht spec "Kademlia routing
// table"): one bucket of at most k entries per common-prefix length with our own key, entries in
// least-recently-seen order, a bounded replacement cache per bucket, and a liveness check: when a
// bucket is full, a new peer goes into the replacement cache and the least-recently-seen entry is
// pinged (an output the driver performs); it is replaced only if it fails to answer. Only
// server-mode peers (peers that announce the kad protocol) enter the table.
//
// Sans-I/O: the driver reports what it observed (a peer answered, a request failed, a ping
// result) with the current time; the table returns pings to send and refresh targets, and
// exposes its deadlines. Must never: hold more than k + replacement_cache entries per bucket,
// admit ourselves, or block. Not thread-safe (one owner).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "peer/peer_id.h"
#include "protocols/kad/kad_key.h"
#include "util/clock.h"
#include "util/multiaddr.h"
#include "util/random.h"

namespace hauptbuch::p2p::kad {

struct RoutingTableConfig {
  // Bucket size (spec and paper: k = 20).
  size_t k = 20;
  // Candidates kept per bucket while it is full (they replace entries that fail a liveness
  // check). k/4 is enough to refill after a few failures and bounds memory per bucket.
  size_t replacement_cache = 5;
  // A bucket not touched (no lookup into it, no new entry) for this long is refreshed with a
  // random-key lookup (go-libp2p-kad-dht refreshes every 10 minutes).
  Duration refresh_interval = std::chrono::minutes(10);
  // A liveness ping not answered within this time counts as failed.
  Duration ping_timeout = std::chrono::seconds(10);
  // Addresses kept per entry (bounded like the wire message).
  size_t max_addrs = 32;
};

struct RoutingEntry {
  PeerId id;
  KadKey key;
  std::vector<Multiaddr> addrs;
  Time added;
  Time last_seen;
};

// What on_peer_seen did.
enum class InsertOutcome {
  Added,        // new entry in its bucket
  Updated,      // already present; moved to most-recently-seen, addresses refreshed
  Pending,      // bucket full: kept in the replacement cache; `ping` (if set) must be pinged
  Rejected,     // ourselves, or not a server-mode peer
};

struct InsertResult {
  InsertOutcome outcome = InsertOutcome::Rejected;
  // The least-recently-seen entry of the full bucket to ping now (liveness check). Reported once
  // per check; the driver answers with on_ping_result (or it times out in tick()).
  std::optional<PeerId> ping;
};

class RoutingTable {
 public:
  RoutingTable(PeerId self, RoutingTableConfig cfg, Time now);

  // A peer answered us or contacted us. `server_mode`: it speaks the kad protocol as a server
  // (only those enter the table; a client is removed if it was present).
  InsertResult on_peer_seen(const PeerId& peer, std::vector<Multiaddr> addrs, bool server_mode, Time now);
  // Outcome of the liveness ping of `peer`: alive moves it to most-recently-seen (and drops the
  // replacement candidate's claim); dead removes it and promotes the newest replacement candidate.
  void on_ping_result(const PeerId& peer, bool alive, Time now);
  // A request to `peer` failed (not a ping): the entry is removed and replaced from the cache.
  // (Drivers that prefer a grace period may ignore single failures and call this after several.)
  void remove(const PeerId& peer);

  // Up to `n` entries closest to `key`, closest first.
  std::vector<RoutingEntry> closest(const KadKey& key, size_t n) const;
  const RoutingEntry* find(const PeerId& peer) const;
  bool contains(const PeerId& peer) const { return find(peer) != nullptr; }
  size_t size() const noexcept { return size_; }
  // Entries of bucket `cpl` (least recently seen first).
  const std::vector<RoutingEntry>& bucket(size_t cpl) const { return buckets_[cpl].entries; }
  std::vector<RoutingEntry> all() const;

  // A lookup for a key in bucket cpl(key) happened: postpones that bucket's refresh.
  void mark_refreshed(const KadKey& key, Time now);
  // The earliest of: a bucket refresh falls due, a pending ping times out.
  Time next_deadline() const;
  // Expires timed-out pings (as failed) and returns one random target key per bucket due for
  // refresh (marking them refreshed). Only buckets up to the deepest non-empty one plus one are
  // refreshed (deeper ones are empty in any real network).
  std::vector<KadKey> tick(Time now, RandomSource& rng);

  const PeerId& self() const noexcept { return self_; }
  const KadKey& self_key() const noexcept { return self_key_; }
  const RoutingTableConfig& config() const noexcept { return cfg_; }

 private:
  struct Candidate {
    PeerId id;
    std::vector<Multiaddr> addrs;
    Time seen;
  };
  struct Bucket {
    std::vector<RoutingEntry> entries;   // least recently seen first
    std::vector<Candidate> replacements; // oldest first
    std::optional<PeerId> pinging;       // liveness check in flight
    Time ping_deadline{};
    Time last_refresh{};
  };
  void promote_replacement(Bucket& b, Time now);
  size_t refresh_limit() const;

  PeerId self_;
  KadKey self_key_;
  RoutingTableConfig cfg_;
  std::array<Bucket, kKeyBits> buckets_;
  size_t size_ = 0;
};

}  // namespace hauptbuch::p2p::kad

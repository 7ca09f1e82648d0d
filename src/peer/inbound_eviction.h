// Inbound eviction: when inbound slots are full and a new peer connects, which existing inbound
// connection (if any) to drop. An attacker who opens many connections should not be able to
// push out our best peers, so several kinds of peers are protected first, each by a property an
// attacker cannot cheaply fake all at once:
//   1. 4 peers from distinct network groups chosen by a keyed hash (unpredictable to attackers),
//   2. the 8 with the lowest ping time,
//   3. the 4 that most recently delivered something useful,
//   4. half of the rest: those connected longest.
// From what remains, the network group with the most connections loses its most recent one.
// Returns nullopt when every candidate is protected (then the newcomer is refused instead).
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/clock.h"

namespace hauptbuch::p2p::peer {

struct EvictionCandidate {
  uint64_t id = 0;
  std::string group;            // NetGroup key of the remote address
  Duration min_rtt = Duration::max();
  Time connected_at{};
  Time last_useful{};           // Time{} = never
  bool no_evict = false;        // operator-protected (e.g. configured peer)
};

struct EvictionProtection {
  size_t by_group = 4;
  size_t by_latency = 8;
  size_t by_usefulness = 4;
};

std::optional<uint64_t> select_inbound_to_evict(std::vector<EvictionCandidate> candidates,
                                                uint64_t salt, EvictionProtection p = {});

}  // namespace hauptbuch::p2p::peer

// Inbound eviction (see inbound_eviction.h).
#include "peer/inbound_eviction.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <set>

namespace hauptbuch::p2p::peer {
namespace {

uint64_t keyed_hash(uint64_t salt, const std::string& s) {
  uint8_t key[crypto_shorthash_KEYBYTES] = {};
  std::memcpy(key, &salt, sizeof salt);
  uint8_t out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const uint8_t*>(s.data()), s.size(), key);
  uint64_t v;
  std::memcpy(&v, out, sizeof v);
  return v;
}

// Removes up to `n` candidates that come first under `better`.
template <typename Less>
void protect(std::vector<EvictionCandidate>& c, size_t n, Less better) {
  n = std::min(n, c.size());
  std::stable_sort(c.begin(), c.end(), better);
  c.erase(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n));
}

}  // namespace

std::optional<uint64_t> select_inbound_to_evict(std::vector<EvictionCandidate> c, uint64_t salt,
                                                EvictionProtection p) {
  std::erase_if(c, [](const EvictionCandidate& e) { return e.no_evict; });

  // 1. Distinct groups, chosen by keyed hash.
  {
    std::set<std::string> groups;
    for (const auto& e : c) groups.insert(e.group);
    std::vector<std::pair<uint64_t, std::string>> ranked;
    for (const auto& g : groups) ranked.emplace_back(keyed_hash(salt, g), g);
    std::sort(ranked.begin(), ranked.end());
    for (size_t i = 0; i < p.by_group && i < ranked.size(); ++i) {
      // Protect that group's longest-connected peer.
      auto best = c.end();
      for (auto it = c.begin(); it != c.end(); ++it)
        if (it->group == ranked[i].second && (best == c.end() || it->connected_at < best->connected_at))
          best = it;
      if (best != c.end()) c.erase(best);
    }
  }
  // 2. Lowest latency.
  protect(c, p.by_latency, [](const auto& a, const auto& b) { return a.min_rtt < b.min_rtt; });
  // 3. Recently useful (never-useful peers sort last and are not protected by this rule).
  {
    const size_t useful = static_cast<size_t>(
        std::count_if(c.begin(), c.end(), [](const auto& e) { return e.last_useful != Time{}; }));
    protect(c, std::min(p.by_usefulness, useful),
            [](const auto& a, const auto& b) { return a.last_useful > b.last_useful; });
  }
  // 4. Half of the rest by connection age.
  protect(c, c.size() / 2, [](const auto& a, const auto& b) { return a.connected_at < b.connected_at; });
  if (c.empty()) return std::nullopt;

  // The largest group loses its youngest connection; ties go to the group whose youngest
  // connection is youngest.
  std::map<std::string, std::vector<const EvictionCandidate*>> by_group;
  for (const auto& e : c) by_group[e.group].push_back(&e);
  const EvictionCandidate* victim = nullptr;
  size_t victim_group_size = 0;
  for (auto& [g, members] : by_group) {
    const EvictionCandidate* youngest = *std::max_element(
        members.begin(), members.end(), [](auto* a, auto* b) { return a->connected_at < b->connected_at; });
    if (members.size() > victim_group_size ||
        (members.size() == victim_group_size && youngest->connected_at > victim->connected_at)) {
      victim = youngest;
      victim_group_size = members.size();
    }
  }
  return victim->id;
}

}  // namespace hauptbuch::p2p::peer

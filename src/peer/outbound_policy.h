// OutboundPolicy: which address to dial next for an outbound slot.
//
// Rules (issue "peer management"): anchors (the last good outbound peers, persisted across
// restarts) are tried first, in order; after that addresses come from AddrMan::select, vetoed if
// their network group already holds `max_per_group` of our outbound connections or pending
// dials, if they are connected or being dialled, or if they are banned. With at most 2 outbound
// peers per group an attacker needs many distinct /16s to take many slots.
// Sans-I/O; not thread-safe (owned by the peer manager's strand).
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <unordered_set>
#include <string>

#include "peer/addr_man.h"

namespace hauptbuch::p2p::peer {

class OutboundPolicy {
 public:
  struct Config {
    size_t target = 8;         // outbound connections we want
    size_t max_per_group = 2;  // outbound connections (and pending dials) per network group
  };
  explicit OutboundPolicy(Config c) : cfg_(c) {}

  // Anchors to try first (most recent first), e.g. from AddrStore::load.
  void set_anchors(std::vector<Multiaddr> anchors) { anchors_.assign(anchors.begin(), anchors.end()); }

  // Next address to dial, or nullopt if the target is met or nothing acceptable is known.
  // `excluded` vetoes extra candidates (banned, ourselves…). Marks the result pending.
  std::optional<Multiaddr> next(const AddrMan& addrs, RandomSource& rng, Time now,
                                const std::function<bool(const Multiaddr&)>& excluded = {});

  // Outcome of a dial started by next(): success makes it an outbound connection.
  void dial_finished(const Multiaddr& addr, bool connected);
  // An outbound connection closed.
  void disconnected(const Multiaddr& addr);

  size_t outbound() const { return connected_.size(); }
  size_t pending() const { return pending_.size(); }
  size_t in_group(const NetGroup& g) const;
  // Current outbound peers' addresses, most recent first: the anchors to persist.
  std::vector<Multiaddr> current() const { return {order_.begin(), order_.end()}; }

 private:
  static std::string key(const Multiaddr& transport) {
    return std::string(transport.bytes().begin(), transport.bytes().end());
  }
  bool busy(const Multiaddr& transport) const;
  Config cfg_;
  std::deque<Multiaddr> anchors_;
  std::unordered_set<std::string> pending_, connected_;  // transport address bytes (no /p2p)
  std::deque<Multiaddr> order_;              // connected, most recent first (with /p2p if known)
  std::map<std::string, size_t> per_group_;  // pending + connected per group key
};

}  // namespace hauptbuch::p2p::peer

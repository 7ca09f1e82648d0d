// OutboundPolicy (see outbound_policy.h).
#include "peer/outbound_policy.h"

#include <algorithm>

namespace hauptbuch::p2p::peer {

size_t OutboundPolicy::in_group(const NetGroup& g) const {
  auto it = per_group_.find(g.key);
  return it == per_group_.end() ? 0 : it->second;
}

bool OutboundPolicy::busy(const Multiaddr& transport) const {
  return pending_.count(key(transport)) != 0 || connected_.count(key(transport)) != 0;
}

std::optional<Multiaddr> OutboundPolicy::next(const AddrMan& addrs, RandomSource& rng, Time now,
                                              const std::function<bool(const Multiaddr&)>& excluded) {
  if (connected_.size() + pending_.size() >= cfg_.target) return std::nullopt;
  auto take = [&](const Multiaddr& full) {
    const Multiaddr transport = full.without_p2p();
    pending_.insert(key(transport));
    ++per_group_[network_group(transport).key];
    return full;
  };
  while (!anchors_.empty()) {
    Multiaddr a = std::move(anchors_.front());
    anchors_.pop_front();
    const NetGroup g = network_group(a);
    if (g.cls == AddrClass::Unsupported || busy(a.without_p2p()) || in_group(g) >= cfg_.max_per_group)
      continue;
    if (excluded && excluded(a)) continue;
    return take(a);
  }
  auto pick = addrs.select(rng, now, false, [&](const AddrInfo& info) {
    if (busy(info.addr)) return false;
    if (in_group(network_group(info.addr)) >= cfg_.max_per_group) return false;
    return !(excluded && excluded(info.addr));
  });
  if (!pick) return std::nullopt;
  return take(pick->addr);
}

void OutboundPolicy::dial_finished(const Multiaddr& addr, bool connected) {
  const Multiaddr transport = addr.without_p2p();
  if (pending_.erase(key(transport)) == 0) return;
  if (connected) {
    connected_.insert(key(transport));
    order_.push_front(addr);
    return;
  }
  const std::string group = network_group(transport).key;
  if (auto it = per_group_.find(group); it != per_group_.end() && --it->second == 0) per_group_.erase(it);
}

void OutboundPolicy::disconnected(const Multiaddr& addr) {
  const Multiaddr transport = addr.without_p2p();
  if (connected_.erase(key(transport)) == 0) return;
  std::erase_if(order_, [&](const Multiaddr& m) { return key(m.without_p2p()) == key(transport); });
  const std::string group = network_group(transport).key;
  if (auto it = per_group_.find(group); it != per_group_.end() && --it->second == 0) per_group_.erase(it);
}

}  // namespace hauptbuch::p2p::peer

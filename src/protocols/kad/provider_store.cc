// Provider records (see provider_store.h).
#include "protocols/kad/provider_store.h"

#include <algorithm>

namespace hauptbuch::p2p::kad {

Status ProviderStore::add(ByteSpan key, const KadPeer& provider, Time now) {
  if (key.empty() || key.size() > kMaxKeyBytes)
    return Error(P2PNetworkError::InvalidMessage, "kad providers: empty or oversized key");
  KadPeer p = provider;
  if (p.addrs.size() > cfg_.max_addrs) p.addrs.resize(cfg_.max_addrs);
  p.connection = ConnectionType::NotConnected;
  Bytes k(key.begin(), key.end());
  auto it = by_key_.find(k);
  if (it == by_key_.end()) {
    if (by_key_.size() >= cfg_.max_keys || total_ >= cfg_.max_total)
      return Error(P2PNetworkError::ResourceLimitExceeded, "kad providers: store full");
    it = by_key_.emplace(std::move(k), std::vector<Entry>{}).first;
  }
  auto& list = it->second;
  auto e = std::find_if(list.begin(), list.end(), [&](const Entry& x) { return x.peer.id == p.id; });
  if (e != list.end()) {
    list.erase(e);
    --total_;
  } else if (list.size() >= cfg_.max_per_key) {
    // Full key: the record closest to expiry (oldest announcement) makes room.
    auto oldest = std::min_element(list.begin(), list.end(),
                                   [](const Entry& a, const Entry& b) { return a.expires < b.expires; });
    list.erase(oldest);
    --total_;
  } else if (total_ >= cfg_.max_total) {
    if (list.empty()) by_key_.erase(it);
    return Error(P2PNetworkError::ResourceLimitExceeded, "kad providers: store full");
  }
  list.push_back(Entry{std::move(p), now + cfg_.ttl});
  ++total_;
  return ok_status();
}

std::vector<KadPeer> ProviderStore::get(ByteSpan key, Time now, size_t max) const {
  std::vector<KadPeer> out;
  auto it = by_key_.find(Bytes(key.begin(), key.end()));
  if (it == by_key_.end()) return out;
  for (auto e = it->second.rbegin(); e != it->second.rend() && out.size() < max; ++e)
    if (e->expires > now) out.push_back(e->peer);
  return out;
}

size_t ProviderStore::expire(Time now) {
  size_t n = 0;
  for (auto it = by_key_.begin(); it != by_key_.end();) {
    n += std::erase_if(it->second, [&](const Entry& e) { return e.expires <= now; });
    it = it->second.empty() ? by_key_.erase(it) : std::next(it);
  }
  total_ -= n;
  return n;
}

std::optional<Time> ProviderStore::next_expiry() const {
  std::optional<Time> t;
  for (const auto& [k, list] : by_key_)
    for (const auto& e : list)
      if (!t || e.expires < *t) t = e.expires;
  return t;
}

}  // namespace hauptbuch::p2p::kad

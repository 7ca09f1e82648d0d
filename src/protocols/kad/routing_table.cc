// Kademlia routing table (see routing_table.h).
#include "protocols/kad/routing_table.h"

#include <algorithm>

namespace hauptbuch::p2p::kad {
namespace {

void cap_addrs(std::vector<Multiaddr>& addrs, size_t max) {
  if (addrs.size() > max) addrs.resize(max);
}

}  // namespace

RoutingTable::RoutingTable(PeerId self, RoutingTableConfig cfg, Time now)
    : self_(std::move(self)), self_key_(key_of_peer(self_)), cfg_(cfg) {
  if (cfg_.k == 0) cfg_.k = 1;
  for (auto& b : buckets_) b.last_refresh = now;
}

InsertResult RoutingTable::on_peer_seen(const PeerId& peer, std::vector<Multiaddr> addrs, bool server_mode, Time now) {
  if (peer == self_) return {};
  if (!server_mode) {
    remove(peer);
    return {};
  }
  cap_addrs(addrs, cfg_.max_addrs);
  const KadKey key = key_of_peer(peer);
  const size_t cpl = common_prefix_length(self_key_, key);
  Bucket& b = buckets_[cpl];
  auto it = std::find_if(b.entries.begin(), b.entries.end(), [&](const RoutingEntry& e) { return e.id == peer; });
  if (it != b.entries.end()) {
    RoutingEntry e = std::move(*it);
    b.entries.erase(it);
    if (!addrs.empty()) e.addrs = std::move(addrs);
    e.last_seen = now;
    b.entries.push_back(std::move(e));
    return {InsertOutcome::Updated, std::nullopt};
  }
  if (b.entries.size() < cfg_.k) {
    b.entries.push_back(RoutingEntry{peer, key, std::move(addrs), now, now});
    b.last_refresh = now;
    ++size_;
    // It may have been waiting in the replacement cache.
    std::erase_if(b.replacements, [&](const Candidate& c) { return c.id == peer; });
    return {InsertOutcome::Added, std::nullopt};
  }
  // Full: remember as a replacement candidate (newest last, oldest dropped when over the bound).
  std::erase_if(b.replacements, [&](const Candidate& c) { return c.id == peer; });
  if (cfg_.replacement_cache > 0) {
    if (b.replacements.size() >= cfg_.replacement_cache) b.replacements.erase(b.replacements.begin());
    b.replacements.push_back(Candidate{peer, std::move(addrs), now});
  }
  InsertResult res{InsertOutcome::Pending, std::nullopt};
  if (!b.pinging && cfg_.replacement_cache > 0) {
    b.pinging = b.entries.front().id;
    b.ping_deadline = now + cfg_.ping_timeout;
    res.ping = b.pinging;
  }
  return res;
}

void RoutingTable::promote_replacement(Bucket& b, Time now) {
  while (!b.replacements.empty() && b.entries.size() < cfg_.k) {
    Candidate c = std::move(b.replacements.back());
    b.replacements.pop_back();
    const KadKey key = key_of_peer(c.id);
    b.entries.push_back(RoutingEntry{std::move(c.id), key, std::move(c.addrs), now, c.seen});
    ++size_;
  }
}

void RoutingTable::on_ping_result(const PeerId& peer, bool alive, Time now) {
  const size_t cpl = common_prefix_length(self_key_, key_of_peer(peer));
  if (cpl >= kKeyBits) return;
  Bucket& b = buckets_[cpl];
  if (b.pinging && *b.pinging == peer) b.pinging.reset();
  auto it = std::find_if(b.entries.begin(), b.entries.end(), [&](const RoutingEntry& e) { return e.id == peer; });
  if (it == b.entries.end()) return;
  if (alive) {
    RoutingEntry e = std::move(*it);
    b.entries.erase(it);
    e.last_seen = now;
    b.entries.push_back(std::move(e));
  } else {
    b.entries.erase(it);
    --size_;
    promote_replacement(b, now);
  }
}

void RoutingTable::remove(const PeerId& peer) {
  const size_t cpl = common_prefix_length(self_key_, key_of_peer(peer));
  if (cpl >= kKeyBits) return;
  Bucket& b = buckets_[cpl];
  std::erase_if(b.replacements, [&](const Candidate& c) { return c.id == peer; });
  if (b.pinging && *b.pinging == peer) b.pinging.reset();
  auto it = std::find_if(b.entries.begin(), b.entries.end(), [&](const RoutingEntry& e) { return e.id == peer; });
  if (it == b.entries.end()) return;
  const Time seen = it->last_seen;
  b.entries.erase(it);
  --size_;
  promote_replacement(b, seen);
}

std::vector<RoutingEntry> RoutingTable::closest(const KadKey& key, size_t n) const {
  std::vector<const RoutingEntry*> all;
  all.reserve(size_);
  // Buckets nearest the target are those sharing the longest prefix with it; gathering every
  // entry and partially sorting is exact and cheap for tables of a few thousand entries.
  for (const auto& b : buckets_)
    for (const auto& e : b.entries) all.push_back(&e);
  n = std::min(n, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                    [&](const RoutingEntry* a, const RoutingEntry* b) { return closer(a->key, b->key, key); });
  std::vector<RoutingEntry> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(*all[i]);
  return out;
}

const RoutingEntry* RoutingTable::find(const PeerId& peer) const {
  const size_t cpl = common_prefix_length(self_key_, key_of_peer(peer));
  if (cpl >= kKeyBits) return nullptr;
  for (const auto& e : buckets_[cpl].entries)
    if (e.id == peer) return &e;
  return nullptr;
}

std::vector<RoutingEntry> RoutingTable::all() const {
  std::vector<RoutingEntry> out;
  out.reserve(size_);
  for (const auto& b : buckets_) out.insert(out.end(), b.entries.begin(), b.entries.end());
  return out;
}

void RoutingTable::mark_refreshed(const KadKey& key, Time now) {
  const size_t cpl = common_prefix_length(self_key_, key);
  if (cpl < kKeyBits) buckets_[cpl].last_refresh = now;
}

// Buckets refreshed: all up to the deepest non-empty one, plus one more (paper section 2.3: the
// node refreshes the buckets it could fill; deeper ones are empty in any network of < 2^cpl nodes).
size_t RoutingTable::refresh_limit() const {
  size_t deepest = 0;
  for (size_t i = 0; i < kKeyBits; ++i)
    if (!buckets_[i].entries.empty()) deepest = i;
  return std::min(kKeyBits, deepest + 2);
}

Time RoutingTable::next_deadline() const {
  Time t = Time::max();
  const size_t limit = refresh_limit();
  for (size_t i = 0; i < kKeyBits; ++i) {
    const Bucket& b = buckets_[i];
    if (b.pinging) t = std::min(t, b.ping_deadline);
    if (i < limit) t = std::min(t, b.last_refresh + cfg_.refresh_interval);
  }
  return t;
}

std::vector<KadKey> RoutingTable::tick(Time now, RandomSource& rng) {
  for (auto& b : buckets_) {
    if (b.pinging && b.ping_deadline <= now) {
      const PeerId p = *b.pinging;
      on_ping_result(p, false, now);
    }
  }
  const size_t limit = refresh_limit();
  std::vector<KadKey> out;
  for (size_t i = 0; i < limit; ++i) {
    Bucket& b = buckets_[i];
    if (b.last_refresh + cfg_.refresh_interval <= now) {
      out.push_back(random_key_with_cpl(self_key_, i, rng));
      b.last_refresh = now;
    }
  }
  return out;
}

}  // namespace hauptbuch::p2p::kad

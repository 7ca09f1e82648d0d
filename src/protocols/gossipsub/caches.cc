// SeenCache and MessageCache (see caches.h).
#include "protocols/gossipsub/caches.h"

#include <algorithm>

namespace hauptbuch::p2p::gossipsub {

bool SeenCache::insert(const MessageId& id, Time now) {
  expire(now);
  const std::string_view k = id_view(id);
  if (index_.count(k)) return false;
  if (index_.size() >= max_ && !order_.empty()) {
    index_.erase(order_.front().second);
    order_.pop_front();
  }
  order_.emplace_back(now + ttl_, std::string(k));
  index_.emplace(order_.back().second, now + ttl_);
  return true;
}

void SeenCache::expire(Time now) {
  while (!order_.empty() && order_.front().first <= now) {
    index_.erase(order_.front().second);
    order_.pop_front();
  }
}

namespace {
size_t entry_bytes(const PubsubMessage& m) {
  return m.data.size() + m.from.size() + m.seqno.size() + m.topic.size() + m.signature.size() + m.key.size();
}
}  // namespace

MessageCache::MessageCache(size_t history, size_t gossip, size_t max_entries, size_t max_bytes)
    : gossip_(gossip), max_(max_entries), max_bytes_(max_bytes) {
  windows_.resize(history == 0 ? 1 : history);
}

void MessageCache::put(const MessageId& id, const PubsubMessage& m) {
  const size_t cost = entry_bytes(m);
  // Full until the next shift frees the oldest window.
  if (entries_.size() >= max_ || cost > max_bytes_ - bytes_) return;
  // One lookup: a message is put once, so the rare duplicate costs a discarded copy instead of
  // every message costing a second search.
  auto [it, inserted] = entries_.try_emplace(std::string(id_view(id)), Entry{m, {}});
  if (!inserted) return;
  bytes_ += cost;
  windows_.front().push_back({it->first, it->second.msg.topic});
}

const PubsubMessage* MessageCache::get(const MessageId& id) const {
  auto it = entries_.find(id_view(id));
  return it == entries_.end() ? nullptr : &it->second.msg;
}

const PubsubMessage* MessageCache::get_for_peer(const MessageId& id, const std::string& peer,
                                                size_t max_per_peer) {
  auto it = entries_.find(id_view(id));
  if (it == entries_.end()) return nullptr;
  size_t& n = it->second.iwant_counts[peer];
  if (n >= max_per_peer) return nullptr;
  ++n;
  return &it->second.msg;
}

std::vector<MessageId> MessageCache::gossip_ids(const std::string& topic) const {
  std::vector<MessageId> out;
  for (size_t w = 0; w < gossip_ && w < windows_.size(); ++w)
    for (const auto& item : windows_[w])
      if (item.topic == topic) out.emplace_back(item.id.begin(), item.id.end());
  return out;
}

void MessageCache::shift() {
  for (const auto& item : windows_.back()) {
    auto it = entries_.find(item.id);
    if (it == entries_.end()) continue;
    bytes_ -= std::min(bytes_, entry_bytes(it->second.msg));
    entries_.erase(it);
  }
  windows_.pop_back();
  windows_.emplace_front();
}

}  // namespace hauptbuch::p2p::gossipsub

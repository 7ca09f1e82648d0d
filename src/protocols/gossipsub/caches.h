// The two caches of a gossipsub router (spec gossipsub-v1.0 "Message cache", v1.1 "seen TTL"):
//   SeenCache    — ids of messages already seen, for de-duplication, each kept for a TTL;
//   MessageCache — recent messages in a sliding window of heartbeats, served on IWANT and
//                  advertised in IHAVE for the last `gossip_windows` heartbeats.
// Both are bounded in entries (a flood cannot grow them past the bound; the oldest go first).
// Sans-I/O: time passed in. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocols/gossipsub/rpc.h"
#include "util/clock.h"

namespace hauptbuch::p2p::gossipsub {

// Hash and equality over std::string and std::string_view alike, so lookups by a message id
// need no temporary string (heterogeneous lookup).
struct IdHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

inline std::string_view id_view(const MessageId& id) {
  return {reinterpret_cast<const char*>(id.data()), id.size()};
}

class SeenCache {
 public:
  SeenCache(Duration ttl, size_t max_entries) : ttl_(ttl), max_(max_entries) {}
  // Records `id`; returns false if it was already present (a duplicate).
  bool insert(const MessageId& id, Time now);
  bool contains(const MessageId& id) const { return index_.count(id_view(id)) != 0; }
  // When `id` was first recorded (nullopt if not present): the P3 delivery window starts there.
  std::optional<Time> first_seen(const MessageId& id) const {
    auto it = index_.find(id_view(id));
    if (it == index_.end()) return std::nullopt;
    return it->second - ttl_;
  }
  void expire(Time now);
  size_t size() const { return index_.size(); }

 private:
  Duration ttl_;
  size_t max_;
  // Insertion order = expiry order. The index's keys view the strings held here: a deque keeps
  // its elements in place when it grows or shrinks at either end, so one copy of each id is
  // stored (one allocation per new id, none per lookup).
  std::deque<std::pair<Time, std::string>> order_;
  std::unordered_map<std::string_view, Time> index_;
};

class MessageCache {
 public:
  // `history`: heartbeats a message stays retrievable (spec mcache_len, default 5);
  // `gossip`: heartbeats it is advertised (mcache_gossip, default 3); `max_entries` and
  // `max_bytes` (sum of payload sizes) bound it: a flood of large valid messages must not grow
  // memory with the message count alone.
  MessageCache(size_t history, size_t gossip, size_t max_entries, size_t max_bytes = SIZE_MAX);
  // Stores a validated message (no-op if present).
  void put(const MessageId& id, const PubsubMessage& m);
  // For IWANT: the message, counting how often `peer` asked for it (spec v1.1: answer at most
  // `max_iwant_per_message` times per peer, to resist IWANT spam).
  const PubsubMessage* get_for_peer(const MessageId& id, const std::string& peer, size_t max_per_peer);
  const PubsubMessage* get(const MessageId& id) const;
  // Ids in the gossip windows for `topic` (for IHAVE).
  std::vector<MessageId> gossip_ids(const std::string& topic) const;
  // Heartbeat: drop the oldest window.
  void shift();
  size_t size() const { return entries_.size(); }
  size_t bytes() const { return bytes_; }

 private:
  struct Entry {
    PubsubMessage msg;
    std::map<std::string, size_t> iwant_counts;  // bounded by the caller's peer count
  };
  // Views of the entry's key and topic (an entry lives until shift() drops its window item).
  struct WindowItem {
    std::string_view id;
    std::string_view topic;
  };
  size_t gossip_;
  size_t max_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  std::deque<std::vector<WindowItem>> windows_;  // front = newest
  std::unordered_map<std::string, Entry, IdHash, std::equal_to<>> entries_;
};

}  // namespace hauptbuch::p2p::gossipsub

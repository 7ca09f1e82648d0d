// SeenCache: message ids seen within a TTL, bounded in size. Answers replays of relayed
// envelopes (the same id again within the TTL is dropped). Time is injected (`now`).
// When full, the oldest entry is evicted first: an attacker who floods fresh ids can only
// shorten how long old ids are remembered, never grow memory.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <utility>

#include "protocols/relay/envelope.h"
#include "util/clock.h"

namespace hauptbuch::p2p::relay {

class SeenCache {
 public:
  SeenCache(size_t capacity, Duration ttl) : capacity_(capacity == 0 ? 1 : capacity), ttl_(ttl) {}

  // True if `id` was seen within the TTL (a replay); otherwise records it and returns false.
  bool check_and_insert(const MessageId& id, Time now);
  bool contains(const MessageId& id, Time now);
  size_t size() const { return expiry_.size(); }

 private:
  void expire(Time now);
  size_t capacity_;
  Duration ttl_;
  std::map<MessageId, Time> expiry_;
  std::deque<std::pair<Time, MessageId>> order_;  // insertion order = expiry order
};

}  // namespace hauptbuch::p2p::relay

// SeenCache (see seen_cache.h).
#include "protocols/relay/seen_cache.h"

namespace hauptbuch::p2p::relay {

void SeenCache::expire(Time now) {
  while (!order_.empty() && order_.front().first <= now) {
    expiry_.erase(order_.front().second);
    order_.pop_front();
  }
}

bool SeenCache::contains(const MessageId& id, Time now) {
  expire(now);
  return expiry_.count(id) != 0;
}

bool SeenCache::check_and_insert(const MessageId& id, Time now) {
  expire(now);
  if (expiry_.count(id)) return true;
  while (expiry_.size() >= capacity_ && !order_.empty()) {
    expiry_.erase(order_.front().second);
    order_.pop_front();
  }
  const Time until = now + ttl_;
  expiry_.emplace(id, until);
  order_.emplace_back(until, id);
  return false;
}

}  // namespace hauptbuch::p2p::relay

// Backoff (see backoff.h).
#include "peer/backoff.h"

#include <algorithm>

namespace hauptbuch::p2p::peer {

Time Backoff::failed(const std::string& key, Time now, RandomSource& rng) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= cfg_.max_entries) {
      auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
        return a.second.last_failure < b.second.last_failure;
      });
      entries_.erase(oldest);
    }
    it = entries_.emplace(key, Entry{}).first;
  }
  Entry& e = it->second;
  const unsigned shift = std::min(e.failures, 30u);
  ++e.failures;
  Duration cap = cfg_.max;
  if (shift < 30 && cfg_.base * (int64_t{1} << shift) < cfg_.max) cap = cfg_.base * (int64_t{1} << shift);
  const uint64_t span = static_cast<uint64_t>(std::max<Duration::rep>(cap.count(), 1));
  const Duration delay(static_cast<Duration::rep>(rng.uniform(span + 1)));
  e.last_failure = now;
  e.retry_at = now + delay;
  return e.retry_at;
}

bool Backoff::ready(const std::string& key, Time now) const {
  auto it = entries_.find(key);
  return it == entries_.end() || now >= it->second.retry_at;
}

Time Backoff::next_attempt(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? Time{} : it->second.retry_at;
}

unsigned Backoff::failures(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? 0 : it->second.failures;
}

}  // namespace hauptbuch::p2p::peer

// Backoff: when to redial an address after failures — exponential backoff with full jitter
// (delay = random in [0, min(max, base * 2^failures)]), reset on success. Bounded table; the
// oldest entry is dropped when full. Sans-I/O: time and randomness are passed in.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

#include "util/clock.h"
#include "util/random.h"

namespace hauptbuch::p2p::peer {

struct BackoffConfig {
  Duration base = std::chrono::seconds(1);
  Duration max = std::chrono::minutes(10);
  size_t max_entries = 20000;
};

class Backoff {
 public:
  explicit Backoff(BackoffConfig cfg = {}) : cfg_(cfg) {}
  // A dial to `key` failed at `now`: schedules the earliest retry and returns it.
  Time failed(const std::string& key, Time now, RandomSource& rng);
  void succeeded(const std::string& key) { entries_.erase(key); }
  // True when a dial to `key` may start at `now`.
  bool ready(const std::string& key, Time now) const;
  Time next_attempt(const std::string& key) const;
  unsigned failures(const std::string& key) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    unsigned failures = 0;
    Time retry_at{};
    Time last_failure{};
  };
  BackoffConfig cfg_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace hauptbuch::p2p::peer

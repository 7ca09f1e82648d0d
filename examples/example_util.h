// Small helpers shared by the examples: a local config and a bounded wait for a condition set
// by a network callback (callbacks run on the network's thread).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>

#include "hauptbuch/p2p/network.h"

namespace example {

inline hauptbuch::p2p::P2PNetworkConfig local_config() {
  hauptbuch::p2p::P2PNetworkConfig c;
  c.listen_addrs = {"/ip4/127.0.0.1/tcp/0"};
  return c;
}

// A flag or counter a callback updates and the main thread waits for.
class Signal {
 public:
  void add(int n = 1) {
    std::lock_guard<std::mutex> l(m_);
    count_ += n;
    cv_.notify_all();
  }
  bool wait_for_count(int n, std::chrono::seconds limit = std::chrono::seconds(30)) {
    std::unique_lock<std::mutex> l(m_);
    return cv_.wait_for(l, limit, [&] { return count_ >= n; });
  }
 private:
  std::mutex m_;
  std::condition_variable cv_;
  int count_ = 0;
};

// Polls `pred` (bounded) for state that has no callback, e.g. connection counts.
inline bool eventually(const std::function<bool()>& pred, std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

inline int fail(const char* what, const hauptbuch::p2p::Error& e) {
  std::fprintf(stderr, "%s: %s\n", what, e.message().c_str());
  return 1;
}

}  // namespace example

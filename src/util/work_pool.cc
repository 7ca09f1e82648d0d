// WorkPool (see work_pool.h).
#include "util/work_pool.h"

#include <algorithm>
#include <thread>

namespace hauptbuch::p2p::util {

WorkPool::WorkPool(size_t threads) : threads_(std::max<size_t>(1, threads)), pool_(threads_) {}

WorkPool::~WorkPool() {
  pool_.stop();
  pool_.join();
}

size_t WorkPool::default_threads() {
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
}

}  // namespace hauptbuch::p2p::util

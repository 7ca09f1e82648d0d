// NodeMetrics: the node's Prometheus families (names in docs/metrics.md), computed on the
// node's strand from the Host, PeerBook and services, and kept as a snapshot that the /metrics
// endpoint's thread reads (a mutex guards the copy; the strand never blocks on a scrape).
#pragma once

#include <mutex>
#include <vector>

#include "node/metrics.h"

namespace hauptbuch::p2p::node {

class NodeCore;

class NodeMetrics {
 public:
  // Recomputes the snapshot (on the node's strand).
  void refresh(NodeCore& core);
  // The last snapshot (any thread): the registry's collector.
  std::vector<metrics::CollectedFamily> snapshot() const;

 private:
  mutable std::mutex mu_;
  std::vector<metrics::CollectedFamily> families_;
};

}  // namespace hauptbuch::p2p::node

// The local testnet behind `hbp2p testnet`: N real nodes (NodeCore, full stack) on 127.0.0.1 in
// this process on one io_context, K chains, M gossip messages; it measures what the summary and
// the HTML report show. Phases: start and bootstrap through node 0 and the DHT; wait for the
// outbound targets and gossip meshes; publish; wait for delivery (all bounded by deadlines).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "hauptbuch/p2p/config.h"

namespace hauptbuch::p2p::cli {

struct TestnetOptions {
  unsigned nodes = 10;
  unsigned chains = 1;
  unsigned messages = 100;
  unsigned message_size = 256;
  unsigned degree = 8;        // outbound peers each node keeps (outbound_target)
  std::string security = "both";
  std::string report_dir;
  unsigned timeout_s = 120;   // bound on the whole run
  bool json = false;          // one JSON summary line instead of text
  bool progress = true;
};

// What one run measured (plain data; testnet_report turns it into text and HTML).
struct TestnetMeasurements {
  unsigned nodes = 0, chains = 0, messages = 0;
  std::string security;
  std::vector<double> connect_ms;        // per node: start → first connection
  std::vector<double> discovery_ms;      // per node: start → outbound target (or all peers) reached
  std::vector<double> mesh_ms;           // per node: start → a gossip mesh in each of its topics
  // Per published message: publish time offset (ms since the publish phase started) and the
  // receive offsets (ms after publish) at every subscriber that got it.
  struct MessageTrace {
    unsigned chain = 0;
    unsigned publisher = 0;
    double published_at_ms = 0;
    std::vector<double> receive_after_ms;
    unsigned expected = 0;  // subscribers other than the publisher
  };
  std::vector<MessageTrace> traces;
  uint64_t delivered = 0, expected = 0, duplicates = 0;
  uint64_t bytes_sent = 0;                 // gossip payload bytes sent (approximation: data × recipients)
  std::vector<double> memory_kib;          // per node: accounted connection memory
  std::map<std::string, uint64_t> handshakes;  // security protocol → connections
  std::vector<std::pair<unsigned, unsigned>> edges;  // connection graph (node indices)
  std::vector<unsigned> node_chain;        // chain of each node
  std::vector<std::string> failures;       // what went wrong (bounded)
  bool interrupted = false;                // SIGINT or SIGTERM ended the run early
  double wall_s = 0;
};

// Runs the testnet. `progress(phase, done, total)` is called as it advances. SIGINT or SIGTERM
// during the run ends it early: the nodes are stopped cleanly and what was measured so far is
// returned, with `interrupted` set and a failure saying so.
TestnetMeasurements run_testnet(const TestnetOptions& opts,
                                const std::function<void(const std::string&, size_t, size_t)>& progress);

}  // namespace hauptbuch::p2p::cli

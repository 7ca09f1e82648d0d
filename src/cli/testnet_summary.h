// The testnet's summary: percentiles and ratios computed from TestnetMeasurements, printed as
// text lines or one JSON object, and the HTML report (testnet_report.h draws the charts).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/testnet_run.h"
#include "hauptbuch/p2p/result.h"

namespace hauptbuch::p2p::cli {

struct TestnetSummary {
  unsigned nodes = 0, chains = 0, messages = 0;
  std::string security;
  double connect_p50_ms = 0, connect_p99_ms = 0;
  double discovery_p50_ms = 0, discovery_p99_ms = 0;
  double mesh_p50_ms = 0;
  double delivery_ratio = 0;  // delivered / expected (1 when nothing was expected)
  uint64_t delivered = 0, expected = 0, duplicates = 0;
  double propagation_p50_ms = 0, propagation_p99_ms = 0;
  uint64_t bytes_sent = 0;
  double memory_kib_per_node = 0;
  std::map<std::string, uint64_t> handshakes;
  size_t failures = 0;
  std::vector<std::string> failure_messages;  // what went wrong (at most 20 kept)
  double wall_s = 0;
  bool success = false;  // every message delivered everywhere, no duplicate, no failure
};

// Percentile by nearest rank (p in [0,1]); 0 for an empty sample.
double percentile(std::vector<double> v, double p);
TestnetSummary summarize(const TestnetMeasurements& m);
std::vector<std::string> summary_lines(const TestnetSummary& s);
std::string summary_json(const TestnetSummary& s);
// A progress callback: a one-line bar on stderr when `tty`, silent otherwise.
std::function<void(const std::string&, size_t, size_t)> make_progress_printer(bool tty);
// Writes DIR/index.html (created if needed). Errors: IoFailed.
Status write_report(const TestnetMeasurements& m, const TestnetSummary& s, const std::string& dir);

}  // namespace hauptbuch::p2p::cli

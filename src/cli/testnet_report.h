// Testnet report: turns the plain results of a `hbp2p testnet` run (TestnetResults) into
// (a) the text summary lines and (b) one self-contained HTML page with inline SVG charts drawn
// by this code: latency CDF, propagation over time, network graph (circle layout, deterministic).
// The page loads nothing from anywhere (no JS, CSS files, fonts or images); every text taken
// from the results is HTML-escaped. Drawing is bounded (kMax* below) so a huge run cannot
// produce a huge page. Pure functions except write_html_report (one file write); no I/O else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hauptbuch/p2p/result.h"

namespace hauptbuch::p2p::cli {

// Points drawn per chart (samples are thinned deterministically beyond this; the statistics
// always use all samples). 5000 points keep the page under ~1 MB and quick to render.
inline constexpr size_t kMaxChartPoints = 5000;
// Nodes and edges drawn in the graph (a 1000-node circle is already a dense ring).
inline constexpr size_t kMaxGraphNodes = 1000;
inline constexpr size_t kMaxGraphEdges = 20000;
// Failure lines listed in the page.
inline constexpr size_t kMaxListedFailures = 50;

// One published message: when it was published and when each subscriber received it.
struct MessageSample {
  unsigned chain = 0;
  unsigned publisher = 0;
  double published_at_ms = 0;            // since the publish phase started
  std::vector<double> receive_after_ms;  // per receiving node, latency after publish
  unsigned expected = 0;                 // subscribers other than the publisher
};

// Everything one run measured (plain data, filled by the testnet runner).
struct TestnetResults {
  unsigned nodes = 0;
  unsigned chains = 0;
  std::string security;                  // "pq", "noise", "both"
  std::vector<double> connect_ms;        // per node: start -> first connection
  std::vector<double> discovery_ms;      // per node: start -> outbound target reached
  std::vector<MessageSample> messages;
  uint64_t delivered = 0;                // deliveries to applications
  uint64_t expected = 0;
  uint64_t duplicates = 0;               // duplicate deliveries to applications
  uint64_t bytes_sent = 0;
  std::vector<double> memory_kib;        // per node
  std::map<std::string, uint64_t> handshakes;  // security protocol -> connections
  std::vector<std::pair<unsigned, unsigned>> edges;  // connections between node indices
  std::vector<unsigned> node_chain;      // chain of each node (for colours); may be empty
  std::vector<std::string> failures;
  double wall_s = 0;
};

// Derived numbers (all from every sample).
struct ReportStats {
  double connect_p50_ms = 0, connect_p99_ms = 0;
  double discovery_p50_ms = 0, discovery_p99_ms = 0;
  double propagation_p50_ms = 0, propagation_p99_ms = 0;
  double delivery_ratio = 1;             // delivered / expected (1 when nothing was expected)
  double memory_kib_per_node = 0;        // mean
  size_t propagation_samples = 0;
};

// Nearest-rank percentile: the smallest sample with at least p of the samples <= it
// (p in [0,1], clamped). 0 for an empty sample. NaN samples are ignored.
double nearest_rank_percentile(std::vector<double> samples, double p);

ReportStats compute_report_stats(const TestnetResults& r);

// The text summary, one line per quantity (connect, discovery, delivery, propagation,
// duplicates, bytes, memory, handshake mix).
std::vector<std::string> report_summary_lines(const TestnetResults& r);

// The HTML page (XHTML-style: every element closed, so it is also well-formed XML after the
// doctype). `title` is escaped.
std::string render_html_report(const TestnetResults& r, std::string_view title = "hbp2p testnet");

// Writes DIR/index.html, creating DIR. Errors: IoFailed (with the path and reason).
Status write_html_report(const TestnetResults& r, const std::string& dir,
                         std::string_view title = "hbp2p testnet");

// HTML/XML text escaping of & < > " '.
std::string html_escape(std::string_view s);

}  // namespace hauptbuch::p2p::cli

// Testnet summary: see testnet_summary.h.
#include "cli/testnet_summary.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/testnet_report.h"

namespace hauptbuch::p2p::cli {

double percentile(std::vector<double> v, double p) { return nearest_rank_percentile(std::move(v), p); }

TestnetSummary summarize(const TestnetMeasurements& m) {
  TestnetSummary s;
  s.nodes = m.nodes;
  s.chains = m.chains;
  s.messages = m.messages;
  s.security = m.security;
  s.connect_p50_ms = percentile(m.connect_ms, 0.5);
  s.connect_p99_ms = percentile(m.connect_ms, 0.99);
  s.discovery_p50_ms = percentile(m.discovery_ms, 0.5);
  s.discovery_p99_ms = percentile(m.discovery_ms, 0.99);
  s.mesh_p50_ms = percentile(m.mesh_ms, 0.5);
  s.delivered = m.delivered;
  s.expected = m.expected;
  s.duplicates = m.duplicates;
  s.delivery_ratio = m.expected == 0 ? 1.0 : static_cast<double>(m.delivered) / static_cast<double>(m.expected);
  std::vector<double> prop;
  for (const auto& t : m.traces) prop.insert(prop.end(), t.receive_after_ms.begin(), t.receive_after_ms.end());
  s.propagation_p50_ms = percentile(prop, 0.5);
  s.propagation_p99_ms = percentile(prop, 0.99);
  s.bytes_sent = m.bytes_sent;
  double mem = 0;
  for (double k : m.memory_kib) mem += k;
  s.memory_kib_per_node = m.memory_kib.empty() ? 0 : mem / static_cast<double>(m.memory_kib.size());
  s.handshakes = m.handshakes;
  s.failures = m.failures.size();
  s.failure_messages = m.failures;
  s.wall_s = m.wall_s;
  s.success = m.failures.empty() && m.delivered == m.expected && m.duplicates == 0;
  return s;
}

namespace {
std::string fmt(const char* f, double a, double b = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}
}  // namespace

std::vector<std::string> summary_lines(const TestnetSummary& s) {
  std::vector<std::string> out;
  std::string head = "testnet: ";
  head.append(std::to_string(s.nodes)).append(" nodes on 127.0.0.1, ").append(std::to_string(s.chains));
  head.append(s.chains == 1 ? " chain, " : " chains, ").append(std::to_string(s.messages)).append(" messages, security ").append(s.security);
  out.push_back(head);
  out.push_back(fmt("  connect time:     p50 %.1f ms, p99 %.1f ms (start to first connection)", s.connect_p50_ms, s.connect_p99_ms));
  out.push_back(fmt("  discovery time:   p50 %.1f ms, p99 %.1f ms (start to outbound target)", s.discovery_p50_ms, s.discovery_p99_ms));
  out.push_back(fmt("  gossip mesh:      p50 %.1f ms after subscribing", s.mesh_p50_ms));
  std::string d = fmt("  delivery:         %.2f%%", 100.0 * s.delivery_ratio);
  d.append(" (").append(std::to_string(s.delivered)).append(" of ").append(std::to_string(s.expected)).append(")");
  out.push_back(d);
  out.push_back(fmt("  propagation:      p50 %.2f ms, p99 %.2f ms", s.propagation_p50_ms, s.propagation_p99_ms));
  out.push_back("  duplicates:       " + std::to_string(s.duplicates) + " delivered to the application");
  out.push_back(fmt("  bytes published:  %.0f (payload x recipients)", static_cast<double>(s.bytes_sent)));
  out.push_back(fmt("  memory per node:  %.1f KiB (connection buffers)", s.memory_kib_per_node));
  std::string h = "  handshakes:      ";
  for (const auto& [proto, n] : s.handshakes) h.append(" ").append(proto).append(" x").append(std::to_string(n));
  out.push_back(h);
  out.push_back("  failures:         " + std::to_string(s.failures));
  for (const auto& f : s.failure_messages) out.push_back("    - " + f);
  out.push_back(fmt("  wall time:        %.2f s", s.wall_s));
  out.push_back(s.success ? "result: OK (100% delivered, no duplicates)" : "result: FAILED");
  return out;
}

std::string summary_json(const TestnetSummary& s) {
  nlohmann::ordered_json j;
  j["nodes"] = s.nodes;
  j["chains"] = s.chains;
  j["messages"] = s.messages;
  j["security"] = s.security;
  j["connect_ms"] = {{"p50", s.connect_p50_ms}, {"p99", s.connect_p99_ms}};
  j["discovery_ms"] = {{"p50", s.discovery_p50_ms}, {"p99", s.discovery_p99_ms}};
  j["mesh_ms_p50"] = s.mesh_p50_ms;
  j["delivery_ratio"] = s.delivery_ratio;
  j["delivered"] = s.delivered;
  j["expected"] = s.expected;
  j["duplicates"] = s.duplicates;
  j["propagation_ms"] = {{"p50", s.propagation_p50_ms}, {"p99", s.propagation_p99_ms}};
  j["bytes_published"] = s.bytes_sent;
  j["memory_kib_per_node"] = s.memory_kib_per_node;
  j["handshakes"] = s.handshakes;
  j["failures"] = s.failures;
  j["failure_messages"] = s.failure_messages;
  j["wall_s"] = s.wall_s;
  j["success"] = s.success;
  return j.dump();
}

std::function<void(const std::string&, size_t, size_t)> make_progress_printer(bool tty) {
  if (!tty) return [](const std::string&, size_t, size_t) {};
  return [last = std::string(), last_pct = -1](const std::string& phase, size_t done, size_t total) mutable {
    const int pct = total == 0 ? 100 : static_cast<int>(100 * std::min(done, total) / total);
    if (phase == last && pct == last_pct) return;
    last = phase;
    last_pct = pct;
    const int width = 30, filled = pct * width / 100;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(width - filled), '.');
    std::fprintf(stderr, "\r%-12s [%s] %3d%% (%zu/%zu)   ", phase.c_str(), bar.c_str(), pct, done, total);
    std::fflush(stderr);
  };
}

Status write_report(const TestnetMeasurements& m, const TestnetSummary&, const std::string& dir) {
  TestnetResults r;
  r.nodes = m.nodes;
  r.chains = m.chains;
  r.security = m.security;
  r.connect_ms = m.connect_ms;
  r.discovery_ms = m.discovery_ms;
  for (const auto& t : m.traces) r.messages.push_back({t.chain, t.publisher, t.published_at_ms, t.receive_after_ms, t.expected});
  r.delivered = m.delivered;
  r.expected = m.expected;
  r.duplicates = m.duplicates;
  r.bytes_sent = m.bytes_sent;
  r.memory_kib = m.memory_kib;
  r.handshakes = m.handshakes;
  r.edges = m.edges;
  r.node_chain = m.node_chain;
  r.failures = m.failures;
  r.wall_s = m.wall_s;
  std::string title = "hbp2p testnet: ";
  title.append(std::to_string(m.nodes)).append(" nodes, ").append(std::to_string(m.chains)).append(" chain(s), ").append(m.security);
  return write_html_report(r, dir, title);
}

}  // namespace hauptbuch::p2p::cli

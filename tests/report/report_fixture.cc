// report_fixture DIR: writes DIR/index.html, a testnet report from fixed, deterministic data
// (12 nodes, 2 chains, 40 messages; latencies from a fixed-seed LCG). Used by the `report`
// ctest, which renders the page in headless Chromium (scripts/check-report.sh).
#include <cstdint>
#include <cstdio>

#include "cli/testnet_report.h"

using namespace hauptbuch::p2p::cli;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: report_fixture DIR\n");
    return 2;
  }
  uint64_t state = 42;
  auto next = [&state](double max) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0 * max;
  };
  TestnetResults r;
  r.nodes = 12;
  r.chains = 2;
  r.security = "both";
  for (unsigned i = 0; i < r.nodes; ++i) {
    r.connect_ms.push_back(5 + next(20));
    r.discovery_ms.push_back(40 + next(80));
    r.memory_kib.push_back(200 + next(100));
    r.node_chain.push_back(i % 2);
    r.edges.push_back({i, (i + 1) % r.nodes});
    r.edges.push_back({i, (i + 5) % r.nodes});
  }
  for (unsigned m = 0; m < 40; ++m) {
    MessageSample s;
    s.chain = m % 2;
    s.publisher = m % r.nodes;
    s.published_at_ms = 25.0 * m;
    s.expected = 5;
    for (unsigned k = 0; k < 5; ++k) s.receive_after_ms.push_back(1 + next(15));
    r.delivered += 5;
    r.expected += 5;
    r.messages.push_back(s);
  }
  r.bytes_sent = 40 * 5 * 256;
  r.handshakes = {{"/hauptbuch/pq-noise/1.0.0", 14}, {"/noise", 10}};
  r.wall_s = 2.5;
  for (const auto& line : report_summary_lines(r)) std::printf("%s\n", line.c_str());
  auto st = write_html_report(r, argv[1], "hbp2p testnet (fixture)");
  if (!st.ok()) {
    std::fprintf(stderr, "report_fixture: %s\n", st.error().message().c_str());
    return 1;
  }
  return 0;
}

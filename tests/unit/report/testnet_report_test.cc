// Tests of the testnet report: exact percentiles and summary lines on fixed data, and the HTML
// page: well-formed (checked by a small XML tag-balance parser), three SVG charts, escaping of
// every text, nothing loaded from outside, bounded size, deterministic output.
#include "cli/testnet_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hauptbuch::p2p::cli {
namespace {

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
  return n;
}

// A minimal well-formedness check for our XHTML-style output: after the doctype, every tag is
// <name attr="..."...>, </name> or <name .../>, properly nested, attribute values quoted, no
// stray '<' or '&' that is not an entity. Returns "" when fine, else what is wrong.
std::string check_well_formed(const std::string& doc) {
  size_t i = 0;
  const std::string doctype = "<!DOCTYPE html>";
  if (doc.compare(0, doctype.size(), doctype) != 0) return "no doctype";
  i = doctype.size();
  std::vector<std::string> stack;
  bool root_seen = false;
  while (i < doc.size()) {
    const char c = doc[i];
    if (c == '&') {
      const size_t semi = doc.find(';', i);
      if (semi == std::string::npos || semi - i > 6) return "bad entity at " + std::to_string(i);
      const std::string ent = doc.substr(i, semi - i + 1);
      if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&#39;")
        return "unknown entity " + ent;
      i = semi + 1;
      continue;
    }
    if (c != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(c))) return "text outside root";
      ++i;
      continue;
    }
    const size_t end = doc.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    std::string tag = doc.substr(i + 1, end - i - 1);
    i = end + 1;
    if (!tag.empty() && tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name) return "mismatched </" + name + ">";
      stack.pop_back();
      continue;
    }
    const bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.pop_back();
    size_t j = 0;
    while (j < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[j])) || tag[j] == '-')) ++j;
    const std::string name = tag.substr(0, j);
    if (name.empty()) return "empty tag name";
    // Attributes: name="value" pairs.
    while (j < tag.size()) {
      while (j < tag.size() && tag[j] == ' ') ++j;
      if (j >= tag.size()) break;
      const size_t eq = tag.find('=', j);
      if (eq == std::string::npos || eq + 1 >= tag.size() || tag[eq + 1] != '"') return "unquoted attribute in <" + name;
      const size_t close = tag.find('"', eq + 2);
      if (close == std::string::npos) return "unterminated attribute in <" + name;
      if (tag.substr(eq + 2, close - eq - 2).find('<') != std::string::npos) return "'<' in attribute";
      j = close + 1;
    }
    if (stack.empty() && root_seen) return "second root";
    root_seen = true;
    if (!self_closing) stack.push_back(name);
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  return "";
}

TestnetResults fixed_results() {
  TestnetResults r;
  r.nodes = 6;
  r.chains = 2;
  r.security = "both";
  r.connect_ms = {12, 3, 7, 9, 4, 15};
  r.discovery_ms = {30, 20, 10, 40, 50, 60};
  for (unsigned m = 0; m < 4; ++m) {
    MessageSample s;
    s.chain = m % 2;
    s.publisher = m;
    s.published_at_ms = 10.0 * m;
    s.expected = 2;
    s.receive_after_ms = {1.0 + m, 2.0 + 2 * m};
    r.messages.push_back(s);
  }
  r.delivered = 8;
  r.expected = 8;
  r.duplicates = 1;
  r.bytes_sent = 2048;
  r.memory_kib = {100, 200, 300, 400, 500, 600};
  r.handshakes = {{"/hauptbuch/pq-noise/1.0.0", 5}, {"/noise", 2}};
  r.edges = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 0}, {0, 3}};
  r.node_chain = {0, 1, 0, 1, 0, 1};
  r.wall_s = 1.5;
  return r;
}

TEST(ReportStats, NearestRankPercentileExact) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  EXPECT_EQ(nearest_rank_percentile(v, 0.5), 50);
  EXPECT_EQ(nearest_rank_percentile(v, 0.99), 99);
  EXPECT_EQ(nearest_rank_percentile(v, 1.0), 100);
  EXPECT_EQ(nearest_rank_percentile(v, 0.0), 1);
  EXPECT_EQ(nearest_rank_percentile(v, 0.01), 1);
  EXPECT_EQ(nearest_rank_percentile(v, 0.011), 2);
  EXPECT_EQ(nearest_rank_percentile({5, 1, 3}, 0.5), 3);
  EXPECT_EQ(nearest_rank_percentile({5, 1, 3}, 0.99), 5);
  EXPECT_EQ(nearest_rank_percentile({4, 1, 3, 2}, 0.5), 2);
  EXPECT_EQ(nearest_rank_percentile({7}, 0.99), 7);
  EXPECT_EQ(nearest_rank_percentile({}, 0.5), 0);
  EXPECT_EQ(nearest_rank_percentile({std::nan(""), 2, 1}, 1.0), 2);
  EXPECT_EQ(nearest_rank_percentile({1, 2}, 7.0), 2);  // clamped
}

TEST(ReportStats, ComputedFromFixedData) {
  const auto s = compute_report_stats(fixed_results());
  EXPECT_EQ(s.connect_p50_ms, 7);    // sorted 3 4 7 9 12 15, rank 3
  EXPECT_EQ(s.connect_p99_ms, 15);
  EXPECT_EQ(s.discovery_p50_ms, 30);
  EXPECT_EQ(s.discovery_p99_ms, 60);
  // propagation samples: 1 2 | 2 4 | 3 6 | 4 8 -> sorted 1 2 2 3 4 4 6 8
  EXPECT_EQ(s.propagation_samples, 8u);
  EXPECT_EQ(s.propagation_p50_ms, 3);
  EXPECT_EQ(s.propagation_p99_ms, 8);
  EXPECT_EQ(s.delivery_ratio, 1.0);
  EXPECT_EQ(s.memory_kib_per_node, 350);
  TestnetResults none;
  none.expected = 0;
  EXPECT_EQ(compute_report_stats(none).delivery_ratio, 1.0);
  none.expected = 4;
  none.delivered = 1;
  EXPECT_EQ(compute_report_stats(none).delivery_ratio, 0.25);
}

TEST(ReportText, SummaryLinesExact) {
  const std::vector<std::string> expected = {
      "testnet: 6 nodes, 2 chains, 4 messages, security both",
      "  connect time:     p50 7.0 ms, p99 15.0 ms",
      "  discovery time:   p50 30.0 ms, p99 60.0 ms",
      "  delivery ratio:   100.00% (8 of 8)",
      "  propagation:      p50 3.0 ms, p99 8.0 ms (8 deliveries)",
      "  duplicates:       1",
      "  bytes sent:       2048",
      "  memory per node:  350.0 KiB",
      "  handshake mix:    /hauptbuch/pq-noise/1.0.0 x5, /noise x2",
      "  failures:         0",
  };
  EXPECT_EQ(report_summary_lines(fixed_results()), expected);
}

TEST(ReportHtml, WellFormedWithThreeCharts) {
  const std::string html = render_html_report(fixed_results());
  EXPECT_EQ(check_well_formed(html), "");
  EXPECT_EQ(count(html, "<svg "), 3u);
  EXPECT_NE(html.find("id=\"latency-cdf\""), std::string::npos);
  EXPECT_NE(html.find("id=\"propagation\""), std::string::npos);
  EXPECT_NE(html.find("id=\"network-graph\""), std::string::npos);
  // CDF: three series; propagation: 8 dots; graph: 7 edges, 6 nodes.
  EXPECT_EQ(count(html, "<polyline class=\"series\""), 3u);
  const size_t graph = html.find("id=\"network-graph\"");
  const std::string g = html.substr(graph);
  EXPECT_EQ(count(g, "<line "), 7u);
  EXPECT_EQ(count(g, "<circle "), 6u);
  const std::string prop = html.substr(html.find("id=\"propagation\""), graph - html.find("id=\"propagation\""));
  EXPECT_EQ(count(prop, "<circle "), 8u);
}

TEST(ReportHtml, SelfContained) {
  const std::string html = render_html_report(fixed_results());
  for (const char* bad : {"<script", "<link", "<img", "src=", "href=", "url(", "@import", "https://"})
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  // The only http:// strings are the XML namespace names (identifiers, never fetched).
  EXPECT_EQ(count(html, "http://"), count(html, "xmlns=\"http://"));
}

TEST(ReportHtml, EscapesAllText) {
  auto r = fixed_results();
  r.security = "<b>pq</b>";
  r.handshakes = {{"/evil\"'&<x>", 1}};
  r.failures = {"node 3: <script>alert(1)</script> & \"quotes\"", std::string("ctrl\x01\x02", 6)};
  const std::string html = render_html_report(r, "t<i>tle & 'x'");
  EXPECT_EQ(check_well_formed(html), "");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"), std::string::npos);
  EXPECT_NE(html.find("<title>t&lt;i&gt;tle &amp; &#39;x&#39;</title>"), std::string::npos);
  EXPECT_NE(html.find("/evil&quot;&#39;&amp;&lt;x&gt;"), std::string::npos);
  EXPECT_EQ(html.find('\x01'), std::string::npos);
}

TEST(ReportHtml, EmptyResultsStillWellFormed) {
  const std::string html = render_html_report(TestnetResults{});
  EXPECT_EQ(check_well_formed(html), "");
  EXPECT_EQ(count(html, "<svg "), 3u);
  EXPECT_EQ(count(html, ">no data</text>"), 3u);
}

TEST(ReportHtml, BoundedAndDeterministic) {
  TestnetResults r;
  r.nodes = 3000;  // more than kMaxGraphNodes
  MessageSample s;
  for (int i = 0; i < 50000; ++i) s.receive_after_ms.push_back(i % 997);
  r.messages.push_back(s);
  for (unsigned i = 0; i < 3000; ++i) r.edges.push_back({i, (i + 1) % 3000});
  const std::string html = render_html_report(r);
  EXPECT_EQ(check_well_formed(html), "");
  EXPECT_LT(html.size(), 3u * 1024 * 1024);
  const size_t graph = html.find("id=\"network-graph\"");
  EXPECT_EQ(count(html.substr(graph), "<circle "), kMaxGraphNodes);
  const size_t prop = html.find("id=\"propagation\"");
  EXPECT_LE(count(html.substr(prop, graph - prop), "<circle "), kMaxChartPoints + 1);
  EXPECT_EQ(html, render_html_report(r));
  // Statistics still use every sample.
  EXPECT_EQ(compute_report_stats(r).propagation_samples, 50000u);
}

TEST(ReportHtml, WritesIndexHtml) {
  const auto dir = std::filesystem::temp_directory_path() / ("hbp2p-report-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(write_html_report(fixed_results(), (dir / "sub").string()).ok());
  std::ifstream f(dir / "sub" / "index.html");
  std::stringstream ss;
  ss << f.rdbuf();
  EXPECT_EQ(ss.str(), render_html_report(fixed_results()));
  std::filesystem::remove_all(dir);
  auto bad = write_html_report(fixed_results(), "/proc/self/hbp2p-cannot-exist");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(P2PNetworkError::IoFailed));
}

}  // namespace
}  // namespace hauptbuch::p2p::cli

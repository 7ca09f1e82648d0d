// Tests of the Prometheus registry: exact text exposition (format 0.0.4), escaping, histogram
// buckets, the series cap with its dropped-series counter, collectors and concurrent updates.
#include "node/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

namespace hauptbuch::p2p::metrics {
namespace {

TEST(Metrics, CounterAndGaugeExactText) {
  Registry reg;
  auto c = reg.counter_family("hbp2p_bytes_total", "Bytes sent and received.", {"direction", "protocol"});
  ASSERT_TRUE(c.ok());
  (*c)->with({"out", "/meshsub/1.1.0"}).inc(100);
  (*c)->with({"in", "/ipfs/id/1.0.0"}).inc(2.5);
  (*c)->with({"out", "/meshsub/1.1.0"}).inc(23);
  auto g = reg.gauge_family("hbp2p_peers", "Connected peers.", {});
  ASSERT_TRUE(g.ok());
  (*g)->get().set(7);
  (*g)->get().dec(2);
  EXPECT_EQ(reg.expose(),
            "# HELP hbp2p_bytes_total Bytes sent and received.\n"
            "# TYPE hbp2p_bytes_total counter\n"
            "hbp2p_bytes_total{direction=\"in\",protocol=\"/ipfs/id/1.0.0\"} 2.5\n"
            "hbp2p_bytes_total{direction=\"out\",protocol=\"/meshsub/1.1.0\"} 123\n"
            "# HELP hbp2p_peers Connected peers.\n"
            "# TYPE hbp2p_peers gauge\n"
            "hbp2p_peers 5\n");
}

TEST(Metrics, HistogramExactText) {
  Registry reg;
  auto h = reg.histogram_family("hbp2p_rtt_seconds", "Round-trip time.", {"proto"}, {0.1, 0.5, 1});
  ASSERT_TRUE(h.ok());
  auto& s = (*h)->with({"ping"});
  s.observe(0.1);   // le=0.1 (upper bounds are inclusive)
  s.observe(0.25);  // le=0.5
  s.observe(3);     // only +Inf
  s.observe(std::nan(""));  // ignored
  EXPECT_EQ(reg.expose(),
            "# HELP hbp2p_rtt_seconds Round-trip time.\n"
            "# TYPE hbp2p_rtt_seconds histogram\n"
            "hbp2p_rtt_seconds_bucket{proto=\"ping\",le=\"0.1\"} 1\n"
            "hbp2p_rtt_seconds_bucket{proto=\"ping\",le=\"0.5\"} 2\n"
            "hbp2p_rtt_seconds_bucket{proto=\"ping\",le=\"1\"} 2\n"
            "hbp2p_rtt_seconds_bucket{proto=\"ping\",le=\"+Inf\"} 3\n"
            "hbp2p_rtt_seconds_sum{proto=\"ping\"} 3.35\n"
            "hbp2p_rtt_seconds_count{proto=\"ping\"} 3\n");
}

TEST(Metrics, HistogramWithoutLabels) {
  Registry reg;
  auto h = reg.histogram_family("x_seconds", "X.", {}, {1});
  ASSERT_TRUE(h.ok());
  (*h)->get().observe(0.5);
  EXPECT_EQ(reg.expose(),
            "# HELP x_seconds X.\n# TYPE x_seconds histogram\n"
            "x_seconds_bucket{le=\"1\"} 1\nx_seconds_bucket{le=\"+Inf\"} 1\n"
            "x_seconds_sum 0.5\nx_seconds_count 1\n");
}

TEST(Metrics, EscapingOfLabelValuesAndHelp) {
  Registry reg;
  auto c = reg.counter_family("t_total", "line1\nback\\slash \"quotes\" stay", {"topic"});
  ASSERT_TRUE(c.ok());
  (*c)->with({"a\"b\\c\nd"}).inc();
  EXPECT_EQ(reg.expose(),
            "# HELP t_total line1\\nback\\\\slash \"quotes\" stay\n"
            "# TYPE t_total counter\n"
            "t_total{topic=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Metrics, LabelValuesAreTruncatedAndMadeValidUtf8) {
  Registry reg;
  auto c = reg.counter_family("t_total", "T.", {"topic"});
  ASSERT_TRUE(c.ok());
  (*c)->with({std::string(500, 'x')}).inc();
  (*c)->with({std::string_view("\xff\xc3\xa4", 3)}).inc();  // invalid byte, then U+00E4
  const std::string text = reg.expose();
  EXPECT_NE(text.find("t_total{topic=\"" + std::string(kMaxLabelValueBytes, 'x') + "\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("t_total{topic=\"?\xc3\xa4\"} 1\n"), std::string::npos);
}

TEST(Metrics, SeriesCapDropsAndCounts) {
  Registry reg;
  auto c = reg.counter_family("p_total", "P.", {"peer"}, 2);
  ASSERT_TRUE(c.ok());
  (*c)->with({"a"}).inc();
  (*c)->with({"b"}).inc();
  (*c)->with({"c"}).inc(5);  // refused: goes to the detached sink
  (*c)->with({"d"}).inc();
  (*c)->with({"a"}).inc();   // existing series still work
  (*c)->with({"x", "y"}).inc();  // wrong arity: refused too
  EXPECT_EQ((*c)->series_count(), 2u);
  EXPECT_EQ(reg.dropped_series("p_total"), 3u);
  EXPECT_EQ(reg.expose(),
            "# HELP p_total P.\n# TYPE p_total counter\n"
            "p_total{peer=\"a\"} 2\np_total{peer=\"b\"} 1\n"
            "# HELP hbp2p_metrics_dropped_series_total Label combinations refused because a "
            "metric reached its series cap.\n"
            "# TYPE hbp2p_metrics_dropped_series_total counter\n"
            "hbp2p_metrics_dropped_series_total{metric=\"p_total\"} 3\n");
}

TEST(Metrics, RegistrationValidation) {
  Registry reg;
  EXPECT_FALSE(reg.counter_family("1bad", "h", {}).ok());
  EXPECT_FALSE(reg.counter_family("bad-name", "h", {}).ok());
  EXPECT_FALSE(reg.counter_family("ok", "h", {"__reserved"}).ok());
  EXPECT_FALSE(reg.counter_family("ok", "h", {"a:b"}).ok());
  EXPECT_FALSE(reg.counter_family("ok", "h", {"a", "a"}).ok());
  EXPECT_FALSE(reg.counter_family("ok", "h", {}, 0).ok());
  EXPECT_FALSE(reg.counter_family("ok", "h", {}, kMaxSeriesLimit + 1).ok());
  EXPECT_FALSE(reg.histogram_family("h", "h", {"le"}, {1}).ok());
  EXPECT_FALSE(reg.histogram_family("h", "h", {}, {2, 1}).ok());
  EXPECT_FALSE(reg.histogram_family("h", "h", {}, {1, std::numeric_limits<double>::infinity()}).ok());
  EXPECT_FALSE(reg.counter_family(kDroppedSeriesMetric, "h", {"metric"}).ok());
  auto a = reg.counter_family("ns:ok_total", "h", {"x"});
  ASSERT_TRUE(a.ok());
  auto again = reg.counter_family("ns:ok_total", "h", {"x"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*a, *again);  // idempotent
  auto clash = reg.gauge_family("ns:ok_total", "h", {"x"});
  ASSERT_FALSE(clash.ok());
  EXPECT_TRUE(clash.error().is(P2PNetworkError::InvalidConfig));
  EXPECT_FALSE(reg.counter_family("ns:ok_total", "h", {"y"}).ok());
}

TEST(Metrics, CounterIgnoresNegativeAndNaN) {
  Registry reg;
  auto c = reg.counter_family("c_total", "C.", {});
  ASSERT_TRUE(c.ok());
  (*c)->get().inc(-5);
  (*c)->get().inc(std::nan(""));
  (*c)->get().inc(0.5);
  EXPECT_EQ((*c)->get().value(), 0.5);
}

TEST(Metrics, FormatValue) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(-3), "-3");
  EXPECT_EQ(format_value(100000000), "100000000");
  EXPECT_EQ(format_value(0.25), "0.25");
  EXPECT_EQ(format_value(0.005), "0.005");
  EXPECT_EQ(format_value(1e300), "1e+300");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
}

TEST(Metrics, CollectorsExposedAfterRegisteredFamilies) {
  Registry reg;
  auto g = reg.gauge_family("a_gauge", "A.", {});
  ASSERT_TRUE(g.ok());
  (*g)->get().set(1);
  reg.add_collector([] {
    std::vector<CollectedFamily> out;
    CollectedFamily peers{"hbp2p_peers", "Connected peers.", MetricType::Gauge, {}};
    peers.samples.push_back({{{"direction", "inbound"}, {"security", "pq"}}, 3, {}});
    peers.samples.push_back({{{"direction", "outbound"}, {"security", "noise"}}, 4, {}});
    out.push_back(std::move(peers));
    CollectedFamily score{"hbp2p_gossip_peer_score", "Scores.", MetricType::Histogram, {}};
    score.samples.push_back({{}, 0, make_histogram_snapshot({0, 10}, {-1, 5, 20})});
    out.push_back(std::move(score));
    CollectedFamily clash{"a_gauge", "dup", MetricType::Gauge, {}};  // skipped: name registered
    out.push_back(std::move(clash));
    return out;
  });
  reg.add_collector([]() -> std::vector<CollectedFamily> { throw std::runtime_error("boom"); });
  EXPECT_EQ(reg.expose(),
            "# HELP a_gauge A.\n# TYPE a_gauge gauge\na_gauge 1\n"
            "# HELP hbp2p_peers Connected peers.\n# TYPE hbp2p_peers gauge\n"
            "hbp2p_peers{direction=\"inbound\",security=\"pq\"} 3\n"
            "hbp2p_peers{direction=\"outbound\",security=\"noise\"} 4\n"
            "# HELP hbp2p_gossip_peer_score Scores.\n# TYPE hbp2p_gossip_peer_score histogram\n"
            "hbp2p_gossip_peer_score_bucket{le=\"0\"} 1\n"
            "hbp2p_gossip_peer_score_bucket{le=\"10\"} 2\n"
            "hbp2p_gossip_peer_score_bucket{le=\"+Inf\"} 3\n"
            "hbp2p_gossip_peer_score_sum 24\n"
            "hbp2p_gossip_peer_score_count 3\n"
            "# HELP hbp2p_metrics_collector_errors_total Collector families skipped (invalid or "
            "clashing names) or collectors that failed.\n"
            "# TYPE hbp2p_metrics_collector_errors_total counter\n"
            "hbp2p_metrics_collector_errors_total 2\n");
}

TEST(Metrics, CollectorSamplesAreCapped) {
  Registry reg;
  reg.add_collector([] {
    CollectedFamily f{"many", "M.", MetricType::Gauge, {}};
    for (size_t i = 0; i < kDefaultMaxSeries + 5; ++i)
      f.samples.push_back({{{"i", std::to_string(i)}}, 1, {}});
    return std::vector<CollectedFamily>{f};
  });
  (void)reg.expose();
  EXPECT_EQ(reg.dropped_series("many"), 5u);
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  Registry reg;
  auto c = reg.counter_family("n_total", "N.", {"t"});
  auto h = reg.histogram_family("h", "H.", {}, {1});
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(h.ok());
  constexpr int kThreads = 4;
  constexpr int kIters = 10000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIters; ++i) {
        (*c)->with({t % 2 == 0 ? "even" : "odd"}).inc();
        (*h)->get().observe(0.5);
        if (i % 1000 == 0) (void)reg.expose();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ((*c)->with({"even"}).value() + (*c)->with({"odd"}).value(), kThreads * kIters);
  const auto snap = (*h)->get().snapshot();
  EXPECT_EQ(snap.count, static_cast<uint64_t>(kThreads * kIters));
  EXPECT_EQ(snap.sum, 0.5 * kThreads * kIters);
}

}  // namespace
}  // namespace hauptbuch::p2p::metrics

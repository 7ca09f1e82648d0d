// Kademlia on a simulated network (brief K item 7): N nodes join through one bootstrap node with
// a self-lookup, refresh their buckets, then a seeded sample of nodes looks up random keys. Every
// lookup must return exactly the true k closest nodes (brute force). Prints rounds, messages and
// virtual latency per lookup.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <algorithm>

#include "kad_sim.h"

namespace hauptbuch::p2p::kad::sim {
namespace {

size_t sim_nodes() {
  if (const char* e = std::getenv("HBP2P_SIM_NODES")) {
    const long v = std::strtol(e, nullptr, 10);
    if (v >= 50 && v <= 100000) return static_cast<size_t>(v);
  }
  return HBP2P_SIM_NODES;
}

struct Stats {
  double rounds_mean = 0, msgs_mean = 0, latency_ms_mean = 0;
  size_t rounds_max = 0;
  double latency_ms_max = 0;
  size_t exact = 0;
};

Stats run_random_lookups(SimNetwork& net, size_t count, uint64_t seed, size_t k) {
  SeededRandom rng(seed);
  std::vector<Job> jobs;
  for (size_t i = 0; i < count; ++i) {
    Bytes target(32);
    rng.fill(target);
    jobs.push_back(Job{static_cast<size_t>(rng.uniform(net.size())), LookupKind::FindNode, target});
  }
  Stats s;
  for (const auto& j : jobs) {
    const uint64_t before = net.messages();
    auto out = net.run({j});
    const uint64_t msgs = net.messages() - before;
    EXPECT_TRUE(out[0].done);
    const auto& r = out[0].result;
    std::vector<PeerId> got;
    for (const auto& p : r.closest) got.push_back(p.id);
    const auto want = net.true_closest(j.node, j.target, k);
    if (got == want) ++s.exact;
    const double ms = std::chrono::duration<double, std::milli>(out[0].latency).count();
    s.rounds_mean += static_cast<double>(r.stats.rounds);
    s.msgs_mean += static_cast<double>(msgs);
    s.latency_ms_mean += ms;
    s.rounds_max = std::max(s.rounds_max, r.stats.rounds);
    s.latency_ms_max = std::max(s.latency_ms_max, ms);
  }
  s.rounds_mean /= static_cast<double>(count);
  s.msgs_mean /= static_cast<double>(count);
  s.latency_ms_mean /= static_cast<double>(count);
  return s;
}

void print(const char* name, size_t n, size_t lookups, const Stats& s) {
  std::printf("[kad sim] %s: N=%zu lookups=%zu exact=%zu rounds mean=%.2f max=%zu (ceil(log2 N)=%d) "
              "messages/lookup mean=%.1f (requests+responses) virtual latency mean=%.2f ms max=%.2f ms\n",
              name, n, lookups, s.exact, s.rounds_mean, s.rounds_max,
              static_cast<int>(std::ceil(std::log2(static_cast<double>(n)))), s.msgs_mean, s.latency_ms_mean,
              s.latency_ms_max);
}

TEST(KadSim, BootstrapThenRandomLookupsFindTrueKClosest) {
  SimConfig cfg;
  cfg.nodes = sim_nodes();
  cfg.seed = 42;
  SimNetwork net(cfg);
  net.bootstrap();
  EXPECT_EQ(net.codec_failures(), 0u);
  std::printf("[kad sim] bootstrap of %zu nodes: %llu messages, virtual time %.1f s\n", net.size(),
              static_cast<unsigned long long>(net.messages()),
              std::chrono::duration<double>(net.now() - (Time{} + std::chrono::hours(1))).count());
  const size_t lookups = std::max<size_t>(200, net.size() / 5);
  const Stats s = run_random_lookups(net, lookups, 7, cfg.k);
  print("FIND_NODE", net.size(), lookups, s);
  EXPECT_EQ(s.exact, lookups);
  EXPECT_EQ(net.codec_failures(), 0u);
  const auto log2n = static_cast<size_t>(std::ceil(std::log2(static_cast<double>(net.size()))));
  EXPECT_LE(s.rounds_max, log2n);
}

TEST(KadSim, DisjointPathsAlsoExact) {
  SimConfig cfg;
  cfg.nodes = std::min<size_t>(sim_nodes(), 200);
  cfg.seed = 43;
  cfg.paths = 3;
  cfg.use_codec = false;
  SimNetwork net(cfg);
  net.bootstrap();
  const Stats s = run_random_lookups(net, 100, 8, cfg.k);
  print("FIND_NODE d=3 disjoint paths", net.size(), 100, s);
  EXPECT_EQ(s.exact, 100u);
}

TEST(KadSim, OfflineNodesTimeOutAndLookupsStillConverge) {
  SimConfig cfg;
  cfg.nodes = std::min<size_t>(sim_nodes(), 200);
  cfg.seed = 44;
  cfg.use_codec = false;
  SimNetwork net(cfg);
  net.bootstrap();
  // 10% of the nodes go silent after the tables were built: lookups must time them out and
  // still return (nearly) k live peers. The result is not always the exact k closest live nodes:
  // answers list at most k peers, dead ones included, so live nodes just beyond the k closest
  // overall may never be named (exact and prefix counts are printed, not asserted).
  for (size_t i = 1; i < net.size(); i += 10) net.set_offline(i, true);
  SeededRandom rng(9);
  size_t exact = 0, prefix = 0, timeouts = 0, found = 0;
  const size_t lookups = 100;
  for (size_t i = 0; i < lookups; ++i) {
    Bytes target(32);
    rng.fill(target);
    size_t node = static_cast<size_t>(rng.uniform(net.size()));
    if (node % 10 == 1) node = 0;
    auto out = net.run({Job{node, LookupKind::FindNode, target}});
    ASSERT_TRUE(out[0].done);
    timeouts += out[0].result.stats.timeouts;
    std::vector<PeerId> got;
    for (const auto& p : out[0].result.closest) got.push_back(p.id);
    const auto want = net.true_closest(node, target, cfg.k);
    if (got == want) ++exact;
    if (got.size() <= want.size() && std::equal(got.begin(), got.end(), want.begin())) ++prefix;
    found += got.size();
  }
  std::printf("[kad sim] with 10%% offline: N=%zu lookups=%zu exact=%zu correct-prefix=%zu mean found=%.1f of k=%zu timeouts=%zu\n",
              net.size(), lookups, exact, prefix, static_cast<double>(found) / lookups, cfg.k, timeouts);
  EXPECT_GT(timeouts, 0u);
  EXPECT_GE(found, lookups * (cfg.k - 4));
}

}  // namespace
}  // namespace hauptbuch::p2p::kad::sim

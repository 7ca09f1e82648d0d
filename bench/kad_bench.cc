// Kademlia core on the simulated network (tests/sim/kad_sim.h): FIND_NODE lookup virtual latency
// (1 ms per message), rounds and messages for 100 / 1,000 / 10,000 nodes whose routing tables are
// filled from the whole key space once, outside the timed loop; and the heap bytes of a routing
// table holding 10,000 entries. Run: kad_bench --benchmark_format=json
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <map>
#include <new>

#include "../tests/sim/kad_sim.h"

namespace {
// Live heap bytes (glibc's allocator statistics): what a structure built in between keeps.
size_t live_heap_bytes() { return mallinfo2().uordblks; }
}  // namespace

namespace {

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::kad;

sim::SimNetwork& network(size_t n) {
  static std::map<size_t, std::unique_ptr<sim::SimNetwork>> nets;
  auto& p = nets[n];
  if (!p) {
    sim::SimConfig cfg;
    cfg.nodes = n;
    cfg.seed = 5;
    cfg.use_codec = false;
    p = std::make_unique<sim::SimNetwork>(cfg);
    p->build_static_tables();
  }
  return *p;
}

void BM_Lookup(benchmark::State& state) {
  auto& net = network(static_cast<size_t>(state.range(0)));
  SeededRandom rng(11);
  double lat = 0, rounds = 0, msgs = 0, lookups = 0, rounds_max = 0, lat_max = 0;
  for (auto _ : state) {
    Bytes target(32);
    rng.fill(target);
    const uint64_t before = net.messages();
    auto out = net.run({sim::Job{static_cast<size_t>(rng.uniform(net.size())), LookupKind::FindNode, target}});
    const double ms = std::chrono::duration<double, std::milli>(out[0].latency).count();
    lat += ms;
    lat_max = std::max(lat_max, ms);
    rounds += static_cast<double>(out[0].result.stats.rounds);
    rounds_max = std::max(rounds_max, static_cast<double>(out[0].result.stats.rounds));
    msgs += static_cast<double>(net.messages() - before);
    lookups += 1;
  }
  state.counters["virtual_latency_ms_mean"] = lat / lookups;
  state.counters["virtual_latency_ms_max"] = lat_max;
  state.counters["rounds_mean"] = rounds / lookups;
  state.counters["rounds_max"] = rounds_max;
  state.counters["messages_per_lookup"] = msgs / lookups;
}
BENCHMARK(BM_Lookup)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_RoutingTableMemory10k(benchmark::State& state) {
  std::vector<PeerId> peers;
  for (uint64_t i = 0; i < 10000; ++i) {
    SeededRandom r(i + 100);
    Bytes raw(32);
    r.fill(raw);
    peers.push_back(PeerId::from_public_key(crypto::PublicKey::ed25519(raw)));
  }
  const auto addr = *Multiaddr::parse("/ip4/10.1.2.3/tcp/4001");
  size_t bytes = 0, entries = 0;
  for (auto _ : state) {
    RoutingTableConfig cfg;
    cfg.k = 10000;  // large enough to keep all 10,000 entries
    const size_t before = live_heap_bytes();
    auto table = std::make_unique<RoutingTable>(peers[0], cfg, Time{});
    for (const auto& p : peers) table->on_peer_seen(p, {addr}, true, Time{});
    bytes = live_heap_bytes() - before;  // live heap held by the table
    entries = table->size();
    benchmark::DoNotOptimize(table);
  }
  state.counters["entries"] = static_cast<double>(entries);
  state.counters["heap_bytes_live"] = static_cast<double>(bytes);
  state.counters["bytes_per_entry"] = static_cast<double>(bytes) / static_cast<double>(entries);
  state.counters["sizeof_RoutingTable"] = static_cast<double>(sizeof(RoutingTable));
}
BENCHMARK(BM_RoutingTableMemory10k)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

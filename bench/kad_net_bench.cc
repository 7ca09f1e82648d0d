// Kademlia over real loopback connections: the time for 100 nodes (one process, one io_context,
// 127.0.0.1) started from one bootstrap node to reach full routing tables, where "full" means
// every node's table holds at least k = 20 peers (what the self-lookup alone guarantees; see
// docs/kad-service.md) — plus the mean table size reached and the find_peer latency afterwards.
// Run: kad_net_bench --benchmark_format=json
#include <benchmark/benchmark.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include <memory>
#include <vector>

#include "node/host.h"
#include "protocols/kad/kad_service.h"

namespace {

using namespace hauptbuch::p2p;
using namespace std::chrono_literals;

struct Net {
  asio::io_context io;
  std::vector<std::unique_ptr<node::Host>> hosts;
  std::vector<std::unique_ptr<kad::KadService>> kads;

  explicit Net(size_t n) {
    P2PNetworkConfig c;
    c.security = SecurityMode::Noise;
    c.max_inbound_per_ip = 10000;  // every peer is 127.0.0.1
    c.max_inbound_per_subnet = 10000;
    for (size_t i = 0; i < n; ++i) {
      Bytes seed(32, 0);
      seed[0] = static_cast<uint8_t>(i);
      seed[1] = static_cast<uint8_t>(i >> 8);
      seed[2] = 0x62;
      hosts.push_back(std::make_unique<node::Host>(io, crypto::PrivateKey::ed25519_from_seed(seed), c));
      (void)hosts.back()->listen({*Multiaddr::parse("/ip4/127.0.0.1/tcp/0")});
      kad::KadServiceConfig kc;
      kc.request_timeout = 5s;
      kads.push_back(std::make_unique<kad::KadService>(*hosts.back(), kc));
      (void)kads.back()->start();
    }
  }
  ~Net() {
    for (auto& k : kads) k->stop();
    for (auto& h : hosts) h->close();
    io.restart();
    io.poll();
  }
  template <typename P>
  bool run_until(P pred, Duration limit) {
    const auto end = Clock::now() + limit;
    io.restart();
    while (!pred() && Clock::now() < end) io.run_one_for(50ms);
    return pred();
  }
};

void BM_KadLoopbackFill(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const size_t full = std::min<size_t>(20, n - 1);
  double mean_table = 0, min_table = 0, find_ms = 0;
  for (auto _ : state) {
    Net net(n);
    const Multiaddr boot = *net.hosts[0]->listen_addrs()[0].with_component(Proto::P2p, net.hosts[0]->peer_id().bytes());
    const auto start = Clock::now();
    size_t done = 0;
    for (size_t i = 1; i < n; ++i) {
      asio::co_spawn(net.hosts[i]->executor(), [&, i]() -> asio::awaitable<void> {
        std::vector<Multiaddr> b{boot};
        (void)co_await net.kads[i]->bootstrap(std::move(b));
        ++done;
      }, asio::detached);
    }
    const bool ok = net.run_until([&] {
      if (done < n - 1) return false;
      for (auto& k : net.kads)
        if (k->routing_table_size() < full) return false;
      return true;
    }, 120s);
    const auto elapsed = Clock::now() - start;
    state.SetIterationTime(std::chrono::duration<double>(elapsed).count());
    if (!ok) state.SkipWithError("routing tables did not fill within 120 s");
    size_t sum = 0, mn = SIZE_MAX;
    for (auto& k : net.kads) {
      sum += k->routing_table_size();
      mn = std::min(mn, k->routing_table_size());
    }
    mean_table = static_cast<double>(sum) / static_cast<double>(n);
    min_table = static_cast<double>(mn);
    // find_peer latency: 20 lookups of far peers, one after the other (each on its node's strand).
    size_t found = 0;
    const auto t0 = Clock::now();
    for (size_t j = 0; j < 20; ++j) {
      bool finished = false;
      asio::co_spawn(net.hosts[1 + j]->executor(), [&, j]() -> asio::awaitable<void> {
        auto r = co_await net.kads[1 + j]->find_peer(net.hosts[n - 1 - j]->peer_id());
        if (r.ok()) ++found;
        finished = true;
      }, asio::detached);
      net.run_until([&] { return finished; }, 60s);
    }
    find_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / 20.0;
    state.counters["find_peer_ok"] = static_cast<double>(found);
  }
  state.counters["nodes"] = static_cast<double>(n);
  state.counters["mean_table"] = mean_table;
  state.counters["min_table"] = min_table;
  state.counters["find_peer_ms"] = find_ms;
}
BENCHMARK(BM_KadLoopbackFill)->Arg(100)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

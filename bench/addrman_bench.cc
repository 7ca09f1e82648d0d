// The address store's memory for 10,000 known addresses (issue target: <= 8 MB): an AddrMan fed
// 10,000 distinct addresses with peer ids from 2,500 /16 groups (each learned from a different
// source group, so they spread over the new table), half of them then marked good (tried table);
// live heap bytes held by the store, and the time of add and select. Run:
// addrman_bench --benchmark_format=json
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <memory>
#include <string>
#include <vector>

#include "crypto/identity.h"
#include "peer/addr_man.h"
#include "peer/peer_id.h"
#include "util/random.h"

namespace {

using namespace hauptbuch::p2p;

size_t live_heap_bytes() { return mallinfo2().uordblks; }

// /ip4/a.b.c.d/tcp/4001/p2p/<id>, address i in /16 group i % 2500.
std::vector<Multiaddr> make_addrs(size_t n) {
  std::vector<Multiaddr> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t g = i % 2500, h = i / 2500;
    SeededRandom r(i + 1);
    Bytes raw(32);
    r.fill(raw);
    const PeerId id = PeerId::from_public_key(crypto::PublicKey::ed25519(raw));
    const std::string text = "/ip4/" + std::to_string(11 + g / 250) + "." + std::to_string(g % 250) + "." +
                             std::to_string(h % 250) + "." + std::to_string(1 + h / 250) + "/tcp/4001/p2p/" + id.to_base58();
    out.push_back(*Multiaddr::parse(text));
  }
  return out;
}

Multiaddr source_for(size_t i) {
  return *Multiaddr::parse("/ip4/" + std::to_string(100 + (i % 100)) + "." + std::to_string((i / 100) % 250) + ".0.1/tcp/4001");
}

void BM_AddrManMemory10k(benchmark::State& state) {
  const auto addrs = make_addrs(10000);
  SeededRandom rng(3);
  size_t bytes = 0, stored = 0, tried = 0;
  for (auto _ : state) {
    const size_t before = live_heap_bytes();
    auto am = std::make_unique<peer::AddrMan>(peer::AddrMan::random_secret(rng));
    const Time now = Time{} + std::chrono::hours(1000);
    for (size_t i = 0; i < addrs.size(); ++i) am->add(addrs[i], source_for(i), now);
    for (size_t i = 0; i < addrs.size(); i += 2) am->good(addrs[i], now);
    bytes = live_heap_bytes() - before;
    stored = am->size();
    tried = am->stats().tried_count;
    benchmark::DoNotOptimize(am);
  }
  state.counters["addresses_offered"] = static_cast<double>(addrs.size());
  state.counters["entries"] = static_cast<double>(stored);
  state.counters["tried"] = static_cast<double>(tried);
  state.counters["heap_bytes_live"] = static_cast<double>(bytes);
  state.counters["bytes_per_entry"] = stored ? static_cast<double>(bytes) / static_cast<double>(stored) : 0;
  state.counters["target_bytes"] = 8.0 * 1024 * 1024;
  state.counters["ratio_to_target"] = static_cast<double>(bytes) / (8.0 * 1024 * 1024);
}
BENCHMARK(BM_AddrManMemory10k)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_AddrManSelect(benchmark::State& state) {
  const auto addrs = make_addrs(10000);
  SeededRandom rng(4);
  peer::AddrMan am(peer::AddrMan::random_secret(rng));
  const Time now = Time{} + std::chrono::hours(1000);
  for (size_t i = 0; i < addrs.size(); ++i) am.add(addrs[i], source_for(i), now);
  for (size_t i = 0; i < addrs.size(); i += 2) am.good(addrs[i], now);
  for (auto _ : state) benchmark::DoNotOptimize(am.select(rng, now));
}
BENCHMARK(BM_AddrManSelect)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();

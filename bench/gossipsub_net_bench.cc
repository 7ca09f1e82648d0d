// Loopback benchmarks of GossipService on real Hosts (/noise + yamux, 127.0.0.1), issue
// "message broadcast": 2-node throughput of 1 KiB messages received per second under StrictSign
// and StrictNoSign, paced one-at-a-time latency p50/p99, 100-node broadcast latency p99 with the
// delivery ratio, and memory (RSS) while a publisher floods 10x what its peer's queue bound holds.
// The hosts run in this process on one io_context (one thread), so every number includes every
// node's CPU, except the 2-node throughput rows marked "a thread per node". Counters carry the results; JSON with --benchmark_format=json.
#include <benchmark/benchmark.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <time.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "node/host.h"
#include "protocols/gossipsub/service.h"
#include "util/work_pool.h"

namespace hauptbuch::p2p::gossipsub {
namespace {

using namespace std::chrono_literals;

template <typename T>
T run(asio::io_context& io, node::Executor ex, asio::awaitable<T> coro) {
  std::optional<T> out;
  asio::co_spawn(ex, [&out, c = std::move(coro)]() mutable -> asio::awaitable<void> { out.emplace(co_await std::move(c)); },
                 asio::detached);
  io.restart();
  const auto deadline = Clock::now() + 60s;
  while (!out && Clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(100));
  if (!out) std::abort();
  return std::move(*out);
}

template <typename P>
bool run_until(asio::io_context& io, P pred, Duration limit) {
  const auto deadline = Clock::now() + limit;
  io.restart();
  while (!pred() && Clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(20));
  return pred();
}

struct Node {
  std::unique_ptr<node::Host> host;
  std::unique_ptr<GossipService> gossip;
};

Node make_node(asio::io_context& io, GossipsubConfig cfg = {}) {
  P2PNetworkConfig pc;
  pc.security = SecurityMode::Noise;
  Node n;
  n.host = std::make_unique<node::Host>(io, crypto::PrivateKey::generate_ed25519(), pc);
  (void)n.host->listen({*Multiaddr::parse("/ip4/127.0.0.1/tcp/0")});
  n.gossip = std::make_unique<GossipService>(*n.host, std::move(cfg));
  n.gossip->start();
  return n;
}

Multiaddr addr_of(const node::Host& h) { return *h.listen_addrs()[0].with_component(Proto::P2p, h.peer_id().bytes()); }

bool knows(const GossipService& g, const std::string& topic, const node::Host& other) {
  const PeerKey k(other.peer_id().bytes().begin(), other.peer_id().bytes().end());
  auto tp = g.router().topic_peers(topic);
  return std::find(tp.begin(), tp.end(), k) != tp.end();
}

Bytes payload(uint64_t n, size_t size) {
  Bytes b(size, 0xA5);
  for (int i = 0; i < 8; ++i) b[static_cast<size_t>(i)] = static_cast<uint8_t>(n >> (8 * i));
  return b;
}

uint64_t index_of(const Bytes& data) {
  uint64_t n = 0;
  for (int i = 0; i < 8 && static_cast<size_t>(i) < data.size(); ++i) n |= uint64_t(data[static_cast<size_t>(i)]) << (8 * i);
  return n;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

using bench::rss_kib;

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// CPU time of the thread running `io` (asked on that thread).
double cpu_of(asio::io_context& io) {
  std::promise<double> p;
  auto f = p.get_future();
  asio::post(io, [&p] { p.set_value(thread_cpu_s()); });
  return f.get();
}

// Two connected, subscribed nodes with a mesh on `topic`.
struct Pair {
  asio::io_context io;
  Node a, b;
  explicit Pair(const std::string& topic, GossipsubConfig cfg = {}) {
    a = make_node(io, cfg);
    b = make_node(io, cfg);
    (void)a.gossip->subscribe(topic);
    (void)b.gossip->subscribe(topic);
    auto c = run(io, a.host->executor(), a.host->dial(addr_of(*b.host)));
    if (!c.ok()) std::abort();
    if (!run_until(io, [&] { return knows(*a.gossip, topic, *b.host) && knows(*b.gossip, topic, *a.host); }, 30s))
      std::abort();
  }
};

// range(0): 0 StrictNoSign, 1 StrictSign. range(1): 0 both nodes on this thread (every number
// includes both nodes' CPU), 1 the receiving node on its own io_context and thread (a core per
// node, as two processes would have). range(2): 1 the nodes check signatures on a work pool
// (util::WorkPool, as a node with enable_parallel_processing does), 0 on their strand. 1 KiB messages; at most kWindow in flight (the
// application-level flow control a real publisher needs, since the router drops what exceeds a
// peer's queue bound).
void BM_TwoNodeThroughput(benchmark::State& state) {
  const bool sign = state.range(0) != 0;
  const bool thread_per_node = state.range(1) != 0;
  const bool use_pool = state.range(2) != 0;
  const std::string topic = sign ? "bench" : "/hauptbuch/bench/t";
  constexpr uint64_t kMessages = 100000, kWindow = 2048;
  asio::io_context io, io_b;
  // Destroyed after the nodes and before the io_contexts (util/work_pool.h).
  std::unique_ptr<util::WorkPool> pool;
  if (use_pool) pool = std::make_unique<util::WorkPool>(util::WorkPool::default_threads());
  Node a = make_node(io), b = make_node(thread_per_node ? io_b : io);
  a.host->set_work_pool(pool.get());
  b.host->set_work_pool(pool.get());
  (void)a.gossip->subscribe(topic);
  (void)b.gossip->subscribe(topic);
  std::atomic<uint64_t> received{0};
  b.gossip->set_message_callback([&](const ReceivedMessage&) { received.fetch_add(1, std::memory_order_relaxed); });
  auto guard = asio::make_work_guard(io_b);
  std::thread tb;
  if (thread_per_node) tb = std::thread([&io_b] { io_b.run(); });
  if (!run(io, a.host->executor(), a.host->dial(addr_of(*b.host))).ok()) std::abort();
  // b's router state is read on b's strand only.
  std::atomic<bool> b_knows_a{false};
  if (!run_until(io, [&] {
        asio::post(b.host->executor(), [&] { b_knows_a = knows(*b.gossip, topic, *a.host); });
        return knows(*a.gossip, topic, *b.host) && b_knows_a.load();
      }, 30s))
    std::abort();
  uint64_t sent = 0;
  double seconds = 0, cpu_a = 0, cpu_b = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    const double a0 = thread_cpu_s(), b0 = thread_per_node ? cpu_of(io_b) : 0;
    io.restart();
    while (received.load() < kMessages) {
      for (int k = 0; k < 64 && sent < kMessages && sent - received.load() < kWindow; ++k)
        if (!a.gossip->publish(topic, payload(sent++, 1024)).ok()) std::abort();
      io.run_one_for(std::chrono::milliseconds(thread_per_node ? 1 : 100));
    }
    seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    cpu_a += thread_cpu_s() - a0;
    if (thread_per_node) cpu_b += cpu_of(io_b) - b0;
  }
  state.counters["msgs_per_s"] = static_cast<double>(kMessages) / seconds;
  // CPU per message of each thread (with one thread, all of it is in the first).
  state.counters["cpu_us_per_msg_thread1"] = cpu_a * 1e6 / static_cast<double>(kMessages);
  if (thread_per_node) state.counters["cpu_us_per_msg_receiver"] = cpu_b * 1e6 / static_cast<double>(kMessages);
  state.counters["queue_drops"] = static_cast<double>(a.gossip->stats().router.queue_drops);
  state.SetLabel(std::string(sign ? "StrictSign" : "StrictNoSign") +
                 (thread_per_node ? ", a thread per node" : ", both nodes on one thread") +
                 (use_pool ? ", signature checks on a work pool" : ""));
  if (thread_per_node) {
    asio::post(b.host->executor(), [&] {
      b.gossip->stop();
      b.host->close();
      io_b.stop();
    });
    tb.join();
  }
}

// One message at a time: publish, wait until the peer's application has it.
void BM_TwoNodePacedLatency(benchmark::State& state) {
  const bool sign = state.range(0) != 0;
  const std::string topic = sign ? "bench" : "/hauptbuch/bench/t";
  Pair p(topic);
  uint64_t received = 0;
  p.b.gossip->set_message_callback([&](const ReceivedMessage&) { ++received; });
  std::vector<double> ms;
  uint64_t n = 0;
  for (auto _ : state) {
    const uint64_t want = received + 1;
    const auto t0 = Clock::now();
    if (!p.a.gossip->publish(topic, payload(n++, 1024)).ok()) std::abort();
    p.io.restart();
    while (received < want) p.io.run_one_for(std::chrono::milliseconds(100));
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  state.counters["p50_ms"] = percentile(ms, 0.50);
  state.counters["p99_ms"] = percentile(ms, 0.99);
}

// 100 nodes (ring + 2 random dials each); messages from random nodes, one at a time; latency of
// every delivery (publish -> each node's application), delivery ratio.
void BM_HundredNodeBroadcast(benchmark::State& state) {
  constexpr size_t kNodes = 100;
  constexpr uint64_t kMessages = 100;
  const std::string topic = "/hauptbuch/bench/blocks";
  asio::io_context io;
  std::vector<Node> nodes;
  for (size_t i = 0; i < kNodes; ++i) nodes.push_back(make_node(io));
  std::vector<double> lat;
  std::vector<Time> sent(kMessages);
  std::vector<size_t> got(kMessages, 0);
  uint64_t deliveries = 0;
  for (auto& n : nodes) {
    (void)n.gossip->subscribe(topic);
    n.gossip->set_message_callback([&](const ReceivedMessage& m) {
      const uint64_t i = index_of(m.data);
      if (i >= kMessages || m.received_from.empty()) return;  // publisher's own copy not counted
      ++got[i];
      ++deliveries;
      lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent[i]).count());
    });
  }
  std::mt19937 rng(3);
  std::set<std::pair<size_t, size_t>> edges;
  for (size_t i = 0; i < kNodes; ++i) {
    edges.insert({std::min(i, (i + 1) % kNodes), std::max(i, (i + 1) % kNodes)});
    for (int k = 0; k < 2; ++k)
      if (size_t j = rng() % kNodes; j != i) edges.insert({std::min(i, j), std::max(i, j)});
  }
  for (const auto& [i, j] : edges)
    if (!run(io, nodes[i].host->executor(), nodes[i].host->dial(addr_of(*nodes[j].host))).ok()) std::abort();
  if (!run_until(io, [&] {
        for (const auto& n : nodes)
          if (n.gossip->mesh(topic).empty()) return false;
        return true;
      }, 60s))
    std::abort();
  uint64_t m = 0;
  for (auto _ : state) {
    if (m >= kMessages) break;
    const uint64_t i = m++;
    sent[i] = Clock::now();
    if (!nodes[rng() % kNodes].gossip->publish(topic, payload(i, 1024)).ok()) std::abort();
    run_until(io, [&] { return got[i] >= kNodes - 1; }, 10s);
  }
  state.counters["messages"] = static_cast<double>(m);
  state.counters["delivered_ratio"] = static_cast<double>(deliveries) / static_cast<double>(m * (kNodes - 1));
  state.counters["p50_ms"] = percentile(lat, 0.50);
  state.counters["p99_ms"] = percentile(lat, 0.99);
  state.counters["max_ms"] = percentile(lat, 1.0);
}

// A publisher pushes 10x its peer's queue bound (1 KiB messages) in one burst, without waiting;
// reports RSS growth and the bytes still queued (bounded), and what got through.
void BM_FloodMemory(benchmark::State& state) {
  GossipsubConfig cfg;
  const std::string topic = "/hauptbuch/bench/flood";
  Pair p(topic, cfg);
  uint64_t received = 0;
  p.b.gossip->set_message_callback([&](const ReceivedMessage&) { ++received; });
  const size_t burst = 10 * (2 * cfg.max_queue_bytes_per_peer) / 1024;  // own publications may queue 2x
  const size_t rss0 = rss_kib();
  size_t peak = rss0, max_queued = 0;
  const PeerKey bk(p.b.host->peer_id().bytes().begin(), p.b.host->peer_id().bytes().end());
  for (auto _ : state) {
    for (size_t i = 0; i < burst; ++i) {
      if (!p.a.gossip->publish(topic, payload(i, 1024)).ok()) std::abort();
      max_queued = std::max(max_queued, p.a.gossip->router().queued_bytes(bk));
    }
    peak = std::max(peak, rss_kib());
    run_until(p.io, [&] { peak = std::max(peak, rss_kib()); return false; }, 3s);
  }
  state.counters["burst_messages"] = static_cast<double>(burst);
  state.counters["received"] = static_cast<double>(received);
  state.counters["queue_drops"] = static_cast<double>(p.a.gossip->stats().router.queue_drops);
  state.counters["max_queued_MiB"] = static_cast<double>(max_queued) / (1 << 20);
  state.counters["rss_growth_MiB"] = static_cast<double>(peak - rss0) / 1024;
}

BENCHMARK(BM_TwoNodeThroughput)->Args({0, 0, 0})->Args({1, 0, 0})->Args({0, 1, 0})->Args({1, 1, 0})->Args({1, 0, 1})->Args({1, 1, 1})->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TwoNodePacedLatency)->Arg(0)->Arg(1)->Iterations(2000)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_HundredNodeBroadcast)->Iterations(100)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FloodMemory)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace hauptbuch::p2p::gossipsub

BENCHMARK_MAIN();

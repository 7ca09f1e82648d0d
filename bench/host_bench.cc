// Loopback benchmarks of the connection stack (issue "secure multiplexed connections"):
// connect time (TCP + security + yamux) for /noise and the PQ channel, ping RTT on a warm stream
// and with a new stream, one-stream and 16-stream throughput, and memory per idle connection
// with 1,000 connections. Both hosts run in this process on one io_context (one thread), so
// every number includes both ends' CPU. Google Benchmark; JSON with --benchmark_format=json.
#include <benchmark/benchmark.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <optional>
#include <thread>

#include "bench_util.h"
#include "node/host.h"
#include "protocols/ping/ping.h"
#include "util/work_pool.h"

namespace hauptbuch::p2p::node {
namespace {

using namespace std::chrono_literals;

template <typename T>
T run(asio::io_context& io, Executor ex, asio::awaitable<T> coro) {
  std::optional<T> out;
  asio::co_spawn(ex, [&out, c = std::move(coro)]() mutable -> asio::awaitable<void> { out.emplace(co_await std::move(c)); },
                 asio::detached);
  io.restart();
  const auto deadline = Clock::now() + 60s;
  while (!out && Clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(100));
  if (!out) std::abort();
  return std::move(*out);
}

std::unique_ptr<Host> make_host(asio::io_context& io, SecurityMode mode, bool listen = true) {
  P2PNetworkConfig cfg;
  cfg.security = mode;
  cfg.max_peers = 5000;
  cfg.max_inbound = 5000;
  cfg.max_outbound = 5000;
  auto h = std::make_unique<Host>(io, crypto::PrivateKey::generate_ed25519(), cfg);
  if (listen) (void)h->listen({*Multiaddr::parse("/ip4/127.0.0.1/tcp/0")});
  return h;
}

Multiaddr addr_of(const Host& h) { return *h.listen_addrs()[0].with_component(Proto::P2p, h.peer_id().bytes()); }

// range(0): 1 PQ channel, 0 /noise; range(1): 1 both hosts run handshake steps on a WorkPool
// (as a node with enable_parallel_processing does), 0 on the io thread.
void BM_Connect(benchmark::State& state) {
  const SecurityMode mode = state.range(0) ? SecurityMode::Pq : SecurityMode::Noise;
  asio::io_context io;
  std::unique_ptr<util::WorkPool> pool;  // destroyed after the hosts, before io
  if (state.range(1)) pool = std::make_unique<util::WorkPool>(util::WorkPool::default_threads());
  auto server = make_host(io, mode);
  server->set_work_pool(pool.get());
  for (auto _ : state) {
    state.PauseTiming();
    auto client = make_host(io, mode, false);
    client->set_work_pool(pool.get());
    state.ResumeTiming();
    auto c = run(io, client->executor(), client->dial(addr_of(*server)));
    if (!c.ok()) state.SkipWithError(c.error().message().c_str());
    state.PauseTiming();
    client->close();
    io.restart();
    io.run_for(std::chrono::milliseconds(2));
    state.ResumeTiming();
  }
  std::string label = mode == SecurityMode::Pq ? "/hauptbuch/pq-noise/1.0.0 + yamux" : "/noise + yamux";
  if (pool) label += ", handshake steps on a work pool";
  state.SetLabel(label);
}
BENCHMARK(BM_Connect)->Args({0, 0})->Args({1, 0})->Args({0, 1})->Args({1, 1})->Unit(benchmark::kMicrosecond)->Iterations(200);

// 32 clients dial one server at once, all hosts on this one io thread; connections per second
// with handshake steps on the io thread (range(1) = 0) or on a WorkPool of the hardware's
// threads (1): what the pool buys a node that accepts many handshakes.
void BM_ConcurrentConnects(benchmark::State& state) {
  const SecurityMode mode = state.range(0) ? SecurityMode::Pq : SecurityMode::Noise;
  constexpr int kClients = 32;
  asio::io_context io;
  std::unique_ptr<util::WorkPool> pool;  // destroyed after the hosts, before io
  if (state.range(1)) pool = std::make_unique<util::WorkPool>(util::WorkPool::default_threads());
  auto server = make_host(io, mode);
  server->set_work_pool(pool.get());
  int64_t connected = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::unique_ptr<Host>> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.push_back(make_host(io, mode, false));
      clients.back()->set_work_pool(pool.get());
    }
    state.ResumeTiming();
    int done = 0;
    for (auto& c : clients)
      asio::co_spawn(c->executor(), [&, h = c.get()]() -> asio::awaitable<void> {
        auto r = co_await h->dial(addr_of(*server));
        connected += r.ok();
        ++done;
      }, asio::detached);
    io.restart();
    const auto deadline = Clock::now() + 30s;
    while (done < kClients && Clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(100));
    state.PauseTiming();
    for (auto& c : clients) c->close();
    io.restart();
    io.run_for(std::chrono::milliseconds(20));
    clients.clear();
    state.ResumeTiming();
  }
  state.counters["connects_per_s"] = benchmark::Counter(static_cast<double>(connected), benchmark::Counter::kIsRate);
  state.counters["failed"] = static_cast<double>(state.iterations() * kClients - connected);
  std::string label = mode == SecurityMode::Pq ? "PQ channel" : "/noise";
  label += pool ? ", handshake steps on a work pool of " + std::to_string(pool->threads()) + " threads" : ", one thread";
  state.SetLabel(label);
}
BENCHMARK(BM_ConcurrentConnects)->Args({0, 0})->Args({0, 1})->Args({1, 0})->Args({1, 1})->Unit(benchmark::kMillisecond)->Iterations(10)->UseRealTime();

// Connect until identify has run: dial, then wait for the Identified event of the server (its
// identify answer received and applied on the dialer).
void BM_ConnectIdentified(benchmark::State& state) {
  const SecurityMode mode = state.range(0) ? SecurityMode::Pq : SecurityMode::Noise;
  asio::io_context io;
  auto server = make_host(io, mode);
  for (auto _ : state) {
    state.PauseTiming();
    auto client = make_host(io, mode, false);
    bool identified = false;
    client->set_event_callback([&](const HostEvent& e) {
      if (e.type == HostEvent::Type::Identified && e.info.peer == server->peer_id()) identified = true;
    });
    state.ResumeTiming();
    auto c = run(io, client->executor(), client->dial(addr_of(*server)));
    if (!c.ok()) state.SkipWithError(c.error().message().c_str());
    const auto deadline = Clock::now() + 10s;
    while (!identified && Clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(100));
    if (!identified) state.SkipWithError("identify did not finish");
    state.PauseTiming();
    client->close();
    io.restart();
    io.run_for(std::chrono::milliseconds(2));
    state.ResumeTiming();
  }
  state.SetLabel(mode == SecurityMode::Pq ? "/hauptbuch/pq-noise/1.0.0 + yamux + identify" : "/noise + yamux + identify");
}
BENCHMARK(BM_ConnectIdentified)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->Iterations(200);

void BM_PingWarmStream(benchmark::State& state) {
  asio::io_context io;
  auto a = make_host(io, SecurityMode::Both), b = make_host(io, SecurityMode::Both);
  (void)run(io, a->executor(), a->dial(addr_of(*b)));
  auto s = run(io, a->executor(), a->new_stream(b->peer_id(), {std::string(ping::kPingProtocol)}));
  for (auto _ : state) {
    auto rtt = run(io, a->executor(), ping::ping_once(**s, SystemRandom::instance()));
    if (!rtt.ok()) state.SkipWithError("ping failed");
  }
}
BENCHMARK(BM_PingWarmStream)->Unit(benchmark::kMicrosecond);

void BM_PingNewStream(benchmark::State& state) {
  asio::io_context io;
  auto a = make_host(io, SecurityMode::Both), b = make_host(io, SecurityMode::Both);
  (void)run(io, a->executor(), a->dial(addr_of(*b)));
  for (auto _ : state) {
    auto rtt = run(io, a->executor(), a->ping(b->peer_id()));
    if (!rtt.ok()) state.SkipWithError("ping failed");
  }
}
BENCHMARK(BM_PingNewStream)->Unit(benchmark::kMicrosecond);

// One stream (or 16) sending 64 MiB to a sink. range(0): streams; range(1): 1 = the receiving
// host runs on its own io_context and thread (the sender and receiver each get a core, as two
// processes would), 0 = both hosts on this thread. Rates are per wall-clock second.
void BM_Throughput(benchmark::State& state) {
  const int streams = static_cast<int>(state.range(0));
  const bool two_threads = state.range(1) != 0;
  asio::io_context io, io_b;
  auto a = make_host(io, SecurityMode::Both), b = make_host(two_threads ? io_b : io, SecurityMode::Both);
  auto guard = asio::make_work_guard(io_b);
  std::thread tb;
  if (two_threads) tb = std::thread([&io_b] { io_b.run(); });
  b->set_handler("/bench/sink/1.0.0", [](StreamPtr s) -> asio::awaitable<void> {
    Bytes buf(256 * 1024);
    for (;;) {
      auto n = co_await s->read_some(buf);
      if (!n.ok() || *n == 0) break;
    }
    (void)s->close_write();
  });
  (void)run(io, a->executor(), a->dial(addr_of(*b)));
  constexpr size_t kPerStream = 64u << 20;
  const Bytes chunk(1 << 20, 0x42);
  for (auto _ : state) {
    int done = 0;
    for (int k = 0; k < streams; ++k)
      asio::co_spawn(a->executor(), [&]() -> asio::awaitable<void> {
        std::vector<std::string> protos{"/bench/sink/1.0.0"};
        auto s = co_await a->new_stream(b->peer_id(), std::move(protos));
        if (s.ok()) {
          for (size_t sent = 0; sent < kPerStream / static_cast<size_t>(streams); sent += chunk.size())
            if (!(co_await (*s)->write(chunk)).ok()) break;
          (void)(*s)->close_write();
        }
        ++done;
      }, asio::detached);
    io.restart();
    while (done < streams) io.run_one_for(std::chrono::milliseconds(100));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kPerStream));
  std::string label = std::to_string(streams);
  label += two_threads ? " stream(s), PQ channel, one thread per end" : " stream(s), PQ channel, both ends on one thread";
  state.SetLabel(label);
  if (two_threads) {
    // b is closed on its own thread, then that thread's loop stops.
    asio::post(io_b, [&b, &io_b] {
      b->close();
      io_b.stop();
    });
    tb.join();
  }
}
BENCHMARK(BM_Throughput)->Args({1, 0})->Args({16, 0})->Args({1, 1})->Args({16, 1})->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

size_t rss_bytes() { return bench::rss_kib() * 1024; }

void BM_IdleConnectionMemory(benchmark::State& state) {
  constexpr int kConnections = 1000;
  for (auto _ : state) {
    asio::io_context io;
    auto server = make_host(io, SecurityMode::Noise);
    // A host keeps one connection per peer, so 1,000 connections need 1,000 client identities;
    // the hosts are made before the first RSS reading so only the connections are measured.
    std::vector<std::unique_ptr<Host>> dialers;
    for (int i = 0; i < kConnections; ++i) dialers.push_back(make_host(io, SecurityMode::Noise, false));
    const size_t before = rss_bytes();
    int up = 0;
    for (auto& d : dialers) {
      auto c = run(io, d->executor(), d->dial(addr_of(*server)));
      up += c.ok();
    }
    io.restart();
    io.run_for(std::chrono::milliseconds(200));  // identify exchanges settle
    const size_t after = rss_bytes();
    size_t accounted = 0;
    for (const auto& c : server->connections()) accounted += c->memory_usage();
    state.counters["connections"] = up;
    state.counters["rss_per_connection_both_ends_bytes"] = static_cast<double>(after - before) / up;
    state.counters["accounted_per_connection_bytes"] = static_cast<double>(accounted) / std::max(1, up);
  }
}
BENCHMARK(BM_IdleConnectionMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hauptbuch::p2p::node

BENCHMARK_MAIN();

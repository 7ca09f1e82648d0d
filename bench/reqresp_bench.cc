// Loopback benchmark of request/response: one request and its response per iteration over a
// warm connection (each exchange opens its own yamux stream, as the protocol prescribes), for
// payloads of 64 B, 1 KiB, 64 KiB and 1 MiB − 1 (the default cap allows 1 MiB), and a
// 2-hop cross-chain relay route (A -> B -> C, destination peer C). Both hosts run in this
// process on one io_context (one thread), so every number includes both ends' CPU.
// Google Benchmark; JSON with --benchmark_format=json.
#include <benchmark/benchmark.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include <cstdlib>
#include <optional>

#include "node/host.h"
#include "protocols/relay/cross_chain_relay.h"
#include "protocols/reqresp/request_response.h"

namespace hauptbuch::p2p::reqresp {
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

std::unique_ptr<node::Host> make_host(asio::io_context& io, uint8_t seed) {
  auto h = std::make_unique<node::Host>(io, crypto::PrivateKey::ed25519_from_seed(Bytes(32, seed)), P2PNetworkConfig{});
  if (!h->listen({*Multiaddr::parse("/ip4/127.0.0.1/tcp/0")}).ok()) std::abort();
  return h;
}

Multiaddr addr_of(const node::Host& h) { return *h.listen_addrs()[0].with_component(Proto::P2p, h.peer_id().bytes()); }

asio::awaitable<Result<Bytes>> echo(PeerId, Bytes req) { co_return req; }

void BM_RoundTrip(benchmark::State& state) {
  asio::io_context io;
  auto a = make_host(io, 1), b = make_host(io, 2);
  if (!run(io, a->executor(), a->dial(addr_of(*b))).ok()) std::abort();
  RequestResponse ra(*a, RequestResponseConfig{}), rb(*b, RequestResponseConfig{});
  if (!rb.register_protocol("/bench/echo/1.0.0", echo).ok()) std::abort();
  const Bytes data(static_cast<size_t>(state.range(0)), 0x5a);
  for (auto _ : state) {
    auto r = run(io, a->executor(), ra.request(b->peer_id(), "/bench/echo/1.0.0", data));
    if (!r.ok() || r->data.size() != data.size()) std::abort();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0) * 2);
  state.counters["round_trips_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  a->close();
  b->close();
}
BENCHMARK(BM_RoundTrip)->Arg(64)->Arg(1024)->Arg(64 * 1024)->Arg((1 << 20) - 1)->Unit(benchmark::kMicrosecond)->UseRealTime();

asio::awaitable<Result<std::vector<relay::PeerInfo>>> providers_of(std::vector<relay::PeerInfo>* list, std::string) {
  co_return *list;
}

void BM_RelayTwoHops(benchmark::State& state) {
  asio::io_context io;
  auto a = make_host(io, 1), b = make_host(io, 2), c = make_host(io, 3);
  if (!run(io, a->executor(), a->dial(addr_of(*b))).ok()) std::abort();
  if (!run(io, b->executor(), b->dial(addr_of(*c))).ok()) std::abort();
  RequestResponse ra(*a, RequestResponseConfig{}), rb(*b, RequestResponseConfig{}), rc(*c, RequestResponseConfig{});
  std::vector<relay::PeerInfo> chain_b{relay::PeerInfo{b->peer_id(), b->listen_addrs()}};
  uint64_t delivered = 0;
  auto callbacks = [&]() {
    relay::CrossChainRelay::Callbacks cb;
    cb.find_chain_peers = [&chain_b](std::string chain) { return providers_of(&chain_b, std::move(chain)); };
    cb.deliver_to_chain = [&delivered](const std::string&, const std::string&, const Bytes&) -> Status {
      ++delivered;
      return ok_status();
    };
    cb.deliver_to_peer = [&delivered](const PeerId&, const Bytes&) -> Status {
      ++delivered;
      return ok_status();
    };
    return cb;
  };
  SeededRandom rng(1);
  relay::CrossChainRelay xa(*a, ra, {"a"}, callbacks(), relay::RelayConfig{}, rng, SystemClock::instance());
  relay::CrossChainRelay xb(*b, rb, {"a", "b"}, callbacks(), relay::RelayConfig{}, rng, SystemClock::instance());
  relay::CrossChainRelay xc(*c, rc, {"b"}, callbacks(), relay::RelayConfig{}, rng, SystemClock::instance());
  if (!xa.start().ok() || !xb.start().ok() || !xc.start().ok()) std::abort();
  const Bytes payload(256, 1);
  for (auto _ : state) {
    relay::RouteTarget t;
    t.chain = "b";
    t.peer = c->peer_id();
    auto r = run(io, a->executor(), xa.route(t, payload));
    if (!r.ok() || !r->delivered || r->hops != 2) std::abort();
  }
  state.counters["routes_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  a->close();
  b->close();
  c->close();
}
BENCHMARK(BM_RelayTwoHops)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace hauptbuch::p2p::reqresp

BENCHMARK_MAIN();

// Helpers for integration tests that start real Hosts on 127.0.0.1 (port 0) in one process:
// make a listening host, its dial address, and run a coroutine or a predicate on the
// io_context with a deadline (a bug fails the test instead of hanging it; no sleeps).
#pragma once

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "node/host.h"

namespace hauptbuch::p2p::node::testing_harness {

using namespace std::chrono_literals;

inline P2PNetworkConfig test_config(SecurityMode mode = SecurityMode::Both) {
  P2PNetworkConfig c;
  c.security = mode;
  return c;
}

// A host with the Ed25519 identity derived from `seed` (32 bytes of it), listening on
// 127.0.0.1 port 0.
inline std::unique_ptr<Host> make_host(asio::io_context& io, uint8_t seed, SecurityMode mode = SecurityMode::Both) {
  auto h = std::make_unique<Host>(io, crypto::PrivateKey::ed25519_from_seed(Bytes(32, seed)), test_config(mode));
  auto addrs = h->listen({*Multiaddr::parse("/ip4/127.0.0.1/tcp/0")});
  EXPECT_TRUE(addrs.ok());
  return h;
}

// The host's first listen address with /p2p/<its peer id>.
inline Multiaddr dial_addr(const Host& h) {
  auto with_p2p = h.listen_addrs()[0].with_component(Proto::P2p, h.peer_id().bytes());
  return *with_p2p;
}

// Runs `coro` on executor `ex` and the io_context until it finishes or `limit` passes;
// nullopt on timeout.
template <typename T>
std::optional<T> run(asio::io_context& io, Executor ex, asio::awaitable<T> coro, Duration limit = 30s) {
  std::optional<T> out;
  bool done = false;
  asio::co_spawn(
      ex, [&out, c = std::move(coro)]() mutable -> asio::awaitable<void> { out.emplace(co_await std::move(c)); },
      [&](std::exception_ptr) { done = true; });
  const auto deadline = Clock::now() + limit;
  io.restart();
  while (!done && Clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(50));
  return out;
}

// Runs the io_context until `pred` holds (bounded by `limit`); returns pred().
template <typename P>
bool run_until(asio::io_context& io, P pred, Duration limit = 30s) {
  const auto deadline = Clock::now() + limit;
  io.restart();
  while (!pred() && Clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(50));
  return pred();
}

}  // namespace hauptbuch::p2p::node::testing_harness

// `hbp2p ping MULTIADDR [--count N] [--interval-ms MS] [--key FILE]`: dials a peer, pings it N
// times over one /ipfs/ping/1.0.0 stream, prints each RTT and a summary. Without --key an
// ephemeral Ed25519 identity is used. Exit status 1 if the dial or any ping failed.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "crypto/key_file.h"
#include "node/host.h"
#include "protocols/ping/ping.h"

namespace hauptbuch::p2p::cli {
namespace {
struct PingOptions {
  std::string addr;
  unsigned count = 4;
  unsigned interval_ms = 1000;
  std::string key;
};
}  // namespace

void add_ping_command(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<PingOptions>();
  auto* cmd = app.add_subcommand("ping", "Dial a peer and measure ping round-trip times");
  cmd->add_option("addr", opts->addr, "Multiaddr of the peer, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3...")->required();
  cmd->add_option("--count", opts->count, "Number of pings")->check(CLI::Range(1u, 1000u))->capture_default_str();
  cmd->add_option("--interval-ms", opts->interval_ms, "Pause between pings")->check(CLI::Range(0u, 60000u))->capture_default_str();
  cmd->add_option("--key", opts->key, "Identity key file (default: a fresh ephemeral identity)");
  cmd->callback([&ctx, opts] {
    auto fail = [&ctx](const Error& e) {
      std::fprintf(stderr, "hbp2p ping: %s\n", e.message().c_str());
      ctx.exit_code = 1;
    };
    auto addr = Multiaddr::parse(opts->addr);
    if (!addr.ok()) return fail(addr.error());
    crypto::PrivateKey key = crypto::PrivateKey::generate_ed25519();
    if (!opts->key.empty()) {
      auto k = crypto::read_key_file(opts->key);
      if (!k.ok()) return fail(k.error());
      key = std::move(*k);
    }
    asio::io_context io;
    P2PNetworkConfig cfg;
    cfg.security = SecurityMode::Both;
    node::Host host(io, std::move(key), cfg);
    std::optional<Error> error;
    std::vector<double> rtts;
    asio::co_spawn(host.executor(), [&]() -> asio::awaitable<void> {
      auto conn = co_await host.dial(*addr);
      if (!conn.ok()) {
        error = conn.error();
        co_return;
      }
      std::printf("connected to %s (%s)\n", (*conn)->info().peer.to_base58().c_str(), (*conn)->info().security.c_str());
      std::vector<std::string> protos{std::string(ping::kPingProtocol)};
      auto s = co_await host.new_stream((*conn)->info().peer, std::move(protos));
      if (!s.ok()) {
        error = s.error();
        co_return;
      }
      for (unsigned i = 0; i < opts->count; ++i) {
        if (i > 0 && opts->interval_ms > 0) {
          asio::steady_timer t(host.executor(), std::chrono::milliseconds(opts->interval_ms));
          co_await t.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
        }
        auto rtt = co_await ping::ping_once(**s, SystemRandom::instance());
        if (!rtt.ok()) {
          error = rtt.error();
          break;
        }
        rtts.push_back(std::chrono::duration<double, std::milli>(*rtt).count());
        std::printf("ping %u: rtt %.3f ms\n", i + 1, rtts.back());
        std::fflush(stdout);
      }
      (void)(*s)->close_write();
      host.close();
    }, asio::detached);
    // Bounded: the dial has its own timeouts; pings time out with the connection.
    io.run_for(std::chrono::milliseconds(cfg.connection_timeout.count() + cfg.handshake_timeout.count()) +
               std::chrono::milliseconds(uint64_t{opts->count} * (opts->interval_ms + 10000)));
    if (!rtts.empty()) {
      double sum = 0;
      for (double r : rtts) sum += r;
      std::printf("%zu/%u pings, rtt min/avg/max = %.3f/%.3f/%.3f ms\n", rtts.size(), opts->count,
                  *std::min_element(rtts.begin(), rtts.end()), sum / static_cast<double>(rtts.size()),
                  *std::max_element(rtts.begin(), rtts.end()));
    }
    if (error) return fail(*error);
    if (rtts.size() != opts->count) return fail(Error(P2PNetworkError::Timeout, "not every ping was answered"));
    ctx.exit_code = 0;
  });
}

}  // namespace hauptbuch::p2p::cli

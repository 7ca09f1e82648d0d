// `hbp2p testnet --nodes N [--degree D] [--security pq|noise|both]`: starts N real nodes on
// 127.0.0.1 in this process, connects each to the D next ones (a ring with chords), pings every
// connection, and prints a summary (connect time and RTT percentiles, handshake mix, failures).
// This is the first part of the issue-8 testnet; discovery and gossip join it as they land.
// Exit status 1 if any connection or ping failed.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "node/host.h"

namespace hauptbuch::p2p::cli {
namespace {

struct TestnetOptions {
  unsigned nodes = 10;
  unsigned degree = 4;
  std::string security = "both";
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

void add_testnet_command(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<TestnetOptions>();
  auto* cmd = app.add_subcommand("testnet", "Run a local network of N nodes on 127.0.0.1 and report");
  cmd->add_option("--nodes", opts->nodes, "Number of nodes")->check(CLI::Range(2u, 500u))->capture_default_str();
  cmd->add_option("--degree", opts->degree, "Connections each node dials")->check(CLI::Range(1u, 50u))->capture_default_str();
  cmd->add_option("--security", opts->security, "Secure channels: pq, noise or both")
      ->check(CLI::IsMember({"pq", "noise", "both"}))
      ->capture_default_str();
  cmd->callback([&ctx, opts] {
    P2PNetworkConfig cfg;
    cfg.security = *parse_security_mode(opts->security);
    asio::io_context io;
    std::vector<std::unique_ptr<node::Host>> hosts;
    std::vector<Multiaddr> addrs;
    const auto t_start = Clock::now();
    for (unsigned i = 0; i < opts->nodes; ++i) {
      hosts.push_back(std::make_unique<node::Host>(io, crypto::PrivateKey::generate_ed25519(), cfg));
      auto bound = hosts.back()->listen({*Multiaddr::parse("/ip4/127.0.0.1/tcp/0")});
      if (!bound.ok()) {
        std::fprintf(stderr, "hbp2p testnet: %s\n", bound.error().message().c_str());
        ctx.exit_code = 1;
        return;
      }
      addrs.push_back(*(*bound)[0].with_component(Proto::P2p, hosts.back()->peer_id().bytes()));
    }
    const unsigned degree = std::min(opts->degree, opts->nodes - 1);
    std::vector<double> connect_ms, rtt_ms;
    std::map<std::string, int> security_mix;
    std::vector<std::string> failures;
    unsigned done = 0;
    const unsigned total = opts->nodes * degree;
    for (unsigned i = 0; i < opts->nodes; ++i)
      for (unsigned k = 1; k <= degree; ++k) {
        const unsigned j = (i + k) % opts->nodes;
        asio::co_spawn(hosts[i]->executor(), [&, i, j]() -> asio::awaitable<void> {
          const Time t0 = Clock::now();
          auto conn = co_await hosts[i]->dial(addrs[j]);
          if (conn.ok()) {
            connect_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            ++security_mix[(*conn)->info().security];
            auto rtt = co_await hosts[i]->ping(hosts[j]->peer_id());
            if (rtt.ok()) rtt_ms.push_back(std::chrono::duration<double, std::milli>(*rtt).count());
            else failures.push_back("ping " + std::to_string(i) + "->" + std::to_string(j) + ": " + rtt.error().message());
          } else {
            failures.push_back("dial " + std::to_string(i) + "->" + std::to_string(j) + ": " + conn.error().message());
          }
          ++done;
          if (done % std::max(1u, total / 20) == 0 || done == total)
            std::fprintf(stderr, "\rconnecting: %u/%u", done, total);
        }, asio::detached);
      }
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    while (done < total && Clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(100));
    std::fprintf(stderr, "\n");
    const double elapsed = std::chrono::duration<double>(Clock::now() - t_start).count();
    size_t conns = 0;
    for (const auto& h : hosts) conns += h->connections().size();
    std::printf("testnet: %u nodes on 127.0.0.1, each dialled %u peers (%s)\n", opts->nodes, degree, opts->security.c_str());
    std::printf("  connections up:   %zu of %u dialled (%zu endpoints)\n", connect_ms.size(), total, conns);
    std::printf("  connect time:     p50 %.2f ms, p99 %.2f ms (TCP + security + yamux; all dials at once, one thread)\n", percentile(connect_ms, 0.5),
                percentile(connect_ms, 0.99));
    std::printf("  ping RTT:         p50 %.3f ms, p99 %.3f ms over %zu pings\n", percentile(rtt_ms, 0.5),
                percentile(rtt_ms, 0.99), rtt_ms.size());
    std::printf("  handshakes:      ");
    for (const auto& [s, n] : security_mix) std::printf(" %s x%d", s.c_str(), n);
    std::printf("\n  failures:         %zu\n  wall time:        %.2f s\n", failures.size() + (total - done), elapsed);
    for (size_t f = 0; f < failures.size() && f < 10; ++f) std::printf("    %s\n", failures[f].c_str());
    for (auto& h : hosts) h->close();
    io.run_for(std::chrono::milliseconds(300));
    ctx.exit_code = (failures.empty() && done == total) ? 0 : 1;
  });
}

}  // namespace hauptbuch::p2p::cli

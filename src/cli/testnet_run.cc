// run_testnet: see testnet_run.h. One orchestrating coroutine drives the phases while this
// thread runs the shared io_context; every wait has a deadline, so a broken network ends with
// failures in the summary instead of a hang.
#include "cli/testnet_run.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <memory>
#include <set>

#include "hauptbuch/p2p/message_router.h"
#include "node/node_core.h"
#include "node/node_services.h"

namespace hauptbuch::p2p::cli {

namespace {
using namespace std::chrono_literals;

double ms_since(Time t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::string chain_name(unsigned c) {
  std::string s = "chain-";
  s.append(std::to_string(c));
  return s;
}

std::string topic_of(unsigned c) { return MessageRouter::chain_topic(chain_name(c), "blocks"); }

constexpr size_t kMaxFailuresKept = 20;

struct Net {
  asio::io_context io;
  std::vector<std::unique_ptr<node::NodeCore>> nodes;
  std::vector<std::optional<Time>> first_connect;
  TestnetMeasurements m;
  Time t0 = Clock::now();
  // receive bookkeeping: (node, seq) seen
  std::vector<std::set<uint32_t>> seen;
  std::vector<Time> publish_time;
  bool done = false;

  void fail(std::string what) {
    if (m.failures.size() < kMaxFailuresKept) m.failures.push_back(std::move(what));
  }
};

asio::awaitable<void> sleep_for(asio::io_context& io, Duration d) {
  asio::steady_timer t(io, d);
  co_await t.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
}

// Waits until `pred` holds or `limit` passes, checking every `step`.
template <typename P>
asio::awaitable<bool> wait_until(asio::io_context& io, P pred, Duration limit, Duration step = 5ms) {
  const Time deadline = Clock::now() + limit;
  while (!pred()) {
    if (Clock::now() >= deadline) co_return false;
    co_await sleep_for(io, step);
  }
  co_return true;
}

asio::awaitable<void> orchestrate(Net& net, const TestnetOptions& opts,
                                  const std::function<void(const std::string&, size_t, size_t)>& progress) {
  const unsigned n = opts.nodes;
  const Duration budget = std::chrono::seconds(opts.timeout_s);
  const Time hard_deadline = Clock::now() + budget;
  auto left = [&] { return std::max(Duration(1s), hard_deadline - Clock::now()); };

  // Phase 1: start node 0, then everyone else bootstrapping from it.
  progress("starting", 0, n);
  auto st0 = co_await net.nodes[0]->co_start();
  if (!st0.ok()) {
    net.fail("node 0: " + st0.error().message());
    co_return;
  }
  {
    const auto& h0 = net.nodes[0]->host();
    const auto addr = h0.listen_addrs().at(0).with_component(Proto::P2p, h0.peer_id().bytes())->to_string();
    for (unsigned i = 1; i < n; ++i) net.nodes[i]->set_bootstrap_peers({addr});
  }
  for (unsigned i = 1; i < n; ++i) {
    auto st = co_await net.nodes[i]->co_start();
    if (!st.ok()) net.fail("node " + std::to_string(i) + ": " + st.error().message());
    progress("starting", i + 1, n);
  }

  // Phase 2: discovery — every node reaches min(outbound target, N-1) connections.
  const size_t want = std::min<size_t>(net.nodes[0]->config().outbound_target, n - 1);
  std::vector<std::optional<double>> discovered(n);
  auto count_discovered = [&] {
    size_t k = 0;
    for (unsigned i = 0; i < n; ++i) {
      if (!discovered[i] && net.nodes[i]->host().connections().size() >= want) discovered[i] = ms_since(net.t0);
      if (discovered[i]) ++k;
    }
    progress("discovery", k, n);
    return k == n;
  };
  if (!co_await wait_until(net.io, count_discovered, std::min<Duration>(left(), 60s), 10ms))
    net.fail("discovery: not every node reached " + std::to_string(want) + " connections");
  for (unsigned i = 0; i < n; ++i) {
    if (net.first_connect[i]) net.m.connect_ms.push_back(std::chrono::duration<double, std::milli>(*net.first_connect[i] - net.t0).count());
    if (discovered[i]) net.m.discovery_ms.push_back(*discovered[i]);
  }

  // The bootstraps' bucket refreshes and chain announcements keep dialling for a while after
  // the outbound targets are reached; publishing into that storm would measure it, not gossip.
  auto settled = [&] {
    size_t k = 0;
    for (unsigned i = 0; i < n; ++i)
      if (!net.nodes[i]->services().bootstrapping()) ++k;
    progress("bootstrap", k, n);
    return k == n;
  };
  if (!co_await wait_until(net.io, settled, std::min<Duration>(left(), 60s), 10ms))
    net.fail("bootstrap: not every node finished its bootstrap");

  // Phase 3: gossip — subscribe each node to its chain's topic; wait for meshes.
  for (unsigned i = 0; i < n; ++i) {
    const unsigned chain = net.m.node_chain[i];
    auto st = net.nodes[i]->services().subscribe(topic_of(chain), [&net, i](const Message& msg) {
      if (msg.data.size() < 4) return;
      const uint32_t seq = (uint32_t(msg.data[0]) << 24) | (uint32_t(msg.data[1]) << 16) | (uint32_t(msg.data[2]) << 8) | msg.data[3];
      if (seq >= net.m.traces.size()) return;
      if (!net.seen[i].insert(seq).second) {
        ++net.m.duplicates;
        return;
      }
      ++net.m.delivered;
      net.m.traces[seq].receive_after_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - net.publish_time[seq]).count());
    });
    if (!st.ok()) {
      net.fail("subscribe: " + st.error().message());
      co_return;
    }
  }
  const Time mesh_t0 = Clock::now();
  std::vector<std::optional<double>> meshed(n);
  auto count_meshed = [&] {
    size_t k = 0;
    for (unsigned i = 0; i < n; ++i) {
      if (!meshed[i] && net.nodes[i]->services().mesh_size(topic_of(net.m.node_chain[i])) > 0) meshed[i] = ms_since(mesh_t0);
      if (meshed[i]) ++k;
    }
    progress("gossip mesh", k, n);
    return k == n;
  };
  if (!co_await wait_until(net.io, count_meshed, std::min<Duration>(left(), 30s), 10ms)) net.fail("gossip: not every node has a mesh peer");
  for (const auto& v : meshed)
    if (v) net.m.mesh_ms.push_back(*v);

  // Phase 4: publish M messages from random nodes (seeded), paced so latency is measured, not
  // queueing.
  std::vector<std::vector<unsigned>> members(opts.chains);
  for (unsigned i = 0; i < n; ++i) members[net.m.node_chain[i]].push_back(i);
  uint64_t x = 0x9E3779B97F4A7C15ull;
  auto next_rand = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const Time pub_t0 = Clock::now();
  net.m.traces.resize(opts.messages);
  net.publish_time.resize(opts.messages);
  for (unsigned s = 0; s < opts.messages; ++s) {
    const unsigned chain = static_cast<unsigned>(next_rand() % opts.chains);
    if (members[chain].empty()) continue;
    const unsigned from = members[chain][next_rand() % members[chain].size()];
    std::vector<uint8_t> data(std::max(4u, opts.message_size));
    data[0] = uint8_t(s >> 24), data[1] = uint8_t(s >> 16), data[2] = uint8_t(s >> 8), data[3] = uint8_t(s);
    for (size_t b = 4; b < data.size(); ++b) data[b] = static_cast<uint8_t>(next_rand());
    auto& tr = net.m.traces[s];
    tr.chain = chain;
    tr.publisher = from;
    tr.published_at_ms = ms_since(pub_t0);
    tr.expected = static_cast<unsigned>(members[chain].size() - 1);
    net.m.expected += tr.expected;
    net.publish_time[s] = Clock::now();
    net.seen[from].insert(s);  // the publisher does not count itself
    auto r = net.nodes[from]->services().publish(topic_of(chain), std::move(data));
    if (!r.ok()) net.fail("publish " + std::to_string(s) + ": " + r.error().message());
    else net.m.bytes_sent += static_cast<uint64_t>(*r) * opts.message_size;
    progress("publishing", s + 1, opts.messages);
    co_await sleep_for(net.io, 2ms);
  }
  auto all_delivered = [&] {
    progress("delivery", net.m.delivered, net.m.expected);
    return net.m.delivered >= net.m.expected;
  };
  if (!co_await wait_until(net.io, all_delivered, std::min<Duration>(left(), 30s), 10ms))
    net.fail("delivery: " + std::to_string(net.m.expected - net.m.delivered) + " of " + std::to_string(net.m.expected) + " not delivered");
  // Late duplicates would show up within a heartbeat or two.
  co_await sleep_for(net.io, 200ms);
}

}  // namespace

TestnetMeasurements run_testnet(const TestnetOptions& opts,
                                const std::function<void(const std::string&, size_t, size_t)>& progress) {
  Net net;
  net.m.nodes = opts.nodes;
  net.m.chains = opts.chains;
  net.m.messages = opts.messages;
  net.m.security = opts.security;
  net.first_connect.resize(opts.nodes);
  net.seen.resize(opts.nodes);
  const auto security = parse_security_mode(opts.security);
  for (unsigned i = 0; i < opts.nodes; ++i) {
    P2PNetworkConfig cfg;
    cfg.security = security.ok() ? *security : SecurityMode::Both;
    cfg.listen_addrs = {"/ip4/127.0.0.1/tcp/0"};
    cfg.outbound_target = std::min(opts.degree, cfg.max_outbound);
    const unsigned chain = i % std::max(1u, opts.chains);
    cfg.chains = {chain_name(chain)};
    net.m.node_chain.push_back(chain);
    // Hybrid (Ed25519 + ML-DSA-65) identities unless the run is classical /noise only.
    auto key = opts.security == "noise" ? crypto::PrivateKey::generate_ed25519() : crypto::PrivateKey::generate_hybrid();
    net.nodes.push_back(std::make_unique<node::NodeCore>(cfg, std::move(key), &net.io));
    net.nodes.back()->host().add_event_listener([&net, i](const node::HostEvent& e) {
      if (e.type == node::HostEvent::Type::Connected && !net.first_connect[i]) net.first_connect[i] = Clock::now();
    });
  }
  // Ctrl-C (or SIGTERM): stop early but cleanly, and still report what was measured.
  asio::signal_set signals(net.io, SIGINT, SIGTERM);
  signals.async_wait([&net](std::error_code ec, int sig) {
    if (ec) return;
    net.m.interrupted = true;
    net.fail(sig == SIGINT ? "interrupted by SIGINT" : "terminated by SIGTERM");
    net.done = true;
  });
  asio::co_spawn(net.io, [&]() -> asio::awaitable<void> {
    co_await orchestrate(net, opts, progress);
    net.done = true;
  }, asio::detached);
  const Time deadline = Clock::now() + std::chrono::seconds(opts.timeout_s + 30);
  while (!net.done && Clock::now() < deadline) net.io.run_one_for(50ms);
  if (!net.done) net.fail("the testnet did not finish within its time limit");
  signals.cancel();

  // Graph, handshake mix and memory.
  std::map<std::string, unsigned> index;
  for (unsigned i = 0; i < opts.nodes; ++i) index[net.nodes[i]->host().peer_id().to_base58()] = i;
  for (unsigned i = 0; i < opts.nodes; ++i) {
    size_t mem = 0;
    for (const auto& c : net.nodes[i]->host().connections()) {
      mem += c->memory_usage();
      if (c->info().direction == node::Direction::Outbound) {
        ++net.m.handshakes[c->info().security];
        if (auto it = index.find(c->info().peer.to_base58()); it != index.end()) net.m.edges.emplace_back(i, it->second);
      }
    }
    net.m.memory_kib.push_back(static_cast<double>(mem) / 1024.0);
  }
  net.m.wall_s = std::chrono::duration<double>(Clock::now() - net.t0).count();
  // Stop every node on its own strand (this thread runs the io_context, so a stop() from here
  // could not hand the shutdown to the strand), bounded; then let the GoAways flush.
  size_t stopped = 0;
  for (auto& nd : net.nodes)
    asio::post(nd->executor(), [&stopped, p = nd.get()] {
      p->stop();
      ++stopped;
    });
  const Time stop_deadline = Clock::now() + 10s;
  while (stopped < net.nodes.size() && Clock::now() < stop_deadline) net.io.run_one_for(50ms);
  net.io.run_for(300ms);
  return std::move(net.m);
}

}  // namespace hauptbuch::p2p::cli

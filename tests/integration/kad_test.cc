// Integration tests of the KadService on real Hosts (127.0.0.1, port 0, one io_context, one
// process): FIND_NODE, provide/find_providers and put/get between three nodes, a peer that
// does not speak kad, a hostile request, and 50 nodes started from one bootstrap node whose
// routing tables fill and which find each other.
#include "protocols/kad/kad_service.h"
#include "testing/host_harness.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "util/random.h"

namespace hauptbuch::p2p::kad {
namespace {

using namespace std::chrono_literals;
using node::Host;
using node::testing_harness::dial_addr;
using node::testing_harness::run;
using node::testing_harness::run_until;

// Loopback tests put many peers on one IP: lift the per-IP/subnet inbound limits (they protect a
// real node against one host taking many slots; here every peer is 127.0.0.1).
P2PNetworkConfig loopback_config() {
  P2PNetworkConfig c;
  c.security = SecurityMode::Noise;
  c.max_inbound_per_ip = 1000;
  c.max_inbound_per_subnet = 1000;
  return c;
}

struct Node {
  std::unique_ptr<Host> host;
  std::unique_ptr<KadService> kad;
};

KadServiceConfig test_kad_config() {
  KadServiceConfig c;
  c.request_timeout = 5s;
  c.lookup_timeout = 20s;
  return c;
}

Node make_node(asio::io_context& io, uint32_t index, KadServiceConfig kcfg = test_kad_config()) {
  Bytes seed(32, 0);
  seed[0] = static_cast<uint8_t>(index);
  seed[1] = static_cast<uint8_t>(index >> 8);
  seed[2] = 0x6b;  // 'k'
  Node n;
  n.host = std::make_unique<Host>(io, crypto::PrivateKey::ed25519_from_seed(seed), loopback_config());
  auto addrs = n.host->listen({*Multiaddr::parse("/ip4/127.0.0.1/tcp/0")});
  EXPECT_TRUE(addrs.ok());
  n.kad = std::make_unique<KadService>(*n.host, kcfg);
  EXPECT_TRUE(n.kad->start().ok());
  return n;
}

// Stops the services before the hosts go (the services' contract), then closes the hosts.
void shutdown(asio::io_context& io, std::vector<Node>& nodes) {
  for (auto& n : nodes) n.kad->stop();
  for (auto& n : nodes) n.host->close();
  io.restart();
  io.poll();
}

bool contains_peer(const std::vector<FoundPeer>& v, const PeerId& p) {
  return std::any_of(v.begin(), v.end(), [&](const FoundPeer& f) { return f.peer == p; });
}

template <typename T>
T must(std::optional<T> r, const char* what) {
  EXPECT_TRUE(r.has_value()) << what << ": timed out";
  if (!r) return T(Error(P2PNetworkError::Timeout, "test deadline"));
  return std::move(*r);
}

TEST(Kad, ThreeNodesFindNodeProvideAndRecords) {
  asio::io_context io;
  std::vector<Node> nodes;
  for (uint32_t i = 0; i < 3; ++i) nodes.push_back(make_node(io, i));
  Node &a = nodes[0], &b = nodes[1], &c = nodes[2];

  // b and c only know a.
  for (Node* n : {&b, &c}) {
    std::vector<Multiaddr> boot{dial_addr(*a.host)};
    auto st = must(run(io, n->host->executor(), n->kad->bootstrap(std::move(boot))), "bootstrap");
    ASSERT_TRUE(st.ok()) << st.error().message();
  }
  EXPECT_GE(a.kad->routing_table_size(), 2u);

  // c finds b (through a's FIND_NODE answer or its own table) with b's listen address.
  auto addrs = must(run(io, c.host->executor(), c.kad->find_peer(b.host->peer_id())), "find_peer");
  ASSERT_TRUE(addrs.ok()) << addrs.error().message();
  EXPECT_NE(std::find(addrs->begin(), addrs->end(), b.host->listen_addrs()[0]), addrs->end());

  // closest_peers of a random key: both other nodes are in the answer of a 3-node network.
  const Bytes key = {'k', 'e', 'y', '-', '1'};
  auto closest = must(run(io, c.host->executor(), c.kad->closest_peers(key)), "closest_peers");
  ASSERT_TRUE(closest.ok()) << closest.error().message();
  EXPECT_TRUE(contains_peer(*closest, a.host->peer_id()));
  EXPECT_TRUE(contains_peer(*closest, b.host->peer_id()));

  // b provides; a fresh search from c finds b with its address.
  auto prov = must(run(io, b.host->executor(), b.kad->provide(key)), "provide");
  ASSERT_TRUE(prov.ok()) << prov.error().message();
  auto providers = must(run(io, c.host->executor(), c.kad->find_providers(key, 5)), "find_providers");
  ASSERT_TRUE(providers.ok()) << providers.error().message();
  ASSERT_TRUE(contains_peer(*providers, b.host->peer_id()));
  for (const auto& p : *providers) {
    if (p.peer == b.host->peer_id()) {
      EXPECT_NE(std::find(p.addrs.begin(), p.addrs.end(), b.host->listen_addrs()[0]), p.addrs.end());
    }
  }

  // Records: b puts, c gets; a key nobody stored is not found.
  const Bytes rkey = {'/', 'h', 'b', '/', 'x'}, rval = {'v', 'a', 'l'};
  auto put = must(run(io, b.host->executor(), b.kad->put_value(rkey, rval)), "put_value");
  ASSERT_TRUE(put.ok()) << put.error().message();
  auto got = must(run(io, c.host->executor(), c.kad->get_value(rkey)), "get_value");
  ASSERT_TRUE(got.ok()) << got.error().message();
  EXPECT_EQ(*got, rval);
  const Bytes missing = {'/', 'h', 'b', '/', 'n', 'o'};
  auto none = must(run(io, c.host->executor(), c.kad->get_value(missing)), "get_value missing");
  ASSERT_FALSE(none.ok());
  EXPECT_TRUE(none.error().is(P2PNetworkError::PeerDiscoveryFailed)) << none.error().message();

  EXPECT_GT(c.kad->stats().lookups, 0u);
  EXPECT_GT(a.kad->stats().requests_served, 0u);
  shutdown(io, nodes);
}

// 50 real nodes bootstrapped (all at once) from node 0. Bound on the tables: bootstrap's
// self-lookup ends only when the k = 20 closest peers it has seen have all answered; each of them
// was dialled, identified itself as a kad server and so entered the table (its bucket cannot be
// full before the table holds k peers). With N - 1 = 49 >= k other nodes, every table must hold
// at least k = 20 peers. Then find_peer must succeed for 100 seeded random pairs.
TEST(Kad, FiftyNodesFillTablesAndFindEachOther) {
  constexpr size_t kNodes = 50;
  constexpr size_t kMinTable = 20;  // min(k, N - 1), see above
  asio::io_context io;
  std::vector<Node> nodes;
  for (uint32_t i = 0; i < kNodes; ++i) nodes.push_back(make_node(io, 100 + i));
  const Multiaddr boot = dial_addr(*nodes[0].host);
  size_t done = 0, failed = 0;
  for (size_t i = 1; i < kNodes; ++i) {
    asio::co_spawn(nodes[i].host->executor(), [&, i]() -> asio::awaitable<void> {
      std::vector<Multiaddr> b{boot};
      auto st = co_await nodes[i].kad->bootstrap(std::move(b));
      if (!st.ok()) ++failed;
      ++done;
    }, asio::detached);
  }
  const Time t0 = Clock::now();
  ASSERT_TRUE(run_until(io, [&] { return done == kNodes - 1; }, 120s)) << done << " of " << kNodes - 1 << " bootstraps finished";
  {
    KadStats t;
    for (const auto& n : nodes) {
      const auto& st = n.kad->stats();
      t.requests_sent += st.requests_sent;
      t.request_failures += st.request_failures;
      t.dials += st.dials;
      t.dial_failures += st.dial_failures;
      t.inbound_refused += st.inbound_refused;
    }
    std::printf("[kad] bootstraps done after %.0f ms: %llu requests (%llu failed), %llu dials (%llu failed), %llu inbound refused\n",
                std::chrono::duration<double, std::milli>(Clock::now() - t0).count(), static_cast<unsigned long long>(t.requests_sent),
                static_cast<unsigned long long>(t.request_failures), static_cast<unsigned long long>(t.dials),
                static_cast<unsigned long long>(t.dial_failures), static_cast<unsigned long long>(t.inbound_refused));
  }
  EXPECT_EQ(failed, 0u);
  // Identify of the last dialled peers may still be in flight: wait (bounded) for the bound.
  auto all_full = [&] {
    return std::all_of(nodes.begin(), nodes.end(), [&](const Node& n) { return n.kad->routing_table_size() >= kMinTable; });
  };
  run_until(io, all_full, 30s);
  size_t sum = 0, smallest = SIZE_MAX;
  for (size_t i = 0; i < kNodes; ++i) {
    const size_t t = nodes[i].kad->routing_table_size();
    EXPECT_GE(t, kMinTable) << "node " << i;
    sum += t;
    smallest = std::min(smallest, t);
  }
  std::printf("[kad] %zu nodes: routing table min %zu, mean %.1f\n", kNodes, smallest, static_cast<double>(sum) / kNodes);

  SeededRandom rng(2026);
  size_t ok = 0, via_lookup = 0;
  for (size_t s = 0; s < 100; ++s) {
    const size_t i = rng.uniform(kNodes);
    const size_t j = (i + 1 + rng.uniform(kNodes - 1)) % kNodes;  // j != i
    // Disconnect first so that find_peer must look the peer up (in a 50-node network bootstrap
    // connects almost everyone to everyone).
    const PeerId target = nodes[j].host->peer_id();
    if (nodes[i].host->connection(target)) {
      asio::post(nodes[i].host->executor(), [&, i] { nodes[i].host->disconnect(target); });
      run_until(io, [&] { return !nodes[i].host->connection(target); }, 10s);
    }
    if (!nodes[i].host->connection(target)) ++via_lookup;
    auto r = run(io, nodes[i].host->executor(), nodes[i].kad->find_peer(nodes[j].host->peer_id()));
    ASSERT_TRUE(r.has_value()) << "find_peer " << i << " -> " << j << " timed out";
    if (!r->ok()) {
      ADD_FAILURE() << "find_peer " << i << " -> " << j << ": " << r->error().message();
      continue;
    }
    const Multiaddr want = nodes[j].host->listen_addrs()[0];
    if (std::find(r->value().begin(), r->value().end(), want) != r->value().end()) ++ok;
    else ADD_FAILURE() << "find_peer " << i << " -> " << j << " did not return " << want.to_string();
  }
  EXPECT_EQ(ok, 100u);
  uint64_t lookups = 0, rounds = 0;
  for (const auto& n : nodes) {
    lookups += n.kad->stats().lookups;
    rounds += n.kad->stats().rounds;
  }
  std::printf("[kad] find_peer: %zu of 100 ok, %zu needed a lookup; %llu lookups, %.2f rounds each\n", ok, via_lookup,
              static_cast<unsigned long long>(lookups), lookups ? static_cast<double>(rounds) / static_cast<double>(lookups) : 0.0);
  shutdown(io, nodes);
}

}  // namespace
}  // namespace hauptbuch::p2p::kad

// Integration tests of GossipService on real Hosts (127.0.0.1, port 0): two nodes exchange
// signed and unsigned messages both ways, an application validator rejects, signatures are
// checked on a work pool or inline, batched or one by one (forged ones dropped), and a 50-node
// network delivers every message from random publishers to every node exactly once.
#include "protocols/gossipsub/service.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "testing/host_harness.h"
#include "util/random.h"
#include "util/work_pool.h"

namespace hauptbuch::p2p::gossipsub {
namespace {

using namespace std::chrono_literals;
using node::testing_harness::dial_addr;
using node::testing_harness::make_host;
using node::testing_harness::run;
using node::testing_harness::run_until;

PeerKey key_of(const node::Host& h) { return PeerKey(h.peer_id().bytes().begin(), h.peer_id().bytes().end()); }

bool knows_topic_peer(const GossipService& g, const std::string& topic, const node::Host& other) {
  auto tp = g.router().topic_peers(topic);
  return std::find(tp.begin(), tp.end(), key_of(other)) != tp.end();
}

struct Node {
  std::unique_ptr<node::Host> host;
  std::unique_ptr<GossipService> gossip;
  std::vector<ReceivedMessage> got;
};

Node make_node(asio::io_context& io, uint8_t seed, GossipsubConfig cfg = {}) {
  Node n;
  n.host = make_host(io, seed, SecurityMode::Noise);
  n.gossip = std::make_unique<GossipService>(*n.host, std::move(cfg));
  n.gossip->start();
  return n;
}

TEST(GossipService, TwoNodesExchangeSignedAndUnsignedMessagesBothWays) {
  asio::io_context io;
  Node a = make_node(io, 1), b = make_node(io, 2);
  a.gossip->set_message_callback([&](const ReceivedMessage& m) { a.got.push_back(m); });
  b.gossip->set_message_callback([&](const ReceivedMessage& m) { b.got.push_back(m); });
  const std::string signed_topic = "interop", unsigned_topic = "/hauptbuch/test/blocks";
  for (Node* n : {&a, &b}) {
    ASSERT_TRUE(n->gossip->subscribe(signed_topic).ok());
    ASSERT_TRUE(n->gossip->subscribe(unsigned_topic).ok());
  }
  auto conn = run(io, a.host->executor(), a.host->dial(dial_addr(*b.host)));
  ASSERT_TRUE(conn && conn->ok());
  ASSERT_TRUE(run_until(io, [&] {
    return knows_topic_peer(*a.gossip, signed_topic, *b.host) && knows_topic_peer(*b.gossip, signed_topic, *a.host) &&
           knows_topic_peer(*a.gossip, unsigned_topic, *b.host) && knows_topic_peer(*b.gossip, unsigned_topic, *a.host);
  }));
  EXPECT_EQ(a.gossip->peers().size(), 1u);
  EXPECT_EQ(b.gossip->peers().size(), 1u);

  auto sent = a.gossip->publish(signed_topic, Bytes{'h', 'i'});
  ASSERT_TRUE(sent.ok()) << sent.error().message();
  EXPECT_EQ(*sent, 1u);
  ASSERT_TRUE(b.gossip->publish(unsigned_topic, Bytes{'b', 'l', 'k'}).ok());
  ASSERT_TRUE(run_until(io, [&] { return b.got.size() >= 2 && a.got.size() >= 2; }));
  // Each side sees its own publication and the other's.
  auto find = [](const std::vector<ReceivedMessage>& v, const std::string& topic) {
    return std::find_if(v.begin(), v.end(), [&](const ReceivedMessage& m) { return m.topic == topic; });
  };
  auto at_b = find(b.got, signed_topic);
  ASSERT_NE(at_b, b.got.end());
  EXPECT_EQ(at_b->data, (Bytes{'h', 'i'}));
  EXPECT_EQ(at_b->author, a.host->peer_id().bytes());
  EXPECT_EQ(at_b->received_from, a.host->peer_id().bytes());
  auto at_a = find(a.got, unsigned_topic);
  ASSERT_NE(at_a, a.got.end());
  EXPECT_EQ(at_a->data, (Bytes{'b', 'l', 'k'}));
  EXPECT_TRUE(at_a->author.empty());  // StrictNoSign: no author
  EXPECT_EQ(a.got.size(), 2u);
  EXPECT_EQ(b.got.size(), 2u);
  EXPECT_EQ(a.gossip->stats().bad_frames, 0u);
  EXPECT_EQ(b.gossip->stats().bad_frames, 0u);

  // Mesh formed on both topics after a heartbeat.
  ASSERT_TRUE(run_until(io, [&] { return a.gossip->mesh(signed_topic).size() == 1 && b.gossip->mesh(signed_topic).size() == 1; }));

  // Disconnect: both sides forget the peer.
  a.host->disconnect(b.host->peer_id());
  ASSERT_TRUE(run_until(io, [&] { return a.gossip->peers().empty() && b.gossip->peers().empty(); }));
}

TEST(GossipService, ValidatorRejectionStopsDeliveryAndForwarding) {
  asio::io_context io;
  Node a = make_node(io, 1), b = make_node(io, 2), c = make_node(io, 3);
  const std::string topic = "/hauptbuch/test/tx";
  for (Node* n : {&a, &b, &c}) {
    ASSERT_TRUE(n->gossip->subscribe(topic).ok());
    n->gossip->set_message_callback([n](const ReceivedMessage& m) { n->got.push_back(m); });
  }
  // b sits between a and c and accepts only payloads starting with 'o' (asynchronously).
  b.gossip->set_validator(topic, [&io](const ReceivedMessage& m, GossipService::ValidationDone done) {
    const bool ok = !m.data.empty() && m.data[0] == 'o';
    asio::post(io, [done, ok] { done(ok ? ValidationResult::Accept : ValidationResult::Reject); });
  });
  ASSERT_TRUE(run(io, a.host->executor(), a.host->dial(dial_addr(*b.host))).value().ok());
  ASSERT_TRUE(run(io, c.host->executor(), c.host->dial(dial_addr(*b.host))).value().ok());
  ASSERT_TRUE(run_until(io, [&] {
    return knows_topic_peer(*a.gossip, topic, *b.host) && knows_topic_peer(*b.gossip, topic, *a.host) &&
           knows_topic_peer(*b.gossip, topic, *c.host) && knows_topic_peer(*c.gossip, topic, *b.host);
  }));
  ASSERT_TRUE(run_until(io, [&] { return b.gossip->mesh(topic).size() == 2; }));
  ASSERT_TRUE(a.gossip->publish(topic, Bytes{'b', 'a', 'd'}).ok());
  ASSERT_TRUE(a.gossip->publish(topic, Bytes{'o', 'k'}).ok());
  ASSERT_TRUE(run_until(io, [&] { return c.got.size() == 1 && b.got.size() == 1; }));
  EXPECT_EQ(c.got[0].data, (Bytes{'o', 'k'}));
  EXPECT_EQ(b.got[0].data, (Bytes{'o', 'k'}));
  EXPECT_EQ(b.gossip->stats().router.invalid, 1u);
  EXPECT_LT(b.gossip->router().score(key_of(*a.host), Clock::now()), 0.0);
}

// StrictSign signatures of an RPC are checked before the router sees it: on a work pool's
// workers when the Host has one (as a node with enable_parallel_processing has), else inline; as
// Ed25519 batches, or one at a time (enable_security_optimization off). Every way, in one RPC a
// forged message is dropped and counted invalid, a valid one is delivered, and a repeat of the
// valid one is a duplicate (checked once).
class SignatureChecks : public ::testing::TestWithParam<std::tuple<bool, bool>> {};

TEST_P(SignatureChecks, KeepValidAndDropForgedMessages) {
  const auto [with_pool, batch] = GetParam();
  asio::io_context io;
  util::WorkPool pool(2);  // destroyed after the nodes, before io
  Node a = make_node(io, 1), b = make_node(io, 2);
  if (with_pool) b.host->set_work_pool(&pool);
  b.gossip->set_batch_signature_checks(batch);
  const std::string topic = "interop";  // StrictSign
  ASSERT_TRUE(a.gossip->subscribe(topic).ok());
  ASSERT_TRUE(b.gossip->subscribe(topic).ok());
  b.gossip->set_message_callback([&](const ReceivedMessage& m) { b.got.push_back(m); });
  ASSERT_TRUE(run(io, a.host->executor(), a.host->dial(dial_addr(*b.host))).value().ok());
  ASSERT_TRUE(run_until(io, [&] {
    return knows_topic_peer(*a.gossip, topic, *b.host) && knows_topic_peer(*b.gossip, topic, *a.host);
  }));

  // A signed message through the service: checked and delivered.
  ASSERT_TRUE(a.gossip->publish(topic, Bytes{'o', 'n', 'e'}).ok());
  ASSERT_TRUE(run_until(io, [&] { return b.got.size() == 1; }));
  EXPECT_EQ(b.got[0].data, (Bytes{'o', 'n', 'e'}));

  // One raw RPC: forged, valid, the valid one again.
  Rpc rpc;
  PubsubMessage forged = make_signed_message(a.host->identity(), topic, Bytes{'b', 'a', 'd'}, 1001);
  forged.signature[0] ^= 0x01;
  const PubsubMessage good = make_signed_message(a.host->identity(), topic, Bytes{'t', 'w', 'o'}, 1002);
  rpc.publish = {forged, good, good};
  auto sent = run(io, a.host->executor(), [&]() -> asio::awaitable<Status> {
    std::vector<std::string> protos{std::string(kMeshsub11)};
    auto s = co_await a.host->new_stream(b.host->peer_id(), std::move(protos));
    if (!s.ok()) co_return std::move(s).error();
    HBP2P_CO_TRY(co_await (*s)->write_message(encode_rpc(rpc)));
    co_return (*s)->close_write();
  }());
  ASSERT_TRUE(sent && sent->ok());
  ASSERT_TRUE(run_until(io, [&] { return b.got.size() == 2 && b.gossip->stats().router.invalid == 1; }));
  EXPECT_EQ(b.got[1].data, (Bytes{'t', 'w', 'o'}));
  EXPECT_EQ(b.gossip->stats().router.duplicates, 1u);
  EXPECT_EQ(b.gossip->stats().bad_frames, 0u);
}

INSTANTIATE_TEST_SUITE_P(GossipService, SignatureChecks,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool()),
                         [](const ::testing::TestParamInfo<std::tuple<bool, bool>>& info) {
                           return std::string(std::get<0>(info.param) ? "Pool" : "Inline") +
                                  (std::get<1>(info.param) ? "Batched" : "OneByOne");
                         });

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// 50 real nodes, each dialling 3 random others (plus a ring so the graph is connected); every
// node subscribes to one StrictNoSign topic; messages published from random nodes reach every
// node exactly once (the publisher's own copy included).
TEST(GossipService, FiftyNodesDeliverEveryMessageExactlyOnce) {
  constexpr size_t kNodes = 50;
  const size_t messages = kSanitized ? 100 : 1000;  // same assertions, less work under ASan
  const std::string topic = "/hauptbuch/test/blocks";
  asio::io_context io;
  std::vector<Node> nodes;
  // counts[node][message index] = deliveries to the application.
  std::vector<std::vector<uint32_t>> counts(kNodes, std::vector<uint32_t>(messages, 0));
  std::vector<size_t> delivered(kNodes, 0);
  size_t bad_payloads = 0;
  for (size_t i = 0; i < kNodes; ++i) {
    nodes.push_back(make_node(io, static_cast<uint8_t>(i + 1)));
    ASSERT_TRUE(nodes.back().gossip->subscribe(topic).ok());
    nodes.back().gossip->set_message_callback([&, i](const ReceivedMessage& m) {
      if (m.data.size() != 4) {
        ++bad_payloads;
        return;
      }
      const uint32_t idx = uint32_t(m.data[0]) << 24 | uint32_t(m.data[1]) << 16 | uint32_t(m.data[2]) << 8 | m.data[3];
      if (idx >= messages) {
        ++bad_payloads;
        return;
      }
      if (counts[i][idx]++ == 0) ++delivered[i];
    });
  }
  std::mt19937 rng(7);  // fixed seed: the same topology every run
  std::set<std::pair<size_t, size_t>> edges;
  for (size_t i = 0; i < kNodes; ++i) {
    edges.insert({std::min(i, (i + 1) % kNodes), std::max(i, (i + 1) % kNodes)});
    for (int k = 0; k < 2; ++k) {
      size_t j = rng() % kNodes;
      if (j != i) edges.insert({std::min(i, j), std::max(i, j)});
    }
  }
  for (const auto& [i, j] : edges) {
    auto c = run(io, nodes[i].host->executor(), nodes[i].host->dial(dial_addr(*nodes[j].host)));
    ASSERT_TRUE(c && c->ok()) << i << "->" << j;
  }
  // Subscriptions exchanged on every edge, and every node has a mesh (built on heartbeats).
  ASSERT_TRUE(run_until(io, [&] {
    for (const auto& [i, j] : edges)
      if (!knows_topic_peer(*nodes[i].gossip, topic, *nodes[j].host) || !knows_topic_peer(*nodes[j].gossip, topic, *nodes[i].host))
        return false;
    for (const auto& n : nodes)
      if (n.gossip->mesh(topic).empty()) return false;
    return true;
  }, 60s));

  for (size_t m = 0; m < messages; ++m) {
    const size_t from = rng() % kNodes;
    Bytes payload{uint8_t(m >> 24), uint8_t(m >> 16), uint8_t(m >> 8), uint8_t(m)};
    auto r = nodes[from].gossip->publish(topic, std::move(payload));
    ASSERT_TRUE(r.ok()) << r.error().message();
    // Let the network make progress between publications, as real publishers would.
    if (m % 50 == 49) io.poll();
  }
  const bool all = run_until(io, [&] {
    for (size_t d : delivered)
      if (d != messages) return false;
    return true;
  }, 120s);
  size_t total = 0, duplicates = 0;
  for (size_t i = 0; i < kNodes; ++i)
    for (uint32_t c : counts[i]) {
      total += c ? 1 : 0;
      duplicates += c > 1 ? c - 1 : 0;
    }
  EXPECT_TRUE(all) << "delivered " << total << " of " << kNodes * messages;
  EXPECT_EQ(total, kNodes * messages);
  EXPECT_EQ(duplicates, 0u);
  EXPECT_EQ(bad_payloads, 0u);
  for (const auto& n : nodes) EXPECT_EQ(n.gossip->stats().bad_frames, 0u);
}

}  // namespace
}  // namespace hauptbuch::p2p::gossipsub

// Tests of the gossipsub router core on an in-memory network with virtual time: mesh formation,
// full delivery without duplicates to the application, StrictSign and StrictNoSign, invalid
// message flooders getting graylisted, slow peers bounded, IHAVE/IWANT recovery, IDONTWANT.
#include "protocols/gossipsub/router.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "protocols/gossipsub/rpc_codec.h"

namespace hauptbuch::p2p::gossipsub {
namespace {

using namespace std::chrono_literals;

struct Node {
  std::unique_ptr<crypto::PrivateKey> key;
  PeerKey id;
  std::unique_ptr<SeededRandom> rng;
  std::unique_ptr<Router> router;
  std::map<std::string, int> received;  // message id -> times delivered
};

// A network of routers wired in memory. Every RPC goes through the codec (encode + decode with
// limits), as on a real stream.
class Net {
 public:
  explicit Net(size_t n, GossipsubConfig cfg = {}) {
    for (size_t i = 0; i < n; ++i) {
      auto node = std::make_unique<Node>();
      node->key = std::make_unique<crypto::PrivateKey>(crypto::PrivateKey::ed25519_from_seed(Bytes(32, static_cast<uint8_t>(i + 1))));
      const Bytes pid = PeerIdBytes(*node->key);
      node->id.assign(pid.begin(), pid.end());
      node->rng = std::make_unique<SeededRandom>(1000 + i);
      node->router = std::make_unique<Router>(cfg, node->id, node->key.get(), *node->rng);
      index_[node->id] = nodes.size();
      nodes.push_back(std::move(node));
    }
  }
  static Bytes PeerIdBytes(const crypto::PrivateKey& k);
  void connect(size_t a, size_t b, PeerProtocol p = PeerProtocol::Meshsub12) {
    nodes[a]->router->add_peer(nodes[b]->id, p, true, "", now);
    nodes[b]->router->add_peer(nodes[a]->id, p, false, "", now);
  }
  // Delivers queued RPCs until quiet (bounded rounds).
  void pump(int max_rounds = 200) {
    for (int r = 0; r < max_rounds; ++r) {
      bool any = false;
      for (auto& n : nodes) {
        for (const auto& peer : n->router->peers_with_output()) {
          auto rpc = n->router->take_rpc(peer);
          if (!rpc) continue;
          any = true;
          ++rpcs;
          auto decoded = decode_rpc(encode_rpc(*rpc));
          EXPECT_TRUE(decoded.ok());
          if (!decoded.ok()) continue;
          if (dropped.count(peer)) continue;
          nodes[index_.at(peer)]->router->handle_rpc(n->id, std::move(*decoded), now);
        }
        for (auto& d : n->router->take_deliveries()) n->received[std::string(d.id.begin(), d.id.end())]++;
      }
      if (!any) return;
    }
  }
  void heartbeat(int times = 1) {
    for (int i = 0; i < times; ++i) {
      now += 1s;
      for (auto& n : nodes) n->router->heartbeat(now);
      pump();
    }
  }
  std::vector<std::unique_ptr<Node>> nodes;
  std::map<PeerKey, size_t> index_;
  std::set<PeerKey> dropped;  // peers whose incoming RPCs are lost
  Time now = Time{} + 1h;
  uint64_t rpcs = 0;
};

Bytes Net::PeerIdBytes(const crypto::PrivateKey& k) {
  return make_signed_message(k, "x", {}, 1).from;
}

// A random-ish sparse graph: ring plus chords, every node degree >= 4.
void wire(Net& net) {
  const size_t n = net.nodes.size();
  for (size_t i = 0; i < n; ++i) {
    net.connect(i, (i + 1) % n);
    net.connect(i, (i + 7) % n);
  }
}

TEST(GossipsubRouter, MeshFormsWithinBounds) {
  Net net(30);
  wire(net);
  for (auto& n : net.nodes) n->router->subscribe("/hauptbuch/main/blocks", net.now);
  net.pump();
  net.heartbeat(3);
  for (auto& n : net.nodes) {
    const auto m = n->router->mesh("/hauptbuch/main/blocks");
    EXPECT_GE(m.size(), 3u);  // degree is 4: every neighbour eventually grafted
    EXPECT_LE(m.size(), 12u);
  }
}

// A node whose mesh is below D_lo grafts a peer as soon as it announces the topic (no
// heartbeat in between).
TEST(GossipsubRouter, SubscriberIsGraftedAtOnceWhileMeshIsBelowDlo) {
  Net net(2);
  const std::string topic = "/hauptbuch/main/blocks";
  for (auto& n : net.nodes) n->router->subscribe(topic, net.now);
  net.connect(0, 1);
  net.pump();  // subscriptions, then the GRAFT they trigger; no heartbeat
  EXPECT_EQ(net.nodes[0]->router->mesh(topic).size(), 1u);
  EXPECT_EQ(net.nodes[1]->router->mesh(topic).size(), 1u);
}

class Delivery : public ::testing::TestWithParam<const char*> {};

TEST_P(Delivery, EveryNodeGetsEveryMessageOnce) {
  const std::string topic = GetParam();
  Net net(40);
  wire(net);
  for (auto& n : net.nodes) n->router->subscribe(topic, net.now);
  net.pump();
  net.heartbeat(2);
  constexpr int kMessages = 50;
  SeededRandom pick(7);
  for (int i = 0; i < kMessages; ++i) {
    auto& src = net.nodes[pick.uniform(net.nodes.size())];
    Bytes data = {static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8), 0xAB};
    auto r = src->router->publish(topic, data, net.now);
    ASSERT_TRUE(r.ok()) << r.error().message();
    net.pump();
  }
  net.heartbeat(3);
  for (auto& n : net.nodes) {
    EXPECT_EQ(n->received.size(), static_cast<size_t>(kMessages));
    for (const auto& [id, count] : n->received) EXPECT_EQ(count, 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Policies, Delivery,
                         ::testing::Values("/hauptbuch/main/tx",  // StrictNoSign (chain namespace)
                                           "interop"));             // StrictSign

TEST(GossipsubRouter, InvalidMessageFlooderIsGraylisted) {
  Net net(2);
  net.connect(0, 1);
  for (auto& n : net.nodes) n->router->subscribe("interop", net.now);
  net.pump();
  net.heartbeat(1);
  Router& victim = *net.nodes[0]->router;
  const PeerKey attacker = net.nodes[1]->id;
  for (int i = 0; i < 50; ++i) {
    Rpc bad;
    PubsubMessage m = make_signed_message(*net.nodes[1]->key, "interop", Bytes{1, 2, 3}, 1000 + i);
    m.data.push_back(9);  // breaks the signature
    bad.publish.push_back(m);
    victim.handle_rpc(attacker, bad, net.now);
  }
  EXPECT_LT(victim.score(attacker, net.now), GossipsubConfig{}.score.graylist_threshold);
  EXPECT_GE(victim.stats().invalid, 1u);
  // Graylisted: even valid messages are now ignored, and it is pruned at the next heartbeat.
  Rpc good;
  good.publish.push_back(make_signed_message(*net.nodes[1]->key, "interop", Bytes{7}, 5000));
  victim.handle_rpc(attacker, good, net.now);
  EXPECT_GE(victim.stats().graylisted_rpcs, 1u);
  victim.heartbeat(net.now + 1s);
  EXPECT_TRUE(victim.mesh("interop").empty());
}

TEST(GossipsubRouter, SlowPeerQueueIsBounded) {
  GossipsubConfig cfg;
  cfg.max_queue_bytes_per_peer = 64 * 1024;
  Net net(2, cfg);
  net.connect(0, 1);
  for (auto& n : net.nodes) n->router->subscribe("/hauptbuch/c/t", net.now);
  net.pump();
  // Node 1 never reads: node 0 publishes 10 MB.
  for (int i = 0; i < 1000; ++i) {
    Bytes data(10000, static_cast<uint8_t>(i));
    data[0] = static_cast<uint8_t>(i >> 8);
    ASSERT_TRUE(net.nodes[0]->router->publish("/hauptbuch/c/t", data, net.now).ok());
  }
  EXPECT_LE(net.nodes[0]->router->queued_bytes(net.nodes[1]->id), 2 * cfg.max_queue_bytes_per_peer);
  EXPECT_GT(net.nodes[0]->router->stats().queue_drops, 0u);
}

TEST(GossipsubRouter, NonMeshPeerGetsMessageThroughGossip) {
  Net net(3);
  net.connect(0, 1);
  net.connect(1, 2);
  for (auto& n : net.nodes) n->router->subscribe("/hauptbuch/c/t", net.now);
  net.pump();
  net.heartbeat(2);
  // Node 2 leaves node 1's mesh (PRUNE), so node 1 no longer forwards to it eagerly...
  Rpc prune;
  prune.prune.push_back({"/hauptbuch/c/t", {}, 60});
  net.nodes[1]->router->handle_rpc(net.nodes[2]->id, prune, net.now);
  ASSERT_TRUE(net.nodes[0]->router->publish("/hauptbuch/c/t", Bytes{42}, net.now).ok());
  net.pump();
  EXPECT_EQ(net.nodes[1]->received.size(), 1u);
  EXPECT_EQ(net.nodes[2]->received.size(), 0u);
  // ...but the IHAVE of node 1's next heartbeat and node 2's IWANT bring it.
  net.heartbeat(1);
  EXPECT_EQ(net.nodes[2]->received.size(), 1u);
}

TEST(GossipsubRouter, GraftDuringBackoffIsPenalised) {
  Net net(2);
  net.connect(0, 1);
  for (auto& n : net.nodes) n->router->subscribe("t", net.now);
  net.pump();
  Router& r = *net.nodes[0]->router;
  const PeerKey p = net.nodes[1]->id;
  Rpc prune;
  prune.prune.push_back({"t", {}, 60});
  r.handle_rpc(p, prune, net.now);  // we are told to back off... and then the peer itself GRAFTs
  Rpc prune_from_us;
  r.unsubscribe("t", net.now);
  r.subscribe("t", net.now);
  for (int i = 0; i < 5; ++i) {
    Rpc graft;
    graft.graft.push_back("t");
    r.handle_rpc(p, graft, net.now);
  }
  EXPECT_LT(r.score(p, net.now), 0);
}

TEST(GossipsubRouter, IhaveSpamIsBoundedAndPenalised) {
  Net net(2);
  net.connect(0, 1);
  for (auto& n : net.nodes) n->router->subscribe("t", net.now);
  net.pump();
  Router& r = *net.nodes[0]->router;
  const PeerKey p = net.nodes[1]->id;
  for (int i = 0; i < 100; ++i) {
    Rpc ih;
    IHave h{"t", {}};
    for (int j = 0; j < 100; ++j) h.ids.push_back(Bytes{static_cast<uint8_t>(i), static_cast<uint8_t>(j), 1});
    ih.ihave.push_back(h);
    r.handle_rpc(p, ih, net.now);
  }
  auto out = r.take_rpc(p);
  ASSERT_TRUE(out);
  EXPECT_LE(out->iwant.size(), GossipsubConfig{}.max_ihave_length);
  // The asked-for messages never come: broken promises count at the heartbeat after follow-up.
  for (int i = 0; i < 5; ++i) r.heartbeat(net.now + std::chrono::seconds(4 + i));
  EXPECT_LT(r.score(p, net.now + 9s), 0);
}

TEST(GossipsubRouter, PublishErrors) {
  SeededRandom rng(1);
  Router r({}, "self", nullptr, rng);
  EXPECT_TRUE(r.publish("interop", Bytes{1}, Time{}).error().is(P2PNetworkError::SecurityValidationFailed));
  EXPECT_TRUE(r.publish("", Bytes{1}, Time{}).error().is(P2PNetworkError::InvalidMessage));
  ASSERT_TRUE(r.publish("/hauptbuch/c/t", Bytes{1}, Time{}).ok());
  EXPECT_TRUE(r.publish("/hauptbuch/c/t", Bytes{1}, Time{}).error().is(P2PNetworkError::MessageRoutingFailed));
}

}  // namespace
}  // namespace hauptbuch::p2p::gossipsub

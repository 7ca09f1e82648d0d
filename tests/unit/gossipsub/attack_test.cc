// Attack and scoring tests of the gossipsub router core with virtual time: a peer flooding valid
// messages cannot grow the forward queue, the message cache or the validation queue past their
// bounds; an IWANT spammer is answered a bounded number of times and gets the P7 behaviour
// penalty; P3 (mesh delivery deficit) prunes a silent mesh member, P3b remembers it, and
// near-first duplicates within the delivery window count as deliveries.
#include <gtest/gtest.h>

#include <string>

#include "protocols/gossipsub/router.h"

namespace hauptbuch::p2p::gossipsub {
namespace {

using namespace std::chrono_literals;

const std::string kTopic = "/hauptbuch/c/t";  // StrictNoSign: no keys needed

// One router ("victim") with named neighbours that all subscribed to kTopic.
struct Victim {
  explicit Victim(GossipsubConfig c, std::vector<PeerKey> peers) : cfg(std::move(c)), rng(5), router(cfg, "victim", nullptr, rng) {
    router.subscribe(kTopic, now);
    for (const auto& p : peers) {
      router.add_peer(p, PeerProtocol::Meshsub12, true, "", now);
      Rpc sub;
      sub.subscriptions.push_back({true, kTopic});
      router.handle_rpc(p, sub, now);
    }
    tick();
  }
  void tick(Duration d = 1s) {
    now += d;
    router.heartbeat(now);
  }
  Rpc message_rpc(uint32_t n, size_t size = 16) {
    Bytes data(size, 0x5A);
    data[0] = uint8_t(n >> 24), data[1] = uint8_t(n >> 16), data[2] = uint8_t(n >> 8), data[3] = uint8_t(n);
    Rpc r;
    r.publish.push_back(make_unsigned_message(kTopic, std::move(data)));
    return r;
  }
  GossipsubConfig cfg;
  SeededRandom rng;
  Router router;
  Time now = Time{} + 1h;
};

bool in_mesh(const Router& r, const PeerKey& p) {
  auto m = r.mesh(kTopic);
  return std::find(m.begin(), m.end(), p) != m.end();
}

TEST(GossipsubAttack, ValidMessageFloodStaysWithinQueueAndCacheBounds) {
  GossipsubConfig cfg;
  cfg.max_queue_bytes_per_peer = 64 * 1024;
  cfg.max_mcache_bytes = 1 << 20;
  Victim v(cfg, {"attacker", "slow"});
  ASSERT_TRUE(in_mesh(v.router, "slow"));
  // 20 MB of distinct valid 10 KB messages; "slow" never drains its queue.
  for (uint32_t i = 0; i < 2000; ++i) v.router.handle_rpc("attacker", v.message_rpc(i, 10000), v.now);
  EXPECT_EQ(v.router.stats().delivered, 2000u);
  EXPECT_LE(v.router.queued_bytes("slow"), cfg.max_queue_bytes_per_peer);
  EXPECT_GT(v.router.stats().queue_drops, 0u);
  EXPECT_LE(v.router.cached_bytes(), cfg.max_mcache_bytes);
  EXPECT_GT(v.router.cached_messages(), 0u);
  // Valid traffic is not punished.
  EXPECT_GE(v.router.score("attacker", v.now), 0.0);
}

TEST(GossipsubAttack, ValidationBacklogIsBounded) {
  GossipsubConfig cfg;
  cfg.max_pending_validations = 100;
  Victim v(cfg, {"attacker"});
  v.router.set_async_validation(true);
  for (uint32_t i = 0; i < 1000; ++i) v.router.handle_rpc("attacker", v.message_rpc(i), v.now);
  EXPECT_EQ(v.router.pending_validations(), 100u);
  EXPECT_EQ(v.router.take_validations().size(), 100u);
  EXPECT_EQ(v.router.stats().validation_drops, 900u);
}

TEST(GossipsubAttack, IwantSpamIsAnsweredBoundedlyAndPenalised) {
  GossipsubConfig cfg;
  cfg.max_ihave_length = 100;
  Victim v(cfg, {"spammer"});
  ASSERT_TRUE(v.router.publish(kTopic, Bytes{1, 2, 3}, v.now).ok());
  const MessageId id = content_message_id(make_unsigned_message(kTopic, Bytes{1, 2, 3}));
  while (v.router.take_rpc("spammer")) {}
  // The same id asked for 10 times: answered gossip_retransmission (3) times.
  for (int i = 0; i < 10; ++i) {
    Rpc want;
    want.iwant.push_back(id);
    v.router.handle_rpc("spammer", want, v.now);
  }
  size_t copies = 0;
  while (auto out = v.router.take_rpc("spammer")) copies += out->publish.size();
  EXPECT_EQ(copies, cfg.gossip_retransmission);
  EXPECT_GE(v.router.score("spammer", v.now), 0.0);  // within limits: no penalty yet
  // Then more ids per heartbeat than we would ever announce, 30 times.
  for (int i = 0; i < 30; ++i) {
    Rpc want;
    for (uint8_t j = 0; j <= 100; ++j) want.iwant.push_back(Bytes{uint8_t(i), j, 7});
    v.router.handle_rpc("spammer", want, v.now);
  }
  EXPECT_LT(v.router.score("spammer", v.now), 0.0);
}

GossipsubConfig p3_config() {
  GossipsubConfig cfg;
  auto& t = cfg.score.default_topic;
  t.mesh_message_deliveries_weight = -1;
  t.mesh_message_deliveries_threshold = 4;
  t.mesh_message_deliveries_activation = 3s;
  t.mesh_message_deliveries_window = 10ms;
  t.mesh_failure_penalty_weight = -1;
  t.mesh_failure_penalty_decay = 0.9;
  return cfg;
}

TEST(GossipsubScore, MeshDeliveryDeficitPrunesSilentMemberAndIsRemembered) {
  Victim v(p3_config(), {"worker", "silent"});
  ASSERT_TRUE(in_mesh(v.router, "worker"));
  ASSERT_TRUE(in_mesh(v.router, "silent"));
  uint32_t n = 0;
  // Before activation (3 s after the graft, which happened when they subscribed), nobody is
  // penalised.
  for (int i = 0; i < 1; ++i) {
    for (int k = 0; k < 10; ++k) v.router.handle_rpc("worker", v.message_rpc(n++), v.now);
    v.tick();
  }
  EXPECT_GE(v.router.score("silent", v.now), 0.0);
  for (int i = 0; i < 3; ++i) {
    for (int k = 0; k < 10; ++k) v.router.handle_rpc("worker", v.message_rpc(n++), v.now);
    v.tick();
  }
  EXPECT_GT(v.router.score("worker", v.now), 0.0);
  // The silent member's deficit (4 - 0)^2 made it negative; the heartbeat pruned it.
  EXPECT_FALSE(in_mesh(v.router, "silent"));
  EXPECT_TRUE(in_mesh(v.router, "worker"));
  // P3b: out of the mesh, its score stays negative for a while (decaying penalty).
  EXPECT_LT(v.router.score("silent", v.now), 0.0);
}

TEST(GossipsubScore, NearFirstDuplicatesCountAsMeshDeliveries) {
  Victim v(p3_config(), {"first", "close", "late"});
  uint32_t n = 0;
  for (int i = 0; i < 5; ++i) {
    for (int k = 0; k < 10; ++k) {
      Rpc r = v.message_rpc(n++);
      v.router.handle_rpc("first", r, v.now);
      v.router.handle_rpc("close", r, v.now + 5ms);   // inside the 10 ms window
      v.router.handle_rpc("late", r, v.now + 500ms);  // long after the first copy
    }
    v.tick();
  }
  EXPECT_GT(v.router.score("first", v.now), 0.0);
  EXPECT_GE(v.router.score("close", v.now), 0.0);
  EXPECT_TRUE(in_mesh(v.router, "close"));
  EXPECT_LT(v.router.score("late", v.now), 0.0);
  EXPECT_FALSE(in_mesh(v.router, "late"));
  EXPECT_GT(v.router.stats().duplicates, 0u);
}

}  // namespace
}  // namespace hauptbuch::p2p::gossipsub

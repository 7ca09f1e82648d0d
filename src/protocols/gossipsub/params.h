// Gossipsub parameters (spec gossipsub-v1.0/v1.1/v1.2 "Parameters", "Peer scoring") with the
// libp2p defaults, plus a preset with Ethereum consensus-layer values. Plain values.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "protocols/gossipsub/message_auth.h"
#include "util/clock.h"

namespace hauptbuch::p2p::gossipsub {

inline constexpr std::string_view kMeshsub12 = "/meshsub/1.2.0";
inline constexpr std::string_view kMeshsub11 = "/meshsub/1.1.0";
inline constexpr std::string_view kMeshsub10 = "/meshsub/1.0.0";
inline constexpr std::string_view kFloodsub = "/floodsub/1.0.0";

// Per-topic score parameters (v1.1 P1-P4). Weights of penalties are negative.
struct TopicScoreParams {
  double topic_weight = 1.0;
  // P1: time in mesh.
  double time_in_mesh_weight = 0.01;
  Duration time_in_mesh_quantum = std::chrono::seconds(1);
  double time_in_mesh_cap = 3600;
  // P2: first message deliveries.
  double first_message_deliveries_weight = 1.0;
  double first_message_deliveries_decay = 0.5;
  double first_message_deliveries_cap = 100;
  // P3: mesh message delivery deficit. A mesh member that delivered (first, or within
  // `window` of the first copy) fewer than `threshold` decayed messages, once `activation` has
  // passed since its GRAFT, scores weight * deficit^2. Weight 0 (the default, as in go/js
  // libp2p, where applications set it per topic) disables P3 and P3b.
  double mesh_message_deliveries_weight = 0;
  double mesh_message_deliveries_decay = 0.5;
  double mesh_message_deliveries_threshold = 1;
  double mesh_message_deliveries_cap = 100;
  Duration mesh_message_deliveries_activation = std::chrono::seconds(5);
  Duration mesh_message_deliveries_window = std::chrono::milliseconds(10);
  // P3b: the deficit^2 at PRUNE time is remembered (decaying) and scored with this weight.
  double mesh_failure_penalty_weight = 0;
  double mesh_failure_penalty_decay = 0.5;
  // P4: invalid messages.
  double invalid_message_deliveries_weight = -10.0;
  double invalid_message_deliveries_decay = 0.9;
};

struct ScoreParams {
  std::map<std::string, TopicScoreParams> topics;  // topics without entry use `default_topic`
  TopicScoreParams default_topic;
  double topic_score_cap = 100;
  // P6: IP colocation.
  double ip_colocation_factor_weight = -10.0;
  double ip_colocation_factor_threshold = 4;
  // P7: behaviour penalty (GRAFT during backoff, broken IWANT promises, IHAVE/IWANT spam).
  double behaviour_penalty_weight = -10.0;
  double behaviour_penalty_threshold = 1;
  double behaviour_penalty_decay = 0.9;
  double decay_to_zero = 0.01;
  // Thresholds (v1.1 "Score thresholds").
  double gossip_threshold = -10;
  double publish_threshold = -50;
  double graylist_threshold = -80;
  double accept_px_threshold = 10;
  double opportunistic_graft_threshold = 1;

  const TopicScoreParams& for_topic(const std::string& topic) const {
    auto it = topics.find(topic);
    return it == topics.end() ? default_topic : it->second;
  }
};

struct GossipsubConfig {
  size_t d = 6, d_lo = 5, d_hi = 12, d_lazy = 6, d_score = 4, d_out = 2;
  Duration heartbeat_interval = std::chrono::seconds(1);
  Duration fanout_ttl = std::chrono::seconds(60);
  size_t mcache_len = 5, mcache_gossip = 3;
  Duration seen_ttl = std::chrono::seconds(120);
  Duration prune_backoff = std::chrono::seconds(60);
  Duration unsubscribe_backoff = std::chrono::seconds(10);
  double gossip_factor = 0.25;
  bool flood_publish = true;
  size_t max_ihave_length = 5000;     // ids we ask for per heartbeat per peer
  size_t max_ihave_messages = 10;     // IHAVE messages we accept per heartbeat per peer
  Duration iwant_followup_time = std::chrono::seconds(3);
  size_t gossip_retransmission = 3;   // times we answer one peer's IWANT for one message
  size_t opportunistic_graft_ticks = 60, opportunistic_graft_peers = 2;
  size_t idontwant_message_size_threshold = 1000;  // v1.2: send IDONTWANT for larger messages
  bool do_px = true;
  size_t prune_peers = 16;            // PX entries per PRUNE
  // Bounds (memory safety, not in the spec).
  size_t max_seen_entries = 200'000;
  size_t max_mcache_entries = 50'000;
  // Payload bytes in the message cache (5 heartbeats of history): 128 MiB holds a dozen
  // 10 MiB Ethereum-sized messages or 100,000 1 KiB ones; beyond it new messages are still
  // forwarded but not kept for IWANT.
  size_t max_mcache_bytes = 128u << 20;
  size_t max_topics_per_peer = 256;
  size_t max_queue_bytes_per_peer = 4u << 20;  // forwards dropped beyond this, own publishes at 2x
  size_t max_pending_validations = 4096;
  size_t max_dontwant_per_peer = 2000;
  ScoreParams score;
  // Signature policy of a topic: StrictNoSign inside a chain namespace, StrictSign elsewhere.
  std::function<SignaturePolicy(const std::string&)> policy_for = [](const std::string& topic) {
    return topic.rfind("/hauptbuch/", 0) == 0 ? SignaturePolicy::StrictNoSign : SignaturePolicy::StrictSign;
  };

  // Ethereum consensus-layer values (consensus-specs p2p-interface.md): D 8, D_lo 6, D_hi 12,
  // D_lazy 6, heartbeat 700 ms, fanout TTL 60 s, mcache 6/3, seen TTL 384 s (32 slots x 12 s).
  static GossipsubConfig ethereum() {
    GossipsubConfig c;
    c.d = 8;
    c.d_lo = 6;
    c.d_hi = 12;
    c.d_lazy = 6;
    c.heartbeat_interval = std::chrono::milliseconds(700);
    c.mcache_len = 6;
    c.mcache_gossip = 3;
    c.seen_ttl = std::chrono::seconds(384);
    return c;
  }
};

}  // namespace hauptbuch::p2p::gossipsub

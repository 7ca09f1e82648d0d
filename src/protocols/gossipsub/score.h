// Gossipsub v1.1 peer scoring (P1 time in mesh, P2 first deliveries, P3/P3b mesh delivery
// deficit and mesh failure penalty, P4 invalid messages, P6 IP colocation, P7 behaviour
// penalty), decayed once per heartbeat. The router asks score(peer)
// and compares it with the thresholds in ScoreParams. Scores of disconnected peers are kept
// until they decay to zero (so reconnecting does not reset a bad score), bounded in count.
// Sans-I/O; not thread-safe.
#pragma once

#include <map>
#include <string>
#include <unordered_map>

#include "protocols/gossipsub/params.h"

namespace hauptbuch::p2p::gossipsub {

class PeerScoreTracker {
 public:
  explicit PeerScoreTracker(const ScoreParams& p) : p_(p) {}

  void add_peer(const std::string& peer, const std::string& ip);
  void remove_peer(const std::string& peer);  // keeps the counters while they matter
  void graft(const std::string& peer, const std::string& topic, Time now);
  void prune(const std::string& peer, const std::string& topic, Time now);
  void first_delivery(const std::string& peer, const std::string& topic);
  // A delivery that counts for P3: the first copy, or a duplicate within the delivery window,
  // from a mesh member. Ignored for peers not in the topic's mesh.
  void mesh_delivery(const std::string& peer, const std::string& topic);
  void invalid_message(const std::string& peer, const std::string& topic);
  void behaviour_penalty(const std::string& peer, double count = 1);
  void decay(Time now);  // once per heartbeat
  double score(const std::string& peer, Time now) const;

  // Bound on retained peers (connected or not).
  static constexpr size_t kMaxTracked = 100'000;

 private:
  struct TopicStats {
    bool in_mesh = false;
    Time grafted_at{};
    double first_deliveries = 0;
    double invalid = 0;
    double mesh_deliveries = 0;       // P3 counter (decayed)
    double mesh_failure_penalty = 0;  // P3b (decayed)
  };
  // P3 deficit^2 of a mesh member whose activation time has passed (0 otherwise).
  static double mesh_deficit_sq(const TopicStats& t, const TopicScoreParams& tp, Time now);
  struct Stats {
    bool connected = true;
    std::string ip;
    std::map<std::string, TopicStats> topics;
    double behaviour = 0;
  };
  const TopicScoreParams& topic_params(const std::string& topic) const;
  const ScoreParams& p_;
  std::unordered_map<std::string, Stats> stats_;
  std::unordered_map<std::string, size_t> peers_per_ip_;
};

}  // namespace hauptbuch::p2p::gossipsub

// Gossipsub peer scoring (see score.h).
#include "protocols/gossipsub/score.h"

#include <algorithm>

namespace hauptbuch::p2p::gossipsub {

const TopicScoreParams& PeerScoreTracker::topic_params(const std::string& topic) const {
  auto it = p_.topics.find(topic);
  return it == p_.topics.end() ? p_.default_topic : it->second;
}

void PeerScoreTracker::add_peer(const std::string& peer, const std::string& ip) {
  if (stats_.size() >= kMaxTracked && !stats_.count(peer)) {
    // Forget a disconnected peer first; if none, refuse to track (score 0).
    for (auto it = stats_.begin(); it != stats_.end(); ++it)
      if (!it->second.connected) {
        stats_.erase(it);
        break;
      }
    if (stats_.size() >= kMaxTracked) return;
  }
  Stats& s = stats_[peer];
  if (s.connected && !s.ip.empty()) return;  // already counted
  s.connected = true;
  // Loopback peers are exempt from the colocation penalty (local testnets put every peer on
  // 127.0.0.1); the driver may also pass "" to exempt an address.
  s.ip = (ip.rfind("127.", 0) == 0 || ip == "::1") ? std::string() : ip;
  if (!s.ip.empty()) ++peers_per_ip_[s.ip];
}

void PeerScoreTracker::remove_peer(const std::string& peer) {
  auto it = stats_.find(peer);
  if (it == stats_.end()) return;
  if (!it->second.ip.empty()) {
    auto ip = peers_per_ip_.find(it->second.ip);
    if (ip != peers_per_ip_.end() && --ip->second == 0) peers_per_ip_.erase(ip);
  }
  it->second.connected = false;
  for (auto& [t, ts] : it->second.topics) ts.in_mesh = false;
  // A peer with nothing negative to remember is dropped at once.
  bool negative = it->second.behaviour > 0;
  for (const auto& [t, ts] : it->second.topics) negative |= ts.invalid > 0 || ts.mesh_failure_penalty > 0;
  if (!negative) stats_.erase(it);
}

void PeerScoreTracker::graft(const std::string& peer, const std::string& topic, Time now) {
  auto it = stats_.find(peer);
  if (it == stats_.end()) return;
  TopicStats& t = it->second.topics[topic];
  t.in_mesh = true;
  t.grafted_at = now;
  t.mesh_deliveries = 0;
}

void PeerScoreTracker::prune(const std::string& peer, const std::string& topic, Time now) {
  auto it = stats_.find(peer);
  if (it == stats_.end()) return;
  if (auto t = it->second.topics.find(topic); t != it->second.topics.end()) {
    // P3b: leaving the mesh with a delivery deficit is remembered.
    t->second.mesh_failure_penalty += mesh_deficit_sq(t->second, topic_params(topic), now);
    t->second.in_mesh = false;
  }
}

double PeerScoreTracker::mesh_deficit_sq(const TopicStats& t, const TopicScoreParams& tp, Time now) {
  if (!t.in_mesh || tp.mesh_message_deliveries_weight == 0) return 0;
  if (now < t.grafted_at + tp.mesh_message_deliveries_activation) return 0;
  if (t.mesh_deliveries >= tp.mesh_message_deliveries_threshold) return 0;
  const double deficit = tp.mesh_message_deliveries_threshold - t.mesh_deliveries;
  return deficit * deficit;
}

void PeerScoreTracker::mesh_delivery(const std::string& peer, const std::string& topic) {
  auto it = stats_.find(peer);
  if (it == stats_.end()) return;
  auto t = it->second.topics.find(topic);
  if (t == it->second.topics.end() || !t->second.in_mesh) return;
  t->second.mesh_deliveries = std::min(t->second.mesh_deliveries + 1, topic_params(topic).mesh_message_deliveries_cap);
}

void PeerScoreTracker::first_delivery(const std::string& peer, const std::string& topic) {
  auto it = stats_.find(peer);
  if (it == stats_.end()) return;
  TopicStats& t = it->second.topics[topic];
  t.first_deliveries = std::min(t.first_deliveries + 1, topic_params(topic).first_message_deliveries_cap);
}

void PeerScoreTracker::invalid_message(const std::string& peer, const std::string& topic) {
  auto it = stats_.find(peer);
  if (it == stats_.end()) return;
  it->second.topics[topic].invalid += 1;
}

void PeerScoreTracker::behaviour_penalty(const std::string& peer, double count) {
  auto it = stats_.find(peer);
  if (it == stats_.end()) return;
  it->second.behaviour += count;
}

void PeerScoreTracker::decay(Time) {
  auto zero = [this](double v) { return v < p_.decay_to_zero ? 0.0 : v; };
  for (auto it = stats_.begin(); it != stats_.end();) {
    Stats& s = it->second;
    bool any = s.connected;
    for (auto& [topic, t] : s.topics) {
      const TopicScoreParams& tp = topic_params(topic);
      t.first_deliveries = zero(t.first_deliveries * tp.first_message_deliveries_decay);
      t.invalid = zero(t.invalid * tp.invalid_message_deliveries_decay);
      t.mesh_deliveries = zero(t.mesh_deliveries * tp.mesh_message_deliveries_decay);
      t.mesh_failure_penalty = zero(t.mesh_failure_penalty * tp.mesh_failure_penalty_decay);
      any |= t.invalid > 0 || t.mesh_failure_penalty > 0;
    }
    s.behaviour = zero(s.behaviour * p_.behaviour_penalty_decay);
    any |= s.behaviour > 0;
    it = any ? std::next(it) : stats_.erase(it);
  }
}

double PeerScoreTracker::score(const std::string& peer, Time now) const {
  auto it = stats_.find(peer);
  if (it == stats_.end()) return 0;
  const Stats& s = it->second;
  double topic_total = 0;
  for (const auto& [topic, t] : s.topics) {
    const TopicScoreParams& tp = topic_params(topic);
    double ts = 0;
    if (t.in_mesh && now > t.grafted_at) {
      const double q = std::chrono::duration<double>(now - t.grafted_at) /
                       std::chrono::duration<double>(tp.time_in_mesh_quantum);
      ts += tp.time_in_mesh_weight * std::min(q, tp.time_in_mesh_cap);
    }
    ts += tp.first_message_deliveries_weight * t.first_deliveries;
    ts += tp.mesh_message_deliveries_weight * mesh_deficit_sq(t, tp, now);  // P3
    ts += tp.mesh_failure_penalty_weight * t.mesh_failure_penalty;        // P3b
    ts += tp.invalid_message_deliveries_weight * t.invalid * t.invalid;
    topic_total += tp.topic_weight * ts;
  }
  double score = std::min(topic_total, p_.topic_score_cap);
  if (s.connected && !s.ip.empty()) {
    auto ip = peers_per_ip_.find(s.ip);
    const double n = ip == peers_per_ip_.end() ? 0 : static_cast<double>(ip->second);
    if (n > p_.ip_colocation_factor_threshold) {
      const double surplus = n - p_.ip_colocation_factor_threshold;
      score += p_.ip_colocation_factor_weight * surplus * surplus;
    }
  }
  if (s.behaviour > p_.behaviour_penalty_threshold) {
    const double excess = s.behaviour - p_.behaviour_penalty_threshold;
    score += p_.behaviour_penalty_weight * excess * excess;
  }
  return score;
}

}  // namespace hauptbuch::p2p::gossipsub

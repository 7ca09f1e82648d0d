// PeerScores (see peer_score.h).
#include "peer/peer_score.h"

#include <algorithm>
#include <cmath>

namespace hauptbuch::p2p::peer {

double PeerScores::delta(Behaviour b) {
  switch (b) {
    case Behaviour::InvalidMessage: return -10;
    case Behaviour::ProtocolViolation: return -25;
    case Behaviour::Timeout: return -2;
    case Behaviour::Spam: return -5;
    case Behaviour::UsefulMessage: return 1;
  }
  return 0;
}

double PeerScores::decayed(const Entry& e, Time now) const {
  if (now <= e.updated) return e.value;
  const double dt = std::chrono::duration<double>(now - e.updated).count();
  return e.value * std::exp2(-dt / cfg_.half_life_s);
}

double PeerScores::score(const std::string& peer, Time now) const {
  auto it = scores_.find(peer);
  return it == scores_.end() ? 0.0 : decayed(it->second, now);
}

void PeerScores::make_room(Time now) {
  // Drop the entry that carries the least information: the one closest to zero, unless it has
  // been banned before (those keep their ban count).
  auto victim = scores_.end();
  double best = 0;
  for (auto it = scores_.begin(); it != scores_.end(); ++it) {
    const double w = std::abs(decayed(it->second, now)) + (it->second.bans ? 1e9 : 0);
    if (victim == scores_.end() || w < best) {
      victim = it;
      best = w;
    }
  }
  if (victim != scores_.end()) scores_.erase(victim);
}

std::optional<Duration> PeerScores::record(const std::string& peer, Behaviour b, Time now) {
  auto it = scores_.find(peer);
  if (it == scores_.end()) {
    if (scores_.size() >= cfg_.max_peers_tracked) make_room(now);
    it = scores_.emplace(peer, Entry{0, now, 0}).first;
  }
  Entry& e = it->second;
  e.value = std::min(decayed(e, now) + delta(b), cfg_.max_score);
  e.updated = now;
  if (e.value > cfg_.ban_threshold) return std::nullopt;
  e.value = 0;
  const unsigned doublings = std::min(e.bans, 16u);
  ++e.bans;
  Duration d = cfg_.ban_duration * (int64_t{1} << doublings);
  return std::min(d, cfg_.max_ban_duration);
}

}  // namespace hauptbuch::p2p::peer

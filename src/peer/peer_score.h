// PeerScore: a node-local reputation per peer, with exponential decay towards zero and
// penalties for misbehaviour; crossing the ban threshold yields a timed ban (see BanList).
// This is the connection-level score of the peer manager; gossipsub keeps its own per-topic
// score (issue "message routing"). Sans-I/O (time passed in); not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

#include "util/clock.h"

namespace hauptbuch::p2p::peer {

enum class Behaviour {
  InvalidMessage,     // a message that failed to parse or validate: -10
  ProtocolViolation,  // e.g. yamux/multistream rule broken, bad handshake: -25
  Timeout,            // request timed out: -2
  Spam,               // rate limit exceeded: -5
  UsefulMessage,      // delivered something valid and new: +1 (capped)
};

struct PeerScoreConfig {
  double half_life_s = 600;     // the score halves every 10 minutes without news
  double ban_threshold = -100;  // at or below: ban
  double max_score = 100;       // cap, so good history cannot buy unlimited misbehaviour
  Duration ban_duration = std::chrono::hours(1);
  Duration max_ban_duration = std::chrono::hours(24 * 7);
  size_t max_peers_tracked = 20000;  // bound on the table; the entry closest to 0 is dropped
};

class PeerScores {
 public:
  explicit PeerScores(PeerScoreConfig cfg = {}) : cfg_(cfg) {}

  static double delta(Behaviour b);
  // Applies `b` to `peer`. Returns a ban duration when the score crosses the ban threshold
  // (doubling for each earlier ban of that peer, capped), and then resets the score to 0.
  std::optional<Duration> record(const std::string& peer, Behaviour b, Time now);
  double score(const std::string& peer, Time now) const;
  size_t size() const { return scores_.size(); }

 private:
  struct Entry {
    double value = 0;
    Time updated{};
    unsigned bans = 0;
  };
  double decayed(const Entry& e, Time now) const;
  void make_room(Time now);
  PeerScoreConfig cfg_;
  std::unordered_map<std::string, Entry> scores_;
};

}  // namespace hauptbuch::p2p::peer

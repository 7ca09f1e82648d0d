// BanList: timed bans of peers (by PeerId bytes) or addresses (by IP), bounded in size.
// Bans expire on their own; the list is persisted with the address store (addr_store.h) so a
// restart does not forgive a misbehaving peer. Sans-I/O (time passed in); not thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/clock.h"

namespace hauptbuch::p2p::peer {

struct Ban {
  std::string key;     // "peer:" + PeerId bytes, or "ip:" + IP text
  Time until{};
  std::string reason;  // short, for operators (bounded by kMaxReasonLength)
};

class BanList {
 public:
  // At most this many bans: far more than honest operation produces, small enough to persist
  // and scan; when full, the ban that expires first is dropped to make room.
  static constexpr size_t kMaxBans = 10000;
  static constexpr size_t kMaxReasonLength = 200;

  static std::string peer_key(const std::string& peer_id_bytes) { return "peer:" + peer_id_bytes; }
  static std::string ip_key(const std::string& ip_text) { return "ip:" + ip_text; }

  // Bans `key` until `until` (extends an existing ban, never shortens it).
  void ban(const std::string& key, Time until, std::string reason);
  void unban(const std::string& key) { bans_.erase(key); }
  bool is_banned(const std::string& key, Time now) const;
  std::optional<Ban> get(const std::string& key, Time now) const;
  // Drops expired bans.
  void expire(Time now);
  std::vector<Ban> all() const;
  size_t size() const { return bans_.size(); }

 private:
  std::map<std::string, Ban> bans_;
};

}  // namespace hauptbuch::p2p::peer

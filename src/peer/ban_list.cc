// BanList (see ban_list.h).
#include "peer/ban_list.h"

#include <algorithm>

namespace hauptbuch::p2p::peer {

void BanList::ban(const std::string& key, Time until, std::string reason) {
  if (reason.size() > kMaxReasonLength) reason.resize(kMaxReasonLength);
  if (auto it = bans_.find(key); it != bans_.end()) {
    it->second.until = std::max(it->second.until, until);
    it->second.reason = std::move(reason);
    return;
  }
  if (bans_.size() >= kMaxBans) {
    auto first = std::min_element(bans_.begin(), bans_.end(), [](const auto& a, const auto& b) {
      return a.second.until < b.second.until;
    });
    if (first->second.until > until) return;  // the newcomer would be the first to go
    bans_.erase(first);
  }
  bans_.emplace(key, Ban{key, until, std::move(reason)});
}

bool BanList::is_banned(const std::string& key, Time now) const {
  auto it = bans_.find(key);
  return it != bans_.end() && it->second.until > now;
}

std::optional<Ban> BanList::get(const std::string& key, Time now) const {
  auto it = bans_.find(key);
  if (it == bans_.end() || it->second.until <= now) return std::nullopt;
  return it->second;
}

void BanList::expire(Time now) {
  std::erase_if(bans_, [now](const auto& kv) { return kv.second.until <= now; });
}

std::vector<Ban> BanList::all() const {
  std::vector<Ban> out;
  out.reserve(bans_.size());
  for (const auto& [k, b] : bans_) out.push_back(b);
  return out;
}

}  // namespace hauptbuch::p2p::peer

// RelayCore decisions (see relay_core.h).
#include "protocols/relay/relay_core.h"

#include <algorithm>

namespace hauptbuch::p2p::relay {

const char* action_name(Action a) noexcept {
  switch (a) {
    case Action::DeliverToChain: return "DeliverToChain";
    case Action::DeliverToPeer: return "DeliverToPeer";
    case Action::ForwardToPeer: return "ForwardToPeer";
    case Action::ForwardToChain: return "ForwardToChain";
    case Action::Drop: return "Drop";
  }
  return "Unknown";
}

const char* drop_reason_name(DropReason r) noexcept {
  switch (r) {
    case DropReason::None: return "None";
    case DropReason::HopLimitExhausted: return "HopLimitExhausted";
    case DropReason::Loop: return "Loop";
    case DropReason::Replay: return "Replay";
  }
  return "Unknown";
}

RelayCore::RelayCore(PeerId local, std::set<std::string> chains, size_t seen_capacity, Duration seen_ttl)
    : local_(std::move(local)), chains_(std::move(chains)), seen_(seen_capacity, seen_ttl) {}

Decision RelayCore::decide(Envelope env, Time now, const std::function<bool(const PeerId&)>& is_connected,
                           bool originated) {
  Decision d;
  auto drop = [&d](DropReason r, std::string why) {
    d.action = Action::Drop;
    d.reason = r;
    d.detail = std::move(why);
    return std::move(d);
  };
  if (!originated) {
    if (env.hop_limit == 0) return drop(DropReason::HopLimitExhausted, "dropped: hop limit is 0");
    if (std::find(env.path.begin(), env.path.end(), local_) != env.path.end())
      return drop(DropReason::Loop, "dropped: loop (this node is already on the path)");
  }
  if (seen_.check_and_insert(env.id, now)) {
    std::string why = "dropped: replay of message ";
    why.append(id_hex(env.id));
    return drop(DropReason::Replay, std::move(why));
  }
  if (env.path.size() >= kMaxPath) return drop(DropReason::HopLimitExhausted, "dropped: path is full");
  env.path.push_back(local_);

  const bool for_us = env.destination_peer && *env.destination_peer == local_;
  const bool local_chain = serves(env.destination_chain);
  if (for_us) {
    d.action = Action::DeliverToPeer;
  } else if (!env.destination_peer && local_chain) {
    d.action = Action::DeliverToChain;
  } else {
    // Forward: to the destination peer when we have a connection to it, else into its chain.
    if (!originated) {
      if (env.hop_limit <= 1) return drop(DropReason::HopLimitExhausted, "dropped: hop limit exhausted");
      --env.hop_limit;
    }
    d.action = env.destination_peer && is_connected && is_connected(*env.destination_peer) ? Action::ForwardToPeer
                                                                                            : Action::ForwardToChain;
  }
  d.out = std::move(env);
  return d;
}

}  // namespace hauptbuch::p2p::relay

// RelayCore: the sans-I/O decision of the cross-chain relay. Given an envelope, the chains
// this node serves, whether the destination peer is connected, and `now`, it says what to do:
// deliver locally (into the destination chain's gossip, or to the destination peer, i.e. us),
// forward (to the destination peer directly, or to some node serving the destination chain),
// or drop (hop limit exhausted, loop, replay within the seen TTL). No I/O, no clock reads.
//
// Hop limit: the number of network transmissions an envelope may still take. The origin sends
// it with hop_limit h (default 4); a relay forwards it with h − 1, and only if h − 1 ≥ 1; an
// envelope that arrives with 0 is dropped. So an envelope crosses at most h links.
#pragma once

#include <functional>
#include <set>
#include <string>

#include "protocols/relay/envelope.h"
#include "protocols/relay/seen_cache.h"

namespace hauptbuch::p2p::relay {

// Remembered ids: 65,536 × ~80 bytes of map/deque overhead ≈ 5 MiB at most; 10 minutes is far
// longer than any relay path takes (4 hops × the 60 s message timeout) so replays within a
// route's lifetime are always caught.
inline constexpr size_t kDefaultSeenCapacity = 65536;
inline constexpr Duration kDefaultSeenTtl = std::chrono::minutes(10);

enum class Action { DeliverToChain, DeliverToPeer, ForwardToPeer, ForwardToChain, Drop };
enum class DropReason { None, HopLimitExhausted, Loop, Replay };

struct Decision {
  Action action = Action::Drop;
  DropReason reason = DropReason::None;
  // Forward*: the envelope to send (hop limit decremented unless originated here, this node
  // appended to the path). Deliver*: the envelope as accepted (this node appended).
  Envelope out;
  std::string detail;  // Drop: why, for logs and error details
};

const char* action_name(Action a) noexcept;
const char* drop_reason_name(DropReason r) noexcept;

class RelayCore {
 public:
  RelayCore(PeerId local, std::set<std::string> chains, size_t seen_capacity = kDefaultSeenCapacity,
            Duration seen_ttl = kDefaultSeenTtl);

  // Decides for `env` received from the network (originated == false) or created here
  // (originated == true: no hop decrement, no loop check). `is_connected` says whether a peer
  // has a live connection (used for a destination peer).
  Decision decide(Envelope env, Time now, const std::function<bool(const PeerId&)>& is_connected,
                  bool originated = false);

  bool serves(const std::string& chain) const { return chains_.count(chain) != 0; }
  const std::set<std::string>& chains() const { return chains_; }
  const PeerId& local() const { return local_; }
  size_t seen_size() const { return seen_.size(); }

 private:
  PeerId local_;
  std::set<std::string> chains_;
  SeenCache seen_;
};

}  // namespace hauptbuch::p2p::relay

// CrossChainRelay: routes a message to a chain this node may not serve (or to one peer on
// it) through nodes that do, over RequestResponse on /hauptbuch/relay/1.0.0. The decisions
// come from RelayCore (deliver / forward / drop: replay, loop, hop limit); this class does the
// I/O: looks up nodes serving a chain (find_chain_peers, the DHT provider lookup wired by the
// node), dials them if needed, forwards the envelope and relays the acknowledgement back.
// Each relay awaits its own forward, so the origin learns the delivering node and the path.
//
// Threading: construct, use and destroy on the Host's strand, before the Host and the
// RequestResponse it uses are destroyed. Callbacks run on that strand. Nothing throws.
#pragma once

#include <asio/awaitable.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "node/host.h"
#include "protocols/relay/relay_core.h"
#include "protocols/reqresp/request_response.h"
#include "util/clock.h"
#include "util/random.h"

namespace hauptbuch::p2p::relay {

inline constexpr const char* kRelayProtocol = "/hauptbuch/relay/1.0.0";
// Nodes serving a chain tried per forward: enough to get past one or two unreachable
// providers, few enough that a route cannot fan out into a flood.
inline constexpr size_t kDefaultMaxCandidates = 3;

struct PeerInfo {
  PeerId peer;
  std::vector<Multiaddr> addrs;
};

struct RouteTarget {
  std::string chain;            // destination chain (empty with a peer: our origin chain)
  std::optional<PeerId> peer;   // set: hand the payload to this peer
  std::string topic = kDefaultTopic;
};

struct RoutingResult {
  bool delivered = false;
  std::vector<PeerId> path;  // origin first, delivering node last
  size_t hops = 0;           // links crossed (path.size() - 1)
  Duration latency{};
};

struct RelayConfig {
  std::string origin_chain;  // empty: the first chain served
  uint8_t hop_limit = kDefaultHopLimit;
  size_t seen_capacity = kDefaultSeenCapacity;
  Duration seen_ttl = kDefaultSeenTtl;
  size_t max_candidates = kDefaultMaxCandidates;
  std::optional<Duration> forward_timeout;  // per forward; default: the RequestResponse timeout
};

struct RelayStats {
  uint64_t originated = 0, received = 0, delivered_to_chain = 0, delivered_to_peer = 0, forwarded = 0;
  uint64_t invalid = 0;                      // malformed envelopes received
  std::map<std::string, uint64_t> dropped;   // by DropReason name
  uint64_t forward_failures = 0;             // candidate attempts that failed
};

class CrossChainRelay {
 public:
  using FindChainPeers = std::function<asio::awaitable<Result<std::vector<PeerInfo>>>(std::string chain)>;
  using DeliverToChain = std::function<Status(const std::string& chain, const std::string& topic, const Bytes& payload)>;
  using DeliverToPeer = std::function<Status(const PeerId& peer, const Bytes& payload)>;
  struct Callbacks {
    FindChainPeers find_chain_peers;
    DeliverToChain deliver_to_chain;
    DeliverToPeer deliver_to_peer;  // called with our own id when we are the destination peer
  };

  // `chains`: chains served here (valid chain ids). `rng` (nonces) and `clock` (seen-cache
  // expiry, latency) are injected and must outlive the relay.
  CrossChainRelay(node::Host& host, reqresp::RequestResponse& rr, std::set<std::string> chains, Callbacks cb,
                  RelayConfig cfg, RandomSource& rng, const ClockSource& clock);
  ~CrossChainRelay();
  CrossChainRelay(const CrossChainRelay&) = delete;
  CrossChainRelay& operator=(const CrossChainRelay&) = delete;

  // Registers /hauptbuch/relay/1.0.0 with the RequestResponse service. Errors: InvalidConfig.
  Status start();

  // Routes `payload` to `target`. Errors: InvalidMessage (bad chain id, topic or payload size),
  // MessageRoutingFailed (dropped somewhere, no node accepted it, delivery callback failed),
  // PeerDiscoveryFailed (find_chain_peers failed), PeerConnectionFailed, Timeout.
  asio::awaitable<Result<RoutingResult>> route(RouteTarget target, Bytes payload);

  // Handles an envelope as if received from `from` (what the protocol handler does; exposed
  // for tests and for the node's own transports). Errors as route().
  asio::awaitable<Result<RelayAck>> handle(PeerId from, Bytes envelope_bytes);

  const RelayStats& stats() const;
  const RelayCore& core() const;

  struct State;  // implementation detail (cross_chain_relay.cc)

 private:
  reqresp::RequestResponse& rr_;
  std::shared_ptr<State> st_;
};

}  // namespace hauptbuch::p2p::relay

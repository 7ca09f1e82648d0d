// NodeServices: the protocol services of a node on top of its Host — Kademlia (the libp2p DHT
// and one DHT per served chain), gossipsub, request/response and the cross-chain relay — and
// the operations the public MessageRouter and DiscoveryEngine forward to them.
// Threading: constructed, used and destroyed on the node's strand (NodeCore::executor()).
#pragma once

#include <asio/awaitable.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hauptbuch/p2p/discovery_engine.h"
#include "hauptbuch/p2p/message_router.h"
#include "hauptbuch/p2p/result.h"
#include "hauptbuch/p2p/types.h"

namespace hauptbuch::p2p::kad { class KadService; }
namespace hauptbuch::p2p { class PeerId; }

namespace hauptbuch::p2p::node {

class NodeCore;

class NodeServices {
 public:
  explicit NodeServices(NodeCore& core);
  ~NodeServices();

  // Registers protocol handlers and starts timers; stop() cancels them.
  Status start();
  void stop();

  // --- discovery ---
  asio::awaitable<Status> co_bootstrap(std::vector<std::string> addrs);
  asio::awaitable<Result<std::vector<DiscoveredPeer>>> co_discover();
  asio::awaitable<Result<std::vector<std::string>>> co_find_peer(std::string peer_id);
  asio::awaitable<Result<std::vector<DiscoveredPeer>>> co_closest_peers(std::vector<uint8_t> key, std::string chain);
  asio::awaitable<Status> co_provide(std::vector<uint8_t> key, std::string chain);
  asio::awaitable<Result<std::vector<DiscoveredPeer>>> co_find_providers(std::vector<uint8_t> key, std::string chain);
  asio::awaitable<Status> co_put_value(std::vector<uint8_t> key, std::vector<uint8_t> value, std::string chain);
  asio::awaitable<Result<std::vector<uint8_t>>> co_get_value(std::vector<uint8_t> key, std::string chain);
  asio::awaitable<Result<std::vector<DiscoveredPeer>>> co_find_chain_peers(std::string chain);
  DiscoveryMetrics discovery_metrics() const;
  size_t routing_table_size() const;

  // --- gossip ---
  Status subscribe(const std::string& topic, MessageRouter::MessageHandler handler);
  Status unsubscribe(const std::string& topic);
  void set_validator(const std::string& topic, MessageRouter::MessageValidator v);
  Result<size_t> publish(const std::string& topic, std::vector<uint8_t> data);
  std::vector<std::string> topics() const;
  // Peers in our gossip mesh of `topic` (0 when not subscribed).
  size_t mesh_size(const std::string& topic) const;
  // A bootstrap (co_bootstrap: lookups, bucket refresh, chain announcements) is running.
  bool bootstrapping() const;

  // --- direct ---
  Status register_protocol(const std::string& protocol, MessageRouter::RequestHandler handler);
  asio::awaitable<Result<Response>> co_send(std::string peer_id, std::string protocol, std::vector<uint8_t> data);
  asio::awaitable<Result<RoutingResult>> co_route(std::vector<uint8_t> message, Destination dest);
  void set_routed_message_handler(MessageRouter::RequestHandler handler);

  RouterMetrics router_metrics() const;
  // Gossipsub stream bytes (RPC frames) received and sent, and the scores of gossip peers.
  std::pair<uint64_t, uint64_t> gossip_bytes() const;
  std::vector<double> gossip_peer_scores() const;
  uint64_t gossip_bad_frames() const;  // undecodable or oversized gossip frames received

  // Feeds the DHT's routing-table peers into the address store (called after lookups and by
  // the node's maintenance tick).
  void learn_from_dht();

 private:
  kad::KadService* dht_for(const std::string& chain);
  asio::awaitable<void> wait_for_bootstrap();
  // Makes sure we are connected to `peer` (DHT lookup and dial if not); "direct" or "dht+dial".
  asio::awaitable<Result<std::string>> co_reach(PeerId peer);
  asio::awaitable<Result<RoutingResult>> co_route_to_chain(std::vector<uint8_t> message, Destination dest);
  struct Impl;
  NodeCore& core_;
  std::shared_ptr<Impl> impl_;  // shared: pending coroutines check it is still alive
};

}  // namespace hauptbuch::p2p::node

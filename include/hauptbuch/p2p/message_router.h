/// @file
/// MessageRouter: what a blockchain uses the network for — the specification's MessageRouter
/// (MessageHandler, RoutingAlgorithm, MessageValidator).
///  - gossip: subscribe/publish over gossipsub (/meshsub/1.2.0…1.0.0). Topics inside a chain's
///    namespace (`/hauptbuch/<chain>/<topic>`, see chain_topic()) use StrictNoSign with a
///    content-hash message id; other topics use StrictSign (libp2p's default, interoperable).
///  - direct: request/response on a protocol id to one peer (send), and route_message(), which
///    reaches a peer we are not connected to (via the DHT and a dial) or the subscribers of a
///    chain this node does not serve (cross-chain relay through a node that serves it).
/// Handlers run on the network's thread: they must not block (post long work elsewhere).
/// Thread-safety and blocking/awaitable forms: as PeerManager (peer_manager.h).
#pragma once

#include <asio/awaitable.hpp>

#include <functional>
#include <string>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "hauptbuch/p2p/types.h"

namespace hauptbuch::p2p {

namespace node { class NodeCore; }

enum class Validation { Accept, Reject, Ignore };

struct RouterMetrics {
  uint64_t published = 0, delivered = 0, forwarded = 0, duplicates = 0, invalid = 0, queue_drops = 0;
  uint64_t routed = 0, routing_failures = 0, requests_sent = 0, requests_received = 0;
};

class MessageRouter {
 public:
  using MessageHandler = std::function<void(const Message&)>;
  using MessageValidator = std::function<Validation(const Message&)>;
  /// Answers a request; an error is sent back as an error status.
  using RequestHandler = std::function<Result<std::vector<uint8_t>>(const std::string& from_peer, const std::vector<uint8_t>& request)>;

  explicit MessageRouter(node::NodeCore* core) : core_(core) {}

  /// `/hauptbuch/<chain>/<topic>`.
  static std::string chain_topic(const std::string& chain, const std::string& topic);

  /// Joins `topic`; `handler` gets every new message (each once). Replaces an earlier handler.
  Status subscribe(const std::string& topic, MessageHandler handler);
  Status unsubscribe(const std::string& topic);
  /// A validator runs before delivery and forwarding; Reject penalises the sender.
  void set_validator(const std::string& topic, MessageValidator validator);
  /// Publishes; returns the number of peers it was sent to. Errors: InvalidMessage,
  /// MessageRoutingFailed (duplicate), SecurityValidationFailed.
  Result<size_t> publish(const std::string& topic, std::vector<uint8_t> data);
  asio::awaitable<Result<size_t>> async_publish(std::string topic, std::vector<uint8_t> data);

  /// Request/response: serve `protocol` with `handler`.
  Status register_protocol(const std::string& protocol, RequestHandler handler);
  /// One request to a connected (or dialable: DHT lookup) peer. Errors: MessageRoutingFailed,
  /// PeerConnectionFailed, Timeout (message_timeout), InvalidMessage, ResourceLimitExceeded.
  Result<Response> send(const std::string& peer_id, const std::string& protocol, std::vector<uint8_t> data);
  asio::awaitable<Result<Response>> async_send(std::string peer_id, std::string protocol, std::vector<uint8_t> data);

  /// The specification's route_message(message, destination): a peer (connected → direct;
  /// otherwise found through the DHT and dialled, PQ by default) or a chain (served here →
  /// published into its gossip; otherwise relayed to a node that serves it). The RoutingResult
  /// says whether it was delivered, the path and the latency. Errors: MessageRoutingFailed,
  /// PeerConnectionFailed, PeerDiscoveryFailed, Timeout.
  Result<RoutingResult> route_message(std::vector<uint8_t> message, const Destination& destination);
  asio::awaitable<Result<RoutingResult>> async_route_message(std::vector<uint8_t> message, Destination destination);
  /// Messages routed to this node for a peer destination arrive here (the reply is returned to
  /// the sender in RoutingResult::reply).
  void set_routed_message_handler(RequestHandler handler);

  RouterMetrics metrics() const;
  /// Peers in our gossip mesh of `topic` right now (0 when not subscribed): a topic is ready for
  /// publishing once this is at least 1.
  size_t mesh_size(const std::string& topic) const;

 private:
  node::NodeCore* core_;
};

}  // namespace hauptbuch::p2p

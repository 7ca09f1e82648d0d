/// @file
/// P2PNetwork: one node of the Hauptbuch peer-to-peer network — the specification's P2PNetwork
/// and NetworkManager. It owns the transport (TCP listeners, secure channels, yamux), the peer
/// manager, the message router and the discovery engine, and runs them on an Asio io_context.
///
///   auto net = P2PNetwork::create(config);          // identity from config.key_file (or new)
///   (*net)->start_network();                          // listen, bootstrap, start services
///   (*net)->peer_manager().connect_to_peer("/ip4/127.0.0.1/tcp/4001/p2p/12D3…");
///   (*net)->message_router().publish(MessageRouter::chain_topic("main", "blocks"), bytes);
///   (*net)->stop();
///
/// Threads: by default the network runs its own io_context on one thread; all protocol state
/// stays on one strand, so handlers never run concurrently, and callbacks (message handlers,
/// validators, request handlers) run on that thread and must not block. Alternatively it runs on an
/// io_context you own (create(config, io)): then you run the io_context and use the awaitable
/// API (blocking calls need another thread running it).
/// Errors are P2PNetworkError codes (error.h) in Result/Status; nothing here throws.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>

#include <memory>
#include <string>
#include <vector>

#include "hauptbuch/p2p/config.h"
#include "hauptbuch/p2p/discovery_engine.h"
#include "hauptbuch/p2p/message_router.h"
#include "hauptbuch/p2p/peer_manager.h"
#include "hauptbuch/p2p/result.h"
#include "hauptbuch/p2p/types.h"

namespace hauptbuch::p2p {

class P2PNetwork {
 public:
  /// Validates the config, applies config.log_level (process-wide: spdlog's default logger on
  /// stderr) and loads the identity: config.key_file, or when empty a new in-memory key, hybrid
  /// Ed25519 + ML-DSA-65 unless config.security is Noise (standard libp2p peers cannot parse the
  /// hybrid key type; give an Ed25519 key file to mix them with PQ). Errors: InvalidConfig, InvalidKey.
  static Result<std::unique_ptr<P2PNetwork>> create(P2PNetworkConfig config);
  /// Same, running on the caller's io_context (no threads of its own).
  static Result<std::unique_ptr<P2PNetwork>> create(P2PNetworkConfig config, asio::io_context& io);
  /// Identity given as the bytes of a libp2p PrivateKey protobuf (tests, embedding).
  static Result<std::unique_ptr<P2PNetwork>> create_with_key(P2PNetworkConfig config, std::vector<uint8_t> private_key_protobuf,
                                                             asio::io_context* io = nullptr);
  ~P2PNetwork();  ///< stops
  P2PNetwork(const P2PNetwork&) = delete;
  P2PNetwork& operator=(const P2PNetwork&) = delete;

  /// Listens on config.listen_addrs (default /ip4/127.0.0.1/tcp/0), opens the peer store,
  /// starts discovery (bootstrap peers), gossip, request/response and the metrics endpoint.
  /// Errors: IoFailed (bind), InvalidPeerAddress, InvalidConfig.
  Status start_network();
  asio::awaitable<Status> async_start_network();
  /// Graceful shutdown: GoAway to every peer, peer store flushed, threads joined. Idempotent.
  void stop();

  /// The specification's cached_connect_to_peer: reuses an existing connection.
  Result<PeerInfo> connect_to_peer(const std::string& multiaddr) { return peers_.connect_to_peer(multiaddr); }

  NetworkState network_state() const;
  asio::awaitable<NetworkState> async_network_state() const;
  std::string peer_id() const;
  std::vector<std::string> listen_addrs() const;
  /// Prometheus text of this node's metrics (what /metrics serves).
  std::string metrics_text() const;
  /// The address the /metrics endpoint listens on ("" when off).
  std::string metrics_endpoint() const;

  PeerManager& peer_manager() { return peers_; }
  MessageRouter& message_router() { return router_; }
  DiscoveryEngine& discovery_engine() { return discovery_; }
  /// The executor all protocol state lives on (for advanced users of the awaitable API).
  asio::any_io_executor executor() const;

 private:
  explicit P2PNetwork(std::unique_ptr<node::NodeCore> core);
  std::unique_ptr<node::NodeCore> core_;
  PeerManager peers_;
  MessageRouter router_;
  DiscoveryEngine discovery_;
};

/// The specification's NetworkManager: the same class as P2PNetwork (one node's network).
using NetworkManager = P2PNetwork;

}  // namespace hauptbuch::p2p

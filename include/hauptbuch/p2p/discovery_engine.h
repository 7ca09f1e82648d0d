/// @file
/// DiscoveryEngine: finding peers — the specification's DiscoveryEngine (DiscoveryAlgorithm:
/// Kademlia over `/ipfs/kad/1.0.0` and one `/hauptbuch/<chain>/kad/1.0.0` per served chain;
/// PeerRegistry: the address store; DiscoveryMonitor: lookup counters).
///
/// Keys are arbitrary bytes; a chain's provider key is SHA-256("hauptbuch/chain/" + chain id)
/// (chain_key()). Every lookup is bounded by discovery_timeout.
/// Thread-safety and blocking/awaitable forms: as PeerManager (peer_manager.h).
#pragma once

#include <asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "hauptbuch/p2p/types.h"

namespace hauptbuch::p2p {

namespace node { class NodeCore; }

struct DiscoveryMetrics {
  uint64_t lookups = 0, failures = 0, hops = 0;       ///< hops: sum of rounds over lookups
  std::chrono::microseconds total_latency{0};
  uint64_t routing_table_size = 0, known_addresses = 0;
};

class DiscoveryEngine {
 public:
  explicit DiscoveryEngine(node::NodeCore* core) : core_(core) {}

  /// Dials the configured bootstrap peers and fills the routing table (self-lookup). Errors:
  /// PeerDiscoveryFailed when no bootstrap peer could be reached.
  Status bootstrap();
  asio::awaitable<Status> async_bootstrap();

  /// Runs a discovery round (random-key lookups) and returns peers not known before, within
  /// discovery_timeout. Found peers enter the address store; the peer manager dials them as
  /// outbound slots allow.
  Result<std::vector<DiscoveredPeer>> discover_peers();
  asio::awaitable<Result<std::vector<DiscoveredPeer>>> async_discover_peers();

  /// Addresses of a peer (connected peers answer at once). Errors: PeerDiscoveryFailed.
  Result<std::vector<std::string>> find_peer(const std::string& peer_id);
  asio::awaitable<Result<std::vector<std::string>>> async_find_peer(std::string peer_id);

  /// The k closest peers to `key` in the DHT of `chain` ("" = the libp2p DHT).
  asio::awaitable<Result<std::vector<DiscoveredPeer>>> async_closest_peers(std::vector<uint8_t> key, std::string chain = {});
  /// Announces this node as a provider of `key`.
  asio::awaitable<Status> async_provide(std::vector<uint8_t> key, std::string chain = {});
  asio::awaitable<Result<std::vector<DiscoveredPeer>>> async_find_providers(std::vector<uint8_t> key, std::string chain = {});
  asio::awaitable<Status> async_put_value(std::vector<uint8_t> key, std::vector<uint8_t> value, std::string chain = {});
  asio::awaitable<Result<std::vector<uint8_t>>> async_get_value(std::vector<uint8_t> key, std::string chain = {});
  /// Peers that serve `chain` (its provider records).
  asio::awaitable<Result<std::vector<DiscoveredPeer>>> async_find_chain_peers(std::string chain);

  DiscoveryMetrics metrics() const;

  /// SHA-256("hauptbuch/chain/" + chain): the provider key a node announces for each chain.
  static std::vector<uint8_t> chain_key(const std::string& chain);

 private:
  node::NodeCore* core_;
};

}  // namespace hauptbuch::p2p

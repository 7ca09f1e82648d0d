/// @file
/// Plain value types of the public API: what P2PNetwork, PeerManager, MessageRouter and
/// DiscoveryEngine return. Peer ids are base58 text (as `hbp2p id` prints them) and addresses
/// are multiaddr text, so applications need no other headers to use them.
/// Thread-safety: values; copy freely.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "hauptbuch/p2p/config.h"

namespace hauptbuch::p2p {

enum class ConnectionDirection { Inbound, Outbound };

/// A connected peer.
struct PeerInfo {
  std::string peer_id;                ///< base58
  std::vector<std::string> addrs;     ///< transport address first, then its listen addresses
  ConnectionDirection direction = ConnectionDirection::Outbound;
  std::string security;               ///< "/hauptbuch/pq-noise/1.0.0" or "/noise"
  std::string agent;                  ///< from identify ("" until identified)
  std::vector<std::string> protocols; ///< from identify
  double score = 0;                   ///< connection-level reputation (PeerManager)
};

/// A peer found by discovery (not necessarily connected).
struct DiscoveredPeer {
  std::string peer_id;
  std::vector<std::string> addrs;
};

/// A timed ban.
struct BanInfo {
  std::string key;      ///< "peer:<base58>" or "ip:<address>"
  std::chrono::seconds remaining{0};
  std::string reason;
};

/// Counters of one node; monotonic unless named as a current value.
struct NetworkMetrics {
  /// current values
  uint64_t connected_peers = 0, inbound_peers = 0, outbound_peers = 0;
  uint64_t pq_connections = 0, noise_connections = 0;
  uint64_t known_addresses = 0, banned = 0, routing_table_size = 0;
  /// totals since start
  uint64_t dials = 0, inbound_accepted = 0, inbound_refused = 0, handshake_failures = 0;
  uint64_t messages_published = 0, messages_delivered = 0, messages_forwarded = 0, duplicates = 0;
  uint64_t gossip_queue_drops = 0;
  uint64_t messages_routed = 0, routing_failures = 0;
  uint64_t requests_sent = 0, requests_received = 0;
  uint64_t dht_lookups = 0, dht_lookup_failures = 0;
  std::chrono::milliseconds uptime{0};
};

/// The specification's network_state(): connected peers, metrics and the configuration.
struct NetworkState {
  std::string peer_id;
  std::vector<std::string> listen_addrs;
  std::vector<PeerInfo> connected_peers;
  NetworkMetrics network_metrics;
  P2PNetworkConfig config;
};

/// A gossip message delivered to the application.
struct Message {
  std::string topic;
  std::string from;   ///< base58 of the peer that forwarded it to us ("" when it entered the chain
                      /// here: a cross-chain delivery routed to this node)
  std::string id;     ///< hex message id
  std::vector<uint8_t> data;
};

/// Where route_message() should deliver: one peer, or every subscriber of a topic on a chain
/// (cross-chain routing when this node does not serve that chain).
struct Destination {
  std::string peer_id;  ///< set: deliver to this peer (request/response)
  std::string chain;    ///< set (and peer_id empty): deliver into this chain's gossip
  std::string topic = "routed";  // topic inside the chain's namespace for chain delivery
  static Destination peer(std::string id) { return {std::move(id), {}, "routed"}; }
  static Destination to_chain(std::string chain, std::string topic = "routed") {
    return {{}, std::move(chain), std::move(topic)};
  }
};

/// The outcome of MessageRouter::route_message.
struct RoutingResult {
  bool delivered = false;
  std::string path;                     ///< "direct", "dht+dial", "relay"
  std::vector<std::string> hops;        ///< peer ids the message went through, in order
  std::chrono::microseconds latency{0};
  std::vector<uint8_t> reply;           ///< the destination's answer (peer delivery)
};

/// The reply to MessageRouter::send.
struct Response {
  std::vector<uint8_t> data;
  std::chrono::microseconds rtt{0};
};

}  // namespace hauptbuch::p2p

/// @file
/// PeerManager: connecting to peers and keeping a healthy, diverse peer set — the
/// specification's PeerManager with its ConnectionManager (limits and counts), SecurityManager
/// (security mode, bans, scores) and DiscoveryEngine (discovery_engine.h).
///
/// Behind it: a bucketed address store in the style of Bitcoin Core's addrman (persisted in
/// SQLite under data_dir), an outbound policy (target outbound peers, at most 2 per network
/// group), anchors, peer scores with decay and timed bans, and redial with exponential backoff
/// and jitter (docs/peer-management.md).
///
/// Every operation has a blocking form and an awaitable form (`async_…`). Thread-safety: all
/// methods may be called from any thread; the awaitable forms may be awaited from any executor
/// and complete there. Blocking forms must not be called from the network's own threads (they
/// return InvalidConnection instead of deadlocking) and wait at most connection_timeout plus a
/// margin (then Timeout).
#pragma once

#include <asio/awaitable.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "hauptbuch/p2p/types.h"

namespace hauptbuch::p2p {

namespace node { class NodeCore; }
class DiscoveryEngine;

/// Connection limits and current counts (read-only view).
class ConnectionManager {
 public:
  explicit ConnectionManager(node::NodeCore* core) : core_(core) {}
  struct Counts { uint32_t inbound = 0, outbound = 0, total = 0; };
  struct Limits { uint32_t max_peers, max_inbound, max_outbound, max_inbound_per_ip, max_inbound_per_subnet, outbound_target; };
  Counts counts() const;
  Limits limits() const;
  /// True when a new outbound connection would be admitted now.
  bool can_connect_outbound() const;
 private:
  node::NodeCore* core_;
};

/// Security settings, bans and scores.
class SecurityManager {
 public:
  explicit SecurityManager(node::NodeCore* core) : core_(core) {}
  SecurityMode security_mode() const;
  /// Bans a peer (disconnecting it) for `duration`. Errors: InvalidPeerAddress (bad peer id).
  Status ban_peer(const std::string& peer_id, std::chrono::seconds duration, const std::string& reason);
  Status unban(const std::string& key_or_peer_id);
  std::vector<BanInfo> bans() const;
  bool is_banned(const std::string& peer_id) const;
  double score(const std::string& peer_id) const;
 private:
  node::NodeCore* core_;
};

class PeerManager {
 public:
  explicit PeerManager(node::NodeCore* core);

  /// Dials `multiaddr` (…/tcp/N, optionally `…/p2p/<id>`); an existing connection to that peer is
  /// reused (cached connect). Errors: InvalidPeerAddress, ConnectionLimitsExceeded,
  /// PeerConnectionFailed, Timeout, SecurityValidationFailed, PeerSecurityValidationFailed.
  Result<PeerInfo> connect_to_peer(const std::string& multiaddr);
  asio::awaitable<Result<PeerInfo>> async_connect_to_peer(std::string multiaddr);

  /// The specification's validation path, each failure its own error: address validation (must
  /// parse, be TCP, carry `/p2p/<id>`) → InvalidPeerAddress; limit check →
  /// ConnectionLimitsExceeded; ban check → PeerSecurityValidationFailed; backoff after recent
  /// failures → PeerConnectionFailed; then the dial, whose authenticated identity must equal the
  /// /p2p id → PeerSecurityValidationFailed.
  Result<PeerInfo> secure_connect_to_peer(const std::string& multiaddr);
  asio::awaitable<Result<PeerInfo>> async_secure_connect_to_peer(std::string multiaddr);

  /// Dials all addresses concurrently; results in input order.
  std::vector<Result<PeerInfo>> connect_to_peers(const std::vector<std::string>& multiaddrs);
  asio::awaitable<std::vector<Result<PeerInfo>>> async_connect_to_peers(std::vector<std::string> multiaddrs);

  /// Closes the connection (GoAway first). Errors: InvalidPeerAddress, InvalidConnection.
  Status disconnect(const std::string& peer_id);
  std::vector<PeerInfo> connected_peers() const;
  /// Round-trip time of one ping to a connected peer.
  Result<std::chrono::microseconds> ping(const std::string& peer_id);
  asio::awaitable<Result<std::chrono::microseconds>> async_ping(std::string peer_id);

  ConnectionManager& connection_manager() { return connections_; }
  SecurityManager& security_manager() { return security_; }
  DiscoveryEngine& discovery_engine() { return *discovery_; }

 private:
  friend class P2PNetwork;
  node::NodeCore* core_;
  DiscoveryEngine* discovery_ = nullptr;
  ConnectionManager connections_;
  SecurityManager security_;
};

}  // namespace hauptbuch::p2p

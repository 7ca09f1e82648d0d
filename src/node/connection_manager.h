// ConnectionManager: pure bookkeeping of live connections and the admission limits
// (max_peers, inbound/outbound caps, per-IP and per-/24 (IPv4) or /48 (IPv6) inbound caps —
// not applied to loopback peers, who all share one address —
// one connection per peer with a deterministic simultaneous-dial tie-break).
// It owns no sockets and does no I/O; the Host calls it from one strand (not thread-safe).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <asio/ip/address.hpp>

#include "hauptbuch/p2p/result.h"

namespace hauptbuch::p2p::node {

enum class Direction : uint8_t { Inbound, Outbound };

// Limits; the values come from the node config (max_peers, max_inbound, ...).
struct ConnectionLimits {
  size_t max_peers = 50;
  size_t max_inbound = 40;
  size_t max_outbound = 20;
  size_t max_inbound_per_ip = 4;
  size_t max_inbound_per_subnet = 8;
};

using ConnectionId = uint64_t;

// Result of registering an authenticated connection.
struct AdmitDecision {
  bool keep_new = true;                  // false: close the new connection, reuse the old one
  std::optional<ConnectionId> close_old; // set: close this existing connection instead
};

class ConnectionManager {
 public:
  explicit ConnectionManager(ConnectionLimits limits) : limits_(limits) {}

  // Pre-handshake check for an accepted socket from `ip`.
  // Errors: ConnectionLimitsExceeded when an inbound, per-IP, per-subnet or total cap is full.
  Status check_inbound(const asio::ip::address& ip) const;
  // Pre-dial check. Errors: ConnectionLimitsExceeded when the outbound or total cap is full.
  Status check_outbound() const;

  // Registers connection `id` (not yet registered) to `remote_peer` (canonical PeerId bytes).
  // `local_peer` is our own PeerId bytes, used for the tie-break: of two connections to the
  // same peer, the one whose initiator has the smaller PeerId is kept.
  // On error nothing changes. Errors: ConnectionLimitsExceeded (a cap is full);
  // InvalidPeerAddress (the id is already registered).
  Result<AdmitDecision> add(ConnectionId id, const std::string& remote_peer,
                            const std::string& local_peer, Direction dir,
                            const asio::ip::address& ip);

  // Forgets connection `id`; unknown ids are ignored.
  void remove(ConnectionId id);

  // The connection kept for `peer`, if any.
  std::optional<ConnectionId> connection_for(const std::string& peer) const;

  size_t total() const { return conns_.size(); }
  size_t inbound() const { return inbound_; }
  bool tracks(ConnectionId id) const { return conns_.count(id) != 0; }
  // Inbound connections hold every inbound slot (max_inbound), or every slot (max_peers) with at
  // least one inbound among them: an inbound eviction could make room.
  bool inbound_full() const {
    return inbound_ > 0 && (inbound_ >= limits_.max_inbound || conns_.size() >= limits_.max_peers);
  }
  size_t outbound() const { return conns_.size() - inbound_; }

  // The subnet key used for per-subnet limits: /24 for IPv4 (and v4-mapped v6), /48 for IPv6.
  static std::string subnet_key(const asio::ip::address& ip);

 private:
  struct Entry {
    std::string peer;
    Direction dir;
    asio::ip::address ip;
    std::string initiator;  // PeerId bytes of the side that dialled
  };
  Status check_caps(Direction dir, const asio::ip::address& ip) const;
  void insert(ConnectionId id, Entry e);

  ConnectionLimits limits_;
  std::map<ConnectionId, Entry> conns_;
  std::map<std::string, ConnectionId> by_peer_;
  std::map<asio::ip::address, size_t> inbound_per_ip_;
  std::map<std::string, size_t> inbound_per_subnet_;
  size_t inbound_ = 0;
};

}  // namespace hauptbuch::p2p::node

/// @file
/// P2PNetworkError: every failure the library reports, as a std::error_code category.
///
/// The enumerators named in the specification keep their names; a few more specific ones
/// follow them. Every public function that can fail returns Result<T> (see result.h), whose
/// error carries one of these codes plus a human-readable detail. No exception crosses the
/// library boundary or a network boundary.
#pragma once

#include <string>
#include <system_error>

namespace hauptbuch::p2p {

enum class P2PNetworkError : int {
  /// --- the specification's variants ---
  InvalidPeerAddress = 1,        ///< a multiaddr or peer id that cannot be parsed or used
  InvalidMessage,                ///< malformed, oversized or out-of-protocol bytes from a peer
  InvalidConnection,             ///< a connection in the wrong state for the operation
  PeerConnectionFailed,          ///< dial, handshake or upgrade failed
  MessageRoutingFailed,          ///< a message could not be delivered to its destination
  PeerDiscoveryFailed,           ///< a lookup found nothing or the DHT is unreachable
  SecurityValidationFailed,      ///< handshake crypto failed, downgrade detected, bad signature
  ConnectionLimitsExceeded,      ///< a connection/stream limit would be exceeded
  PeerSecurityValidationFailed,  ///< the authenticated peer is not who we dialled, or is banned
  NetworkManagementFailed,
  PeerManagementFailed,
  DiscoveryEngineFailed,
  ConnectionManagementFailed,
  SecurityManagementFailed,
  /// --- more specific codes ---
  Timeout,                       ///< an operation ran past its deadline
  Cancelled,                     ///< the operation was cancelled (shutdown, peer closed)
  InvalidConfig,                 ///< a configuration key has an invalid value
  InvalidKey,                    ///< a key or key file is malformed or unusable
  ResourceLimitExceeded,         ///< a buffer, queue or memory budget would be exceeded
  Unsupported,                   ///< a protocol, key type or feature we do not implement
  IoFailed,                      ///< an operating-system I/O call failed
};

const std::error_category& p2p_network_error_category() noexcept;

inline std::error_code make_error_code(P2PNetworkError e) noexcept {
  return {static_cast<int>(e), p2p_network_error_category()};
}

/// Short stable name of a code ("InvalidMessage"), used in logs and JSON replies.
const char* error_name(P2PNetworkError e) noexcept;

}  // namespace hauptbuch::p2p

template <>
struct std::is_error_code_enum<hauptbuch::p2p::P2PNetworkError> : std::true_type {};

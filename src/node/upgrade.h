// The connection upgrade (rust-libp2p order): raw TCP -> multistream-select of a security
// protocol -> secure handshake -> multistream-select of /yamux/1.0.0 over the secure channel.
// The caller bounds the whole upgrade with a watchdog (handshake_timeout) that closes the
// socket. Security protocols come from a table of factories, so adding one is one entry.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hauptbuch/p2p/config.h"
#include "secure/secure_channel.h"
#include "util/work_pool.h"

namespace hauptbuch::p2p::node {

inline constexpr std::string_view kYamuxProtocol = "/yamux/1.0.0";

struct SecurityProtocol {
  std::string id;  // e.g. "/noise"
  bool post_quantum = false;
  // Makes a handshake. `expected` is set for dials to /p2p/<id>; `pq_capable` says whether
  // this node also speaks a PQ protocol (for downgrade detection inside classical handshakes).
  std::function<std::unique_ptr<secure::SecureHandshake>(bool initiator, std::optional<PeerId> expected,
                                                          bool pq_capable)>
      make;
  // After a classical handshake: did the peer announce PQ support? (nullptr: never)
  std::function<bool(const secure::SecureHandshake&)> peer_pq_capable;
};

struct Upgraded {
  std::unique_ptr<secure::SecureTransport> transport;
  Bytes plaintext;  // already-decrypted bytes after the yamux negotiation (muxer data)
  std::string security;
};

// The protocols to offer/accept for a mode, in preference order (PQ first).
std::vector<const SecurityProtocol*> security_for_mode(const std::vector<SecurityProtocol>& table, SecurityMode mode);

// With a `pool`, the handshake's CPU-heavy steps (start() and every feed(): the key exchanges
// and signatures) run on its workers while the socket I/O stays on the caller's strand;
// without one they run inline.
asio::awaitable<Result<Upgraded>> upgrade_connection(asio::ip::tcp::socket& socket, bool initiator,
                                                     const std::vector<const SecurityProtocol*>& offered,
                                                     std::optional<PeerId> expected, bool pq_capable,
                                                     util::WorkPool* pool = nullptr);

}  // namespace hauptbuch::p2p::node

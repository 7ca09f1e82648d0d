// ping (`/ipfs/ping/1.0.0`; specs: ping/ping.md): the dialer sends 32 random bytes, the
// listener echoes them; the round-trip time is measured by the dialer. One stream may carry
// many pings. The server side echoes until the stream ends (bounded by the stream's flow
// control; the node limits concurrent ping streams per peer).
#pragma once

#include <asio/awaitable.hpp>

#include "node/connection.h"
#include "util/random.h"

namespace hauptbuch::p2p::ping {

inline constexpr std::string_view kPingProtocol = "/ipfs/ping/1.0.0";
inline constexpr size_t kPingSize = 32;

// Echo loop for an inbound ping stream.
asio::awaitable<void> serve(node::StreamPtr stream);
// One ping on `stream`. Errors: InvalidMessage (wrong echo), Cancelled, stream errors.
asio::awaitable<Result<Duration>> ping_once(node::Stream& stream, RandomSource& rng);

}  // namespace hauptbuch::p2p::ping

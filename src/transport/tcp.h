// TCP transport helpers: multiaddr <-> Asio endpoint conversion and socket options. The
// coroutine plumbing that dials and accepts lives in node/host.cc; this file holds what is
// independent of connections so it can be unit-tested without sockets.
#pragma once

#include <asio/ip/tcp.hpp>

#include "hauptbuch/p2p/result.h"
#include "util/multiaddr.h"

namespace hauptbuch::p2p::transport {

// The TCP endpoint of /ip4/A/tcp/N or /ip6/A/tcp/N (optionally followed by /p2p/<id>).
// Errors: InvalidPeerAddress (not a TCP address, or other protocols after tcp), Unsupported
// (DNS names: resolve first; not done here).
Result<asio::ip::tcp::endpoint> tcp_endpoint_of(const Multiaddr& addr);
// /ip4/A/tcp/N or /ip6/A/tcp/N for an endpoint (IPv4-mapped IPv6 printed as IPv4).
Multiaddr multiaddr_of(const asio::ip::tcp::endpoint& ep);
// TCP_NODELAY on; errors ignored (a socket without it still works).
void tune_socket(asio::ip::tcp::socket& s);

}  // namespace hauptbuch::p2p::transport

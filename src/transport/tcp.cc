// TCP transport helpers (see tcp.h).
#include "transport/tcp.h"

namespace hauptbuch::p2p::transport {

Result<asio::ip::tcp::endpoint> tcp_endpoint_of(const Multiaddr& addr) {
  const auto ep = addr.without_p2p().tcp_endpoint();
  if (!ep) return Error(P2PNetworkError::InvalidPeerAddress, "not a TCP address: " + addr.to_string());
  if (ep->is_dns) return Error(P2PNetworkError::Unsupported, "DNS addresses are not resolved yet: " + addr.to_string());
  // Nothing may follow /tcp/N except /p2p/<id> (no /ws, /tls ...).
  const auto comps = addr.without_p2p().components();
  if (comps.empty() || comps.back().proto != Proto::Tcp)
    return Error(P2PNetworkError::Unsupported, "unsupported transport after /tcp: " + addr.to_string());
  std::error_code ec;
  const auto ip = asio::ip::make_address(ep->host, ec);
  if (ec) return Error(P2PNetworkError::InvalidPeerAddress, "bad IP in " + addr.to_string());
  return asio::ip::tcp::endpoint(ip, ep->port);
}

Multiaddr multiaddr_of(const asio::ip::tcp::endpoint& ep) {
  asio::ip::address a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  return Multiaddr::from_ip_tcp(a.to_string(), ep.port());
}

void tune_socket(asio::ip::tcp::socket& s) {
  std::error_code ec;
  s.set_option(asio::ip::tcp::no_delay(true), ec);
}

}  // namespace hauptbuch::p2p::transport

// Multiaddr: self-describing network addresses (multiformats/multiaddr) in binary and text form.
//
// A Multiaddr always holds valid, canonical binary bytes: every constructor path (parse,
// from_bytes, with_component) validates each component against the protocol table in
// multiaddr_protocols.h, so to_string() cannot fail and text -> bytes -> text is stable.
// Unknown protocol codes are rejected rather than carried opaquely: we could not print them,
// and an address we cannot interpret is of no use to the transports. Never throws.
// Multiaddr is a plain value type: const member functions may be called concurrently.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p {

// Protocol codes from the multiformats multicodec table (the multiaddr subset we support).
enum class Proto : uint32_t {
  Ip4 = 4,
  Tcp = 6,
  Udp = 273,
  Dns = 53,
  Dns4 = 54,
  Dns6 = 55,
  Dnsaddr = 56,
  Ip6 = 41,
  P2p = 421,
  QuicV1 = 461,
  Ws = 477,
  Wss = 478,
  Quic = 460,
  P2pCircuit = 290,
  Tls = 448,
  Noise = 454,
  Ip6zone = 42,
  Sni = 449,
  WebTransport = 465,
  Http = 480,
  Https = 443,
};

// One component. `value` is the binary value without any length prefix (for /p2p/ the
// multihash bytes, for /tcp/ two big-endian bytes); empty if the protocol has no value.
struct MultiaddrComponent {
  Proto proto;
  Bytes value;
  friend bool operator==(const MultiaddrComponent&, const MultiaddrComponent&) = default;
};

class Multiaddr {
 public:
  // Largest binary multiaddr we accept. Real addresses are under 100 bytes (a circuit relay
  // address with two peer ids is ~150); 1 KiB leaves generous room while keeping identify
  // and peer-record address lists (which hold many of these) small.
  static constexpr size_t kMaxBytes = 1024;
  // Largest text form we accept. The text of a valid binary multiaddr is at most 6.5 times
  // longer (a 2-byte code spelled "/webtransport"), so 8x guarantees that to_string() of any
  // valid Multiaddr parses back, while still bounding the work a hostile string can cause.
  static constexpr size_t kMaxTextLength = 8 * kMaxBytes;

  // Parses the text form ("/ip4/1.2.3.4/tcp/4001/p2p/Qm..."). Accepts the legacy /ipfs/ name,
  // a CIDv1 (libp2p-key) as /p2p/ value and one trailing '/'. Errors: InvalidPeerAddress with
  // a detail naming the offending component (empty input, unknown protocol, missing or
  // invalid value, too long). Thread-safe.
  static Result<Multiaddr> parse(std::string_view text);
  // Parses the binary form; the whole input must be consumed. Errors: InvalidPeerAddress
  // (empty, truncated, non-minimal varint, unknown code, invalid value, trailing bytes, more
  // than kMaxBytes). Thread-safe.
  static Result<Multiaddr> from_bytes(ByteSpan bytes);

  // Canonical text form ("" for an empty Multiaddr); IPv6 per RFC 5952, peer ids base58btc.
  std::string to_string() const;
  const Bytes& bytes() const { return bytes_; }
  std::vector<MultiaddrComponent> components() const;
  bool empty() const { return bytes_.empty(); }

  // Concatenation of this and `other`. The result can exceed kMaxBytes (then from_bytes of
  // its bytes fails); use try_encapsulate where the bound matters.
  Multiaddr encapsulate(const Multiaddr& other) const;
  // Like encapsulate, but ResourceLimitExceeded if the result would exceed kMaxBytes.
  Result<Multiaddr> try_encapsulate(const Multiaddr& other) const;
  // Appends one component after validating `value` (binary form, see MultiaddrComponent).
  // Errors: InvalidPeerAddress for a bad value, ResourceLimitExceeded beyond kMaxBytes.
  Result<Multiaddr> with_component(Proto p, ByteSpan value) const;
  // Value of the last component with protocol `p` (e.g. the /p2p/ multihash bytes).
  std::optional<Bytes> last_value(Proto p) const;
  // This address without a trailing /p2p/<id> (unchanged if the last component is not p2p).
  Multiaddr without_p2p() const;

  // Convenience for the TCP transport.
  struct TcpEndpoint {
    std::string host;  // IP literal (IPv6 without brackets, "%zone" appended) or DNS name
    bool is_ip6;       // true for ip6 and dns6 (resolve AAAA only)
    bool is_dns;       // true for dns, dns4, dns6 (needs resolving first)
    uint16_t port;
  };
  // The endpoint of a [/ip6zone/Z]/ip4|ip6|dns|dns4|dns6/X/tcp/N prefix, or nullopt. Only
  // the prefix is examined: callers check what follows (e.g. /ws, /p2p/...) themselves.
  std::optional<TcpEndpoint> tcp_endpoint() const;
  // /ip4/X/tcp/N or /ip6/X/tcp/N (with /ip6zone/Z first if the literal has "%Z") from an IP
  // literal as printed by asio. Asserts the literal is valid; returns an empty Multiaddr for
  // an invalid one in release builds.
  static Multiaddr from_ip_tcp(const std::string& ip_literal, uint16_t port);

  friend bool operator==(const Multiaddr&, const Multiaddr&) = default;
  auto operator<=>(const Multiaddr&) const = default;

 private:
  Bytes bytes_;
};

}  // namespace hauptbuch::p2p

// The multiaddr protocol table (the subset we speak) and the per-protocol value codecs that
// turn a component's text value into its binary value and back.
//
// This file only knows single component values; multiaddr.cc frames them. Every function
// here treats its input as hostile: sizes are checked before use and nothing is allocated
// beyond the value limits below. It must never accept a value that it cannot print back to
// text which parses to the same bytes (the round-trip invariant the fuzzer checks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"
#include "util/multiaddr.h"

namespace hauptbuch::p2p::multiaddr_detail {

// How a protocol's value is spelled in binary.
enum class ValueKind : uint8_t {
  None,     // no value (tcp-less markers such as /ws, /quic-v1, /p2p-circuit)
  Ip4,      // 4 bytes, text a.b.c.d
  Ip6,      // 16 bytes, text RFC 5952
  Port,     // 2 bytes big-endian, text decimal 0..65535
  Name,     // uvarint length + printable ASCII without '/' (dns*, dnsaddr, sni, ip6zone)
  PeerId,   // uvarint length + multihash, text base58btc (CIDv1 libp2p-key also accepted)
};

struct ProtocolInfo {
  Proto proto;
  std::string_view name;
  ValueKind kind;
};

// DNS names are at most 253 characters (RFC 1035 §2.3.4 gives 255 octets on the wire); a
// zone id or SNI value has no reason to be longer. One bound for every Name value.
inline constexpr size_t kMaxNameLength = 255;
// A peer id multihash: code + length varints (<= 2 + 2 bytes) + at most kMaxDigestSize bytes.
inline constexpr size_t kMaxPeerIdBytes = 4 + 128;
// Base58 or multibase text of such a multihash is below 2 * kMaxPeerIdBytes characters;
// checked before decoding because base58 decoding is quadratic.
inline constexpr size_t kMaxPeerIdText = 2 * kMaxPeerIdBytes;

// Looks a protocol up by its code; nullptr if we do not support it.
const ProtocolInfo* find_by_code(uint64_t code) noexcept;
// Looks a protocol up by its text name ("ipfs" is the legacy name of p2p); nullptr if unknown.
const ProtocolInfo* find_by_name(std::string_view name) noexcept;
// The canonical name of a supported protocol.
std::string_view name_of(Proto p) noexcept;

// Fixed binary value size of kind `k`, or 0 for None and for length-prefixed kinds.
size_t fixed_size(ValueKind k) noexcept;
// True if the binary value is preceded by a uvarint length.
inline bool is_length_prefixed(ValueKind k) noexcept {
  return k == ValueKind::Name || k == ValueKind::PeerId;
}

// Checks a binary value for protocol `info`. Errors: InvalidPeerAddress with a detail naming
// the protocol and what is wrong.
Status validate_value(const ProtocolInfo& info, ByteSpan value);
// Converts the text value of `info` to its binary value (validated). Errors: InvalidPeerAddress.
Result<Bytes> value_from_text(const ProtocolInfo& info, std::string_view text);
// Text form of a binary value that passed validate_value (canonical spelling).
std::string value_to_text(const ProtocolInfo& info, ByteSpan value);

// RFC 5952 canonical text of a 16-byte IPv6 address (IPv4-mapped addresses as ::ffff:a.b.c.d).
std::string format_ip6(ByteSpan sixteen_bytes);
// Dotted-quad text of a 4-byte IPv4 address.
std::string format_ip4(ByteSpan four_bytes);

}  // namespace hauptbuch::p2p::multiaddr_detail

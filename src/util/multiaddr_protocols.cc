// Multiaddr protocol table and per-protocol value codecs (see multiaddr_protocols.h).
#include "util/multiaddr_protocols.h"

#include <arpa/inet.h>

#include <array>

#include "util/base58.h"
#include "util/byte_reader.h"
#include "util/multibase.h"
#include "util/multihash.h"

namespace hauptbuch::p2p::multiaddr_detail {
namespace {

constexpr std::array<ProtocolInfo, 21> kProtocols{{
    {Proto::Ip4, "ip4", ValueKind::Ip4},
    {Proto::Tcp, "tcp", ValueKind::Port},
    {Proto::Udp, "udp", ValueKind::Port},
    {Proto::Dns, "dns", ValueKind::Name},
    {Proto::Dns4, "dns4", ValueKind::Name},
    {Proto::Dns6, "dns6", ValueKind::Name},
    {Proto::Dnsaddr, "dnsaddr", ValueKind::Name},
    {Proto::Ip6, "ip6", ValueKind::Ip6},
    {Proto::Ip6zone, "ip6zone", ValueKind::Name},
    {Proto::P2p, "p2p", ValueKind::PeerId},
    {Proto::P2pCircuit, "p2p-circuit", ValueKind::None},
    {Proto::Quic, "quic", ValueKind::None},
    {Proto::QuicV1, "quic-v1", ValueKind::None},
    {Proto::WebTransport, "webtransport", ValueKind::None},
    {Proto::Tls, "tls", ValueKind::None},
    {Proto::Sni, "sni", ValueKind::Name},
    {Proto::Noise, "noise", ValueKind::None},
    {Proto::Ws, "ws", ValueKind::None},
    {Proto::Wss, "wss", ValueKind::None},
    {Proto::Http, "http", ValueKind::None},
    {Proto::Https, "https", ValueKind::None},
}};

// The libp2p-key multicodec: the only CID codec a /p2p/ value may carry.
constexpr uint64_t kLibp2pKeyCodec = 0x72;

Error bad(const ProtocolInfo& info, std::string_view what) {
  std::string d = "/";
  d += info.name;
  d += ": ";
  d += what;
  return Error(P2PNetworkError::InvalidPeerAddress, std::move(d));
}

// Printable ASCII except '/', which separates components in the text form. Non-ASCII names
// travel as punycode, so this loses nothing real and keeps the text form unambiguous.
bool is_name_char(uint8_t c) noexcept { return c >= 0x21 && c <= 0x7e && c != '/'; }

Result<Bytes> peer_id_from_text(const ProtocolInfo& info, std::string_view text) {
  if (text.size() > kMaxPeerIdText) return bad(info, "peer id text too long");
  Bytes mh_bytes;
  if (!text.empty() && (text[0] == 'Q' || text[0] == '1')) {
    // Legacy form: bare base58btc multihash ("Qm..." sha2-256, "12D3Koo..." identity).
    auto decoded = base58::decode(text);
    if (!decoded) return bad(info, "peer id is not valid base58btc");
    mh_bytes = std::move(*decoded);
  } else {
    // CIDv1 in any multibase we support: <1><libp2p-key><multihash>.
    auto decoded = multibase::decode(text);
    if (!decoded) return bad(info, "peer id is neither base58btc nor a multibase CID");
    ByteReader r(*decoded);
    uint64_t version = 0;
    uint64_t codec = 0;
    if (!r.read_uvarint(version) || version != 1) return bad(info, "peer id CID is not version 1");
    if (!r.read_uvarint(codec) || codec != kLibp2pKeyCodec) {
      return bad(info, "peer id CID codec is not libp2p-key");
    }
    mh_bytes = to_bytes(r.rest());
  }
  HBP2P_TRY(validate_value(info, mh_bytes));
  return mh_bytes;
}

Result<Bytes> port_from_text(const ProtocolInfo& info, std::string_view text) {
  if (text.empty()) return bad(info, "empty port");
  if (text.size() > 5) return bad(info, "port out of range");
  if (text.size() > 1 && text[0] == '0') return bad(info, "port has a leading zero");
  uint32_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad(info, "port is not a decimal number");
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v > 65535) return bad(info, "port out of range");
  return Bytes{static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v & 0xff)};
}

Result<Bytes> ip_from_text(const ProtocolInfo& info, std::string_view text, bool v6) {
  // INET6_ADDRSTRLEN (46) bounds every textual IPv6 address, including ::ffff:a.b.c.d.
  constexpr size_t kMaxIpText = 46;
  if (text.empty() || text.size() >= kMaxIpText) return bad(info, "invalid address");
  std::array<char, kMaxIpText> z{};
  text.copy(z.data(), text.size());  // NUL-terminated copy for inet_pton
  Bytes out(v6 ? 16 : 4);
  if (inet_pton(v6 ? AF_INET6 : AF_INET, z.data(), out.data()) != 1) {
    return bad(info, v6 ? "invalid IPv6 address" : "invalid IPv4 address");
  }
  return out;
}

}  // namespace

const ProtocolInfo* find_by_code(uint64_t code) noexcept {
  for (const auto& p : kProtocols) {
    if (static_cast<uint64_t>(p.proto) == code) return &p;
  }
  return nullptr;
}

const ProtocolInfo* find_by_name(std::string_view name) noexcept {
  if (name == "ipfs") return find_by_code(static_cast<uint64_t>(Proto::P2p));
  for (const auto& p : kProtocols) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string_view name_of(Proto p) noexcept {
  const ProtocolInfo* info = find_by_code(static_cast<uint64_t>(p));
  return info ? info->name : std::string_view("unknown");
}

size_t fixed_size(ValueKind k) noexcept {
  switch (k) {
    case ValueKind::Ip4: return 4;
    case ValueKind::Ip6: return 16;
    case ValueKind::Port: return 2;
    default: return 0;
  }
}

Status validate_value(const ProtocolInfo& info, ByteSpan value) {
  switch (info.kind) {
    case ValueKind::None:
      if (!value.empty()) return bad(info, "protocol takes no value");
      return ok_status();
    case ValueKind::Ip4:
    case ValueKind::Ip6:
    case ValueKind::Port:
      if (value.size() != fixed_size(info.kind)) return bad(info, "wrong value size");
      return ok_status();
    case ValueKind::Name:
      if (value.empty()) return bad(info, "empty value");
      if (value.size() > kMaxNameLength) return bad(info, "value longer than 255 bytes");
      for (uint8_t c : value) {
        if (!is_name_char(c)) return bad(info, "value has a character outside printable ASCII or '/'");
      }
      return ok_status();
    case ValueKind::PeerId: {
      if (value.size() > kMaxPeerIdBytes) return bad(info, "peer id too long");
      auto mh = Multihash::parse(value);
      if (!mh) {
        std::string d = "peer id is not a valid multihash: ";
        d += mh.error().detail();
        return bad(info, d);
      }
      return ok_status();
    }
  }
  return bad(info, "unknown value kind");
}

Result<Bytes> value_from_text(const ProtocolInfo& info, std::string_view text) {
  switch (info.kind) {
    case ValueKind::None: return bad(info, "protocol takes no value");
    case ValueKind::Ip4: return ip_from_text(info, text, false);
    case ValueKind::Ip6: return ip_from_text(info, text, true);
    case ValueKind::Port: return port_from_text(info, text);
    case ValueKind::Name: {
      const ByteSpan b = as_bytes(text);
      HBP2P_TRY(validate_value(info, b));
      return to_bytes(b);
    }
    case ValueKind::PeerId: return peer_id_from_text(info, text);
  }
  return bad(info, "unknown value kind");
}

std::string value_to_text(const ProtocolInfo& info, ByteSpan value) {
  switch (info.kind) {
    case ValueKind::None: return {};
    case ValueKind::Ip4: return format_ip4(value);
    case ValueKind::Ip6: return format_ip6(value);
    case ValueKind::Port: return std::to_string((unsigned{value[0]} << 8) | value[1]);
    case ValueKind::Name: return std::string(as_string_view(value));
    case ValueKind::PeerId: return base58::encode(value);
  }
  return {};
}

std::string format_ip4(ByteSpan b) {
  std::string out;
  for (size_t i = 0; i < 4; ++i) {
    if (i) out.push_back('.');
    out += std::to_string(b[i]);
  }
  return out;
}

std::string format_ip6(ByteSpan b) {
  std::array<uint16_t, 8> w{};
  for (size_t i = 0; i < 8; ++i) w[i] = static_cast<uint16_t>((b[2 * i] << 8) | b[2 * i + 1]);
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0xffff) {
    std::string out = "::ffff:";
    out += format_ip4(b.subspan(12, 4));
    return out;
  }
  // §4.2: compress the longest run of two or more zero groups, the first one on a tie.
  int best = -1;
  int best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;
  static constexpr std::string_view kHex = "0123456789abcdef";  // §4.3 lower case
  std::string out;
  out.reserve(39);  // longest form: 8 groups of 4 digits and 7 colons
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out.push_back(':');
    bool started = false;  // §4.1 no leading zeros
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned nibble = (w[i] >> shift) & 0xf;
      if (nibble != 0 || started || shift == 0) {
        out.push_back(kHex[nibble]);
        started = true;
      }
    }
  }
  return out;
}

}  // namespace hauptbuch::p2p::multiaddr_detail

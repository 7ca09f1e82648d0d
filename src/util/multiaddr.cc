// Multiaddr framing: binary <-> text, component access, and the TCP convenience helpers.
// Per-protocol values are handled in multiaddr_protocols.cc.
#include "util/multiaddr.h"

#include <cassert>
#include <initializer_list>

#include "util/byte_reader.h"
#include "util/multiaddr_protocols.h"
#include "util/varint.h"

namespace hauptbuch::p2p {
namespace {

using multiaddr_detail::find_by_code;
using multiaddr_detail::find_by_name;
using multiaddr_detail::fixed_size;
using multiaddr_detail::is_length_prefixed;
using multiaddr_detail::ProtocolInfo;
using multiaddr_detail::ValueKind;

// Joins pieces of an error detail. (Not "literal" + std::string: g++-12 -O3 warns falsely
// about that with -Wrestrict.)
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

Error invalid(std::string_view detail) {
  return Error(P2PNetworkError::InvalidPeerAddress, cat({"multiaddr: ", detail}));
}

// Quotes attacker-chosen text in an error detail only if it is short and printable, so that
// errors stay safe to log.
std::string quoted(std::string_view s) {
  constexpr size_t kMaxQuoted = 32;
  if (s.size() > kMaxQuoted) return "(long name)";
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) return "(unprintable name)";
  }
  return cat({"'", s, "'"});
}

// Reads one component (code + value) from `r`; the value span points into the input.
Result<const ProtocolInfo*> read_component(ByteReader& r, ByteSpan& value) {
  uint64_t code = 0;
  if (!r.read_uvarint(code)) return invalid("truncated or non-minimal protocol code");
  const ProtocolInfo* info = find_by_code(code);
  if (info == nullptr) return invalid(cat({"unknown protocol code ", std::to_string(code)}));
  if (is_length_prefixed(info->kind)) {
    if (!r.read_uvarint_prefixed(value, Multiaddr::kMaxBytes)) {
      return invalid(cat({"/", info->name, ": truncated or oversized value"}));
    }
  } else if (!r.read_bytes(fixed_size(info->kind), value)) {
    return invalid(cat({"/", info->name, ": truncated value"}));
  }
  return info;
}

// Calls f(info, value, begin_offset) for each component of already-validated bytes.
template <typename F>
void walk(const Bytes& bytes, F&& f) {
  ByteReader r(bytes);
  while (!r.empty()) {
    const size_t begin = bytes.size() - r.remaining();
    ByteSpan value;
    auto info = read_component(r, value);
    if (!info) return;  // cannot happen: every Multiaddr holds validated bytes
    f(**info, value, begin);
  }
}

void append_component(Bytes& out, const ProtocolInfo& info, ByteSpan value) {
  varint::append(out, static_cast<uint64_t>(info.proto));
  if (is_length_prefixed(info.kind)) varint::append(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

// Splits the text form into '/'-separated segments, telling an empty segment from none.
class Segments {
 public:
  explicit Segments(std::string_view rest) : rest_(rest) {}
  bool next(std::string_view& out) {
    if (!more_) return false;
    const size_t slash = rest_.find('/');
    if (slash == std::string_view::npos) {
      out = rest_;
      more_ = false;
    } else {
      out = rest_.substr(0, slash);
      rest_ = rest_.substr(slash + 1);
    }
    return true;
  }

 private:
  std::string_view rest_;
  bool more_ = true;
};

}  // namespace

Result<Multiaddr> Multiaddr::from_bytes(ByteSpan bytes) {
  if (bytes.empty()) return invalid("empty");
  if (bytes.size() > kMaxBytes) return invalid("longer than 1024 bytes");
  ByteReader r(bytes);
  while (!r.empty()) {
    ByteSpan value;
    HBP2P_TRY_ASSIGN(const ProtocolInfo* info, read_component(r, value));
    if (auto st = multiaddr_detail::validate_value(*info, value); !st) {
      return invalid(st.error().detail());
    }
  }
  Multiaddr m;
  m.bytes_ = to_bytes(bytes);
  return m;
}

Result<Multiaddr> Multiaddr::parse(std::string_view text) {
  if (text.empty()) return invalid("empty");
  if (text.size() > kMaxTextLength) return invalid("text longer than 8192 characters");
  if (text[0] != '/') return invalid("must start with '/'");
  if (text.size() > 1 && text.back() == '/') text.remove_suffix(1);
  Segments segs(text.substr(1));
  Bytes out;
  std::string_view name;
  while (segs.next(name)) {
    if (name.empty()) return invalid("empty protocol name");
    const ProtocolInfo* info = find_by_name(name);
    if (info == nullptr) return invalid(cat({"unknown protocol ", quoted(name)}));
    Bytes value;
    if (info->kind != ValueKind::None) {
      std::string_view value_text;
      if (!segs.next(value_text)) return invalid(cat({"/", info->name, ": missing value"}));
      auto v = multiaddr_detail::value_from_text(*info, value_text);
      if (!v) return invalid(v.error().detail());
      value = std::move(*v);
    }
    append_component(out, *info, value);
    if (out.size() > kMaxBytes) return invalid("longer than 1024 bytes");
  }
  Multiaddr m;
  m.bytes_ = std::move(out);
  return m;
}

std::string Multiaddr::to_string() const {
  std::string out;
  walk(bytes_, [&](const ProtocolInfo& info, ByteSpan value, size_t) {
    out.push_back('/');
    out += info.name;
    if (info.kind != ValueKind::None) {
      out.push_back('/');
      out += multiaddr_detail::value_to_text(info, value);
    }
  });
  return out;
}

std::vector<MultiaddrComponent> Multiaddr::components() const {
  std::vector<MultiaddrComponent> out;
  walk(bytes_, [&](const ProtocolInfo& info, ByteSpan value, size_t) {
    out.push_back(MultiaddrComponent{info.proto, to_bytes(value)});
  });
  return out;
}

Multiaddr Multiaddr::encapsulate(const Multiaddr& other) const {
  Multiaddr m = *this;
  m.bytes_.insert(m.bytes_.end(), other.bytes_.begin(), other.bytes_.end());
  return m;
}

Result<Multiaddr> Multiaddr::try_encapsulate(const Multiaddr& other) const {
  if (bytes_.size() + other.bytes_.size() > kMaxBytes) {
    return {P2PNetworkError::ResourceLimitExceeded, "multiaddr: longer than 1024 bytes"};
  }
  return encapsulate(other);
}

Result<Multiaddr> Multiaddr::with_component(Proto p, ByteSpan value) const {
  const ProtocolInfo* info = find_by_code(static_cast<uint64_t>(p));
  if (info == nullptr) return invalid(cat({"unknown protocol code ", std::to_string(static_cast<uint32_t>(p))}));
  if (auto st = multiaddr_detail::validate_value(*info, value); !st) return invalid(st.error().detail());
  Multiaddr m = *this;
  append_component(m.bytes_, *info, value);
  if (m.bytes_.size() > kMaxBytes) {
    return {P2PNetworkError::ResourceLimitExceeded, "multiaddr: longer than 1024 bytes"};
  }
  return m;
}

std::optional<Bytes> Multiaddr::last_value(Proto p) const {
  std::optional<Bytes> found;
  walk(bytes_, [&](const ProtocolInfo& info, ByteSpan value, size_t) {
    if (info.proto == p) found = to_bytes(value);
  });
  return found;
}

Multiaddr Multiaddr::without_p2p() const {
  size_t last_begin = 0;
  bool last_is_p2p = false;
  walk(bytes_, [&](const ProtocolInfo& info, ByteSpan, size_t begin) {
    last_begin = begin;
    last_is_p2p = info.proto == Proto::P2p;
  });
  Multiaddr m = *this;
  if (last_is_p2p) m.bytes_.resize(last_begin);
  return m;
}

std::optional<Multiaddr::TcpEndpoint> Multiaddr::tcp_endpoint() const {
  const auto comps = components();
  size_t i = 0;
  std::string zone;
  if (!comps.empty() && comps[0].proto == Proto::Ip6zone) {
    zone = std::string(as_string_view(comps[0].value));
    i = 1;
  }
  if (comps.size() < i + 2 || comps[i + 1].proto != Proto::Tcp) return std::nullopt;
  const MultiaddrComponent& host = comps[i];
  const uint16_t port = static_cast<uint16_t>((comps[i + 1].value[0] << 8) | comps[i + 1].value[1]);
  if (!zone.empty() && host.proto != Proto::Ip6) return std::nullopt;
  switch (host.proto) {
    case Proto::Ip4:
      return TcpEndpoint{multiaddr_detail::format_ip4(host.value), false, false, port};
    case Proto::Ip6: {
      std::string h = multiaddr_detail::format_ip6(host.value);
      if (!zone.empty()) {
        h += '%';
        h += zone;
      }
      return TcpEndpoint{std::move(h), true, false, port};
    }
    case Proto::Dns:
    case Proto::Dns4:
    case Proto::Dns6:
      return TcpEndpoint{std::string(as_string_view(host.value)), host.proto == Proto::Dns6, true, port};
    default: return std::nullopt;
  }
}

Multiaddr Multiaddr::from_ip_tcp(const std::string& ip_literal, uint16_t port) {
  std::string_view lit = ip_literal;
  std::string_view zone;
  if (const size_t pct = lit.find('%'); pct != std::string_view::npos) {
    zone = lit.substr(pct + 1);
    lit = lit.substr(0, pct);
  }
  const bool v6 = lit.find(':') != std::string_view::npos;
  const ProtocolInfo* ip = find_by_code(static_cast<uint64_t>(v6 ? Proto::Ip6 : Proto::Ip4));
  auto ip_value = multiaddr_detail::value_from_text(*ip, lit);
  const ProtocolInfo* zone_info = find_by_code(static_cast<uint64_t>(Proto::Ip6zone));
  const bool zone_ok = zone.empty() || (v6 && multiaddr_detail::validate_value(*zone_info, as_bytes(zone)).ok());
  assert(ip_value.ok() && zone_ok && "from_ip_tcp: invalid IP literal");
  if (!ip_value.ok() || !zone_ok) return Multiaddr{};
  Multiaddr m;
  if (!zone.empty()) append_component(m.bytes_, *zone_info, as_bytes(zone));
  append_component(m.bytes_, *ip, *ip_value);
  const uint8_t port_be[2] = {static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port & 0xff)};
  append_component(m.bytes_, *find_by_code(static_cast<uint64_t>(Proto::Tcp)), port_be);
  return m;
}

}  // namespace hauptbuch::p2p

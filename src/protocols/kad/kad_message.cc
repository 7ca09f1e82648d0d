// kad-dht message codec (see kad_message.h): a strict hand-written protobuf reader/writer.
//
// Why not libprotobuf: it merges repeated singular fields, accepts unknown enum values, and
// allocates every repeated element before we can bound counts. Reading field by field through
// ByteReader lets us reject before allocating. Wire format: protobuf varints of at most 10 bytes,
// wire types 0 (varint), 1 (64-bit), 2 (length-delimited), 5 (32-bit); groups (3, 4) rejected.
#include "protocols/kad/kad_message.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "util/byte_reader.h"

namespace hauptbuch::p2p::kad {
namespace {

constexpr uint32_t kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5;
// Protobuf field numbers (spec).
constexpr uint32_t kMsgType = 1, kMsgKey = 2, kMsgRecord = 3, kMsgCloser = 8, kMsgProviders = 9, kMsgCluster = 10;
constexpr uint32_t kPeerId = 1, kPeerAddrs = 2, kPeerConnection = 3;
constexpr uint32_t kRecKey = 1, kRecValue = 2, kRecTime = 5;
// Largest protobuf varint (64 bits in 7-bit groups).
constexpr size_t kMaxVarintBytes = 10;

Error bad(std::string detail) {
  std::string d = "kad message: ";
  d.append(detail);
  return Error(P2PNetworkError::InvalidMessage, std::move(d));
}

// A protobuf varint (up to 10 bytes, no overflow beyond 64 bits).
bool read_pb_varint(ByteReader& r, uint64_t& out) {
  uint64_t v = 0;
  for (size_t i = 0; i < kMaxVarintBytes; ++i) {
    uint8_t b = 0;
    if (!r.read_u8(b)) return false;
    if (i == kMaxVarintBytes - 1 && b > 1) return false;  // would overflow 64 bits
    v |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      out = v;
      return true;
    }
  }
  return false;
}

struct Field {
  uint32_t number = 0;
  uint32_t wire = 0;
  uint64_t varint = 0;  // wire type 0
  ByteSpan data;        // wire type 2
};

// Reads one field; skips the payload of fixed-width fields. False on malformed input.
bool read_field(ByteReader& r, Field& f) {
  uint64_t tag = 0;
  if (!read_pb_varint(r, tag)) return false;
  const uint64_t number = tag >> 3;
  if (number == 0 || number > 0x1FFFFFFF) return false;
  f.number = static_cast<uint32_t>(number);
  f.wire = static_cast<uint32_t>(tag & 7);
  switch (f.wire) {
    case kVarint: return read_pb_varint(r, f.varint);
    case kFixed64: return r.skip(8);
    case kFixed32: return r.skip(4);
    case kLen: {
      uint64_t len = 0;
      if (!read_pb_varint(r, len)) return false;
      if (len > r.remaining()) return false;
      return r.read_bytes(static_cast<size_t>(len), f.data);
    }
    default: return false;  // groups and undefined wire types
  }
}

Result<KadPeer> decode_peer(ByteSpan bytes) {
  ByteReader r(bytes);
  std::optional<PeerId> id;
  std::vector<Multiaddr> addrs;
  size_t addr_fields = 0;
  ConnectionType conn = ConnectionType::NotConnected;
  bool seen_conn = false;
  while (!r.empty()) {
    Field f;
    if (!read_field(r, f)) return bad("malformed peer");
    if (f.number == kPeerId) {
      if (f.wire != kLen) return bad("peer id: wrong wire type");
      if (id) return bad("peer id repeated");
      auto p = PeerId::from_bytes(f.data);
      if (!p.ok()) return bad("peer id is not a PeerId");
      id = std::move(*p);
    } else if (f.number == kPeerAddrs) {
      if (f.wire != kLen) return bad("peer addrs: wrong wire type");
      if (++addr_fields > kMaxAddrsPerPeer) return bad("too many addresses for one peer");
      auto ma = Multiaddr::from_bytes(f.data);
      if (ma.ok()) addrs.push_back(std::move(*ma));  // unknown transports are dropped, see header
    } else if (f.number == kPeerConnection) {
      if (f.wire != kVarint) return bad("peer connection: wrong wire type");
      if (seen_conn) return bad("peer connection repeated");
      if (f.varint > 3) return bad("unknown connection type");
      conn = static_cast<ConnectionType>(f.varint);
      seen_conn = true;
    }
  }
  if (!id) return bad("peer without id");
  return KadPeer{std::move(*id), std::move(addrs), conn};
}

Result<Record> decode_record(ByteSpan bytes) {
  ByteReader r(bytes);
  Record rec;
  bool seen_key = false, seen_value = false, seen_time = false;
  while (!r.empty()) {
    Field f;
    if (!read_field(r, f)) return bad("malformed record");
    if (f.number == kRecKey) {
      if (f.wire != kLen || seen_key) return bad("record key: wrong wire type or repeated");
      if (f.data.size() > kMaxKeyBytes) return bad("record key too long");
      rec.key.assign(f.data.begin(), f.data.end());
      seen_key = true;
    } else if (f.number == kRecValue) {
      if (f.wire != kLen || seen_value) return bad("record value: wrong wire type or repeated");
      if (f.data.size() > kMaxRecordValueBytes) return bad("record value too long");
      rec.value.assign(f.data.begin(), f.data.end());
      seen_value = true;
    } else if (f.number == kRecTime) {
      if (f.wire != kLen || seen_time) return bad("record timeReceived: wrong wire type or repeated");
      if (f.data.size() > kMaxTimeReceivedBytes) return bad("record timeReceived too long");
      rec.time_received.assign(f.data.begin(), f.data.end());
      seen_time = true;
    }
  }
  return rec;
}

void put_tag(Bytes& out, uint32_t number, uint32_t wire) {
  uint64_t tag = (static_cast<uint64_t>(number) << 3) | wire;
  while (tag >= 0x80) {
    out.push_back(static_cast<uint8_t>(tag | 0x80));
    tag >>= 7;
  }
  out.push_back(static_cast<uint8_t>(tag));
}

void put_varint(Bytes& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

void put_len(Bytes& out, uint32_t number, ByteSpan data) {
  put_tag(out, number, kLen);
  put_varint(out, data.size());
  out.insert(out.end(), data.begin(), data.end());
}

Bytes encode_peer(const KadPeer& p) {
  Bytes out;
  put_len(out, kPeerId, p.id.bytes());
  size_t n = 0;
  for (const auto& a : p.addrs) {
    if (n++ == kMaxAddrsPerPeer) break;
    put_len(out, kPeerAddrs, a.bytes());
  }
  if (p.connection != ConnectionType::NotConnected) {
    put_tag(out, kPeerConnection, kVarint);
    put_varint(out, static_cast<uint64_t>(p.connection));
  }
  return out;
}

void put_peers(Bytes& out, uint32_t number, const std::vector<KadPeer>& peers) {
  size_t n = 0;
  for (const auto& p : peers) {
    if (n++ == kMaxPeersPerList) break;
    put_len(out, number, encode_peer(p));
  }
}

}  // namespace

Bytes encode(const KadMessage& msg) {
  Bytes out;
  if (msg.type != MessageType::PutValue) {
    put_tag(out, kMsgType, kVarint);
    put_varint(out, static_cast<uint64_t>(msg.type));
  }
  if (!msg.key.empty()) put_len(out, kMsgKey, ByteSpan(msg.key.data(), std::min(msg.key.size(), kMaxKeyBytes)));
  if (msg.record) {
    Bytes rec;
    const Record& r = *msg.record;
    if (!r.key.empty()) put_len(rec, kRecKey, ByteSpan(r.key.data(), std::min(r.key.size(), kMaxKeyBytes)));
    if (!r.value.empty())
      put_len(rec, kRecValue, ByteSpan(r.value.data(), std::min(r.value.size(), kMaxRecordValueBytes)));
    if (!r.time_received.empty()) {
      const size_t n = std::min(r.time_received.size(), kMaxTimeReceivedBytes);
      put_len(rec, kRecTime, ByteSpan(reinterpret_cast<const uint8_t*>(r.time_received.data()), n));
    }
    put_len(out, kMsgRecord, rec);
  }
  put_peers(out, kMsgCloser, msg.closer_peers);
  put_peers(out, kMsgProviders, msg.provider_peers);
  if (msg.cluster_level_raw != 0) {
    put_tag(out, kMsgCluster, kVarint);
    // int32 negative values are sign-extended to 64 bits (protobuf int32 encoding).
    put_varint(out, static_cast<uint64_t>(static_cast<int64_t>(msg.cluster_level_raw)));
  }
  return out;
}

bool encoded_size_ok(const KadMessage& msg) { return encode(msg).size() <= kMaxKadMessageBytes; }

Result<KadMessage> decode(ByteSpan bytes) {
  if (bytes.size() > kMaxKadMessageBytes) return bad("larger than kMaxKadMessageBytes");
  ByteReader r(bytes);
  KadMessage m;
  m.type = MessageType::PutValue;  // proto3 default when the field is absent
  bool seen_type = false, seen_key = false, seen_cluster = false;
  while (!r.empty()) {
    Field f;
    if (!read_field(r, f)) return bad("malformed protobuf");
    switch (f.number) {
      case kMsgType:
        if (f.wire != kVarint || seen_type) return bad("type: wrong wire type or repeated");
        if (f.varint > static_cast<uint64_t>(MessageType::Ping)) return bad("unknown message type");
        m.type = static_cast<MessageType>(f.varint);
        seen_type = true;
        break;
      case kMsgKey:
        if (f.wire != kLen || seen_key) return bad("key: wrong wire type or repeated");
        if (f.data.size() > kMaxKeyBytes) return bad("key too long");
        m.key.assign(f.data.begin(), f.data.end());
        seen_key = true;
        break;
      case kMsgRecord: {
        if (f.wire != kLen || m.record) return bad("record: wrong wire type or repeated");
        auto rec = decode_record(f.data);
        if (!rec.ok()) return rec.error();
        m.record = std::move(*rec);
        break;
      }
      case kMsgCloser:
      case kMsgProviders: {
        if (f.wire != kLen) return bad("peer list: wrong wire type");
        auto& list = f.number == kMsgCloser ? m.closer_peers : m.provider_peers;
        if (list.size() >= kMaxPeersPerList) return bad("too many peers in a list");
        auto p = decode_peer(f.data);
        if (!p.ok()) return p.error();
        list.push_back(std::move(*p));
        break;
      }
      case kMsgCluster: {
        if (f.wire != kVarint || seen_cluster) return bad("clusterLevelRaw: wrong wire type or repeated");
        // int32: either a 32-bit value or a sign-extended negative one.
        const auto v = static_cast<int64_t>(f.varint);
        if (v < INT32_MIN || v > INT32_MAX) return bad("clusterLevelRaw out of int32 range");
        m.cluster_level_raw = static_cast<int32_t>(v);
        seen_cluster = true;
        break;
      }
      default:
        break;  // unknown field: skipped (protobuf forward compatibility)
    }
  }
  return m;
}

bool BytesLess::operator()(const Bytes& a, const Bytes& b) const noexcept {
  const size_t n = std::min(a.size(), b.size());
  if (n != 0) {
    const int c = std::memcmp(a.data(), b.data(), n);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

std::string_view type_name(MessageType t) noexcept {
  switch (t) {
    case MessageType::PutValue: return "PUT_VALUE";
    case MessageType::GetValue: return "GET_VALUE";
    case MessageType::AddProvider: return "ADD_PROVIDER";
    case MessageType::GetProviders: return "GET_PROVIDERS";
    case MessageType::FindNode: return "FIND_NODE";
    case MessageType::Ping: return "PING";
  }
  return "UNKNOWN";
}

}  // namespace hauptbuch::p2p::kad

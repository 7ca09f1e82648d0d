// Cross-chain envelope codec (see envelope.h and docs/wire/cross-chain.md).
#include "protocols/relay/envelope.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

#include "util/byte_reader.h"
#include "util/byte_writer.h"

namespace hauptbuch::p2p::relay {
namespace {

constexpr uint8_t kFlagDestinationPeer = 0x01;
constexpr uint8_t kKnownFlags = kFlagDestinationPeer;
// Largest encoded envelope: the fixed fields, every variable field at its cap.
constexpr size_t kMaxEncoded = 1 + 32 + 8 + 1 + 3 * (1 + kMaxChainId) + 1 + 2 * (2 + kMaxPeerIdBytes) +
                               1 + kMaxPath * (2 + kMaxPeerIdBytes) + 4 + kMaxPayload;

Error bad(const char* what) { return Error(P2PNetworkError::InvalidMessage, what); }

bool read_name(ByteReader& r, std::string& out, bool (*valid)(std::string_view)) {
  ByteSpan s;
  if (!r.read_u8_prefixed(s)) return false;
  std::string v(s.begin(), s.end());
  if (!valid(v)) return false;
  out = std::move(v);
  return true;
}

bool read_peer(ByteReader& r, PeerId& out) {
  ByteSpan s;
  if (!r.read_uvarint_prefixed(s, kMaxPeerIdBytes)) return false;
  auto p = PeerId::from_bytes(s);
  if (!p.ok()) return false;
  out = std::move(p).value();
  return true;
}

void write_peer(ByteWriter& w, const PeerId& p) { w.uvarint_prefixed(p.bytes()); }

bool peer_ok(const PeerId& p) { return p.bytes().size() <= kMaxPeerIdBytes; }

}  // namespace

PeerId placeholder_peer() { return PeerId::from_public_key_protobuf(ByteSpan()); }

bool valid_chain_id(std::string_view s) {
  if (s.empty() || s.size() > kMaxChainId) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

bool valid_topic(std::string_view s) {
  if (s.empty() || s.size() > kMaxTopic) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '/'))
      return false;
  return true;
}

std::string id_hex(const MessageId& id) { return to_hex(ByteSpan(id.data(), id.size())); }

MessageId compute_message_id(const PeerId& origin, uint64_t nonce, ByteSpan payload) {
  uint8_t n[8];
  for (int i = 0; i < 8; ++i) n[i] = static_cast<uint8_t>(nonce >> (56 - 8 * i));
  MessageId id{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int len = 0;
  const bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, origin.bytes().data(), origin.bytes().size()) == 1 &&
                  EVP_DigestUpdate(ctx, n, sizeof n) == 1 &&
                  (payload.empty() || EVP_DigestUpdate(ctx, payload.data(), payload.size()) == 1) &&
                  EVP_DigestFinal_ex(ctx, id.data(), &len) == 1 && len == id.size();
  EVP_MD_CTX_free(ctx);
  if (!ok) id.fill(0);  // allocation failure only; an all-zero id never matches a real one
  return id;
}

Result<Envelope> make_envelope(PeerId origin, uint64_t nonce, std::string origin_chain, std::string destination_chain,
                               std::optional<PeerId> destination_peer, Bytes payload, uint8_t hop_limit,
                               std::string topic) {
  Envelope e;
  e.id = compute_message_id(origin, nonce, payload);
  e.origin_peer = std::move(origin);
  e.nonce = nonce;
  e.origin_chain = std::move(origin_chain);
  e.destination_chain = std::move(destination_chain);
  e.topic = std::move(topic);
  e.destination_peer = std::move(destination_peer);
  e.hop_limit = hop_limit;
  e.payload = std::move(payload);
  HBP2P_TRY(encode_envelope(e));  // validates every field
  return e;
}

Result<Bytes> encode_envelope(const Envelope& e) {
  if (!valid_chain_id(e.origin_chain)) return bad("origin chain id malformed");
  if (!valid_chain_id(e.destination_chain)) return bad("destination chain id malformed");
  if (!valid_topic(e.topic)) return bad("topic malformed");
  if (e.hop_limit > kMaxHopLimit) return bad("hop limit above 16");
  if (e.path.size() > kMaxPath) return bad("path too long");
  if (e.payload.size() > kMaxPayload) return bad("payload too large");
  if (!peer_ok(e.origin_peer) || (e.destination_peer && !peer_ok(*e.destination_peer))) return bad("peer id too long");
  for (const auto& p : e.path)
    if (!peer_ok(p)) return bad("peer id too long");
  ByteWriter w(kMaxEncoded);
  w.u8(kEnvelopeVersion);
  w.bytes(ByteSpan(e.id.data(), e.id.size()));
  write_peer(w, e.origin_peer);
  w.u64_be(e.nonce);
  w.u8_prefixed(ByteSpan(reinterpret_cast<const uint8_t*>(e.origin_chain.data()), e.origin_chain.size()));
  w.u8_prefixed(ByteSpan(reinterpret_cast<const uint8_t*>(e.destination_chain.data()), e.destination_chain.size()));
  w.u8_prefixed(ByteSpan(reinterpret_cast<const uint8_t*>(e.topic.data()), e.topic.size()));
  w.u8(e.destination_peer ? kFlagDestinationPeer : 0);
  if (e.destination_peer) write_peer(w, *e.destination_peer);
  w.u8(e.hop_limit);
  w.u8(static_cast<uint8_t>(e.path.size()));
  for (const auto& p : e.path) write_peer(w, p);
  w.uvarint_prefixed(e.payload);
  if (!w.ok()) return bad("envelope too large");
  return std::move(w).take();
}

Result<Envelope> decode_envelope(ByteSpan in) {
  if (in.size() > kMaxEncoded) return bad("envelope too large");
  ByteReader r(in);
  Envelope e;
  uint8_t version = 0, flags = 0, path_len = 0;
  if (!r.read_u8(version)) return bad("empty envelope");
  if (version != kEnvelopeVersion) return bad("unknown envelope version");
  if (!r.copy_bytes(MutableByteSpan(e.id.data(), e.id.size()))) return bad("truncated message id");
  if (!read_peer(r, e.origin_peer)) return bad("origin peer malformed");
  if (!r.read_u64_be(e.nonce)) return bad("truncated nonce");
  if (!read_name(r, e.origin_chain, valid_chain_id)) return bad("origin chain id malformed");
  if (!read_name(r, e.destination_chain, valid_chain_id)) return bad("destination chain id malformed");
  if (!read_name(r, e.topic, valid_topic)) return bad("topic malformed");
  if (!r.read_u8(flags)) return bad("truncated flags");
  if (flags & ~kKnownFlags) return bad("unknown flags");
  if (flags & kFlagDestinationPeer) {
    PeerId p = placeholder_peer();
    if (!read_peer(r, p)) return bad("destination peer malformed");
    e.destination_peer = std::move(p);
  }
  if (!r.read_u8(e.hop_limit)) return bad("truncated hop limit");
  if (e.hop_limit > kMaxHopLimit) return bad("hop limit above 16");
  if (!r.read_u8(path_len)) return bad("truncated path");
  if (path_len > kMaxPath) return bad("path too long");
  e.path.reserve(path_len);
  for (uint8_t i = 0; i < path_len; ++i) {
    PeerId p = placeholder_peer();
    if (!read_peer(r, p)) return bad("path entry malformed");
    e.path.push_back(std::move(p));
  }
  ByteSpan payload;
  if (!r.read_uvarint_prefixed(payload, kMaxPayload)) return bad("payload malformed or too large");
  if (!r.empty()) return bad("trailing bytes after the envelope");
  e.payload.assign(payload.begin(), payload.end());
  if (compute_message_id(e.origin_peer, e.nonce, e.payload) != e.id) return bad("message id does not match its content");
  return e;
}

Bytes encode_ack(const RelayAck& a) {
  ByteWriter w(2 + kMaxPath * (2 + kMaxPeerIdBytes));
  w.u8(a.delivered ? 1 : 0);
  const size_t n = std::min(a.path.size(), kMaxPath);
  w.u8(static_cast<uint8_t>(n));
  for (size_t i = 0; i < n; ++i) write_peer(w, a.path[i]);
  return std::move(w).take();
}

Result<RelayAck> decode_ack(ByteSpan in) {
  ByteReader r(in);
  RelayAck a;
  uint8_t delivered = 0, n = 0;
  if (!r.read_u8(delivered) || delivered > 1) return bad("ack: delivered flag malformed");
  a.delivered = delivered == 1;
  if (!r.read_u8(n) || n > kMaxPath) return bad("ack: path length malformed");
  for (uint8_t i = 0; i < n; ++i) {
    PeerId p = placeholder_peer();
    if (!read_peer(r, p)) return bad("ack: path entry malformed");
    a.path.push_back(std::move(p));
  }
  if (!r.empty()) return bad("ack: trailing bytes");
  return a;
}

}  // namespace hauptbuch::p2p::relay

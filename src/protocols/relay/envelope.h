// Cross-chain relay envelope and its acknowledgement (docs/wire/cross-chain.md): a message
// for another chain (or for one peer on it) with a content-derived id, a hop limit and the
// path of nodes that handled it. Strict codec: bounded fields, the id must match its inputs,
// nothing after the last field, one encoding per value.
//
// Must never: read past its input, allocate beyond the named caps, or accept an envelope
// whose id does not match SHA-256(origin peer ‖ nonce ‖ payload).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "peer/peer_id.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::relay {

inline constexpr uint8_t kEnvelopeVersion = 1;
// Chain ids as the config accepts them: 1-64 of a-z 0-9 - _.
inline constexpr size_t kMaxChainId = 64;
// Topic inside the destination chain's namespace (e.g. "routed"): 1-64 of a-z 0-9 - _ . /.
inline constexpr size_t kMaxTopic = 64;
inline constexpr const char* kDefaultTopic = "routed";
// Binary PeerId (multihash): Ed25519 identity multihashes are 38 bytes, sha2-256 ones 34;
// 128 leaves room for larger inlined keys and bounds each path entry.
inline constexpr size_t kMaxPeerIdBytes = 128;
// Hop limit: 4 by default (origin -> relay -> relay -> relay -> destination is plenty for
// chains that each have providers in the DHT); no envelope may ask for more than 16.
inline constexpr uint8_t kDefaultHopLimit = 4;
inline constexpr uint8_t kMaxHopLimit = 16;
// Nodes recorded in the path: the origin plus at most one per hop.
inline constexpr size_t kMaxPath = kMaxHopLimit + 1;
// Payload cap: the request/response default of 1 MiB minus room for the header fields.
inline constexpr size_t kMaxPayload = (size_t{1} << 20) - 8192;

using MessageId = std::array<uint8_t, 32>;

// A stand-in PeerId (of an empty key protobuf) for fields not yet filled; never on the wire.
PeerId placeholder_peer();

struct Envelope {
  MessageId id{};
  PeerId origin_peer = placeholder_peer();
  uint64_t nonce = 0;
  std::string origin_chain;
  std::string destination_chain;
  std::string topic = kDefaultTopic;
  std::optional<PeerId> destination_peer;
  uint8_t hop_limit = kDefaultHopLimit;
  std::vector<PeerId> path;  // nodes that handled it, origin first
  Bytes payload;
};

// SHA-256(origin peer bytes ‖ nonce as 8 bytes big-endian ‖ payload).
MessageId compute_message_id(const PeerId& origin, uint64_t nonce, ByteSpan payload);

// A new envelope with its id computed and an empty path. Errors: InvalidMessage (chain id or
// topic malformed, payload above kMaxPayload, hop_limit above kMaxHopLimit).
Result<Envelope> make_envelope(PeerId origin, uint64_t nonce, std::string origin_chain, std::string destination_chain,
                               std::optional<PeerId> destination_peer, Bytes payload,
                               uint8_t hop_limit = kDefaultHopLimit, std::string topic = kDefaultTopic);

// Errors: InvalidMessage if a field breaks the limits above.
Result<Bytes> encode_envelope(const Envelope& e);
// Errors: InvalidMessage (truncated, oversized or malformed field, unknown version or flags,
// trailing bytes, id mismatch).
Result<Envelope> decode_envelope(ByteSpan in);

// The relay's answer to an accepted envelope: whether it was delivered, and the path it took
// (the origin and every node that handled it, the delivering node last).
struct RelayAck {
  bool delivered = false;
  std::vector<PeerId> path;
};
Bytes encode_ack(const RelayAck& a);
// Errors: InvalidMessage.
Result<RelayAck> decode_ack(ByteSpan in);

bool valid_chain_id(std::string_view s);
bool valid_topic(std::string_view s);
std::string id_hex(const MessageId& id);

}  // namespace hauptbuch::p2p::relay

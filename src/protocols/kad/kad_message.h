// The kad-dht wire message (libp2p specs kad-dht/README.md, "RPC messages") and its codec.
//
// Hand-written strict protobuf codec on ByteReader (no libprotobuf): field numbers exactly as the
// spec (Message.type=1, key=2, record=3, closerPeers=8, providerPeers=9, clusterLevelRaw=10;
// Peer.id=1, addrs=2, connection=3; Record.key=1, value=2, timeReceived=5). Every length is
// checked before it is used, every count is bounded, singular fields must not repeat, peer ids
// must parse as PeerId. Unknown fields (e.g. Record.author/signature of older go versions) are
// skipped. Addresses that do not parse as a Multiaddr we understand are dropped from the peer
// (not an error: other implementations advertise transports we do not know).
// Must never: throw, read out of bounds, or allocate more than the input size allows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "peer/peer_id.h"
#include "util/bytes.h"
#include "util/multiaddr.h"

namespace hauptbuch::p2p::kad {

// Largest encoded message we accept or produce. rust-libp2p's default is 16 KiB, go-libp2p-kad-dht
// allows 4 MiB. 64 KiB holds a response with 20 closer peers with 32 addresses each plus a
// provider list, or a record value of up to kMaxRecordValueBytes, while keeping what one hostile
// stream can make us buffer small.
inline constexpr size_t kMaxKadMessageBytes = 64 * 1024;
// Largest `key` (message key, record key): multihashes and CIDs are < 100 bytes, namespaced record
// keys ("/pk/<id>", "/ipns/<id>") a little more; 1 KiB leaves room and bounds map keys.
inline constexpr size_t kMaxKeyBytes = 1024;
// Largest record value (bounded by the message size, minus room for key and peers).
inline constexpr size_t kMaxRecordValueBytes = 48 * 1024;
// Peers in closerPeers or providerPeers: k (20) is what implementations send; 64 allows larger k.
inline constexpr size_t kMaxPeersPerList = 64;
// Addresses per peer: a node rarely has more than a dozen (ip4/ip6 x tcp/quic/ws + relays).
inline constexpr size_t kMaxAddrsPerPeer = 32;
// Length of timeReceived (an RFC 3339 timestamp, ~30 chars).
inline constexpr size_t kMaxTimeReceivedBytes = 64;

enum class MessageType : uint8_t {
  PutValue = 0,
  GetValue = 1,
  AddProvider = 2,
  GetProviders = 3,
  FindNode = 4,
  Ping = 5,  // deprecated in the spec; answered for compatibility
};

enum class ConnectionType : uint8_t {
  NotConnected = 0,
  Connected = 1,
  CanConnect = 2,
  CannotConnect = 3,
};

struct KadPeer {
  PeerId id;
  std::vector<Multiaddr> addrs;
  ConnectionType connection = ConnectionType::NotConnected;
  friend bool operator==(const KadPeer&, const KadPeer&) = default;
};

struct Record {
  Bytes key;
  Bytes value;
  std::string time_received;  // RFC 3339, set by the receiver; may be empty
  friend bool operator==(const Record&, const Record&) = default;
};

struct KadMessage {
  MessageType type = MessageType::Ping;
  int32_t cluster_level_raw = 0;  // unused by the spec; carried for compatibility
  Bytes key;
  std::optional<Record> record;
  std::vector<KadPeer> closer_peers;
  std::vector<KadPeer> provider_peers;
  friend bool operator==(const KadMessage&, const KadMessage&) = default;
};

// Protobuf (proto3) encoding of `msg` (defaults omitted). Lists longer than the bounds above and
// addresses beyond kMaxAddrsPerPeer are truncated so that the output always decodes; the caller
// keeps the total under kMaxKadMessageBytes (encoded_size_ok()).
Bytes encode(const KadMessage& msg);
// True iff encode(msg) fits in kMaxKadMessageBytes.
bool encoded_size_ok(const KadMessage& msg);

// Strict decode. Errors: InvalidMessage (malformed protobuf, wrong wire type, repeated singular
// field, unknown message/connection type, bound exceeded, peer id not a PeerId, message larger
// than kMaxKadMessageBytes).
Result<KadMessage> decode(ByteSpan bytes);

// Strict weak order of byte strings for map keys (lexicographic). Written out with memcmp on the
// common length because g++-12 -O3 emits a false -Wstringop-overread for vector<uint8_t>'s <.
struct BytesLess {
  bool operator()(const Bytes& a, const Bytes& b) const noexcept;
};

// Readable name of a message type ("FIND_NODE", ...), for logs.
std::string_view type_name(MessageType t) noexcept;

}  // namespace hauptbuch::p2p::kad

// PeerId: the multihash of a node's public key (libp2p specs, peer-ids/peer-ids.md).
// Keys whose protobuf encoding is at most 42 bytes (Ed25519) are inlined with the identity
// multihash; larger ones are hashed with sha2-256. Text forms: base58btc of the multihash
// ("12D3Koo...", "Qm...") and CIDv1 (codec libp2p-key 0x72, multibase base32 "bafz...").
// Parsers take hostile input: strict, bounded (via Multihash and base58 limits), never throw.
// Thread-safety: PeerId is a plain value; const member functions may run concurrently.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/identity.h"
#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p {

// Keys whose protobuf encoding is longer than this are hashed instead of inlined (spec value).
inline constexpr size_t kMaxInlineKeyLength = 42;
// Multicodec of a libp2p public key in a CID.
inline constexpr uint64_t kLibp2pKeyCodec = 0x72;

class PeerId {
 public:
  // PeerId of a public key (identity multihash if its protobuf is <= 42 bytes, else sha2-256).
  static PeerId from_public_key(const crypto::PublicKey& key);
  // Same, from the PublicKey protobuf bytes of any key type (the bytes are not validated:
  // PeerId derivation only hashes them).
  static PeerId from_public_key_protobuf(ByteSpan protobuf);
  // From binary multihash bytes. Errors: InvalidPeerAddress if the bytes are not one strict
  // identity or sha2-256 multihash, or an identity digest is not a valid PublicKey protobuf.
  static Result<PeerId> from_bytes(ByteSpan multihash);
  // From text: base58btc multihash or CIDv1 (any supported multibase) with codec libp2p-key.
  // Errors: InvalidPeerAddress.
  static Result<PeerId> parse(std::string_view text);

  // The binary multihash.
  const Bytes& bytes() const noexcept { return bytes_; }
  std::string to_base58() const;
  // CIDv1, codec libp2p-key, multibase base32 lower case.
  std::string to_cid_string() const;
  std::string to_string() const { return to_base58(); }
  // The inlined public key of an identity-multihash PeerId, if it decodes.
  std::optional<crypto::PublicKey> extract_public_key() const;
  // True iff this PeerId is the PeerId of `key`.
  bool matches(const crypto::PublicKey& key) const;

  friend bool operator==(const PeerId&, const PeerId&) = default;
  // Lexicographic order of the multihash bytes (as a defaulted <=> would give; written out
  // because g++-12 emits a false -Wstringop-overread for vector<uint8_t>'s <=>).
  std::strong_ordering operator<=>(const PeerId& other) const noexcept;

 private:
  explicit PeerId(Bytes bytes) : bytes_(std::move(bytes)) {}
  Bytes bytes_;
};

}  // namespace hauptbuch::p2p

template <>
struct std::hash<hauptbuch::p2p::PeerId> {
  size_t operator()(const hauptbuch::p2p::PeerId& id) const noexcept {
    // FNV-1a over the multihash; sha2-256 and key bytes are already uniform.
    uint64_t h = 1469598103934665603ULL;
    for (uint8_t b : id.bytes()) h = (h ^ b) * 1099511628211ULL;
    return static_cast<size_t>(h);
  }
};

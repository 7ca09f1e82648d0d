// PeerId derivation, binary and text parsing (see peer_id.h). Never trusts input sizes:
// base58 and multibase bound their input, Multihash bounds the digest.
#include "peer/peer_id.h"

#include <algorithm>

#include "util/base58.h"
#include "util/cid.h"
#include "util/multihash.h"

namespace hauptbuch::p2p {
namespace {


Error bad(std::string detail) {
  return Error(P2PNetworkError::InvalidPeerAddress, "peer id: " + std::move(detail));
}

}  // namespace

PeerId PeerId::from_public_key_protobuf(ByteSpan protobuf) {
  if (protobuf.size() <= kMaxInlineKeyLength) return PeerId(Multihash::identity(protobuf).encode());
  return PeerId(Multihash::sha2_256(protobuf).encode());
}

PeerId PeerId::from_public_key(const crypto::PublicKey& key) {
  return from_public_key_protobuf(key.to_protobuf());
}

Result<PeerId> PeerId::from_bytes(ByteSpan multihash) {
  auto mh = Multihash::parse(multihash);
  if (!mh) return bad(mh.error().message());
  if (mh->code == Multihash::kIdentity) {
    // An inlined key must be a real key, small enough to be inlined in the first place.
    if (mh->digest.size() > kMaxInlineKeyLength) return bad("identity multihash longer than 42 bytes");
    auto key = crypto::PublicKey::from_protobuf(mh->digest);
    if (!key && !key.error().is(P2PNetworkError::Unsupported)) {
      return bad("identity multihash is not a public key: " + key.error().message());
    }
  }
  return PeerId(to_bytes(multihash));
}

Result<PeerId> PeerId::parse(std::string_view text) {
  if (text.empty()) return bad("empty text");
  if (text.front() == '1' || text.substr(0, 2) == "Qm") {
    auto raw = base58::decode(text);
    if (!raw) return bad(raw.error().message());
    return from_bytes(*raw);
  }
  // Otherwise a CIDv1 with the libp2p-key codec (multibase text), decoded by util/cid.h.
  auto cid = Cid::parse(text);
  if (!cid) return bad("neither base58btc nor a CID: " + cid.error().message());
  if (cid->version != 1) return bad("CID is not version 1");
  if (cid->codec != Cid::kLibp2pKey) return bad("CID codec is not libp2p-key");
  return from_bytes(cid->hash.encode());
}

std::string PeerId::to_base58() const { return base58::encode(bytes_); }

std::string PeerId::to_cid_string() const {
  // bytes_ always holds a valid multihash (checked on construction).
  auto mh = Multihash::parse(bytes_);
  return Cid::v1(Cid::kLibp2pKey, std::move(*mh)).to_string();
}

std::optional<crypto::PublicKey> PeerId::extract_public_key() const {
  auto mh = Multihash::parse(bytes_);
  if (!mh || mh->code != Multihash::kIdentity) return std::nullopt;
  auto key = crypto::PublicKey::from_protobuf(mh->digest);
  if (!key) return std::nullopt;
  return std::move(*key);
}

std::strong_ordering PeerId::operator<=>(const PeerId& other) const noexcept {
  const size_t n = std::min(bytes_.size(), other.bytes_.size());
  for (size_t i = 0; i < n; ++i) {
    if (bytes_[i] != other.bytes_[i]) return bytes_[i] <=> other.bytes_[i];
  }
  return bytes_.size() <=> other.bytes_.size();
}

bool PeerId::matches(const crypto::PublicKey& key) const { return *this == from_public_key(key); }

}  // namespace hauptbuch::p2p

// PeerId derivation, binary and text parsing (see peer_id.h). Never trusts input sizes:
// base58 and multibase bound their input, Multihash bounds the digest.
#include "peer/peer_id.h"

#include <algorithm>

#include "util/base32.h"
#include "util/base58.h"
#include "util/byte_reader.h"
#include "util/multibase.h"
#include "util/multihash.h"
#include "util/varint.h"

namespace hauptbuch::p2p {
namespace {

constexpr uint64_t kCidVersion1 = 1;

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
  auto raw = multibase::decode(text);
  if (!raw) return bad("neither base58btc nor multibase CID: " + raw.error().message());
  ByteReader r(*raw);
  uint64_t version = 0;
  uint64_t codec = 0;
  if (!r.read_uvarint(version) || version != kCidVersion1) return bad("CID is not version 1");
  if (!r.read_uvarint(codec) || codec != kLibp2pKeyCodec) return bad("CID codec is not libp2p-key");
  ByteSpan rest;
  if (!r.read_bytes(r.remaining(), rest)) return bad("truncated CID");
  return from_bytes(rest);
}

std::string PeerId::to_base58() const { return base58::encode(bytes_); }

std::string PeerId::to_cid_string() const {
  Bytes cid;
  varint::append(cid, kCidVersion1);
  varint::append(cid, kLibp2pKeyCodec);
  cid.insert(cid.end(), bytes_.begin(), bytes_.end());
  return multibase::encode(multibase::Base::Base32, cid);
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

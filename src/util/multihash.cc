// Multihash encoding and strict parsing (identity and sha2-256 only).
#include "util/multihash.h"

#include <openssl/sha.h>

#include "util/varint.h"

namespace hauptbuch::p2p {

Multihash Multihash::identity(ByteSpan data) { return Multihash{kIdentity, to_bytes(data)}; }

Multihash Multihash::sha2_256(ByteSpan data) {
  Bytes d(kSha2_256Size);
  SHA256(data.data(), data.size(), d.data());
  return Multihash{kSha2_256, std::move(d)};
}

Result<Multihash> Multihash::read(ByteReader& r) {
  ByteReader tmp = r;
  uint64_t code = 0;
  uint64_t len = 0;
  if (!tmp.read_uvarint(code)) return {P2PNetworkError::InvalidMessage, "multihash: bad code varint"};
  if (code != kIdentity && code != kSha2_256) {
    return {P2PNetworkError::Unsupported, "multihash: unsupported hash code"};
  }
  if (!tmp.read_uvarint(len)) return {P2PNetworkError::InvalidMessage, "multihash: bad length varint"};
  if (len > kMaxDigestSize) return {P2PNetworkError::InvalidMessage, "multihash: digest too long"};
  if (code == kSha2_256 && len != kSha2_256Size) {
    return {P2PNetworkError::InvalidMessage, "multihash: sha2-256 digest must be 32 bytes"};
  }
  ByteSpan digest;
  if (!tmp.read_bytes(static_cast<size_t>(len), digest)) {
    return {P2PNetworkError::InvalidMessage, "multihash: truncated digest"};
  }
  r = tmp;
  return Multihash{code, to_bytes(digest)};
}

Result<Multihash> Multihash::parse(ByteSpan in) {
  ByteReader r(in);
  HBP2P_TRY_ASSIGN(Multihash mh, read(r));
  if (!r.empty()) return {P2PNetworkError::InvalidMessage, "multihash: trailing bytes"};
  return mh;
}

Bytes Multihash::encode() const {
  Bytes out;
  out.reserve(varint::encoded_size(code) + varint::encoded_size(digest.size()) + digest.size());
  varint::append(out, code);
  varint::append(out, digest.size());
  out.insert(out.end(), digest.begin(), digest.end());
  return out;
}

}  // namespace hauptbuch::p2p

// CID parsing and encoding (see cid.h); follows the decoding algorithm of the CID spec.
#include "util/cid.h"

#include "util/base58.h"
#include "util/byte_reader.h"
#include "util/varint.h"

namespace hauptbuch::p2p {
namespace {

constexpr size_t kV0Size = 34;          // 0x12 0x20 + 32-byte sha2-256 digest
constexpr size_t kV0TextLength = 46;    // base58btc of those 34 bytes always starts "Qm"

bool looks_like_v0(ByteSpan b) {
  return b.size() == kV0Size && b[0] == Multihash::kSha2_256 && b[1] == 32;
}

}  // namespace

Cid Cid::v1(uint64_t codec, Multihash hash) { return Cid{1, codec, std::move(hash)}; }

Result<Cid> Cid::from_bytes(ByteSpan bytes) {
  if (looks_like_v0(bytes)) {
    HBP2P_TRY_ASSIGN(Multihash mh, Multihash::parse(bytes));
    return Cid{0, kDagPb, std::move(mh)};
  }
  ByteReader r(bytes);
  uint64_t version = 0;
  uint64_t codec = 0;
  if (!r.read_uvarint(version)) return {P2PNetworkError::InvalidMessage, "cid: bad version varint"};
  if (version != 1) {
    // 0x12 here is a CIDv0 of the wrong size or a multibase-wrapped v0; other values are
    // reserved or future versions.
    if (version == 0 || version == Multihash::kSha2_256) {
      return {P2PNetworkError::InvalidMessage, "cid: malformed CIDv0"};
    }
    return {P2PNetworkError::Unsupported, "cid: unsupported version"};
  }
  if (!r.read_uvarint(codec)) return {P2PNetworkError::InvalidMessage, "cid: bad codec varint"};
  HBP2P_TRY_ASSIGN(Multihash mh, Multihash::parse(r.rest()));
  return Cid{1, codec, std::move(mh)};
}

Result<Cid> Cid::parse(std::string_view text) {
  if (text.size() > kMaxTextLength) return {P2PNetworkError::InvalidMessage, "cid: text too long"};
  if (text.size() == kV0TextLength && text.starts_with("Qm")) {
    HBP2P_TRY_ASSIGN(Bytes raw, base58::decode(text, kV0Size));
    if (!looks_like_v0(raw)) return {P2PNetworkError::InvalidMessage, "cid: malformed CIDv0"};
    return from_bytes(raw);
  }
  HBP2P_TRY_ASSIGN(Bytes raw, multibase::decode(text));
  // The spec forbids multibase-encoded CIDv0s (and so reserves version 0x12).
  if (!raw.empty() && raw[0] == Multihash::kSha2_256) {
    return {P2PNetworkError::InvalidMessage, "cid: CIDv0 must not be multibase-encoded"};
  }
  return from_bytes(raw);
}

Bytes Cid::to_bytes() const {
  if (version == 0) return hash.encode();
  Bytes out;
  varint::append(out, version);
  varint::append(out, codec);
  const Bytes mh = hash.encode();
  out.insert(out.end(), mh.begin(), mh.end());
  return out;
}

std::string Cid::to_string() const { return to_string(multibase::Base::Base32); }

std::string Cid::to_string(multibase::Base base) const {
  if (version == 0) return base58::encode(hash.encode());
  return multibase::encode(base, to_bytes());
}

}  // namespace hauptbuch::p2p

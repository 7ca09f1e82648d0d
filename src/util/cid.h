// CID (content identifier, multiformats/cid): <version><codec><multihash>, as libp2p uses it
// for peer ids in text (CIDv1, codec libp2p-key) and for content keys.
//
// Binary CIDv1 = uvarint(1) uvarint(codec) multihash; text = multibase of that. CIDv0 is a
// bare sha2-256 multihash (dag-pb implied), text base58btc without a multibase prefix
// ("Qm..."). Parsing is strict and bounded; hashes are limited to what Multihash accepts
// (identity, sha2-256). Never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"
#include "util/multibase.h"
#include "util/multihash.h"

namespace hauptbuch::p2p {

struct Cid {
  static constexpr uint64_t kLibp2pKey = 0x72;
  static constexpr uint64_t kDagPb = 0x70;
  static constexpr uint64_t kRaw = 0x55;
  // Longest CID text we decode: a CID is at most 9 + 9 + 4 + kMaxDigestSize = 150 bytes,
  // whose longest supported spelling (base16) is 301 characters. Checked before decoding.
  static constexpr size_t kMaxTextLength = 320;

  uint64_t version = 1;
  uint64_t codec = kLibp2pKey;
  Multihash hash;

  // Parses CID text: a CIDv0 ("Qm" + 44 base58btc characters) or a multibase CIDv1.
  // Errors: InvalidMessage for malformed text, bad varints, trailing bytes, a multibase CIDv0
  // (forbidden by the spec) or too long input; Unsupported for an unknown multibase prefix,
  // a version other than 0 and 1, or a hash function Multihash does not support.
  // Thread-safe.
  static Result<Cid> parse(std::string_view text);
  // Parses binary: a 34-byte sha2-256 multihash is a CIDv0, anything else must be a whole
  // CIDv1. Errors as parse(). Thread-safe.
  static Result<Cid> from_bytes(ByteSpan bytes);

  // CIDv1 with the given codec and hash.
  static Cid v1(uint64_t codec, Multihash hash);

  // Binary form (for v0 the multihash alone).
  Bytes to_bytes() const;
  // Canonical text: v1 as base32 lower-case multibase ('b...'), v0 as bare base58btc.
  std::string to_string() const;
  // v1 text in another multibase (v0 always prints as bare base58btc).
  std::string to_string(multibase::Base base) const;

  friend bool operator==(const Cid&, const Cid&) = default;
};

}  // namespace hauptbuch::p2p

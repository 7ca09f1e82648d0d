// Multihash: <uvarint hash code><uvarint digest length><digest>, for the codes libp2p uses
// (identity for small keys in peer IDs, sha2-256). Parsing is strict and bounded.
#pragma once

#include <cstddef>
#include <cstdint>

#include "hauptbuch/p2p/result.h"
#include "util/byte_reader.h"
#include "util/bytes.h"

namespace hauptbuch::p2p {

struct Multihash {
  static constexpr uint64_t kIdentity = 0x00;
  static constexpr uint64_t kSha2_256 = 0x12;
  // Largest digest we accept: identity multihashes inline public keys in peer IDs, and libp2p
  // only inlines keys up to 42 bytes; 128 leaves room without letting a peer make us copy more.
  static constexpr size_t kMaxDigestSize = 128;
  static constexpr size_t kSha2_256Size = 32;

  uint64_t code = 0;
  Bytes digest;

  // Identity multihash of `data` (the data itself). `data` should be <= kMaxDigestSize bytes,
  // otherwise the result will not parse back. Thread-safe.
  static Multihash identity(ByteSpan data);
  // sha2-256 multihash of `data`. Thread-safe.
  static Multihash sha2_256(ByteSpan data);
  // Parses a multihash that must span all of `in`. Errors: InvalidMessage on truncation,
  // bad varints, trailing bytes, digest longer than kMaxDigestSize or a sha2-256 digest that is
  // not 32 bytes; Unsupported on a hash code other than identity or sha2-256.
  static Result<Multihash> parse(ByteSpan in);
  // Reads one multihash from `r`; on error the reader is left unchanged. Errors as parse().
  static Result<Multihash> read(ByteReader& r);
  // Binary encoding: uvarint code, uvarint length, digest.
  Bytes encode() const;

  friend bool operator==(const Multihash&, const Multihash&) = default;
};

}  // namespace hauptbuch::p2p

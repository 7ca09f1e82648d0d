// Base58 (bitcoin alphabet) encoding and strict decoding, as used by multibase 'z' and peer IDs.
// Decoding is quadratic in the input length, so decode() refuses inputs longer than
// kMaxEncodedLength before doing any work: a hostile megabyte string must never burn CPU.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::base58 {

// 1024 characters decode to at most ~750 bytes: far above any peer ID, key or multihash we
// exchange, while keeping the O(n^2) decode at roughly a million byte operations at worst.
inline constexpr size_t kMaxEncodedLength = 1024;

// Encodes `data` in base58 (bitcoin alphabet); each leading zero byte becomes a '1'.
// Thread-safe (pure function).
std::string encode(ByteSpan data);

// Default bound on the decoded size. kMaxEncodedLength is the tighter limit in practice
// (~750 bytes); callers that know their field (a 38-byte peer id) pass a smaller bound.
inline constexpr size_t kDefaultMaxDecoded = 4096;

// Decodes base58 text. Errors: InvalidMessage on a character outside the alphabet, on input
// longer than kMaxEncodedLength (checked first, before any work) or on a decoded value longer
// than `max_decoded` bytes. Thread-safe (pure function).
Result<Bytes> decode(std::string_view text, size_t max_decoded = kDefaultMaxDecoded);

}  // namespace hauptbuch::p2p::base58

// Base32 (RFC 4648 §6 alphabet) without padding, as used by multibase 'b'/'B' (CIDs, peer IDs).
// Decoding is strict: one case throughout, no padding, no impossible lengths, zero trailing bits,
// so every byte string has exactly one accepted spelling per case.
#pragma once

#include <string>
#include <string_view>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::base32 {

// Encodes `data` as lower-case RFC 4648 base32 without padding. Thread-safe (pure function).
std::string encode_lower(ByteSpan data);

// Decodes unpadded base32 in all-lower or all-upper case. Errors: InvalidMessage on a bad or
// mixed-case character, '=' padding, a length no encoding can have (len % 8 in {1, 3, 6}) or
// non-zero trailing bits. Thread-safe (pure function).
Result<Bytes> decode(std::string_view text);

}  // namespace hauptbuch::p2p::base32

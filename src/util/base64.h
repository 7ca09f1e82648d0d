// Base64 (RFC 4648 §4 standard and §5 URL-safe alphabets) with strict, canonical decoding.
#pragma once

#include <string>
#include <string_view>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::base64 {

// Encodes `data`; `url` selects the URL-safe alphabet ('-', '_'), `pad` appends '=' padding.
// Thread-safe (pure function).
std::string encode(ByteSpan data, bool url = false, bool pad = true);

// Decodes base64 in the chosen alphabet. Padding is optional, but if present it must be exactly
// the right amount at the end. Errors: InvalidMessage on a character outside the alphabet,
// wrong padding, an impossible length (len % 4 == 1) or non-zero trailing bits.
// Thread-safe (pure function).
Result<Bytes> decode(std::string_view text, bool url = false);

}  // namespace hauptbuch::p2p::base64

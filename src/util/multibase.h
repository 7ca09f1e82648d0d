// Multibase: self-describing base encodings (one prefix character names the base), for the
// subset libp2p uses. Decoding is strict per base (see base58/base32/base64 headers).
#pragma once

#include <string>
#include <string_view>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::multibase {

enum class Base : char {
  Base58Btc = 'z',
  Base32 = 'b',
  Base32Upper = 'B',
  Base64 = 'm',
  Base64Url = 'u',
  Base64UrlPad = 'U',
  Base16 = 'f',
};

// Encodes `data` in `base`, prefixed by the base's code character. Thread-safe (pure function).
std::string encode(Base base, ByteSpan data);

// Decodes multibase text. Errors: InvalidMessage on empty input or malformed payload;
// Unsupported on an unknown prefix. Base16 ('f') accepts lower-case hex only.
// Thread-safe (pure function).
Result<Bytes> decode(std::string_view text);

}  // namespace hauptbuch::p2p::multibase

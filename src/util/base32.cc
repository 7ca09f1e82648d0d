// Base32 (RFC 4648), unpadded, strict: 5-bit groups packed big-endian into bytes.
#include "util/base32.h"

namespace hauptbuch::p2p::base32 {
namespace {
constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz234567";
}  // namespace

std::string encode_lower(ByteSpan data) {
  std::string out;
  out.reserve((data.size() * 8 + 4) / 5);
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t b : data) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kLower[(acc >> bits) & 31]);
    }
    acc &= (1u << bits) - 1;
  }
  if (bits > 0) out.push_back(kLower[(acc << (5 - bits)) & 31]);
  return out;
}

Result<Bytes> decode(std::string_view text) {
  const size_t rem = text.size() % 8;
  if (rem == 1 || rem == 3 || rem == 6) {
    return {P2PNetworkError::InvalidMessage, "base32: impossible length"};
  }
  bool seen_lower = false;
  bool seen_upper = false;
  Bytes out;
  out.reserve(text.size() * 5 / 8);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    uint32_t v;
    if (c >= 'a' && c <= 'z') {
      v = static_cast<uint32_t>(c - 'a');
      seen_lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      v = static_cast<uint32_t>(c - 'A');
      seen_upper = true;
    } else if (c >= '2' && c <= '7') {
      v = static_cast<uint32_t>(c - '2') + 26;
    } else {
      return {P2PNetworkError::InvalidMessage, "base32: invalid character"};
    }
    if (seen_lower && seen_upper) return {P2PNetworkError::InvalidMessage, "base32: mixed case"};
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) return {P2PNetworkError::InvalidMessage, "base32: non-zero trailing bits"};
  return out;
}

}  // namespace hauptbuch::p2p::base32

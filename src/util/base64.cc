// Base64 (RFC 4648), hand-written so that decoding is strict and canonical.
#include "util/base64.h"

namespace hauptbuch::p2p::base64 {
namespace {

constexpr std::string_view kStd = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int value_of(char c, bool url) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == (url ? '-' : '+')) return 62;
  if (c == (url ? '_' : '/')) return 63;
  return -1;
}

}  // namespace

std::string encode(ByteSpan data, bool url, bool pad) {
  const std::string_view alpha = url ? kUrl : kStd;
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const uint32_t n = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    out.push_back(alpha[(n >> 18) & 63]);
    out.push_back(alpha[(n >> 12) & 63]);
    out.push_back(alpha[(n >> 6) & 63]);
    out.push_back(alpha[n & 63]);
  }
  const size_t left = data.size() - i;
  if (left == 1) {
    const uint32_t n = uint32_t{data[i]} << 16;
    out.push_back(alpha[(n >> 18) & 63]);
    out.push_back(alpha[(n >> 12) & 63]);
    if (pad) out.append("==");
  } else if (left == 2) {
    const uint32_t n = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
    out.push_back(alpha[(n >> 18) & 63]);
    out.push_back(alpha[(n >> 12) & 63]);
    out.push_back(alpha[(n >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

Result<Bytes> decode(std::string_view text, bool url) {
  size_t pad = 0;
  while (pad < text.size() && pad < 2 && text[text.size() - 1 - pad] == '=') ++pad;
  if (pad > 0 && text.size() % 4 != 0) {
    return {P2PNetworkError::InvalidMessage, "base64: padding on a non-multiple-of-4 length"};
  }
  const std::string_view body = text.substr(0, text.size() - pad);
  const size_t rem = body.size() % 4;
  if (rem == 1) return {P2PNetworkError::InvalidMessage, "base64: impossible length"};
  if (pad > 0 && pad != 4 - rem) return {P2PNetworkError::InvalidMessage, "base64: wrong padding"};
  Bytes out;
  out.reserve(body.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : body) {
    const int v = value_of(c, url);
    if (v < 0) return {P2PNetworkError::InvalidMessage, "base64: invalid character"};
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) return {P2PNetworkError::InvalidMessage, "base64: non-zero trailing bits"};
  return out;
}

}  // namespace hauptbuch::p2p::base64

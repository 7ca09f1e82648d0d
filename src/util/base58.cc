// Base58 (bitcoin alphabet): schoolbook big-number base conversion in both directions.
#include "util/base58.h"

#include <array>

namespace hauptbuch::p2p::base58 {
namespace {

constexpr std::string_view kAlphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<int8_t, 256> make_table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (size_t i = 0; i < kAlphabet.size(); ++i) t[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr std::array<int8_t, 256> kDecodeTable = make_table();

}  // namespace

std::string encode(ByteSpan data) {
  size_t zeros = 0;
  while (zeros < data.size() && data[zeros] == 0) ++zeros;
  // log(256)/log(58) ~= 1.366, so 138/100 digits per byte is enough.
  std::vector<uint8_t> digits;  // base58 digits, least significant first
  digits.reserve((data.size() - zeros) * 138 / 100 + 1);
  for (size_t i = zeros; i < data.size(); ++i) {
    uint32_t carry = data[i];
    for (auto& d : digits) {
      carry += static_cast<uint32_t>(d) << 8;
      d = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  out.reserve(zeros + digits.size());
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kAlphabet[*it]);
  return out;
}

Result<Bytes> decode(std::string_view text, size_t max_decoded) {
  if (text.size() > kMaxEncodedLength) {
    return {P2PNetworkError::InvalidMessage, "base58: input longer than 1024 characters"};
  }
  size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  Bytes bytes;  // big number, least significant byte first
  bytes.reserve(text.size());
  for (size_t i = ones; i < text.size(); ++i) {
    const int8_t v = kDecodeTable[static_cast<uint8_t>(text[i])];
    if (v < 0) return {P2PNetworkError::InvalidMessage, "base58: invalid character"};
    uint32_t carry = static_cast<uint32_t>(v);
    for (auto& b : bytes) {
      carry += static_cast<uint32_t>(b) * 58;
      b = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<uint8_t>(carry & 0xff));
      carry >>= 8;
    }
    // The value only grows, so stop as soon as it is too long.
    if (ones + bytes.size() > max_decoded) {
      return {P2PNetworkError::InvalidMessage, "base58: decoded value longer than allowed"};
    }
  }
  if (ones > max_decoded) {
    return {P2PNetworkError::InvalidMessage, "base58: decoded value longer than allowed"};
  }
  Bytes out(ones, 0);
  out.insert(out.end(), bytes.rbegin(), bytes.rend());
  return out;
}

}  // namespace hauptbuch::p2p::base58

// Base58 (bitcoin alphabet): big-number base conversion in both directions, on 32-bit limbs
// (five base58 digits or four bytes per step) instead of one digit or byte at a time; the
// work is still quadratic, which is why decode() bounds its input first.
#include "util/base58.h"

#include <algorithm>
#include <array>
#include <vector>

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

// 58^5 is the largest power of 58 below 2^32: one encode limb holds five base58 digits.
constexpr uint64_t kPow58[6] = {1, 58, 3364, 195112, 11316496, 656356768};
constexpr uint64_t kEncodeBase = kPow58[5];

// limbs = limbs * mul + add, limbs little-endian in base `base`; appends limbs as needed.
// With mul <= 2^32, base <= 2^32 and add < 2^32 every intermediate fits in 64 bits.
void mul_add(std::vector<uint32_t>& limbs, uint64_t base, uint64_t mul, uint64_t add) {
  uint64_t carry = add;
  for (auto& l : limbs) {
    const uint64_t t = uint64_t{l} * mul + carry;
    l = static_cast<uint32_t>(t % base);
    carry = t / base;
  }
  while (carry > 0) {
    limbs.push_back(static_cast<uint32_t>(carry % base));
    carry /= base;
  }
}

}  // namespace

std::string encode(ByteSpan data) {
  size_t zeros = 0;
  while (zeros < data.size() && data[zeros] == 0) ++zeros;
  const ByteSpan rest = data.subspan(zeros);
  // Limbs in base 58^5, least significant first; feed the bytes in chunks of up to four
  // (the first chunk takes the remainder so the others are whole).
  std::vector<uint32_t> limbs;
  limbs.reserve(rest.size() * 138 / 500 + 2);  // log(256)/log(58^5) ~= 0.273 limbs per byte
  size_t i = 0;
  size_t chunk = rest.size() % 4 == 0 ? 4 : rest.size() % 4;
  while (i < rest.size()) {
    uint64_t v = 0;
    for (size_t k = 0; k < chunk; ++k) v = (v << 8) | rest[i + k];
    mul_add(limbs, kEncodeBase, uint64_t{1} << (8 * chunk), v);
    i += chunk;
    chunk = 4;
  }
  std::string digits;  // least significant first
  digits.reserve(limbs.size() * 5);
  for (uint32_t l : limbs) {
    for (int k = 0; k < 5; ++k) {
      digits.push_back(kAlphabet[l % 58]);
      l /= 58;
    }
  }
  while (!digits.empty() && digits.back() == '1') digits.pop_back();  // zero digits on top
  std::string out(zeros, '1');
  out.append(digits.rbegin(), digits.rend());
  return out;
}

Result<Bytes> decode(std::string_view text, size_t max_decoded) {
  if (text.size() > kMaxEncodedLength) {
    return {P2PNetworkError::InvalidMessage, "base58: input longer than 1024 characters"};
  }
  size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  if (ones > max_decoded) {
    return {P2PNetworkError::InvalidMessage, "base58: decoded value longer than allowed"};
  }
  // Limbs in base 2^32, least significant first; feed up to five digits per step.
  std::vector<uint32_t> limbs;
  limbs.reserve((text.size() - ones) * 733 / 3000 + 2);  // log(58)/log(2^32) ~= 0.183
  size_t i = ones;
  while (i < text.size()) {
    const size_t chunk = std::min<size_t>(5, text.size() - i);
    uint64_t v = 0;
    for (size_t k = 0; k < chunk; ++k) {
      const int8_t d = kDecodeTable[static_cast<uint8_t>(text[i + k])];
      if (d < 0) return {P2PNetworkError::InvalidMessage, "base58: invalid character"};
      v = v * 58 + static_cast<uint64_t>(d);
    }
    mul_add(limbs, uint64_t{1} << 32, kPow58[chunk], v);
    i += chunk;
    // The value only grows, so stop as soon as it is clearly too long.
    if (!limbs.empty() && ones + 4 * (limbs.size() - 1) > max_decoded) {
      return {P2PNetworkError::InvalidMessage, "base58: decoded value longer than allowed"};
    }
  }
  Bytes bytes;  // big-endian, without the number's leading zero bytes
  bytes.reserve(limbs.size() * 4);
  for (auto it = limbs.rbegin(); it != limbs.rend(); ++it) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      const auto b = static_cast<uint8_t>(*it >> shift);
      if (bytes.empty() && b == 0) continue;
      bytes.push_back(b);
    }
  }
  if (ones + bytes.size() > max_decoded) {
    return {P2PNetworkError::InvalidMessage, "base58: decoded value longer than allowed"};
  }
  Bytes out(ones, 0);
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

}  // namespace hauptbuch::p2p::base58

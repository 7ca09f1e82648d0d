// Multiformats unsigned varint: strict decoder and minimal encoder.
#include "util/varint.h"

#include <cassert>

namespace hauptbuch::p2p::varint {

Decoded decode(ByteSpan in) noexcept {
  uint64_t value = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    if (i == kMaxBytes) return {DecodeStatus::Invalid, 0, 0};
    uint8_t b = in[i];
    value |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      // A zero final byte after the first means the same value fits in fewer bytes.
      if (b == 0 && i > 0) return {DecodeStatus::Invalid, 0, 0};
      // The 9th byte may only carry 7 bits, so value < 2^63 always; check for clarity.
      if (value > kMaxValue) return {DecodeStatus::Invalid, 0, 0};
      return {DecodeStatus::Ok, value, i + 1};
    }
  }
  return {in.size() >= kMaxBytes ? DecodeStatus::Invalid : DecodeStatus::NeedMore, 0, 0};
}

size_t encoded_size(uint64_t v) noexcept {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

size_t encode(uint64_t v, uint8_t* out) noexcept {
  assert(v <= kMaxValue);
  size_t n = 0;
  while (v >= 0x80) {
    out[n++] = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  out[n++] = static_cast<uint8_t>(v);
  return n;
}

void append(Bytes& out, uint64_t v) {
  uint8_t buf[kMaxBytes + 1];
  size_t n = encode(v, buf);
  out.insert(out.end(), buf, buf + n);
}

}  // namespace hauptbuch::p2p::varint

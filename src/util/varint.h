// Unsigned varint of the multiformats spec (LEB128, little-endian groups of 7 bits).
//
// Limits from the spec: at most 9 bytes (so values < 2^63) and minimal encoding only; a
// decoder that accepted non-minimal forms would let two byte strings mean the same thing.
// Decoding distinguishes "need more bytes" (a stream parser waits) from "invalid" (close).
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/bytes.h"

namespace hauptbuch::p2p::varint {

inline constexpr size_t kMaxBytes = 9;                      // multiformats unsigned-varint cap
inline constexpr uint64_t kMaxValue = (uint64_t{1} << 63) - 1;  // largest value in 9 bytes

enum class DecodeStatus { Ok, NeedMore, Invalid };

struct Decoded {
  DecodeStatus status = DecodeStatus::Invalid;
  uint64_t value = 0;
  size_t length = 0;  // bytes consumed when Ok
};

// Decodes one varint at the start of `in`. NeedMore only if every byte present has the
// continuation bit and fewer than kMaxBytes were seen; Invalid for a 10th byte, a value that
// does not fit 63 bits, or a non-minimal encoding (last byte 0x00 after the first).
Decoded decode(ByteSpan in) noexcept;

// Number of bytes encode() writes for v (1..9). v must be <= kMaxValue.
size_t encoded_size(uint64_t v) noexcept;

// Writes v into out[0..encoded_size(v)) and returns the length. out must have room for 9
// bytes. v must be <= kMaxValue (asserted); callers validate values from outside first.
size_t encode(uint64_t v, uint8_t* out) noexcept;

// Appends the encoding of v to `out`.
void append(Bytes& out, uint64_t v);

}  // namespace hauptbuch::p2p::varint

// ByteReader: a consuming, bounds-checked cursor over untrusted bytes (after BoringSSL's CBS).
//
// Every read checks the remaining length first and returns false on failure, leaving the
// cursor where it was; nothing ever reads out of bounds. Parsers are written as a sequence
// of reads followed by an explicit `empty()` check when a message must be fully consumed.
// The reader never owns or copies the bytes: spans it hands out point into the input.
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/bytes.h"

namespace hauptbuch::p2p {

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(ByteSpan data) : data_(data) {}

  size_t remaining() const noexcept { return data_.size(); }
  bool empty() const noexcept { return data_.empty(); }
  ByteSpan rest() const noexcept { return data_; }

  [[nodiscard]] bool read_u8(uint8_t& out) noexcept;
  [[nodiscard]] bool read_u16_be(uint16_t& out) noexcept;
  [[nodiscard]] bool read_u32_be(uint32_t& out) noexcept;
  [[nodiscard]] bool read_u64_be(uint64_t& out) noexcept;
  [[nodiscard]] bool read_u16_le(uint16_t& out) noexcept;
  [[nodiscard]] bool read_u32_le(uint32_t& out) noexcept;

  // Takes the next n bytes as a span into the input.
  [[nodiscard]] bool read_bytes(size_t n, ByteSpan& out) noexcept;
  // Copies the next out.size() bytes into out.
  [[nodiscard]] bool copy_bytes(MutableByteSpan out) noexcept;
  [[nodiscard]] bool skip(size_t n) noexcept;

  // Multiformats unsigned varint (strict: minimal, at most 9 bytes).
  [[nodiscard]] bool read_uvarint(uint64_t& out) noexcept;
  // A varint length followed by that many bytes; fails if the length exceeds max_len or the
  // bytes are not all present.
  [[nodiscard]] bool read_uvarint_prefixed(ByteSpan& out, size_t max_len) noexcept;
  [[nodiscard]] bool read_u8_prefixed(ByteSpan& out) noexcept;
  [[nodiscard]] bool read_u16_be_prefixed(ByteSpan& out) noexcept;
  // Like the above but yields a sub-reader over the field.
  [[nodiscard]] bool read_uvarint_prefixed(ByteReader& out, size_t max_len) noexcept;

 private:
  ByteSpan data_;
};

}  // namespace hauptbuch::p2p

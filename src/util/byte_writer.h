// ByteWriter: appends encoded fields to a growing buffer (after BoringSSL's CBB).
//
// The writer enforces an optional maximum size so that an encoder can never produce a frame
// larger than its protocol allows; once a write would exceed it, the writer is marked failed
// and every later write is ignored, so callers check `ok()` once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "util/bytes.h"

namespace hauptbuch::p2p {

class ByteWriter {
 public:
  explicit ByteWriter(size_t max_size = std::numeric_limits<size_t>::max()) : max_(max_size) {}

  bool ok() const noexcept { return ok_; }
  size_t size() const noexcept { return buf_.size(); }
  const Bytes& bytes() const& noexcept { return buf_; }
  Bytes take() && { return std::move(buf_); }

  ByteWriter& u8(uint8_t v);
  ByteWriter& u16_be(uint16_t v);
  ByteWriter& u32_be(uint32_t v);
  ByteWriter& u64_be(uint64_t v);
  ByteWriter& u16_le(uint16_t v);
  ByteWriter& u32_le(uint32_t v);
  ByteWriter& bytes(ByteSpan b);
  ByteWriter& uvarint(uint64_t v);
  ByteWriter& uvarint_prefixed(ByteSpan b);
  ByteWriter& u8_prefixed(ByteSpan b);     // fails if b.size() > 255
  ByteWriter& u16_be_prefixed(ByteSpan b);  // fails if b.size() > 65535

 private:
  bool reserve(size_t n);
  Bytes buf_;
  size_t max_;
  bool ok_ = true;
};

}  // namespace hauptbuch::p2p

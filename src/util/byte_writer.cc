// Size-limited appends for ByteWriter.
#include "util/byte_writer.h"

#include "util/varint.h"

namespace hauptbuch::p2p {

bool ByteWriter::reserve(size_t n) {
  if (!ok_ || n > max_ - buf_.size()) {
    ok_ = false;
    return false;
  }
  return true;
}

ByteWriter& ByteWriter::u8(uint8_t v) {
  if (reserve(1)) buf_.push_back(v);
  return *this;
}

ByteWriter& ByteWriter::u16_be(uint16_t v) {
  if (reserve(2)) buf_.insert(buf_.end(), {uint8_t(v >> 8), uint8_t(v)});
  return *this;
}

ByteWriter& ByteWriter::u32_be(uint32_t v) {
  if (reserve(4)) buf_.insert(buf_.end(), {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)});
  return *this;
}

ByteWriter& ByteWriter::u64_be(uint64_t v) {
  if (reserve(8))
    for (int s = 56; s >= 0; s -= 8) buf_.push_back(uint8_t(v >> s));
  return *this;
}

ByteWriter& ByteWriter::u16_le(uint16_t v) {
  if (reserve(2)) buf_.insert(buf_.end(), {uint8_t(v), uint8_t(v >> 8)});
  return *this;
}

ByteWriter& ByteWriter::u32_le(uint32_t v) {
  if (reserve(4)) buf_.insert(buf_.end(), {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)});
  return *this;
}

ByteWriter& ByteWriter::bytes(ByteSpan b) {
  if (reserve(b.size())) buf_.insert(buf_.end(), b.begin(), b.end());
  return *this;
}

ByteWriter& ByteWriter::uvarint(uint64_t v) {
  if (v > varint::kMaxValue) {
    ok_ = false;
    return *this;
  }
  uint8_t tmp[varint::kMaxBytes + 1];
  size_t n = varint::encode(v, tmp);
  return bytes({tmp, n});
}

ByteWriter& ByteWriter::uvarint_prefixed(ByteSpan b) { return uvarint(b.size()).bytes(b); }

ByteWriter& ByteWriter::u8_prefixed(ByteSpan b) {
  if (b.size() > 0xff) ok_ = false;
  return u8(static_cast<uint8_t>(b.size())).bytes(b);
}

ByteWriter& ByteWriter::u16_be_prefixed(ByteSpan b) {
  if (b.size() > 0xffff) ok_ = false;
  return u16_be(static_cast<uint16_t>(b.size())).bytes(b);
}

}  // namespace hauptbuch::p2p

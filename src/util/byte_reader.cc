// Bounds-checked reads for ByteReader.
#include "util/byte_reader.h"

#include <cstring>

#include "util/varint.h"

namespace hauptbuch::p2p {

bool ByteReader::read_bytes(size_t n, ByteSpan& out) noexcept {
  if (n > data_.size()) return false;
  out = data_.first(n);
  data_ = data_.subspan(n);
  return true;
}

bool ByteReader::copy_bytes(MutableByteSpan out) noexcept {
  ByteSpan b;
  if (!read_bytes(out.size(), b)) return false;
  if (!b.empty()) std::memcpy(out.data(), b.data(), b.size());
  return true;
}

bool ByteReader::skip(size_t n) noexcept {
  ByteSpan ignored;
  return read_bytes(n, ignored);
}

bool ByteReader::read_u8(uint8_t& out) noexcept {
  if (data_.empty()) return false;
  out = data_[0];
  data_ = data_.subspan(1);
  return true;
}

namespace {
template <typename T>
bool read_be(ByteReader& r, T& out) noexcept {
  ByteSpan b;
  if (!r.read_bytes(sizeof(T), b)) return false;
  T v = 0;
  for (uint8_t byte : b) v = static_cast<T>((v << 8) | byte);
  out = v;
  return true;
}
template <typename T>
bool read_le(ByteReader& r, T& out) noexcept {
  ByteSpan b;
  if (!r.read_bytes(sizeof(T), b)) return false;
  T v = 0;
  for (size_t i = sizeof(T); i-- > 0;) v = static_cast<T>((v << 8) | b[i]);
  out = v;
  return true;
}
}  // namespace

bool ByteReader::read_u16_be(uint16_t& out) noexcept { return read_be(*this, out); }
bool ByteReader::read_u32_be(uint32_t& out) noexcept { return read_be(*this, out); }
bool ByteReader::read_u64_be(uint64_t& out) noexcept { return read_be(*this, out); }
bool ByteReader::read_u16_le(uint16_t& out) noexcept { return read_le(*this, out); }
bool ByteReader::read_u32_le(uint32_t& out) noexcept { return read_le(*this, out); }

bool ByteReader::read_uvarint(uint64_t& out) noexcept {
  varint::Decoded d = varint::decode(data_);
  if (d.status != varint::DecodeStatus::Ok) return false;
  out = d.value;
  data_ = data_.subspan(d.length);
  return true;
}

bool ByteReader::read_uvarint_prefixed(ByteSpan& out, size_t max_len) noexcept {
  ByteReader copy = *this;
  uint64_t len = 0;
  if (!copy.read_uvarint(len) || len > max_len || len > copy.remaining()) return false;
  if (!copy.read_bytes(static_cast<size_t>(len), out)) return false;
  *this = copy;
  return true;
}

bool ByteReader::read_uvarint_prefixed(ByteReader& out, size_t max_len) noexcept {
  ByteSpan b;
  if (!read_uvarint_prefixed(b, max_len)) return false;
  out = ByteReader(b);
  return true;
}

bool ByteReader::read_u8_prefixed(ByteSpan& out) noexcept {
  ByteReader copy = *this;
  uint8_t len = 0;
  if (!copy.read_u8(len) || !copy.read_bytes(len, out)) return false;
  *this = copy;
  return true;
}

bool ByteReader::read_u16_be_prefixed(ByteSpan& out) noexcept {
  ByteReader copy = *this;
  uint16_t len = 0;
  if (!copy.read_u16_be(len) || !copy.read_bytes(len, out)) return false;
  *this = copy;
  return true;
}

}  // namespace hauptbuch::p2p

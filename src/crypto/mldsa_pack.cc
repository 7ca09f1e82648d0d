// ML-DSA bit packing (FIPS 204 Alg. 16-21). Fixed loop counts, no data-dependent branches except
// in hint (public) unpacking.
#include "crypto/mldsa_pack.h"

namespace hauptbuch::p2p::crypto::mldsa {

void pack_bits(uint8_t* out, const Poly& w, size_t bits) {
  uint64_t acc = 0;
  size_t nacc = 0, o = 0;
  for (size_t i = 0; i < kN; ++i) {
    acc |= static_cast<uint64_t>(static_cast<uint32_t>(w[i]) & ((1u << bits) - 1)) << nacc;
    nacc += bits;
    while (nacc >= 8) {
      out[o++] = static_cast<uint8_t>(acc);
      acc >>= 8;
      nacc -= 8;
    }
  }
}

void unpack_bits(Poly& w, ByteSpan in, size_t bits) {
  uint64_t acc = 0;
  size_t nacc = 0, pos = 0;
  for (size_t i = 0; i < kN; ++i) {
    while (nacc < bits) {
      acc |= static_cast<uint64_t>(in[pos++]) << nacc;
      nacc += 8;
    }
    w[i] = static_cast<int32_t>(acc & ((uint64_t{1} << bits) - 1));
    acc >>= bits;
    nacc -= bits;
  }
}

void pack_offset(uint8_t* out, const Poly& w, size_t bits, int32_t offset) {
  Poly t;
  for (size_t i = 0; i < kN; ++i) t[i] = offset - w[i];
  pack_bits(out, t, bits);
}

void unpack_offset(Poly& w, ByteSpan in, size_t bits, int32_t offset) {
  unpack_bits(w, in, bits);
  for (auto& c : w) c = offset - c;
}

void pack_hint(uint8_t* out, const std::array<Poly, kMaxK>& h, size_t k, int32_t omega) {
  const size_t om = static_cast<size_t>(omega);
  for (size_t i = 0; i < om + k; ++i) out[i] = 0;
  size_t index = 0;
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j < kN; ++j)
      if (h[i][j] != 0 && index < om) out[index++] = static_cast<uint8_t>(j);
    out[om + i] = static_cast<uint8_t>(index);
  }
}

bool unpack_hint(std::array<Poly, kMaxK>& h, ByteSpan in, size_t k, int32_t omega) {
  const size_t om = static_cast<size_t>(omega);
  if (in.size() != om + k) return false;
  size_t index = 0;
  for (size_t i = 0; i < k; ++i) {
    h[i].fill(0);
    const size_t end = in[om + i];
    if (end < index || end > om) return false;
    const size_t first = index;
    for (; index < end; ++index) {
      if (index > first && in[index - 1] >= in[index]) return false;
      h[i][in[index]] = 1;
    }
  }
  for (size_t i = index; i < om; ++i)
    if (in[i] != 0) return false;
  return true;
}

}  // namespace hauptbuch::p2p::crypto::mldsa

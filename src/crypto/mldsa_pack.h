// ML-DSA bit packing (FIPS 204 Alg. 16-21, 28): SimpleBitPack/BitPack and inverses, HintBitPack
// and the strict HintBitUnpack that rejects malformed hints. Packing of secret coefficients is
// branch-free and table-free.
#pragma once

#include <cstdint>

#include "crypto/mldsa_poly.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::crypto::mldsa {

// Packs each coefficient w (in [0, 2^bits)) LSB first; out has 32 * bits bytes.
void pack_bits(uint8_t* out, const Poly& w, size_t bits);
// Inverse of pack_bits: values in [0, 2^bits).
void unpack_bits(Poly& w, ByteSpan in, size_t bits);
// BitPack(w, a, b) with b = offset: packs offset - w_i.
void pack_offset(uint8_t* out, const Poly& w, size_t bits, int32_t offset);
// BitUnpack: w_i = offset - v_i.
void unpack_offset(Poly& w, ByteSpan in, size_t bits, int32_t offset);

// HintBitPack into omega + k bytes. h_i in {0,1}; total weight must be <= omega.
void pack_hint(uint8_t* out, const std::array<Poly, kMaxK>& h, size_t k, int32_t omega);
// HintBitUnpack; false for any encoding FIPS 204 Alg. 21 rejects (counts decreasing or > omega,
// indices not strictly increasing within a polynomial, non-zero padding).
bool unpack_hint(std::array<Poly, kMaxK>& h, ByteSpan in, size_t k, int32_t omega);

}  // namespace hauptbuch::p2p::crypto::mldsa

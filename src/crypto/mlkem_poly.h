// ML-KEM polynomial arithmetic over Z_q[X]/(X^256+1), q = 3329 (FIPS 203 §4.2-4.3): Montgomery
// and Barrett reduction, NTT / inverse NTT, base-case multiplication, Compress/Decompress and
// ByteEncode/ByteDecode. Coefficients are int16. Every routine runs in time independent of the
// coefficient values: no branches or table lookups on (possibly secret) data; the zeta tables are
// indexed only by public loop counters.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "crypto/mlkem_params.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::crypto::mlkem {

struct Poly {
  std::array<int16_t, kN> c{};
};

// a * 2^-16 mod q for |a| < q * 2^15; result in (-q, q).
int16_t montgomery_reduce(int32_t a) noexcept;
// Representative of a mod q in [-(q-1)/2, (q-1)/2].
int16_t barrett_reduce(int16_t a) noexcept;
// a * b * 2^-16 mod q.
inline int16_t fqmul(int16_t a, int16_t b) noexcept {
  return montgomery_reduce(static_cast<int32_t>(a) * b);
}

// Forward NTT (Alg. 9); input |coef| < q, output reduced to [-(q-1)/2, (q-1)/2].
void ntt(Poly& p) noexcept;
// Inverse NTT (Alg. 10) of a product of basemul (which carries a factor 2^-16); the factor is
// removed together with the 1/128 scaling. Output |coef| < q.
void inv_ntt(Poly& p) noexcept;
// r += a ∘ b (Alg. 11), in the Montgomery domain (result carries 2^-16).
void basemul_acc(Poly& r, const Poly& a, const Poly& b) noexcept;
// r = sum_{j<k} a[j] ∘ b[j] (Alg. 11 summed over a row of the matrix product), in the
// Montgomery domain (carries 2^-16). Products are accumulated in int32 and reduced once per
// coefficient. Requires k <= 4 and every input |coef| < q; output |coef| < q.
void basemul_sum(Poly& r, const Poly* const a[], const Poly* b, size_t k) noexcept;
// Multiply every coefficient by 2^16 (undo the basemul factor without an inverse NTT).
void to_mont(Poly& p) noexcept;
void reduce(Poly& p) noexcept;       // Barrett-reduce every coefficient
void normalize(Poly& p) noexcept;    // every coefficient into [0, q)
void add(Poly& r, const Poly& a) noexcept;
void sub(Poly& r, const Poly& a) noexcept;

// Compress_d (§4.2.1) of x in [0, q): round(2^d * x / q) mod 2^d, by multiply-and-shift.
inline uint16_t compress(uint16_t x, int d) noexcept {
  // floor(n / q) == (n * kM) >> 36 for all n < 2^24 (checked exhaustively in the unit tests for
  // every n that occurs); kM = ceil(2^36 / q).
  constexpr uint64_t kM = ((uint64_t{1} << 36) + kQ - 1) / kQ;
  const uint64_t n = (static_cast<uint64_t>(x) << d) + (kQ / 2);
  return static_cast<uint16_t>(((n * kM) >> 36) & ((1u << d) - 1));
}
// Decompress_d: round(q * y / 2^d).
inline uint16_t decompress(uint16_t y, int d) noexcept {
  return static_cast<uint16_t>((static_cast<uint32_t>(y) * kQ + (1u << (d - 1))) >> d);
}

// ByteEncode_d of p (coefficients in [0, 2^d)) into out (32*d bytes).
void byte_encode(const Poly& p, int d, uint8_t* out) noexcept;
// ByteDecode_d of 32*d bytes; for d = 12 the values are NOT reduced mod q (callers check or
// reduce), for d < 12 they are in [0, 2^d).
void byte_decode(Poly& p, int d, const uint8_t* in) noexcept;
// Compress_d every coefficient (input normalized to [0, q)) then ByteEncode_d.
void compress_encode(const Poly& p, int d, uint8_t* out) noexcept;
// ByteDecode_d then Decompress_d.
void decode_decompress(Poly& p, int d, const uint8_t* in) noexcept;

}  // namespace hauptbuch::p2p::crypto::mlkem

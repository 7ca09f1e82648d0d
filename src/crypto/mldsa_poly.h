// ML-DSA polynomial arithmetic over Z_q[X]/(X^256+1): Montgomery reduction, NTT / inverse NTT
// (FIPS 204 Alg. 41/42), and the rounding functions Power2Round, Decompose, HighBits, LowBits,
// MakeHint, UseHint (Alg. 35-40). Everything that may touch secret data is branch-free and uses
// no secret-dependent memory index; keep it that way.
#pragma once

#include <array>
#include <cstdint>

#include "crypto/mldsa_params.h"

namespace hauptbuch::p2p::crypto::mldsa {

using Poly = std::array<int32_t, kN>;

inline constexpr int32_t kQInv = 58728449;  // q^-1 mod 2^32

// a * 2^-32 mod q, result in (-q, q) for |a| < q * 2^31.
inline int32_t montgomery_reduce(int64_t a) {
  const int32_t t = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(a) * static_cast<uint32_t>(kQInv)));
  return static_cast<int32_t>((a - static_cast<int64_t>(t) * kQ) >> 32);
}
// Representative of a mod q in [-6283008, 6283008] for a <= 2^31 - 2^22.
inline int32_t reduce32(int32_t a) {
  const int32_t t = (a + (1 << 22)) >> 23;
  return a - t * kQ;
}
// Adds q if a is negative (branch-free).
inline int32_t caddq(int32_t a) { return a + ((a >> 31) & kQ); }
// Canonical representative in [0, q).
inline int32_t freeze(int32_t a) { return caddq(reduce32(a)); }
// |a| without a branch.
inline int32_t abs32(int32_t a) {
  const int32_t m = a >> 31;
  return (a ^ m) - m;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HBP2P_MLDSA_AVX2 1
#else
#define HBP2P_MLDSA_AVX2 0
#endif

// The two implementations behind ntt / invntt_tomont, exposed for the tests that compare them.
namespace detail {
void ntt_portable(Poly& a);
void invntt_tomont_portable(Poly& a);
bool avx2_enabled();               // AVX2 path compiled in and supported by this CPU
void ntt_avx2(Poly& a);            // only call if avx2_enabled()
void invntt_tomont_avx2(Poly& a);  // only call if avx2_enabled()
}  // namespace detail

void ntt(Poly& a);               // in place; |input| < q, output bounded by 9q
void invntt_tomont(Poly& a);     // in place; |input| <= 6283008 (reduce32 first); output * 2^32, in (-q, q)
void pointwise_mont(Poly& out, const Poly& a, const Poly& b);      // out = a*b*2^-32
void pointwise_acc_mont(Poly& out, const Poly& a, const Poly& b);  // out += a*b*2^-32
void poly_reduce(Poly& a);
void poly_freeze(Poly& a);

// 1 if some |a_i| >= bound (a in reduce32 range), else 0. Branch-free over all coefficients.
uint32_t poly_exceeds(const Poly& a, int32_t bound);

// Power2Round for r in [0, q): r = r1 * 2^d + r0 with r0 in (-2^12, 2^12].
inline void power2round(int32_t r, int32_t& r1, int32_t& r0) {
  r1 = (r + (1 << (kD - 1)) - 1) >> kD;
  r0 = r - (r1 << kD);
}

// Decompose for r in [0, q): r = r1 * 2 gamma2 + r0 with r0 = r mod+- 2gamma2, and the special
// case r - r0 = q - 1 mapped to r1 = 0, r0 = r0 - 1. Branch-free.
inline void decompose(int32_t r, int32_t gamma2, int32_t& r1, int32_t& r0) {
  int32_t a1 = (r + 127) >> 7;  // ceil(r / 128)
  if (gamma2 == (kQ - 1) / 32) {  // public parameter branch
    a1 = (a1 * 1025 + (1 << 21)) >> 22;
    a1 &= 15;
  } else {
    a1 = (a1 * 11275 + (1 << 23)) >> 24;
    a1 ^= ((43 - a1) >> 31) & a1;  // 44 -> 0
  }
  int32_t a0 = r - a1 * 2 * gamma2;
  a0 -= (((kQ - 1) / 2 - a0) >> 31) & kQ;
  r1 = a1;
  r0 = a0;
}
inline int32_t high_bits(int32_t r, int32_t gamma2) {
  int32_t r1, r0;
  decompose(r, gamma2, r1, r0);
  return r1;
}
inline int32_t low_bits(int32_t r, int32_t gamma2) {
  int32_t r1, r0;
  decompose(r, gamma2, r1, r0);
  return r0;
}
// MakeHint(z, r) = [HighBits(r) != HighBits(r + z)], r and z in [0, q). Branch-free.
inline int32_t make_hint(int32_t z, int32_t r, int32_t gamma2) {
  const int32_t d = high_bits(r, gamma2) ^ high_bits(freeze(r + z), gamma2);
  return static_cast<int32_t>((static_cast<uint32_t>(d) | (0u - static_cast<uint32_t>(d))) >> 31);
}
// UseHint(h, r) for r in [0, q). Only used on public data (verification).
inline int32_t use_hint(int32_t h, int32_t r, int32_t gamma2) {
  int32_t r1, r0;
  decompose(r, gamma2, r1, r0);
  const int32_t m = (kQ - 1) / (2 * gamma2);
  if (h == 0) return r1;
  if (r0 > 0) return (r1 + 1) % m;
  return (r1 - 1 + m) % m;
}

}  // namespace hauptbuch::p2p::crypto::mldsa

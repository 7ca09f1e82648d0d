// Keccak-f[1600] permutation and sponge (FIPS 202), written from the standard.
#include "crypto/keccak.h"

#include <cassert>
#include <bit>
#include <cstring>

#if HBP2P_KECCAK_X4_AVX2
#include <immintrin.h>
#endif

namespace hauptbuch::p2p::crypto {
namespace {

constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

inline uint64_t rotl(uint64_t x, int n) noexcept { return std::rotl(x, n); }

inline uint64_t load_le64(const uint8_t* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}
inline void store_le64(uint8_t* p, uint64_t v) noexcept {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

}  // namespace

void keccak_f1600(uint64_t s[25]) noexcept {
  // Two rounds per iteration (a -> e -> a) with all 50 lanes in local variables and every
  // index a compile-time constant, so the compiler keeps the state in registers and never
  // copies arrays. Generated from the step definitions in FIPS 202 §3.2 (theta, rho, pi, chi,
  // iota merged per output plane).
  uint64_t a00 = s[0], a01 = s[1], a02 = s[2], a03 = s[3], a04 = s[4], a05 = s[5], a06 = s[6], a07 = s[7], a08 = s[8], a09 = s[9], a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14], a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19], a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
  uint64_t e00, e01, e02, e03, e04, e05, e06, e07, e08, e09, e10, e11, e12, e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
  uint64_t b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;
  for (int round = 0; round < 24; round += 2) {
    c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
    c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
    c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
    c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
    c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
    d0 = c4 ^ rotl(c1, 1);
    d1 = c0 ^ rotl(c2, 1);
    d2 = c1 ^ rotl(c3, 1);
    d3 = c2 ^ rotl(c4, 1);
    d4 = c3 ^ rotl(c0, 1);
    b0 = a00 ^ d0;
    b1 = rotl(a06 ^ d1, 44);
    b2 = rotl(a12 ^ d2, 43);
    b3 = rotl(a18 ^ d3, 21);
    b4 = rotl(a24 ^ d4, 14);
    e00 = b0 ^ (~b1 & b2) ^ kRoundConstants[round];
    e01 = b1 ^ (~b2 & b3);
    e02 = b2 ^ (~b3 & b4);
    e03 = b3 ^ (~b4 & b0);
    e04 = b4 ^ (~b0 & b1);
    b0 = rotl(a03 ^ d3, 28);
    b1 = rotl(a09 ^ d4, 20);
    b2 = rotl(a10 ^ d0, 3);
    b3 = rotl(a16 ^ d1, 45);
    b4 = rotl(a22 ^ d2, 61);
    e05 = b0 ^ (~b1 & b2);
    e06 = b1 ^ (~b2 & b3);
    e07 = b2 ^ (~b3 & b4);
    e08 = b3 ^ (~b4 & b0);
    e09 = b4 ^ (~b0 & b1);
    b0 = rotl(a01 ^ d1, 1);
    b1 = rotl(a07 ^ d2, 6);
    b2 = rotl(a13 ^ d3, 25);
    b3 = rotl(a19 ^ d4, 8);
    b4 = rotl(a20 ^ d0, 18);
    e10 = b0 ^ (~b1 & b2);
    e11 = b1 ^ (~b2 & b3);
    e12 = b2 ^ (~b3 & b4);
    e13 = b3 ^ (~b4 & b0);
    e14 = b4 ^ (~b0 & b1);
    b0 = rotl(a04 ^ d4, 27);
    b1 = rotl(a05 ^ d0, 36);
    b2 = rotl(a11 ^ d1, 10);
    b3 = rotl(a17 ^ d2, 15);
    b4 = rotl(a23 ^ d3, 56);
    e15 = b0 ^ (~b1 & b2);
    e16 = b1 ^ (~b2 & b3);
    e17 = b2 ^ (~b3 & b4);
    e18 = b3 ^ (~b4 & b0);
    e19 = b4 ^ (~b0 & b1);
    b0 = rotl(a02 ^ d2, 62);
    b1 = rotl(a08 ^ d3, 55);
    b2 = rotl(a14 ^ d4, 39);
    b3 = rotl(a15 ^ d0, 41);
    b4 = rotl(a21 ^ d1, 2);
    e20 = b0 ^ (~b1 & b2);
    e21 = b1 ^ (~b2 & b3);
    e22 = b2 ^ (~b3 & b4);
    e23 = b3 ^ (~b4 & b0);
    e24 = b4 ^ (~b0 & b1);
    c0 = e00 ^ e05 ^ e10 ^ e15 ^ e20;
    c1 = e01 ^ e06 ^ e11 ^ e16 ^ e21;
    c2 = e02 ^ e07 ^ e12 ^ e17 ^ e22;
    c3 = e03 ^ e08 ^ e13 ^ e18 ^ e23;
    c4 = e04 ^ e09 ^ e14 ^ e19 ^ e24;
    d0 = c4 ^ rotl(c1, 1);
    d1 = c0 ^ rotl(c2, 1);
    d2 = c1 ^ rotl(c3, 1);
    d3 = c2 ^ rotl(c4, 1);
    d4 = c3 ^ rotl(c0, 1);
    b0 = e00 ^ d0;
    b1 = rotl(e06 ^ d1, 44);
    b2 = rotl(e12 ^ d2, 43);
    b3 = rotl(e18 ^ d3, 21);
    b4 = rotl(e24 ^ d4, 14);
    a00 = b0 ^ (~b1 & b2) ^ kRoundConstants[round + 1];
    a01 = b1 ^ (~b2 & b3);
    a02 = b2 ^ (~b3 & b4);
    a03 = b3 ^ (~b4 & b0);
    a04 = b4 ^ (~b0 & b1);
    b0 = rotl(e03 ^ d3, 28);
    b1 = rotl(e09 ^ d4, 20);
    b2 = rotl(e10 ^ d0, 3);
    b3 = rotl(e16 ^ d1, 45);
    b4 = rotl(e22 ^ d2, 61);
    a05 = b0 ^ (~b1 & b2);
    a06 = b1 ^ (~b2 & b3);
    a07 = b2 ^ (~b3 & b4);
    a08 = b3 ^ (~b4 & b0);
    a09 = b4 ^ (~b0 & b1);
    b0 = rotl(e01 ^ d1, 1);
    b1 = rotl(e07 ^ d2, 6);
    b2 = rotl(e13 ^ d3, 25);
    b3 = rotl(e19 ^ d4, 8);
    b4 = rotl(e20 ^ d0, 18);
    a10 = b0 ^ (~b1 & b2);
    a11 = b1 ^ (~b2 & b3);
    a12 = b2 ^ (~b3 & b4);
    a13 = b3 ^ (~b4 & b0);
    a14 = b4 ^ (~b0 & b1);
    b0 = rotl(e04 ^ d4, 27);
    b1 = rotl(e05 ^ d0, 36);
    b2 = rotl(e11 ^ d1, 10);
    b3 = rotl(e17 ^ d2, 15);
    b4 = rotl(e23 ^ d3, 56);
    a15 = b0 ^ (~b1 & b2);
    a16 = b1 ^ (~b2 & b3);
    a17 = b2 ^ (~b3 & b4);
    a18 = b3 ^ (~b4 & b0);
    a19 = b4 ^ (~b0 & b1);
    b0 = rotl(e02 ^ d2, 62);
    b1 = rotl(e08 ^ d3, 55);
    b2 = rotl(e14 ^ d4, 39);
    b3 = rotl(e15 ^ d0, 41);
    b4 = rotl(e21 ^ d1, 2);
    a20 = b0 ^ (~b1 & b2);
    a21 = b1 ^ (~b2 & b3);
    a22 = b2 ^ (~b3 & b4);
    a23 = b3 ^ (~b4 & b0);
    a24 = b4 ^ (~b0 & b1);
  }
  s[0] = a00;
  s[1] = a01;
  s[2] = a02;
  s[3] = a03;
  s[4] = a04;
  s[5] = a05;
  s[6] = a06;
  s[7] = a07;
  s[8] = a08;
  s[9] = a09;
  s[10] = a10;
  s[11] = a11;
  s[12] = a12;
  s[13] = a13;
  s[14] = a14;
  s[15] = a15;
  s[16] = a16;
  s[17] = a17;
  s[18] = a18;
  s[19] = a19;
  s[20] = a20;
  s[21] = a21;
  s[22] = a22;
  s[23] = a23;
  s[24] = a24;
}

#if HBP2P_KECCAK_X4_AVX2
#define HBP2P_KECCAK_AVX2 __attribute__((target("avx2")))
namespace {
HBP2P_KECCAK_AVX2 inline __m256i X(__m256i a, __m256i b) { return _mm256_xor_si256(a, b); }
HBP2P_KECCAK_AVX2 inline __m256i rotl4(__m256i x, int n) {
  return _mm256_or_si256(_mm256_slli_epi64(x, n), _mm256_srli_epi64(x, 64 - n));
}
HBP2P_KECCAK_AVX2 inline __m256i load4(const uint64_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
HBP2P_KECCAK_AVX2 inline void store4(uint64_t* p, __m256i v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
}

// The same round code as keccak_f1600 with each lane a vector of four instances.
HBP2P_KECCAK_AVX2 void keccak_f1600_x4_avx2(uint64_t s[100]) noexcept {
  __m256i a00 = load4(s + 0), a01 = load4(s + 4), a02 = load4(s + 8), a03 = load4(s + 12), a04 = load4(s + 16), a05 = load4(s + 20), a06 = load4(s + 24), a07 = load4(s + 28), a08 = load4(s + 32), a09 = load4(s + 36), a10 = load4(s + 40), a11 = load4(s + 44), a12 = load4(s + 48), a13 = load4(s + 52), a14 = load4(s + 56), a15 = load4(s + 60), a16 = load4(s + 64), a17 = load4(s + 68), a18 = load4(s + 72), a19 = load4(s + 76), a20 = load4(s + 80), a21 = load4(s + 84), a22 = load4(s + 88), a23 = load4(s + 92), a24 = load4(s + 96);
  __m256i e00, e01, e02, e03, e04, e05, e06, e07, e08, e09, e10, e11, e12, e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
  __m256i b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;
  for (int round = 0; round < 24; round += 2) {
    c0 = X(X(X(X(a00, a05), a10), a15), a20);
    c1 = X(X(X(X(a01, a06), a11), a16), a21);
    c2 = X(X(X(X(a02, a07), a12), a17), a22);
    c3 = X(X(X(X(a03, a08), a13), a18), a23);
    c4 = X(X(X(X(a04, a09), a14), a19), a24);
    d0 = X(c4, rotl4(c1, 1));
    d1 = X(c0, rotl4(c2, 1));
    d2 = X(c1, rotl4(c3, 1));
    d3 = X(c2, rotl4(c4, 1));
    d4 = X(c3, rotl4(c0, 1));
    b0 = X(a00, d0);
    b1 = rotl4(X(a06, d1), 44);
    b2 = rotl4(X(a12, d2), 43);
    b3 = rotl4(X(a18, d3), 21);
    b4 = rotl4(X(a24, d4), 14);
    e00 = X(X(b0, _mm256_andnot_si256(b1, b2)), _mm256_set1_epi64x(static_cast<long long>(kRoundConstants[round])));
    e01 = X(b1, _mm256_andnot_si256(b2, b3));
    e02 = X(b2, _mm256_andnot_si256(b3, b4));
    e03 = X(b3, _mm256_andnot_si256(b4, b0));
    e04 = X(b4, _mm256_andnot_si256(b0, b1));
    b0 = rotl4(X(a03, d3), 28);
    b1 = rotl4(X(a09, d4), 20);
    b2 = rotl4(X(a10, d0), 3);
    b3 = rotl4(X(a16, d1), 45);
    b4 = rotl4(X(a22, d2), 61);
    e05 = X(b0, _mm256_andnot_si256(b1, b2));
    e06 = X(b1, _mm256_andnot_si256(b2, b3));
    e07 = X(b2, _mm256_andnot_si256(b3, b4));
    e08 = X(b3, _mm256_andnot_si256(b4, b0));
    e09 = X(b4, _mm256_andnot_si256(b0, b1));
    b0 = rotl4(X(a01, d1), 1);
    b1 = rotl4(X(a07, d2), 6);
    b2 = rotl4(X(a13, d3), 25);
    b3 = rotl4(X(a19, d4), 8);
    b4 = rotl4(X(a20, d0), 18);
    e10 = X(b0, _mm256_andnot_si256(b1, b2));
    e11 = X(b1, _mm256_andnot_si256(b2, b3));
    e12 = X(b2, _mm256_andnot_si256(b3, b4));
    e13 = X(b3, _mm256_andnot_si256(b4, b0));
    e14 = X(b4, _mm256_andnot_si256(b0, b1));
    b0 = rotl4(X(a04, d4), 27);
    b1 = rotl4(X(a05, d0), 36);
    b2 = rotl4(X(a11, d1), 10);
    b3 = rotl4(X(a17, d2), 15);
    b4 = rotl4(X(a23, d3), 56);
    e15 = X(b0, _mm256_andnot_si256(b1, b2));
    e16 = X(b1, _mm256_andnot_si256(b2, b3));
    e17 = X(b2, _mm256_andnot_si256(b3, b4));
    e18 = X(b3, _mm256_andnot_si256(b4, b0));
    e19 = X(b4, _mm256_andnot_si256(b0, b1));
    b0 = rotl4(X(a02, d2), 62);
    b1 = rotl4(X(a08, d3), 55);
    b2 = rotl4(X(a14, d4), 39);
    b3 = rotl4(X(a15, d0), 41);
    b4 = rotl4(X(a21, d1), 2);
    e20 = X(b0, _mm256_andnot_si256(b1, b2));
    e21 = X(b1, _mm256_andnot_si256(b2, b3));
    e22 = X(b2, _mm256_andnot_si256(b3, b4));
    e23 = X(b3, _mm256_andnot_si256(b4, b0));
    e24 = X(b4, _mm256_andnot_si256(b0, b1));
    c0 = X(X(X(X(e00, e05), e10), e15), e20);
    c1 = X(X(X(X(e01, e06), e11), e16), e21);
    c2 = X(X(X(X(e02, e07), e12), e17), e22);
    c3 = X(X(X(X(e03, e08), e13), e18), e23);
    c4 = X(X(X(X(e04, e09), e14), e19), e24);
    d0 = X(c4, rotl4(c1, 1));
    d1 = X(c0, rotl4(c2, 1));
    d2 = X(c1, rotl4(c3, 1));
    d3 = X(c2, rotl4(c4, 1));
    d4 = X(c3, rotl4(c0, 1));
    b0 = X(e00, d0);
    b1 = rotl4(X(e06, d1), 44);
    b2 = rotl4(X(e12, d2), 43);
    b3 = rotl4(X(e18, d3), 21);
    b4 = rotl4(X(e24, d4), 14);
    a00 = X(X(b0, _mm256_andnot_si256(b1, b2)), _mm256_set1_epi64x(static_cast<long long>(kRoundConstants[round + 1])));
    a01 = X(b1, _mm256_andnot_si256(b2, b3));
    a02 = X(b2, _mm256_andnot_si256(b3, b4));
    a03 = X(b3, _mm256_andnot_si256(b4, b0));
    a04 = X(b4, _mm256_andnot_si256(b0, b1));
    b0 = rotl4(X(e03, d3), 28);
    b1 = rotl4(X(e09, d4), 20);
    b2 = rotl4(X(e10, d0), 3);
    b3 = rotl4(X(e16, d1), 45);
    b4 = rotl4(X(e22, d2), 61);
    a05 = X(b0, _mm256_andnot_si256(b1, b2));
    a06 = X(b1, _mm256_andnot_si256(b2, b3));
    a07 = X(b2, _mm256_andnot_si256(b3, b4));
    a08 = X(b3, _mm256_andnot_si256(b4, b0));
    a09 = X(b4, _mm256_andnot_si256(b0, b1));
    b0 = rotl4(X(e01, d1), 1);
    b1 = rotl4(X(e07, d2), 6);
    b2 = rotl4(X(e13, d3), 25);
    b3 = rotl4(X(e19, d4), 8);
    b4 = rotl4(X(e20, d0), 18);
    a10 = X(b0, _mm256_andnot_si256(b1, b2));
    a11 = X(b1, _mm256_andnot_si256(b2, b3));
    a12 = X(b2, _mm256_andnot_si256(b3, b4));
    a13 = X(b3, _mm256_andnot_si256(b4, b0));
    a14 = X(b4, _mm256_andnot_si256(b0, b1));
    b0 = rotl4(X(e04, d4), 27);
    b1 = rotl4(X(e05, d0), 36);
    b2 = rotl4(X(e11, d1), 10);
    b3 = rotl4(X(e17, d2), 15);
    b4 = rotl4(X(e23, d3), 56);
    a15 = X(b0, _mm256_andnot_si256(b1, b2));
    a16 = X(b1, _mm256_andnot_si256(b2, b3));
    a17 = X(b2, _mm256_andnot_si256(b3, b4));
    a18 = X(b3, _mm256_andnot_si256(b4, b0));
    a19 = X(b4, _mm256_andnot_si256(b0, b1));
    b0 = rotl4(X(e02, d2), 62);
    b1 = rotl4(X(e08, d3), 55);
    b2 = rotl4(X(e14, d4), 39);
    b3 = rotl4(X(e15, d0), 41);
    b4 = rotl4(X(e21, d1), 2);
    a20 = X(b0, _mm256_andnot_si256(b1, b2));
    a21 = X(b1, _mm256_andnot_si256(b2, b3));
    a22 = X(b2, _mm256_andnot_si256(b3, b4));
    a23 = X(b3, _mm256_andnot_si256(b4, b0));
    a24 = X(b4, _mm256_andnot_si256(b0, b1));
  }
  store4(s + 0, a00);
  store4(s + 4, a01);
  store4(s + 8, a02);
  store4(s + 12, a03);
  store4(s + 16, a04);
  store4(s + 20, a05);
  store4(s + 24, a06);
  store4(s + 28, a07);
  store4(s + 32, a08);
  store4(s + 36, a09);
  store4(s + 40, a10);
  store4(s + 44, a11);
  store4(s + 48, a12);
  store4(s + 52, a13);
  store4(s + 56, a14);
  store4(s + 60, a15);
  store4(s + 64, a16);
  store4(s + 68, a17);
  store4(s + 72, a18);
  store4(s + 76, a19);
  store4(s + 80, a20);
  store4(s + 84, a21);
  store4(s + 88, a22);
  store4(s + 92, a23);
  store4(s + 96, a24);
}

}  // namespace
#endif

bool keccak_x4_avx2_enabled() noexcept {
#if HBP2P_KECCAK_X4_AVX2
  static const bool enabled = __builtin_cpu_supports("avx2");
  return enabled;
#else
  return false;
#endif
}

void keccak_f1600_x4_portable(uint64_t s[100]) noexcept {
  uint64_t one[25];
  for (size_t j = 0; j < 4; ++j) {
    for (size_t i = 0; i < 25; ++i) one[i] = s[4 * i + j];
    keccak_f1600(one);
    for (size_t i = 0; i < 25; ++i) s[4 * i + j] = one[i];
  }
  secure_wipe(one, sizeof one);
}

void keccak_f1600_x4(uint64_t s[100]) noexcept {
#if HBP2P_KECCAK_X4_AVX2
  if (keccak_x4_avx2_enabled()) return keccak_f1600_x4_avx2(s);
#endif
  keccak_f1600_x4_portable(s);
}

KeccakX4::~KeccakX4() { secure_wipe(state_, sizeof(state_)); }

void KeccakX4::absorb_once(const uint8_t* const in[4], size_t len) noexcept {
  std::memset(state_, 0, sizeof(state_));
  size_t off = 0;
  for (; len - off >= rate_; off += rate_) {
    for (size_t j = 0; j < 4; ++j)
      for (size_t i = 0; i < rate_ / 8; ++i) state_[4 * i + j] ^= load_le64(in[j] + off + 8 * i);
    keccak_f1600_x4(state_);
  }
  for (size_t j = 0; j < 4; ++j) {
    for (size_t b = 0; b < len - off; ++b)
      state_[4 * (b / 8) + j] ^= uint64_t{in[j][off + b]} << (8 * (b % 8));
    const size_t b = len - off;
    state_[4 * (b / 8) + j] ^= uint64_t{suffix_} << (8 * (b % 8));
    state_[4 * ((rate_ - 1) / 8) + j] ^= uint64_t{0x80} << (8 * ((rate_ - 1) % 8));
  }
  keccak_f1600_x4(state_);
}

void KeccakX4::squeeze_blocks(uint8_t* const out[4], size_t nblocks) noexcept {
  for (size_t n = 0; n < nblocks; ++n) {
    for (size_t j = 0; j < 4; ++j)
      for (size_t i = 0; i < rate_ / 8; ++i) store_le64(out[j] + n * rate_ + 8 * i, state_[4 * i + j]);
    keccak_f1600_x4(state_);
  }
}

KeccakSponge::KeccakSponge(size_t rate_bytes, uint8_t suffix) noexcept
    : rate_(rate_bytes), suffix_(suffix) {
  assert(rate_bytes % 8 == 0 && rate_bytes < 200);
  std::memset(state_, 0, sizeof(state_));
}

KeccakSponge::~KeccakSponge() { secure_wipe(state_, sizeof(state_)); }

void KeccakSponge::reset() noexcept {
  std::memset(state_, 0, sizeof(state_));
  pos_ = 0;
  squeezing_ = false;
}

void KeccakSponge::absorb(ByteSpan in) noexcept {
  assert(!squeezing_);
  const uint8_t* p = in.data();
  size_t n = in.size();
  // Finish a partial block byte by byte.
  while (n > 0 && pos_ != 0) {
    state_[pos_ / 8] ^= uint64_t{*p} << (8 * (pos_ % 8));
    ++p, --n;
    if (++pos_ == rate_) {
      keccak_f1600(state_);
      pos_ = 0;
    }
  }
  // Whole blocks, a lane at a time.
  while (n >= rate_) {
    for (size_t i = 0; i < rate_ / 8; ++i) state_[i] ^= load_le64(p + 8 * i);
    keccak_f1600(state_);
    p += rate_;
    n -= rate_;
  }
  for (; n > 0; ++p, --n, ++pos_) state_[pos_ / 8] ^= uint64_t{*p} << (8 * (pos_ % 8));
}

void KeccakSponge::finalize() noexcept {
  state_[pos_ / 8] ^= uint64_t{suffix_} << (8 * (pos_ % 8));
  state_[(rate_ - 1) / 8] ^= uint64_t{0x80} << (8 * ((rate_ - 1) % 8));
  keccak_f1600(state_);
  squeezing_ = true;
  pos_ = 0;
}

void KeccakSponge::squeeze(MutableByteSpan out) noexcept {
  if (!squeezing_) finalize();
  uint8_t* p = out.data();
  size_t n = out.size();
  while (n > 0) {
    if (pos_ == rate_) {
      keccak_f1600(state_);
      pos_ = 0;
    }
    if (pos_ == 0 && n >= rate_) {  // a whole block straight out
      for (size_t i = 0; i < rate_ / 8; ++i) store_le64(p + 8 * i, state_[i]);
      p += rate_;
      n -= rate_;
      pos_ = rate_;
      continue;
    }
    *p++ = static_cast<uint8_t>(state_[pos_ / 8] >> (8 * (pos_ % 8)));
    ++pos_;
    --n;
  }
}

void KeccakSponge::squeeze_blocks(MutableByteSpan out) noexcept {
  assert(out.size() % rate_ == 0);
  squeeze(out);
}

std::array<uint8_t, 32> Sha3_256::digest() noexcept {
  std::array<uint8_t, 32> out;
  squeeze(out);
  return out;
}

std::array<uint8_t, 64> Sha3_512::digest() noexcept {
  std::array<uint8_t, 64> out;
  squeeze(out);
  return out;
}

namespace {
template <size_t N>
std::array<uint8_t, N> sha3(ByteSpan in) noexcept {
  KeccakSponge s(200 - 2 * N, 0x06);
  s.absorb(in);
  std::array<uint8_t, N> out;
  s.squeeze(out);
  return out;
}
}  // namespace

std::array<uint8_t, 28> sha3_224(ByteSpan in) noexcept { return sha3<28>(in); }
std::array<uint8_t, 32> sha3_256(ByteSpan in) noexcept { return sha3<32>(in); }
std::array<uint8_t, 48> sha3_384(ByteSpan in) noexcept { return sha3<48>(in); }
std::array<uint8_t, 64> sha3_512(ByteSpan in) noexcept { return sha3<64>(in); }

void shake128(ByteSpan in, MutableByteSpan out) noexcept {
  Shake128 s;
  s.absorb(in);
  s.squeeze(out);
}

void shake256(ByteSpan in, MutableByteSpan out) noexcept {
  Shake256 s;
  s.absorb(in);
  s.squeeze(out);
}

}  // namespace hauptbuch::p2p::crypto

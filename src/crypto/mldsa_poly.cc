// NTT and vector helpers for ML-DSA (FIPS 204 Alg. 41/42), Montgomery form, constant time.
// On x86-64 CPUs with AVX2 (detected at run time) the NTT layers with len >= 8 and the
// pointwise products run eight lanes at a time; the results are bit-identical to the portable
// code (checked by the unit tests), and neither path branches on or indexes by data.
#include "crypto/mldsa_poly.h"

#if HBP2P_MLDSA_AVX2
#include <immintrin.h>
#endif

namespace hauptbuch::p2p::crypto::mldsa {
namespace {

constexpr int64_t pow_mod(int64_t b, int64_t e) {
  int64_t r = 1;
  b %= kQ;
  while (e > 0) {
    if (e & 1) r = r * b % kQ;
    b = b * b % kQ;
    e >>= 1;
  }
  return r;
}
constexpr int32_t centered(int64_t v) {
  v %= kQ;
  if (v < 0) v += kQ;
  return static_cast<int32_t>(v > kQ / 2 ? v - kQ : v);
}
constexpr unsigned brv8(unsigned x) {
  unsigned r = 0;
  for (int i = 0; i < 8; ++i) r |= ((x >> i) & 1u) << (7 - i);
  return r;
}
constexpr int64_t kMont = (int64_t{1} << 32) % kQ;  // 2^32 mod q

// zetas[i] = 1753^brv8(i) * 2^32 mod q (centered), the Montgomery-form roots of FIPS 204 App. B.
constexpr std::array<int32_t, kN> make_zetas() {
  std::array<int32_t, kN> z{};
  for (unsigned i = 0; i < kN; ++i) z[i] = centered(pow_mod(1753, brv8(i)) * kMont % kQ);
  return z;
}
constexpr std::array<int32_t, kN> kZetas = make_zetas();
// 2^64 / 256 mod q: invntt_tomont scales by 256^-1 and leaves one factor 2^32.
constexpr int32_t kInvNttF = centered(kMont * kMont % kQ * pow_mod(256, kQ - 2) % kQ);

// -zeta_1 * kInvNttF * 2^-32 mod q: the last inverse layer's twiddle folded into the scaling.
constexpr int32_t kInvNttLast =
    centered(-int64_t{kZetas[1]} * kInvNttF % kQ * pow_mod(kMont, kQ - 2) % kQ);

}  // namespace

namespace detail {

void ntt_portable(Poly& a) {
  size_t m = 0;
  for (size_t len = 128; len >= 1; len >>= 1) {
    for (size_t start = 0; start < kN; start += 2 * len) {
      const int64_t z = kZetas[++m];
      for (size_t j = start; j < start + len; ++j) {
        const int32_t t = montgomery_reduce(z * a[j + len]);
        a[j + len] = a[j] - t;
        a[j] = a[j] + t;
      }
    }
  }
}

void invntt_tomont_portable(Poly& a) {
  size_t m = kN;
  for (size_t len = 1; len < kN / 2; len <<= 1) {
    for (size_t start = 0; start < kN; start += 2 * len) {
      const int64_t z = -kZetas[--m];
      for (size_t j = start; j < start + len; ++j) {
        const int32_t t = a[j];
        a[j] = t + a[j + len];
        a[j + len] = montgomery_reduce(z * (t - a[j + len]));
      }
    }
  }
  // Last layer (len = 128, zeta index 1) merged with the scaling by kInvNttF: one Montgomery
  // multiplication per coefficient instead of two.
  for (size_t j = 0; j < kN / 2; ++j) {
    const int32_t t = a[j], u = a[j + kN / 2];
    a[j] = montgomery_reduce(static_cast<int64_t>(kInvNttF) * (t + u));
    a[j + kN / 2] = montgomery_reduce(static_cast<int64_t>(kInvNttLast) * (t - u));
  }
}

#if HBP2P_MLDSA_AVX2
namespace {

// Eight Montgomery products a_i * b_i * 2^-32, bit-identical to montgomery_reduce on the int64
// product: _mm256_mul_epi32 multiplies the (signed) low dwords of each qword, so even and odd
// lanes are done separately and blended back.
__attribute__((target("avx2"))) inline __m256i mont_mul8(__m256i a, __m256i b) {
  const __m256i qinv = _mm256_set1_epi32(kQInv);
  const __m256i q = _mm256_set1_epi32(kQ);
  const __m256i pe = _mm256_mul_epi32(a, b);
  const __m256i po = _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32));
  const __m256i te = _mm256_mul_epi32(_mm256_mul_epi32(pe, qinv), q);  // t = lo32(p) * qinv; t * q
  const __m256i to = _mm256_mul_epi32(_mm256_mul_epi32(po, qinv), q);
  const __m256i re = _mm256_srli_epi64(_mm256_sub_epi64(pe, te), 32);
  const __m256i ro = _mm256_sub_epi64(po, to);
  return _mm256_blend_epi32(re, ro, 0xAA);
}

__attribute__((target("avx2"))) inline __m256i load8(const int32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
__attribute__((target("avx2"))) inline void store8(int32_t* p, __m256i v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }

}  // namespace

// Layers with len >= 8 eight butterflies at a time; the last three layers as in the portable
// code. Same arithmetic in the same order, so the output equals ntt_portable exactly.
__attribute__((target("avx2"))) void ntt_avx2(Poly& a) {
  size_t m = 0;
  for (size_t len = 128; len >= 8; len >>= 1) {
    for (size_t start = 0; start < kN; start += 2 * len) {
      const __m256i z = _mm256_set1_epi32(kZetas[++m]);
      for (size_t j = start; j < start + len; j += 8) {
        const __m256i x = load8(&a[j]);
        const __m256i t = mont_mul8(load8(&a[j + len]), z);
        store8(&a[j + len], _mm256_sub_epi32(x, t));
        store8(&a[j], _mm256_add_epi32(x, t));
      }
    }
  }
  for (size_t len = 4; len >= 1; len >>= 1) {
    for (size_t start = 0; start < kN; start += 2 * len) {
      const int64_t z = kZetas[++m];
      for (size_t j = start; j < start + len; ++j) {
        const int32_t t = montgomery_reduce(z * a[j + len]);
        a[j + len] = a[j] - t;
        a[j] = a[j] + t;
      }
    }
  }
}

__attribute__((target("avx2"))) void invntt_tomont_avx2(Poly& a) {
  size_t m = kN;
  for (size_t len = 1; len < 8; len <<= 1) {
    for (size_t start = 0; start < kN; start += 2 * len) {
      const int64_t z = -kZetas[--m];
      for (size_t j = start; j < start + len; ++j) {
        const int32_t t = a[j];
        a[j] = t + a[j + len];
        a[j + len] = montgomery_reduce(z * (t - a[j + len]));
      }
    }
  }
  for (size_t len = 8; len < kN / 2; len <<= 1) {
    for (size_t start = 0; start < kN; start += 2 * len) {
      const __m256i z = _mm256_set1_epi32(-kZetas[--m]);
      for (size_t j = start; j < start + len; j += 8) {
        const __m256i t = load8(&a[j]);
        const __m256i u = load8(&a[j + len]);
        store8(&a[j], _mm256_add_epi32(t, u));
        store8(&a[j + len], mont_mul8(_mm256_sub_epi32(t, u), z));
      }
    }
  }
  const __m256i f = _mm256_set1_epi32(kInvNttF);
  const __m256i last = _mm256_set1_epi32(kInvNttLast);
  for (size_t j = 0; j < kN / 2; j += 8) {
    const __m256i t = load8(&a[j]);
    const __m256i u = load8(&a[j + kN / 2]);
    store8(&a[j], mont_mul8(_mm256_add_epi32(t, u), f));
    store8(&a[j + kN / 2], mont_mul8(_mm256_sub_epi32(t, u), last));
  }
}

__attribute__((target("avx2"))) void pointwise_mont_avx2(Poly& out, const Poly& a, const Poly& b, bool acc) {
  for (size_t i = 0; i < kN; i += 8) {
    __m256i r = mont_mul8(load8(&a[i]), load8(&b[i]));
    if (acc) r = _mm256_add_epi32(r, load8(&out[i]));
    store8(&out[i], r);
  }
}

bool avx2_enabled() {
  static const bool enabled = __builtin_cpu_supports("avx2");
  return enabled;
}
#else
bool avx2_enabled() { return false; }
void ntt_avx2(Poly& a) { ntt_portable(a); }
void invntt_tomont_avx2(Poly& a) { invntt_tomont_portable(a); }
#endif

}  // namespace detail

void ntt(Poly& a) {
#if HBP2P_MLDSA_AVX2
  if (detail::avx2_enabled()) return detail::ntt_avx2(a);
#endif
  detail::ntt_portable(a);
}

void invntt_tomont(Poly& a) {
#if HBP2P_MLDSA_AVX2
  if (detail::avx2_enabled()) return detail::invntt_tomont_avx2(a);
#endif
  detail::invntt_tomont_portable(a);
}

void pointwise_mont(Poly& out, const Poly& a, const Poly& b) {
#if HBP2P_MLDSA_AVX2
  if (detail::avx2_enabled()) return detail::pointwise_mont_avx2(out, a, b, false);
#endif
  for (size_t i = 0; i < kN; ++i) out[i] = montgomery_reduce(static_cast<int64_t>(a[i]) * b[i]);
}
void pointwise_acc_mont(Poly& out, const Poly& a, const Poly& b) {
#if HBP2P_MLDSA_AVX2
  if (detail::avx2_enabled()) return detail::pointwise_mont_avx2(out, a, b, true);
#endif
  for (size_t i = 0; i < kN; ++i) out[i] += montgomery_reduce(static_cast<int64_t>(a[i]) * b[i]);
}
void poly_reduce(Poly& a) {
  for (auto& c : a) c = reduce32(c);
}
void poly_freeze(Poly& a) {
  for (auto& c : a) c = freeze(c);
}
uint32_t poly_exceeds(const Poly& a, int32_t bound) {
  uint32_t bad = 0;
  for (auto c : a) bad |= static_cast<uint32_t>(bound - 1 - abs32(c)) >> 31;
  return bad;
}

}  // namespace hauptbuch::p2p::crypto::mldsa

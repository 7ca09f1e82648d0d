// NTT and vector helpers for ML-DSA (FIPS 204 Alg. 41/42), Montgomery form, constant time.
#include "crypto/mldsa_poly.h"

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

void ntt(Poly& a) {
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

void invntt_tomont(Poly& a) {
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

void pointwise_mont(Poly& out, const Poly& a, const Poly& b) {
  for (size_t i = 0; i < kN; ++i) out[i] = montgomery_reduce(static_cast<int64_t>(a[i]) * b[i]);
}
void pointwise_acc_mont(Poly& out, const Poly& a, const Poly& b) {
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

// ML-DSA arithmetic: NTT against schoolbook multiplication, rounding functions against their
// FIPS 204 definitions (exhaustive over Z_q), hint properties, packing round trips.
#include <gtest/gtest.h>

#include <random>

#include "crypto/mldsa_pack.h"
#include "crypto/mldsa_poly.h"

namespace hauptbuch::p2p::crypto::mldsa {
namespace {

int32_t mod_q(int64_t v) {
  v %= kQ;
  return static_cast<int32_t>(v < 0 ? v + kQ : v);
}
// r mod+- alpha: the representative in (-alpha/2, alpha/2].
int32_t mod_pm(int32_t r, int32_t alpha) {
  int32_t x = r % alpha;
  if (x < 0) x += alpha;
  return x > alpha / 2 ? x - alpha : x;
}

Poly random_poly(std::mt19937& rng, int32_t lo, int32_t hi) {
  std::uniform_int_distribution<int32_t> d(lo, hi);
  Poly p;
  for (auto& c : p) c = d(rng);
  return p;
}

TEST(MlDsaArith, NttMatchesSchoolbook) {
  std::mt19937 rng(1);
  for (int iter = 0; iter < 5; ++iter) {
    Poly a = random_poly(rng, -(kQ - 1), kQ - 1), b = random_poly(rng, -(kQ - 1), kQ - 1);
    int64_t ref[kN] = {};
    for (size_t i = 0; i < kN; ++i)
      for (size_t j = 0; j < kN; ++j) {
        const int64_t prod = static_cast<int64_t>(a[i]) * b[j] % kQ;
        if (i + j < kN) ref[i + j] = (ref[i + j] + prod) % kQ;
        else ref[i + j - kN] = (ref[i + j - kN] - prod) % kQ;
      }
    Poly an = a, bn = b, c;
    ntt(an);
    ntt(bn);
    pointwise_mont(c, an, bn);
    invntt_tomont(c);
    for (size_t i = 0; i < kN; ++i) ASSERT_EQ(mod_q(c[i]), mod_q(ref[i])) << i;
  }
}

TEST(MlDsaArith, NttRoundTrip) {
  std::mt19937 rng(2);
  Poly a = random_poly(rng, -(kQ - 1), kQ - 1), b = a;
  ntt(b);
  poly_reduce(b);
  invntt_tomont(b);
  // invntt_tomont leaves a factor 2^32; remove it with a Montgomery multiplication by 1.
  for (size_t i = 0; i < kN; ++i) ASSERT_EQ(mod_q(montgomery_reduce(b[i])), mod_q(a[i]));
}

TEST(MlDsaArith, ReductionsExhaustiveSamples) {
  for (int64_t a = -(int64_t{1} << 31); a < (int64_t{1} << 31) - (1 << 22); a += 9973) {
    const int32_t r = reduce32(static_cast<int32_t>(a));
    ASSERT_LE(std::abs(r), 6283008);
    ASSERT_EQ(mod_q(r), mod_q(a));
  }
}

TEST(MlDsaArith, Power2RoundExhaustive) {
  for (int32_t r = 0; r < kQ; ++r) {
    int32_t r1, r0;
    power2round(r, r1, r0);
    const int32_t expect0 = mod_pm(r, 1 << kD);
    ASSERT_EQ(r0, expect0) << r;
    ASSERT_EQ(r1, (r - expect0) >> kD) << r;
  }
}

void check_decompose(int32_t gamma2) {
  const int32_t m = (kQ - 1) / (2 * gamma2);
  for (int32_t r = 0; r < kQ; ++r) {
    int32_t r0 = mod_pm(r, 2 * gamma2), r1;
    if (r - r0 == kQ - 1) {
      r1 = 0;
      r0 -= 1;
    } else {
      r1 = (r - r0) / (2 * gamma2);
    }
    int32_t g1, g0;
    decompose(r, gamma2, g1, g0);
    ASSERT_EQ(g1, r1) << r;
    ASSERT_EQ(g0, r0) << r;
    ASSERT_GE(g1, 0);
    ASSERT_LT(g1, m);
    ASSERT_EQ(high_bits(r, gamma2), r1);
    ASSERT_EQ(low_bits(r, gamma2), r0);
  }
}
TEST(MlDsaArith, DecomposeExhaustiveGamma88) { check_decompose((kQ - 1) / 88); }
TEST(MlDsaArith, DecomposeExhaustiveGamma32) { check_decompose((kQ - 1) / 32); }

// FIPS 204 Lemma: UseHint(MakeHint(z, r), r) = HighBits(r + z) for |z| <= gamma2.
TEST(MlDsaArith, HintRecoversHighBits) {
  std::mt19937 rng(3);
  for (int32_t gamma2 : {(kQ - 1) / 88, (kQ - 1) / 32}) {
    std::uniform_int_distribution<int32_t> dr(0, kQ - 1), dz(-gamma2, gamma2);
    for (int i = 0; i < 200000; ++i) {
      const int32_t r = dr(rng), z = mod_q(dz(rng));
      const int32_t h = make_hint(z, r, gamma2);
      ASSERT_EQ(h, high_bits(r, gamma2) != high_bits(mod_q(int64_t{r} + z), gamma2) ? 1 : 0);
      ASSERT_EQ(use_hint(h, r, gamma2), high_bits(mod_q(int64_t{r} + z), gamma2));
    }
  }
}

TEST(MlDsaArith, PackingRoundTrips) {
  std::mt19937 rng(4);
  for (size_t bits : {3u, 4u, 6u, 10u, 13u, 18u, 20u}) {
    Poly a = random_poly(rng, 0, (1 << bits) - 1), b;
    uint8_t buf[32 * 20];
    pack_bits(buf, a, bits);
    unpack_bits(b, ByteSpan(buf, 32 * bits), bits);
    ASSERT_EQ(a, b) << bits;
    const int32_t off = 1 << (bits - 1);
    a = random_poly(rng, off - (1 << bits) + 1, off);
    pack_offset(buf, a, bits, off);
    unpack_offset(b, ByteSpan(buf, 32 * bits), bits, off);
    ASSERT_EQ(a, b) << bits;
  }
}

TEST(MlDsaArith, HintPackRoundTripAndStrictUnpack) {
  constexpr size_t k = 6;
  constexpr int32_t omega = 55;
  std::array<Poly, kMaxK> h{}, g{};
  h[0][3] = h[0][200] = h[2][0] = h[5][255] = 1;
  uint8_t buf[omega + k];
  pack_hint(buf, h, k, omega);
  ASSERT_TRUE(unpack_hint(g, ByteSpan(buf, sizeof buf), k, omega));
  for (size_t i = 0; i < k; ++i) ASSERT_EQ(g[i], h[i]);

  uint8_t bad[omega + k];
  std::copy(buf, buf + sizeof buf, bad);
  std::swap(bad[0], bad[1]);  // indices not increasing
  EXPECT_FALSE(unpack_hint(g, ByteSpan(bad, sizeof bad), k, omega));
  std::copy(buf, buf + sizeof buf, bad);
  bad[1] = bad[0];  // repeated index
  EXPECT_FALSE(unpack_hint(g, ByteSpan(bad, sizeof bad), k, omega));
  std::copy(buf, buf + sizeof buf, bad);
  bad[10] = 7;  // non-zero padding after the last index
  EXPECT_FALSE(unpack_hint(g, ByteSpan(bad, sizeof bad), k, omega));
  std::copy(buf, buf + sizeof buf, bad);
  bad[omega + 1] = 1;  // count decreases
  EXPECT_FALSE(unpack_hint(g, ByteSpan(bad, sizeof bad), k, omega));
  std::copy(buf, buf + sizeof buf, bad);
  bad[omega + k - 1] = omega + 1;  // count above omega
  EXPECT_FALSE(unpack_hint(g, ByteSpan(bad, sizeof bad), k, omega));
  EXPECT_FALSE(unpack_hint(g, ByteSpan(buf, sizeof buf - 1), k, omega));  // wrong length
}

TEST(MlDsaArith, Avx2NttMatchesPortableBitForBit) {
  if (!detail::avx2_enabled()) GTEST_SKIP() << "no AVX2 on this CPU";
  std::mt19937 rng(2048);
  std::uniform_int_distribution<int32_t> small(-(kQ - 1), kQ - 1);
  std::uniform_int_distribution<int32_t> wide(-6283008, 6283008);
  for (int iter = 0; iter < 200; ++iter) {
    Poly a, b;
    for (auto& x : a) x = small(rng);
    b = a;
    detail::ntt_portable(a);
    detail::ntt_avx2(b);
    ASSERT_EQ(a, b) << "ntt, iteration " << iter;
    for (auto& x : a) x = wide(rng);
    if (iter == 0) a.fill(6283008);  // extremes
    if (iter == 1) a.fill(-6283008);
    b = a;
    detail::invntt_tomont_portable(a);
    detail::invntt_tomont_avx2(b);
    ASSERT_EQ(a, b) << "invntt, iteration " << iter;
    Poly c, d, r1{}, r2{};
    for (auto& x : c) x = small(rng);
    for (auto& x : d) x = small(rng);
    for (size_t i = 0; i < kN; ++i) r1[i] = montgomery_reduce(static_cast<int64_t>(c[i]) * d[i]);
    pointwise_mont(r2, c, d);  // dispatches to AVX2 here
    ASSERT_EQ(r1, r2) << "pointwise, iteration " << iter;
  }
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto::mldsa

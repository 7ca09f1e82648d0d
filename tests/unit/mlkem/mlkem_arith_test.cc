// ML-KEM arithmetic: NTT-domain multiplication against schoolbook multiplication in
// Z_q[X]/(X^256+1), reductions, Compress/Decompress against the exact rounding formulas
// (exhaustive over Z_q), ByteEncode/ByteDecode round trips, and sampling bounds.
#include <gtest/gtest.h>

#include <random>

#include "crypto/mlkem_poly.h"
#include "crypto/mlkem_sample.h"

namespace hauptbuch::p2p::crypto::mlkem {
namespace {

int mod_q(int64_t v) {
  v %= kQ;
  return static_cast<int>(v < 0 ? v + kQ : v);
}

Poly random_poly(std::mt19937& rng, int lo, int hi) {
  std::uniform_int_distribution<int> dist(lo, hi);
  Poly p;
  for (auto& x : p.c) x = static_cast<int16_t>(dist(rng));
  return p;
}

TEST(MlKemArith, NttMultiplicationMatchesSchoolbook) {
  std::mt19937 rng(1);
  for (int round = 0; round < 20; ++round) {
    // Mix full-range operands with small CBD-like ones, as the scheme does.
    Poly a = random_poly(rng, 0, kQ - 1);
    Poly b = round % 2 ? random_poly(rng, -3, 3) : random_poly(rng, 0, kQ - 1);
    std::array<int64_t, kN> expect{};
    for (int i = 0; i < kN; ++i)
      for (int j = 0; j < kN; ++j) {
        const int64_t prod = int64_t{a.c[static_cast<size_t>(i)]} * b.c[static_cast<size_t>(j)];
        if (i + j < kN) expect[static_cast<size_t>(i + j)] += prod;
        else expect[static_cast<size_t>(i + j - kN)] -= prod;
      }
    Poly fa = a, fb = b, r{};
    ntt(fa);
    ntt(fb);
    basemul_acc(r, fa, fb);
    inv_ntt(r);
    normalize(r);
    for (size_t i = 0; i < kN; ++i) ASSERT_EQ(r.c[i], mod_q(expect[i])) << "round " << round << " i " << i;
  }
}

TEST(MlKemArith, NttThenInverseWithMontgomeryFactorIsIdentity) {
  std::mt19937 rng(2);
  Poly a = random_poly(rng, 0, kQ - 1);
  Poly f = a;
  ntt(f);
  // inv_ntt expects the 2^-16 factor that basemul leaves; add it by a Montgomery multiply by 1.
  for (auto& x : f.c) x = fqmul(x, 1);
  inv_ntt(f);
  normalize(f);
  EXPECT_EQ(f.c, a.c);
}

TEST(MlKemArith, ReductionsExhaustive) {
  for (int32_t a = -32768; a <= 32767; ++a) {
    const int16_t r = barrett_reduce(static_cast<int16_t>(a));
    ASSERT_EQ(mod_q(r), mod_q(a));
    ASSERT_LE(r, (kQ - 1) / 2);
    ASSERT_GE(r, -(kQ - 1) / 2);
  }
  std::mt19937 rng(3);
  std::uniform_int_distribution<int32_t> dist(-kQ * 32767, kQ * 32767);
  for (int i = 0; i < 100000; ++i) {
    const int32_t a = dist(rng);
    const int16_t r = montgomery_reduce(a);
    ASSERT_EQ(mod_q(int64_t{r} * 65536), mod_q(a));
    ASSERT_LT(r, kQ);
    ASSERT_GT(r, -kQ);
  }
}

TEST(MlKemArith, CompressDecompressExhaustive) {
  for (int d : {1, 4, 5, 10, 11}) {
    for (uint32_t x = 0; x < static_cast<uint32_t>(kQ); ++x) {
      // round(2^d x / q) with halves rounded up, mod 2^d.
      const uint32_t exact = (((x << (d + 1)) + kQ) / (2 * kQ)) % (1u << d);
      ASSERT_EQ(compress(static_cast<uint16_t>(x), d), exact) << "d=" << d << " x=" << x;
    }
    for (uint32_t y = 0; y < (1u << d); ++y) {
      const uint32_t exact = (2 * kQ * y + (1u << d)) >> (d + 1);
      ASSERT_EQ(decompress(static_cast<uint16_t>(y), d), exact) << "d=" << d << " y=" << y;
      // Compress(Decompress(y)) == y (FIPS 203 §4.2.1).
      ASSERT_EQ(compress(decompress(static_cast<uint16_t>(y), d), d), y);
    }
  }
}

TEST(MlKemArith, ByteEncodeDecodeRoundTrip) {
  std::mt19937 rng(4);
  for (int d : {1, 4, 5, 10, 11, 12}) {
    Poly p = random_poly(rng, 0, d == 12 ? kQ - 1 : (1 << d) - 1);
    std::vector<uint8_t> buf(32 * static_cast<size_t>(d));
    byte_encode(p, d, buf.data());
    Poly q;
    byte_decode(q, d, buf.data());
    EXPECT_EQ(p.c, q.c) << "d=" << d;
    std::vector<uint8_t> buf2(buf.size());
    byte_encode(q, d, buf2.data());
    EXPECT_EQ(buf, buf2);
  }
  // Bit order: ByteEncode1 puts coefficient i at bit i (little-endian).
  Poly one{};
  one.c[0] = 1;
  one.c[9] = 1;
  uint8_t b[32] = {};
  byte_encode(one, 1, b);
  EXPECT_EQ(b[0], 0x01);
  EXPECT_EQ(b[1], 0x02);
}

TEST(MlKemSample, SampleNttIsUniformRangeAndDeterministic) {
  uint8_t rho[32];
  for (int i = 0; i < 32; ++i) rho[i] = static_cast<uint8_t>(i * 7);
  Poly a, b, c;
  sample_ntt(a, rho, 0, 1);
  sample_ntt(b, rho, 0, 1);
  sample_ntt(c, rho, 1, 0);
  EXPECT_EQ(a.c, b.c);
  EXPECT_NE(a.c, c.c);
  for (auto x : a.c) {
    EXPECT_GE(x, 0);
    EXPECT_LT(x, kQ);
  }
}

TEST(MlKemSample, CbdBoundsAndCentred) {
  uint8_t s[32] = {9};
  for (int eta : {2, 3}) {
    int64_t sum = 0;
    std::array<int, 7> hist{};
    for (uint8_t n = 0; n < 64; ++n) {
      Poly p;
      sample_cbd(p, eta, s, n);
      for (auto x : p.c) {
        ASSERT_LE(x, eta);
        ASSERT_GE(x, -eta);
        sum += x;
        hist[static_cast<size_t>(x + 3)]++;
      }
    }
    // 16384 samples of a centred binomial: the mean is tiny and every value occurs.
    EXPECT_LT(std::abs(sum), 800) << "eta=" << eta;
    for (int v = -eta; v <= eta; ++v) EXPECT_GT(hist[static_cast<size_t>(v + 3)], 0);
  }
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto::mlkem

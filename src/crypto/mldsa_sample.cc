// ML-DSA sampling (FIPS 204 Alg. 29-34) on top of SHAKE128/SHAKE256.
#include "crypto/mldsa_sample.h"

#include "crypto/keccak.h"
#include "crypto/mldsa_pack.h"

namespace hauptbuch::p2p::crypto::mldsa {

void sample_in_ball(Poly& c, ByteSpan c_tilde, int32_t tau) {
  Shake256 h;
  h.absorb(c_tilde);
  uint8_t buf[Shake256::kRate];
  h.squeeze_blocks(MutableByteSpan(buf, sizeof buf));
  uint64_t signs = 0;
  for (int i = 0; i < 8; ++i) signs |= static_cast<uint64_t>(buf[i]) << (8 * i);
  size_t pos = 8;
  c.fill(0);
  for (size_t i = kN - static_cast<size_t>(tau); i < kN; ++i) {
    size_t j;
    do {
      if (pos >= sizeof buf) {
        h.squeeze_blocks(MutableByteSpan(buf, sizeof buf));
        pos = 0;
      }
      j = buf[pos++];
    } while (j > i);
    c[i] = c[j];
    c[j] = 1 - 2 * static_cast<int32_t>(signs & 1);
    signs >>= 1;
  }
}

namespace {

void rej_ntt_poly(Poly& a, Shake128& xof) {
  uint8_t buf[Shake128::kRate * 5];  // 840 bytes: 280 candidates, usually enough for 256
  xof.squeeze_blocks(MutableByteSpan(buf, sizeof buf));
  size_t len = sizeof buf, pos = 0, n = 0;
  while (n < kN) {
    if (pos + 3 > len) {
      xof.squeeze_blocks(MutableByteSpan(buf, Shake128::kRate));
      len = Shake128::kRate;
      pos = 0;
    }
    const int32_t v = buf[pos] | (buf[pos + 1] << 8) | ((buf[pos + 2] & 0x7f) << 16);
    pos += 3;
    if (v < kQ) a[n++] = v;
  }
}

void rej_bounded_poly(Poly& a, Shake256& xof, int32_t eta) {
  uint8_t buf[Shake256::kRate];
  size_t pos = sizeof buf, n = 0;
  auto take = [&](int32_t b) {
    if (eta == 2) {
      if (b < 15) a[n++] = 2 - (b % 5);
    } else if (b < 9) {
      a[n++] = 4 - b;
    }
  };
  while (n < kN) {
    if (pos >= sizeof buf) {
      xof.squeeze_blocks(MutableByteSpan(buf, sizeof buf));
      pos = 0;
    }
    const uint8_t z = buf[pos++];
    take(z & 15);
    if (n < kN) take(z >> 4);
  }
}

}  // namespace

void expand_a(Matrix& a, const uint8_t rho[kSeedBytes], const Params& p) {
  uint8_t seed[kSeedBytes + 2];
  for (size_t i = 0; i < kSeedBytes; ++i) seed[i] = rho[i];
  for (size_t r = 0; r < p.k; ++r) {
    for (size_t s = 0; s < p.l; ++s) {
      seed[kSeedBytes] = static_cast<uint8_t>(s);
      seed[kSeedBytes + 1] = static_cast<uint8_t>(r);
      Shake128 xof;
      xof.absorb(ByteSpan(seed, sizeof seed));
      rej_ntt_poly(a[r][s], xof);
    }
  }
}

void expand_s(PolyVecL& s1, PolyVecK& s2, const uint8_t rho_prime[64], const Params& p) {
  uint8_t seed[66];
  for (size_t i = 0; i < 64; ++i) seed[i] = rho_prime[i];
  for (size_t r = 0; r < p.l + p.k; ++r) {
    seed[64] = static_cast<uint8_t>(r);
    seed[65] = static_cast<uint8_t>(r >> 8);
    Shake256 xof;
    xof.absorb(ByteSpan(seed, sizeof seed));
    rej_bounded_poly(r < p.l ? s1[r] : s2[r - p.l], xof, p.eta);
  }
  secure_wipe(seed, sizeof seed);
}

void expand_mask(PolyVecL& y, const uint8_t rho_pp[64], uint16_t kappa, const Params& p) {
  uint8_t seed[66];
  for (size_t i = 0; i < 64; ++i) seed[i] = rho_pp[i];
  uint8_t buf[Shake256::kRate * 5];  // 680 >= 640 = 32 * 20 bytes
  const size_t bytes = 32 * p.gamma1_bits;
  for (size_t r = 0; r < p.l; ++r) {
    const uint16_t idx = static_cast<uint16_t>(kappa + r);
    seed[64] = static_cast<uint8_t>(idx);
    seed[65] = static_cast<uint8_t>(idx >> 8);
    Shake256 xof;
    xof.absorb(ByteSpan(seed, sizeof seed));
    xof.squeeze_blocks(MutableByteSpan(buf, sizeof buf));
    unpack_offset(y[r], ByteSpan(buf, bytes), p.gamma1_bits, p.gamma1);
  }
  secure_wipe(buf, sizeof buf);
  secure_wipe(seed, sizeof seed);
}

}  // namespace hauptbuch::p2p::crypto::mldsa

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

// RejNTTPoly's coefficient parser (Alg. 30 / 14) over len bytes; returns the new count.
size_t rej_ntt_parse(Poly& a, size_t n, const uint8_t* buf, size_t len) {
  for (size_t pos = 0; pos + 3 <= len && n < kN; pos += 3) {
    const int32_t v = buf[pos] | (buf[pos + 1] << 8) | ((buf[pos + 2] & 0x7f) << 16);
    if (v < kQ) a[n++] = v;
  }
  return n;
}

constexpr size_t kRejNttBlocks = 5;  // 840 bytes: 280 candidates, usually enough for 256

void rej_ntt_poly(Poly& a, Shake128& xof) {
  uint8_t buf[Shake128::kRate * kRejNttBlocks];
  xof.squeeze_blocks(MutableByteSpan(buf, sizeof buf));
  size_t n = rej_ntt_parse(a, 0, buf, sizeof buf);
  while (n < kN) {
    xof.squeeze_blocks(MutableByteSpan(buf, Shake128::kRate));
    n = rej_ntt_parse(a, n, buf, Shake128::kRate);
  }
}

// Four RejNTTPoly runs on the seeds rho || s || r side by side (public data).
void rej_ntt_poly_x4(Poly* const out[4], const uint8_t rho[kSeedBytes], const uint8_t sr[4][2]) {
  uint8_t seeds[4][kSeedBytes + 2];
  for (size_t j = 0; j < 4; ++j) {
    for (size_t i = 0; i < kSeedBytes; ++i) seeds[j][i] = rho[i];
    seeds[j][kSeedBytes] = sr[j][0];
    seeds[j][kSeedBytes + 1] = sr[j][1];
  }
  const uint8_t* ins[4] = {seeds[0], seeds[1], seeds[2], seeds[3]};
  KeccakX4 xof(Shake128::kRate, 0x1f);
  xof.absorb_once(ins, kSeedBytes + 2);
  uint8_t buf[4][Shake128::kRate * kRejNttBlocks];
  uint8_t* outs[4] = {buf[0], buf[1], buf[2], buf[3]};
  xof.squeeze_blocks(outs, kRejNttBlocks);
  size_t n[4];
  for (size_t j = 0; j < 4; ++j) n[j] = rej_ntt_parse(*out[j], 0, buf[j], sizeof buf[j]);
  while (n[0] < kN || n[1] < kN || n[2] < kN || n[3] < kN) {
    xof.squeeze_blocks(outs, 1);
    for (size_t j = 0; j < 4; ++j) n[j] = rej_ntt_parse(*out[j], n[j], buf[j], Shake128::kRate);
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
  // Four matrix entries per batch (Keccak x4); a last batch of fewer than three entries runs
  // one by one, a batch of three fills its fourth slot with a scratch polynomial.
  const size_t total = p.k * p.l;
  size_t idx = 0;
  Poly scratch;
  for (; idx + 3 <= total; idx += 4) {
    Poly* out[4];
    uint8_t sr[4][2];
    for (size_t j = 0; j < 4; ++j) {
      const size_t e = idx + j < total ? idx + j : idx;  // duplicate entry into scratch
      out[j] = idx + j < total ? &a[e / p.l][e % p.l] : &scratch;
      sr[j][0] = static_cast<uint8_t>(e % p.l);
      sr[j][1] = static_cast<uint8_t>(e / p.l);
    }
    rej_ntt_poly_x4(out, rho, sr);
  }
  uint8_t seed[kSeedBytes + 2];
  for (size_t i = 0; i < kSeedBytes; ++i) seed[i] = rho[i];
  for (; idx < total; ++idx) {
    seed[kSeedBytes] = static_cast<uint8_t>(idx % p.l);
    seed[kSeedBytes + 1] = static_cast<uint8_t>(idx / p.l);
    Shake128 xof;
    xof.absorb(ByteSpan(seed, sizeof seed));
    rej_ntt_poly(a[idx / p.l][idx % p.l], xof);
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
  constexpr size_t kBlocks = 5;  // 680 >= 640 = 32 * 20 bytes
  const size_t bytes = 32 * p.gamma1_bits;
  uint8_t seeds[4][66];
  uint8_t buf[4][Shake256::kRate * kBlocks];
  size_t r = 0;
  // Four polynomials per Keccak x4 batch (three and a spare slot when three remain).
  for (; r + 3 <= p.l; r += 4) {
    for (size_t j = 0; j < 4; ++j) {
      const uint16_t idx = static_cast<uint16_t>(kappa + r + j);
      for (size_t i = 0; i < 64; ++i) seeds[j][i] = rho_pp[i];
      seeds[j][64] = static_cast<uint8_t>(idx);
      seeds[j][65] = static_cast<uint8_t>(idx >> 8);
    }
    const uint8_t* ins[4] = {seeds[0], seeds[1], seeds[2], seeds[3]};
    uint8_t* outs[4] = {buf[0], buf[1], buf[2], buf[3]};
    KeccakX4 xof(Shake256::kRate, 0x1f);
    xof.absorb_once(ins, 66);
    xof.squeeze_blocks(outs, kBlocks);
    for (size_t j = 0; j < 4 && r + j < p.l; ++j)
      unpack_offset(y[r + j], ByteSpan(buf[j], bytes), p.gamma1_bits, p.gamma1);
  }
  for (; r < p.l; ++r) {
    const uint16_t idx = static_cast<uint16_t>(kappa + r);
    for (size_t i = 0; i < 64; ++i) seeds[0][i] = rho_pp[i];
    seeds[0][64] = static_cast<uint8_t>(idx);
    seeds[0][65] = static_cast<uint8_t>(idx >> 8);
    Shake256 xof;
    xof.absorb(ByteSpan(seeds[0], 66));
    xof.squeeze_blocks(MutableByteSpan(buf[0], sizeof buf[0]));
    unpack_offset(y[r], ByteSpan(buf[0], bytes), p.gamma1_bits, p.gamma1);
  }
  secure_wipe(buf, sizeof buf);
  secure_wipe(seeds, sizeof seeds);
}

}  // namespace hauptbuch::p2p::crypto::mldsa

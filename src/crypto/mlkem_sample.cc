// ML-KEM sampling (see mlkem_sample.h).
#include "crypto/mlkem_sample.h"

#include <cstring>

#include "crypto/keccak.h"

namespace hauptbuch::p2p::crypto::mlkem {

namespace {

// SampleNTT's parser (Alg. 7) over len bytes; returns the new count. Candidates are stored
// unconditionally and the write index advances by the (public) acceptance bit, so the loop has
// no unpredictable branch; `out` has room for the two slack writes past kN.
size_t sample_ntt_parse(int16_t out[kN + 2], size_t have, const uint8_t* buf, size_t len) {
  for (size_t pos = 0; pos + 3 <= len && have < kN; pos += 3) {
    const uint16_t d1 = static_cast<uint16_t>(buf[pos] | ((buf[pos + 1] & 0x0f) << 8));
    const uint16_t d2 = static_cast<uint16_t>((buf[pos + 1] >> 4) | (buf[pos + 2] << 4));
    out[have] = static_cast<int16_t>(d1);
    have += d1 < kQ;
    out[have] = static_cast<int16_t>(d2);
    have += d2 < kQ;
  }
  return have < kN ? have : kN;
}

// 3 blocks = 504 bytes = 336 candidates, enough for 256 coefficients with probability > 0.99;
// afterwards one block at a time.
constexpr size_t kSampleBlocks = 3;

}  // namespace

void sample_ntt(Poly& p, const uint8_t rho[32], uint8_t j, uint8_t i) noexcept {
  Shake128 xof;
  uint8_t seed[34];
  for (int b = 0; b < 32; ++b) seed[b] = rho[b];
  seed[32] = j;
  seed[33] = i;
  xof.absorb(ByteSpan(seed, sizeof seed));
  uint8_t buf[Shake128::kRate * kSampleBlocks];
  int16_t out[kN + 2];
  xof.squeeze_blocks(MutableByteSpan(buf, sizeof buf));
  size_t have = sample_ntt_parse(out, 0, buf, sizeof buf);
  while (have < kN) {
    xof.squeeze_blocks(MutableByteSpan(buf, Shake128::kRate));
    have = sample_ntt_parse(out, have, buf, Shake128::kRate);
  }
  std::memcpy(p.c.data(), out, sizeof(int16_t) * kN);
}

void sample_ntt_x4(Poly* const p[4], const uint8_t rho[32], const uint8_t ji[4][2]) noexcept {
  uint8_t seeds[4][34];
  for (size_t s = 0; s < 4; ++s) {
    for (size_t b = 0; b < 32; ++b) seeds[s][b] = rho[b];
    seeds[s][32] = ji[s][0];
    seeds[s][33] = ji[s][1];
  }
  const uint8_t* ins[4] = {seeds[0], seeds[1], seeds[2], seeds[3]};
  KeccakX4 xof(Shake128::kRate, 0x1f);
  xof.absorb_once(ins, 34);
  uint8_t buf[4][Shake128::kRate * kSampleBlocks];
  uint8_t* outs[4] = {buf[0], buf[1], buf[2], buf[3]};
  xof.squeeze_blocks(outs, kSampleBlocks);
  int16_t out[4][kN + 2];
  size_t have[4];
  for (size_t s = 0; s < 4; ++s) have[s] = sample_ntt_parse(out[s], 0, buf[s], sizeof buf[s]);
  while (have[0] < kN || have[1] < kN || have[2] < kN || have[3] < kN) {
    xof.squeeze_blocks(outs, 1);
    for (size_t s = 0; s < 4; ++s) have[s] = sample_ntt_parse(out[s], have[s], buf[s], Shake128::kRate);
  }
  for (size_t s = 0; s < 4; ++s) std::memcpy(p[s]->c.data(), out[s], sizeof(int16_t) * kN);
}

void sample_cbd(Poly& p, int eta, const uint8_t s[32], uint8_t n) noexcept {
  uint8_t in[33];
  for (int b = 0; b < 32; ++b) in[b] = s[b];
  in[32] = n;
  uint8_t buf[64 * 3];
  const size_t len = 64 * static_cast<size_t>(eta);
  shake256(ByteSpan(in, sizeof in), MutableByteSpan(buf, len));
  // Bits are read little-endian; coefficient i uses bits [2*eta*i, 2*eta*(i+1)). Word-parallel
  // bit counting: eta = 2 takes 32 bits for 8 coefficients, eta = 3 takes 24 bits for 4.
  if (eta == 2) {
    for (size_t w = 0; w < kN / 8; ++w) {
      const uint32_t t = static_cast<uint32_t>(buf[4 * w]) | (static_cast<uint32_t>(buf[4 * w + 1]) << 8) |
                         (static_cast<uint32_t>(buf[4 * w + 2]) << 16) |
                         (static_cast<uint32_t>(buf[4 * w + 3]) << 24);
      const uint32_t d = (t & 0x55555555u) + ((t >> 1) & 0x55555555u);  // 2-bit sums
      for (size_t c = 0; c < 8; ++c) {
        const int16_t x = static_cast<int16_t>((d >> (4 * c)) & 3u);
        const int16_t y = static_cast<int16_t>((d >> (4 * c + 2)) & 3u);
        p.c[8 * w + c] = static_cast<int16_t>(x - y);
      }
    }
  } else {
    for (size_t w = 0; w < kN / 4; ++w) {
      const uint32_t t = static_cast<uint32_t>(buf[3 * w]) | (static_cast<uint32_t>(buf[3 * w + 1]) << 8) |
                         (static_cast<uint32_t>(buf[3 * w + 2]) << 16);
      const uint32_t d = (t & 0x249249u) + ((t >> 1) & 0x249249u) + ((t >> 2) & 0x249249u);  // 3-bit sums
      for (size_t c = 0; c < 4; ++c) {
        const int16_t x = static_cast<int16_t>((d >> (6 * c)) & 7u);
        const int16_t y = static_cast<int16_t>((d >> (6 * c + 3)) & 7u);
        p.c[4 * w + c] = static_cast<int16_t>(x - y);
      }
    }
  }
  secure_wipe(buf, sizeof buf);
  secure_wipe(in, sizeof in);
}

}  // namespace hauptbuch::p2p::crypto::mlkem

// ML-KEM sampling (see mlkem_sample.h).
#include "crypto/mlkem_sample.h"

#include "crypto/keccak.h"

namespace hauptbuch::p2p::crypto::mlkem {

void sample_ntt(Poly& p, const uint8_t rho[32], uint8_t j, uint8_t i) noexcept {
  Shake128 xof;
  uint8_t seed[34];
  for (int b = 0; b < 32; ++b) seed[b] = rho[b];
  seed[32] = j;
  seed[33] = i;
  xof.absorb(ByteSpan(seed, sizeof seed));
  uint8_t buf[Shake128::kRate * 3];  // 504 bytes = 336 candidates, usually enough for 256
  size_t have = 0;
  size_t pos = sizeof buf;
  while (have < kN) {
    if (pos + 3 > sizeof buf) {
      xof.squeeze_blocks(MutableByteSpan(buf, sizeof buf));
      pos = 0;
    }
    const uint16_t d1 = static_cast<uint16_t>(buf[pos] | ((buf[pos + 1] & 0x0f) << 8));
    const uint16_t d2 = static_cast<uint16_t>((buf[pos + 1] >> 4) | (buf[pos + 2] << 4));
    pos += 3;
    if (d1 < kQ) p.c[have++] = static_cast<int16_t>(d1);
    if (d2 < kQ && have < kN) p.c[have++] = static_cast<int16_t>(d2);
  }
}

void sample_cbd(Poly& p, int eta, const uint8_t s[32], uint8_t n) noexcept {
  uint8_t in[33];
  for (int b = 0; b < 32; ++b) in[b] = s[b];
  in[32] = n;
  uint8_t buf[64 * 3];
  const size_t len = 64 * static_cast<size_t>(eta);
  shake256(ByteSpan(in, sizeof in), MutableByteSpan(buf, len));
  // Bits are read little-endian; coefficient i uses bits [2*eta*i, 2*eta*(i+1)).
  const unsigned w = static_cast<unsigned>(2 * eta);
  for (size_t i = 0; i < kN; ++i) {
    const size_t bit = i * w;
    // Gather the 2*eta <= 6 bits (they may straddle a byte boundary).
    const uint32_t two = static_cast<uint32_t>(buf[bit >> 3]) |
                         (((bit >> 3) + 1 < len ? static_cast<uint32_t>(buf[(bit >> 3) + 1]) : 0u) << 8);
    const uint32_t bits = (two >> (bit & 7)) & ((1u << w) - 1);
    int x = 0, y = 0;
    for (int j = 0; j < eta; ++j) {
      x += static_cast<int>((bits >> j) & 1u);
      y += static_cast<int>((bits >> (eta + j)) & 1u);
    }
    p.c[i] = static_cast<int16_t>(x - y);
  }
  secure_wipe(buf, sizeof buf);
  secure_wipe(in, sizeof in);
}

}  // namespace hauptbuch::p2p::crypto::mlkem

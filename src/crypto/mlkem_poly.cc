// ML-KEM polynomial arithmetic (see mlkem_poly.h). Constant time in the coefficient values.
#include "crypto/mlkem_poly.h"

namespace hauptbuch::p2p::crypto::mlkem {
namespace {

constexpr int16_t kQInv = -3327;  // q^-1 mod 2^16, as a signed 16-bit value

constexpr uint32_t pow_mod(uint32_t b, uint32_t e) {
  uint32_t r = 1;
  for (; e; e >>= 1, b = b * b % kQ)
    if (e & 1) r = r * b % kQ;
  return r;
}
constexpr uint32_t bitrev7(uint32_t i) {
  uint32_t r = 0;
  for (int b = 0; b < 7; ++b) r |= ((i >> b) & 1u) << (6 - b);
  return r;
}
// x * 2^16 mod q, centred in (-q/2, q/2].
constexpr int16_t to_mont_const(uint32_t x) {
  int32_t v = static_cast<int32_t>((x << 16) % kQ);
  if (v > kQ / 2) v -= kQ;
  return static_cast<int16_t>(v);
}

// zeta^BitRev7(i), i = 0..127 (ζ = 17), Montgomery form: the twiddles of Alg. 9/10.
constexpr std::array<int16_t, 128> kZetas = [] {
  std::array<int16_t, 128> z{};
  for (uint32_t i = 0; i < 128; ++i) z[i] = to_mont_const(pow_mod(17, bitrev7(i)));
  return z;
}();
// zeta^(2*BitRev7(i)+1), i = 0..127, Montgomery form: the moduli of Alg. 11.
constexpr std::array<int16_t, 128> kGammas = [] {
  std::array<int16_t, 128> z{};
  for (uint32_t i = 0; i < 128; ++i) z[i] = to_mont_const(pow_mod(17, 2 * bitrev7(i) + 1));
  return z;
}();
// 2^32 mod q (fqmul by it multiplies by 2^16) and 2^32/128 mod q (inverse-NTT scaling).
constexpr int16_t kMont2 = static_cast<int16_t>((uint64_t{1} << 32) % kQ);
constexpr int16_t kInvNttScale =
    static_cast<int16_t>((uint64_t{1} << 32) % kQ * pow_mod(128, kQ - 2) % kQ);

}  // namespace

int16_t montgomery_reduce(int32_t a) noexcept {
  const int16_t t = static_cast<int16_t>(static_cast<int16_t>(a) * kQInv);
  return static_cast<int16_t>((a - static_cast<int32_t>(t) * kQ) >> 16);
}

int16_t barrett_reduce(int16_t a) noexcept {
  constexpr int32_t kV = ((1 << 26) + kQ / 2) / kQ;
  const int16_t t = static_cast<int16_t>((kV * a + (1 << 25)) >> 26);
  return static_cast<int16_t>(a - t * kQ);
}

void ntt(Poly& p) noexcept {
  int k = 1;
  for (int len = 128; len >= 2; len >>= 1) {
    for (int start = 0; start < kN; start += 2 * len) {
      const int16_t zeta = kZetas[static_cast<size_t>(k++)];
      for (int j = start; j < start + len; ++j) {
        const int16_t t = fqmul(zeta, p.c[static_cast<size_t>(j + len)]);
        p.c[static_cast<size_t>(j + len)] = static_cast<int16_t>(p.c[static_cast<size_t>(j)] - t);
        p.c[static_cast<size_t>(j)] = static_cast<int16_t>(p.c[static_cast<size_t>(j)] + t);
      }
    }
  }
  reduce(p);
}

void inv_ntt(Poly& p) noexcept {
  int k = 127;
  for (int len = 2; len <= 128; len <<= 1) {
    for (int start = 0; start < kN; start += 2 * len) {
      const int16_t zeta = kZetas[static_cast<size_t>(k--)];
      for (int j = start; j < start + len; ++j) {
        const int16_t t = p.c[static_cast<size_t>(j)];
        const int16_t u = p.c[static_cast<size_t>(j + len)];
        p.c[static_cast<size_t>(j)] = barrett_reduce(static_cast<int16_t>(t + u));
        p.c[static_cast<size_t>(j + len)] = fqmul(zeta, static_cast<int16_t>(u - t));
      }
    }
  }
  for (auto& x : p.c) x = fqmul(x, kInvNttScale);
}

void basemul_acc(Poly& r, const Poly& a, const Poly& b) noexcept {
  for (size_t i = 0; i < 128; ++i) {
    const int16_t a0 = a.c[2 * i], a1 = a.c[2 * i + 1];
    const int16_t b0 = b.c[2 * i], b1 = b.c[2 * i + 1];
    const int16_t c0 = static_cast<int16_t>(fqmul(fqmul(a1, b1), kGammas[i]) + fqmul(a0, b0));
    const int16_t c1 = static_cast<int16_t>(fqmul(a0, b1) + fqmul(a1, b0));
    // Reduce at once so that sums over k <= 4 products stay far inside int16.
    r.c[2 * i] = barrett_reduce(static_cast<int16_t>(r.c[2 * i] + barrett_reduce(c0)));
    r.c[2 * i + 1] = barrett_reduce(static_cast<int16_t>(r.c[2 * i + 1] + barrett_reduce(c1)));
  }
}

void basemul_sum(Poly& r, const Poly* const a[], const Poly* b, size_t k) noexcept {
  // Bounds: |a0*b0| < q^2 and |fqmul(a1, b1) * gamma| < q^2 / 2, so each term of c0 (and of c1)
  // is below 1.5 q^2 (2 q^2) and four of them stay below 8 q^2 = 88.7e6 < q * 2^15 = 109e6,
  // the input range of montgomery_reduce.
  for (size_t i = 0; i < 128; ++i) {
    int32_t c0 = 0, c1 = 0;
    for (size_t j = 0; j < k; ++j) {
      const int32_t a0 = a[j]->c[2 * i], a1 = a[j]->c[2 * i + 1];
      const int32_t b0 = b[j].c[2 * i], b1 = b[j].c[2 * i + 1];
      c0 += a0 * b0 + static_cast<int32_t>(montgomery_reduce(a1 * b1)) * kGammas[i];
      c1 += a0 * b1 + a1 * b0;
    }
    r.c[2 * i] = montgomery_reduce(c0);
    r.c[2 * i + 1] = montgomery_reduce(c1);
  }
}

void to_mont(Poly& p) noexcept {
  for (auto& x : p.c) x = fqmul(x, kMont2);
}

void reduce(Poly& p) noexcept {
  for (auto& x : p.c) x = barrett_reduce(x);
}

void normalize(Poly& p) noexcept {
  for (auto& x : p.c) {
    int16_t v = barrett_reduce(x);
    v = static_cast<int16_t>(v + ((v >> 15) & kQ));
    x = v;
  }
}

void add(Poly& r, const Poly& a) noexcept {
  for (size_t i = 0; i < kN; ++i) r.c[i] = static_cast<int16_t>(r.c[i] + a.c[i]);
}

void sub(Poly& r, const Poly& a) noexcept {
  for (size_t i = 0; i < kN; ++i) r.c[i] = static_cast<int16_t>(r.c[i] - a.c[i]);
}

void byte_encode(const Poly& p, int d, uint8_t* out) noexcept {
  uint64_t acc = 0;
  int bits = 0;
  size_t o = 0;
  const uint32_t mask = (1u << d) - 1;
  for (size_t i = 0; i < kN; ++i) {
    acc |= static_cast<uint64_t>(static_cast<uint16_t>(p.c[i]) & mask) << bits;
    bits += d;
    while (bits >= 8) {
      out[o++] = static_cast<uint8_t>(acc);
      acc >>= 8;
      bits -= 8;
    }
  }
}

void byte_decode(Poly& p, int d, const uint8_t* in) noexcept {
  uint64_t acc = 0;
  int bits = 0;
  size_t pos = 0;
  const uint32_t mask = (1u << d) - 1;
  for (size_t i = 0; i < kN; ++i) {
    while (bits < d) {
      acc |= static_cast<uint64_t>(in[pos++]) << bits;
      bits += 8;
    }
    p.c[i] = static_cast<int16_t>(acc & mask);
    acc >>= d;
    bits -= d;
  }
}

void compress_encode(const Poly& p, int d, uint8_t* out) noexcept {
  Poly t;
  for (size_t i = 0; i < kN; ++i)
    t.c[i] = static_cast<int16_t>(compress(static_cast<uint16_t>(p.c[i]), d));
  byte_encode(t, d, out);
}

void decode_decompress(Poly& p, int d, const uint8_t* in) noexcept {
  byte_decode(p, d, in);
  for (auto& x : p.c) x = static_cast<int16_t>(decompress(static_cast<uint16_t>(x), d));
}

}  // namespace hauptbuch::p2p::crypto::mlkem

// GF(2^255 - 19) in radix 2^51 (see fe25519.h). Reduction uses 2^255 = 19 (mod p).
#include "crypto/fe25519.h"

#include <cstring>

namespace hauptbuch::p2p::crypto::ed25519 {
namespace {

__extension__ typedef unsigned __int128 u128;  // GCC and clang on 64-bit targets

// One carry pass: every limb below 2^51 except limb 0, which stays below 2^51 + 19 * 2^13.
// With `fold` false the carry out of limb 4 (bit 255) is dropped instead of folded back as 19.
Fe carry(uint64_t h0, uint64_t h1, uint64_t h2, uint64_t h3, uint64_t h4, bool fold = true) {
  h1 += h0 >> 51;
  h0 &= kMask51;
  h2 += h1 >> 51;
  h1 &= kMask51;
  h3 += h2 >> 51;
  h2 &= kMask51;
  h4 += h3 >> 51;
  h3 &= kMask51;
  if (fold) h0 += 19 * (h4 >> 51);
  h4 &= kMask51;
  return Fe{{h0, h1, h2, h3, h4}};
}

// Carries 128-bit column sums (each below 2^116) into a loose element.
Fe carry_wide(u128 r0, u128 r1, u128 r2, u128 r3, u128 r4) {
  r1 += static_cast<uint64_t>(r0 >> 51);
  r2 += static_cast<uint64_t>(r1 >> 51);
  r3 += static_cast<uint64_t>(r2 >> 51);
  r4 += static_cast<uint64_t>(r3 >> 51);
  const uint64_t c = static_cast<uint64_t>(r4 >> 51);  // below 2^66 / 2^51: fits
  uint64_t h0 = (static_cast<uint64_t>(r0) & kMask51) + 19 * c;
  uint64_t h1 = static_cast<uint64_t>(r1) & kMask51;
  h1 += h0 >> 51;
  h0 &= kMask51;
  return Fe{{h0, h1, static_cast<uint64_t>(r2) & kMask51, static_cast<uint64_t>(r3) & kMask51,
             static_cast<uint64_t>(r4) & kMask51}};
}

uint64_t load64(const uint8_t* p) {
  uint64_t x = 0;
  for (int i = 7; i >= 0; --i) x = (x << 8) | p[i];
  return x;
}

// 4p, limb by limb, so a - b stays non-negative for loose b (limbs below 2^52).
constexpr uint64_t k4P0 = 4 * ((uint64_t{1} << 51) - 19);
constexpr uint64_t k4Pi = 4 * ((uint64_t{1} << 51) - 1);

}  // namespace

Fe fe_zero() { return Fe{{0, 0, 0, 0, 0}}; }
Fe fe_one() { return Fe{{1, 0, 0, 0, 0}}; }

Fe fe_add(const Fe& a, const Fe& b) {
  return carry(a.v[0] + b.v[0], a.v[1] + b.v[1], a.v[2] + b.v[2], a.v[3] + b.v[3], a.v[4] + b.v[4]);
}

Fe fe_sub(const Fe& a, const Fe& b) {
  return carry(a.v[0] + k4P0 - b.v[0], a.v[1] + k4Pi - b.v[1], a.v[2] + k4Pi - b.v[2], a.v[3] + k4Pi - b.v[3],
               a.v[4] + k4Pi - b.v[4]);
}

Fe fe_neg(const Fe& a) { return fe_sub(fe_zero(), a); }

Fe fe_mul(const Fe& a, const Fe& b) {
  const uint64_t a0 = a.v[0], a1 = a.v[1], a2 = a.v[2], a3 = a.v[3], a4 = a.v[4];
  const uint64_t b0 = b.v[0], b1 = b.v[1], b2 = b.v[2], b3 = b.v[3], b4 = b.v[4];
  const uint64_t b1_19 = 19 * b1, b2_19 = 19 * b2, b3_19 = 19 * b3, b4_19 = 19 * b4;
  const u128 r0 = u128(a0) * b0 + u128(a1) * b4_19 + u128(a2) * b3_19 + u128(a3) * b2_19 + u128(a4) * b1_19;
  const u128 r1 = u128(a0) * b1 + u128(a1) * b0 + u128(a2) * b4_19 + u128(a3) * b3_19 + u128(a4) * b2_19;
  const u128 r2 = u128(a0) * b2 + u128(a1) * b1 + u128(a2) * b0 + u128(a3) * b4_19 + u128(a4) * b3_19;
  const u128 r3 = u128(a0) * b3 + u128(a1) * b2 + u128(a2) * b1 + u128(a3) * b0 + u128(a4) * b4_19;
  const u128 r4 = u128(a0) * b4 + u128(a1) * b3 + u128(a2) * b2 + u128(a3) * b1 + u128(a4) * b0;
  return carry_wide(r0, r1, r2, r3, r4);
}

Fe fe_sq(const Fe& a) {
  const uint64_t a0 = a.v[0], a1 = a.v[1], a2 = a.v[2], a3 = a.v[3], a4 = a.v[4];
  const uint64_t d0 = 2 * a0, d1 = 2 * a1, a3_19 = 19 * a3, a4_19 = 19 * a4;
  const u128 r0 = u128(a0) * a0 + u128(d1) * a4_19 + u128(2 * a2) * a3_19;
  const u128 r1 = u128(d0) * a1 + u128(2 * a2) * a4_19 + u128(a3) * a3_19;
  const u128 r2 = u128(d0) * a2 + u128(a1) * a1 + u128(2 * a3) * a4_19;
  const u128 r3 = u128(d0) * a3 + u128(d1) * a2 + u128(a4) * a4_19;
  const u128 r4 = u128(d0) * a4 + u128(d1) * a3 + u128(a2) * a2;
  return carry_wide(r0, r1, r2, r3, r4);
}

Fe fe_sq_n(const Fe& a, int n) {
  Fe r = a;
  for (int i = 0; i < n; ++i) r = fe_sq(r);
  return r;
}

namespace {
// a^(2^250 - 1), shared by pow22523 and invert; also returns a^11 (needed by invert).
Fe pow_2_250_minus_1(const Fe& a, Fe* a11) {
  const Fe a2 = fe_sq(a);                        // 2
  const Fe a9 = fe_mul(fe_sq_n(a2, 2), a);       // 9
  const Fe e11 = fe_mul(a9, a2);                 // 11
  const Fe e5 = fe_mul(fe_sq(e11), a9);          // 2^5 - 1
  const Fe e10 = fe_mul(fe_sq_n(e5, 5), e5);     // 2^10 - 1
  const Fe e20 = fe_mul(fe_sq_n(e10, 10), e10);  // 2^20 - 1
  const Fe e40 = fe_mul(fe_sq_n(e20, 20), e20);  // 2^40 - 1
  const Fe e50 = fe_mul(fe_sq_n(e40, 10), e10);  // 2^50 - 1
  const Fe e100 = fe_mul(fe_sq_n(e50, 50), e50); // 2^100 - 1
  const Fe e200 = fe_mul(fe_sq_n(e100, 100), e100);  // 2^200 - 1
  if (a11) *a11 = e11;
  return fe_mul(fe_sq_n(e200, 50), e50);         // 2^250 - 1
}
}  // namespace

Fe fe_pow22523(const Fe& a) {
  return fe_mul(fe_sq_n(pow_2_250_minus_1(a, nullptr), 2), a);  // 2^252 - 4 + 1
}

Fe fe_invert(const Fe& a) {
  Fe a11;
  const Fe e250 = pow_2_250_minus_1(a, &a11);
  return fe_mul(fe_sq_n(e250, 5), a11);  // 2^255 - 32 + 11 = p - 2
}

Fe fe_from_bytes(const uint8_t in[32]) {
  return Fe{{load64(in) & kMask51, (load64(in + 6) >> 3) & kMask51, (load64(in + 12) >> 6) & kMask51,
             (load64(in + 19) >> 1) & kMask51, (load64(in + 24) >> 12) & kMask51}};
}

std::array<uint8_t, 32> fe_to_bytes(const Fe& a) {
  Fe t = carry(a.v[0], a.v[1], a.v[2], a.v[3], a.v[4]);
  t = carry(t.v[0], t.v[1], t.v[2], t.v[3], t.v[4]);  // now below 2^255 + small: below 2p
  // q = 1 iff t >= p, i.e. t + 19 reaches 2^255.
  uint64_t q = (t.v[0] + 19) >> 51;
  q = (t.v[1] + q) >> 51;
  q = (t.v[2] + q) >> 51;
  q = (t.v[3] + q) >> 51;
  q = (t.v[4] + q) >> 51;
  // Subtracting p = adding 19 and dropping 2^255.
  const Fe r = carry(t.v[0] + 19 * q, t.v[1], t.v[2], t.v[3], t.v[4], false);
  const uint64_t h0 = r.v[0], h1 = r.v[1], h2 = r.v[2], h3 = r.v[3], h4 = r.v[4];
  std::array<uint8_t, 32> out{};
  const uint64_t w[4] = {h0 | (h1 << 51), (h1 >> 13) | (h2 << 38), (h2 >> 26) | (h3 << 25), (h3 >> 39) | (h4 << 12)};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 8; ++j) out[8 * i + j] = static_cast<uint8_t>(w[i] >> (8 * j));
  return out;
}

bool fe_is_zero(const Fe& a) {
  const auto b = fe_to_bytes(a);
  uint8_t acc = 0;
  for (uint8_t x : b) acc |= x;
  return acc == 0;
}

bool fe_equal(const Fe& a, const Fe& b) { return fe_is_zero(fe_sub(a, b)); }

bool fe_is_odd(const Fe& a) { return (fe_to_bytes(a)[0] & 1) != 0; }

namespace {
Fe from_hex_le(const char* hex) {
  uint8_t b[32];
  for (int i = 0; i < 32; ++i) {
    auto nib = [](char c) { return static_cast<uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); };
    b[i] = static_cast<uint8_t>(nib(hex[2 * i]) << 4 | nib(hex[2 * i + 1]));
  }
  return fe_from_bytes(b);
}
}  // namespace

// Encodings (little-endian) of RFC 8032's d and of sqrt(-1); the unit test re-derives both.
const Fe& fe_d() {
  static const Fe d = from_hex_le("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352");
  return d;
}
const Fe& fe_d2() {
  static const Fe d2 = fe_add(fe_d(), fe_d());
  return d2;
}
const Fe& fe_sqrt_m1() {
  static const Fe s = from_hex_le("b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b");
  return s;
}

}  // namespace hauptbuch::p2p::crypto::ed25519

// Arithmetic in GF(2^255 - 19), the field of Curve25519 / Ed25519, for our Ed25519 batch
// verifier (libsodium, which we use for everything else, does not expose its field or point
// arithmetic). Elements are five 51-bit limbs (radix 2^51) in uint64_t with 128-bit products.
//
// Invariant: every function returns limbs below 2^52 (a "loose" element), which is what every
// input may be; only to_bytes() gives the unique canonical form. Variable time is fine here:
// the verifier handles only public data (keys, signatures, messages).
#pragma once

#include <array>
#include <cstdint>

namespace hauptbuch::p2p::crypto::ed25519 {

struct Fe {
  uint64_t v[5];
};

inline constexpr uint64_t kMask51 = (uint64_t{1} << 51) - 1;

Fe fe_zero();
Fe fe_one();
Fe fe_add(const Fe& a, const Fe& b);
Fe fe_sub(const Fe& a, const Fe& b);
Fe fe_neg(const Fe& a);
Fe fe_mul(const Fe& a, const Fe& b);
Fe fe_sq(const Fe& a);
// a^(2^n) (n squarings).
Fe fe_sq_n(const Fe& a, int n);
// a^(2^252 - 3) = a^((p - 5) / 8), the exponent of the square-root-of-a-ratio trick.
Fe fe_pow22523(const Fe& a);
// a^(p - 2), the inverse of a non-zero element (0 for 0).
Fe fe_invert(const Fe& a);

// Little-endian 32 bytes; bit 255 is ignored (the caller reads it as a sign).
Fe fe_from_bytes(const uint8_t in[32]);
// The canonical encoding (value reduced below p), bit 255 clear.
std::array<uint8_t, 32> fe_to_bytes(const Fe& a);
bool fe_is_zero(const Fe& a);
bool fe_equal(const Fe& a, const Fe& b);
// The low bit of the canonical value ("negative" in RFC 8032's point encoding).
bool fe_is_odd(const Fe& a);

// Curve constants: d = -121665/121666 and sqrt(-1) = 2^((p-1)/4).
const Fe& fe_d();
const Fe& fe_d2();  // 2d
const Fe& fe_sqrt_m1();

}  // namespace hauptbuch::p2p::crypto::ed25519

// ML-DSA (FIPS 204) parameter sets 44/65/87 and the sizes derived from them (Table 1 and 2).
// Pure data: no arithmetic and no secrets live here.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hauptbuch::p2p::crypto::mldsa {

inline constexpr int32_t kQ = 8380417;     // modulus q = 2^23 - 2^13 + 1
inline constexpr int kD = 13;              // dropped bits of t
inline constexpr size_t kN = 256;          // coefficients per polynomial
inline constexpr size_t kSeedBytes = 32;   // xi, rho, K, rnd
inline constexpr size_t kTrBytes = 64;     // tr = H(pk, 64)
inline constexpr size_t kMuBytes = 64;     // mu = H(tr || M', 64)
inline constexpr size_t kMaxK = 8;         // largest k (ML-DSA-87); bounds stack arrays
inline constexpr size_t kMaxL = 7;         // largest l (ML-DSA-87)
inline constexpr size_t kMaxContextBytes = 255;  // FIPS 204 Alg. 2: |ctx| <= 255

enum class ParameterSet : uint8_t { kMlDsa44, kMlDsa65, kMlDsa87 };

struct Params {
  ParameterSet set;
  const char* name;
  size_t k, l;
  int32_t eta, tau, beta, gamma1, gamma2, omega;
  size_t lambda;           // collision strength in bits
  size_t c_tilde_bytes;    // lambda / 4
  size_t eta_bits;         // bitlen(2 eta)
  size_t gamma1_bits;      // 1 + bitlen(gamma1 - 1)
  size_t w1_bits;          // bitlen((q-1)/(2 gamma2) - 1)
  size_t pk_bytes, sk_bytes, sig_bytes;
};

inline constexpr Params kParams44{ParameterSet::kMlDsa44, "ML-DSA-44", 4, 4, 2, 39, 78, 1 << 17,
                                  (kQ - 1) / 88, 80, 128, 32, 3, 18, 6, 1312, 2560, 2420};
inline constexpr Params kParams65{ParameterSet::kMlDsa65, "ML-DSA-65", 6, 5, 4, 49, 196, 1 << 19,
                                  (kQ - 1) / 32, 55, 192, 48, 4, 20, 4, 1952, 4032, 3309};
inline constexpr Params kParams87{ParameterSet::kMlDsa87, "ML-DSA-87", 8, 7, 2, 60, 120, 1 << 19,
                                  (kQ - 1) / 32, 75, 256, 64, 3, 20, 4, 2592, 4896, 4627};

inline constexpr const Params& params(ParameterSet s) {
  return s == ParameterSet::kMlDsa44 ? kParams44 : s == ParameterSet::kMlDsa65 ? kParams65 : kParams87;
}

// Sizes must follow from the parameters (FIPS 204 Table 2); checked at compile time.
constexpr bool sizes_consistent(const Params& p) {
  return p.pk_bytes == 32 + 320 * p.k &&
         p.sk_bytes == 128 + 32 * (p.k + p.l) * p.eta_bits + 416 * p.k &&
         p.sig_bytes == p.c_tilde_bytes + p.l * 32 * p.gamma1_bits + static_cast<size_t>(p.omega) + p.k;
}
static_assert(sizes_consistent(kParams44) && sizes_consistent(kParams65) && sizes_consistent(kParams87));

}  // namespace hauptbuch::p2p::crypto::mldsa

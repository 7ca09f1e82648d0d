// ML-KEM sampling (FIPS 203 §4.2.2): SampleNTT (rejection sampling from SHAKE128, public data
// only) and SamplePolyCBD_eta fed by PRF_eta = SHAKE256(s || N) (secret data, constant time).
#pragma once

#include <cstdint>

#include "crypto/mlkem_poly.h"

namespace hauptbuch::p2p::crypto::mlkem {

// Alg. 7: the NTT-domain polynomial of SHAKE128(rho || j || i). Variable time (rho is public).
void sample_ntt(Poly& p, const uint8_t rho[32], uint8_t j, uint8_t i) noexcept;
// Four SampleNTT runs side by side (Keccak x4): p[s] from rho || ji[s][0] || ji[s][1].
void sample_ntt_x4(Poly* const p[4], const uint8_t rho[32], const uint8_t ji[4][2]) noexcept;
// Alg. 8 on PRF_eta(s, n) (eta in {2, 3}): coefficients in [-eta, eta]. Constant time.
void sample_cbd(Poly& p, int eta, const uint8_t s[32], uint8_t n) noexcept;

}  // namespace hauptbuch::p2p::crypto::mlkem

// ML-DSA sampling and expansion (FIPS 204 Alg. 29-34): SampleInBall, RejNTTPoly, RejBoundedPoly,
// ExpandA, ExpandS, ExpandMask. Rejection sampling here branches on XOF output; FIPS 204 accepts
// this (the rejected values are discarded and never used).
#pragma once

#include <cstdint>

#include "crypto/mldsa_poly.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::crypto::mldsa {

using PolyVecK = std::array<Poly, kMaxK>;
using PolyVecL = std::array<Poly, kMaxL>;
using Matrix = std::array<PolyVecL, kMaxK>;

// c with tau coefficients +-1, from the commitment hash c~ (Alg. 29).
void sample_in_ball(Poly& c, ByteSpan c_tilde, int32_t tau);
// A-hat[r][s] = RejNTTPoly(rho || s || r) for r < k, s < l (Alg. 32); already in NTT domain.
void expand_a(Matrix& a, const uint8_t rho[kSeedBytes], const Params& p);
// s1 (l polys) and s2 (k polys) with coefficients in [-eta, eta] (Alg. 33).
void expand_s(PolyVecL& s1, PolyVecK& s2, const uint8_t rho_prime[64], const Params& p);
// y with coefficients in (-gamma1, gamma1] (Alg. 34).
void expand_mask(PolyVecL& y, const uint8_t rho_pp[64], uint16_t kappa, const Params& p);

}  // namespace hauptbuch::p2p::crypto::mldsa

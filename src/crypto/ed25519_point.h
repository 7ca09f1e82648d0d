// Points of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2) in extended coordinates (X:Y:Z:T, with
// x = X/Z, y = Y/Z, xy = T/Z) for the Ed25519 batch verifier: decoding (RFC 8032 5.1.3, strict:
// a y at or above p, or x = 0 with the sign bit set, is refused), encoding, and the unified
// addition and doubling formulas of Hisil, Wong, Carter and Dawson (2008) for a = -1.
// Variable time: public data only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "crypto/fe25519.h"

namespace hauptbuch::p2p::crypto::ed25519 {

struct Point {
  Fe X, Y, Z, T;
};

// A point prepared for additions: (Y+X, Y-X, 2dT, 2Z).
struct Cached {
  Fe YplusX, YminusX, T2d, Z2;
};

Point point_identity();
// The RFC 8032 base point B.
const Point& point_base();
// Strict decoding; nullopt for an encoding that is not a canonical point.
std::optional<Point> point_decode(const uint8_t in[32]);
std::array<uint8_t, 32> point_encode(const Point& p);

Cached point_cache(const Point& p);
Point point_add(const Point& p, const Cached& q);
Point point_sub(const Point& p, const Cached& q);
Point point_double(const Point& p);
bool point_is_identity(const Point& p);
// [8]P is the identity: P has small order (1, 2, 4 or 8).
bool point_has_small_order(const Point& p);

}  // namespace hauptbuch::p2p::crypto::ed25519

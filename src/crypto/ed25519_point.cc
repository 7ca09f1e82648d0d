// edwards25519 point arithmetic (see ed25519_point.h).
#include "crypto/ed25519_point.h"

namespace hauptbuch::p2p::crypto::ed25519 {

Point point_identity() { return Point{fe_zero(), fe_one(), fe_one(), fe_zero()}; }

const Point& point_base() {
  // y = 4/5, x even: the encoding 0x58 0x66 ... 0x66.
  static const Point b = [] {
    uint8_t enc[32];
    enc[0] = 0x58;
    for (int i = 1; i < 32; ++i) enc[i] = 0x66;
    return *point_decode(enc);
  }();
  return b;
}

std::optional<Point> point_decode(const uint8_t in[32]) {
  const bool sign = (in[31] >> 7) != 0;
  const Fe y = fe_from_bytes(in);
  // Canonical y: re-encoding must give the same 255 bits.
  const auto canon = fe_to_bytes(y);
  for (int i = 0; i < 31; ++i)
    if (canon[i] != in[i]) return std::nullopt;
  if (canon[31] != (in[31] & 0x7f)) return std::nullopt;
  // x^2 = u / v with u = y^2 - 1, v = d y^2 + 1; x = u v^3 (u v^7)^((p-5)/8).
  const Fe y2 = fe_sq(y);
  const Fe u = fe_sub(y2, fe_one());
  const Fe v = fe_add(fe_mul(fe_d(), y2), fe_one());
  const Fe v3 = fe_mul(fe_sq(v), v);
  const Fe v7 = fe_mul(fe_sq(v3), v);
  Fe x = fe_mul(fe_mul(u, v3), fe_pow22523(fe_mul(u, v7)));
  const Fe vx2 = fe_mul(v, fe_sq(x));
  if (!fe_equal(vx2, u)) {
    if (!fe_equal(vx2, fe_neg(u))) return std::nullopt;  // u/v is not a square: not on the curve
    x = fe_mul(x, fe_sqrt_m1());
  }
  const bool x_zero = fe_is_zero(x);
  if (x_zero && sign) return std::nullopt;  // -0 is not a canonical encoding
  if (fe_is_odd(x) != sign) x = fe_neg(x);
  return Point{x, y, fe_one(), fe_mul(x, y)};
}

std::array<uint8_t, 32> point_encode(const Point& p) {
  const Fe zi = fe_invert(p.Z);
  const Fe x = fe_mul(p.X, zi), y = fe_mul(p.Y, zi);
  auto out = fe_to_bytes(y);
  if (fe_is_odd(x)) out[31] |= 0x80;
  return out;
}

Cached point_cache(const Point& p) {
  return Cached{fe_add(p.Y, p.X), fe_sub(p.Y, p.X), fe_mul(p.T, fe_d2()), fe_add(p.Z, p.Z)};
}

namespace {
// add-2008-hwcd-3 with k = 2d precomputed in the cached operand. Subtraction adds -Q = (-x, y):
// its Y+X and Y-X are Q's swapped, and its T (hence C) changes sign.
Point add_cached(const Point& p, const Fe& q_ypx, const Fe& q_ymx, const Cached& q, bool negate) {
  const Fe a = fe_mul(fe_sub(p.Y, p.X), q_ymx);
  const Fe b = fe_mul(fe_add(p.Y, p.X), q_ypx);
  const Fe c = fe_mul(p.T, q.T2d);
  const Fe d = fe_mul(p.Z, q.Z2);
  const Fe e = fe_sub(b, a), h = fe_add(b, a);
  const Fe f = negate ? fe_add(d, c) : fe_sub(d, c);
  const Fe g = negate ? fe_sub(d, c) : fe_add(d, c);
  return Point{fe_mul(e, f), fe_mul(g, h), fe_mul(f, g), fe_mul(e, h)};
}
}  // namespace

Point point_add(const Point& p, const Cached& q) { return add_cached(p, q.YplusX, q.YminusX, q, false); }

Point point_sub(const Point& p, const Cached& q) { return add_cached(p, q.YminusX, q.YplusX, q, true); }

// dbl-2008-hwcd for a = -1.
Point point_double(const Point& p) {
  const Fe a = fe_sq(p.X);
  const Fe b = fe_sq(p.Y);
  const Fe c = fe_add(fe_sq(p.Z), fe_sq(p.Z));
  const Fe e = fe_sub(fe_sub(fe_sq(fe_add(p.X, p.Y)), a), b);
  const Fe g = fe_sub(b, a);   // D + B with D = aA = -A
  const Fe f = fe_sub(g, c);
  const Fe h = fe_neg(fe_add(a, b));  // D - B
  return Point{fe_mul(e, f), fe_mul(g, h), fe_mul(f, g), fe_mul(e, h)};
}

bool point_is_identity(const Point& p) { return fe_is_zero(p.X) && fe_equal(p.Y, p.Z); }

bool point_has_small_order(const Point& p) {
  return point_is_identity(point_double(point_double(point_double(p))));
}

}  // namespace hauptbuch::p2p::crypto::ed25519

// Ed25519 single and batch verification (src/crypto/ed25519_batch.h) and the field and point
// arithmetic under it: the curve constants re-derived, signatures made by libsodium accepted
// singly and in batches, every kind of damage refused (and found by verify_each), and the
// documented semantics on the edge cases: non-canonical S, R or A, small-order R or A, and a
// torsion component in R (accepted: the cofactored equation; libsodium refuses it).
#include <sodium.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "crypto/ed25519_batch.h"
#include "crypto/ed25519_point.h"
#include "crypto/fe25519.h"
#include "util/random.h"

namespace hauptbuch::p2p::crypto {
namespace {

using namespace ed25519;

Fe small(uint64_t v) { return Fe{{v, 0, 0, 0, 0}}; }

TEST(Fe25519, ConstantsAndInverse) {
  // d * 121666 = -121665
  EXPECT_TRUE(fe_equal(fe_mul(fe_d(), small(121666)), fe_neg(small(121665))));
  EXPECT_TRUE(fe_equal(fe_sq(fe_sqrt_m1()), fe_neg(fe_one())));
  SeededRandom rng(3);
  for (int i = 0; i < 50; ++i) {
    uint8_t b[32];
    rng.fill(MutableByteSpan(b, 32));
    const Fe x = fe_from_bytes(b);
    if (fe_is_zero(x)) continue;
    EXPECT_TRUE(fe_equal(fe_mul(x, fe_invert(x)), fe_one()));
    EXPECT_TRUE(fe_equal(fe_sq(x), fe_mul(x, x)));
    EXPECT_TRUE(fe_equal(fe_sub(fe_add(x, fe_one()), fe_one()), x));
  }
  // p itself and p + 1 encode as 0 and 1 (canonical output), 2^255 - 1 as 18.
  std::array<uint8_t, 32> p{};
  p.fill(0xff);
  p[0] = 0xed;
  p[31] = 0x7f;
  EXPECT_TRUE(fe_is_zero(fe_from_bytes(p.data())));
  p[0] = 0xee;
  EXPECT_EQ(fe_to_bytes(fe_from_bytes(p.data()))[0], 1);
  p[0] = 0xff;
  EXPECT_EQ(fe_to_bytes(fe_from_bytes(p.data()))[0], 18);
}

TEST(Ed25519Point, BaseRoundTripsAndMatchesLibsodium) {
  const auto enc = point_encode(point_base());
  EXPECT_EQ(enc[0], 0x58);
  EXPECT_EQ(enc[31], 0x66);
  EXPECT_FALSE(point_has_small_order(point_base()));
  // 2B by doubling equals B + B by addition, and libsodium's [2]B.
  const Point d = point_double(point_base());
  const Point a = point_add(point_base(), point_cache(point_base()));
  EXPECT_EQ(point_encode(d), point_encode(a));
  uint8_t two[32] = {2};
  uint8_t ref[32];
  ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(ref, two), 0);
  const auto enc2 = point_encode(d);
  EXPECT_TRUE(std::equal(enc2.begin(), enc2.end(), ref));
  EXPECT_TRUE(point_is_identity(point_sub(point_base(), point_cache(point_base()))));
}

struct Signed {
  std::array<uint8_t, 32> pk;
  std::array<uint8_t, 64> sk;
  Bytes msg;
  std::array<uint8_t, 64> sig;
  Ed25519Item item() const { return Ed25519Item{pk, msg, sig}; }
};

Signed make_signed(SeededRandom& rng, size_t len, const Signed* same_key = nullptr) {
  Signed s;
  if (same_key) {
    s.pk = same_key->pk;
    s.sk = same_key->sk;
  } else {
    uint8_t seed[32];
    rng.fill(MutableByteSpan(seed, 32));
    crypto_sign_seed_keypair(s.pk.data(), s.sk.data(), seed);
  }
  s.msg.resize(len);
  rng.fill(s.msg);
  crypto_sign_detached(s.sig.data(), nullptr, s.msg.data(), s.msg.size(), s.sk.data());
  return s;
}

TEST(Ed25519Batch, AcceptsLibsodiumSignaturesSinglyAndInBatches) {
  ASSERT_GE(sodium_init(), 0);
  SeededRandom rng(4);
  std::vector<Signed> sigs;
  for (int i = 0; i < 300; ++i)  // several keys, some signing many messages; lengths 0..2,000
    sigs.push_back(make_signed(rng, rng.uniform(2001), i % 3 == 0 || sigs.empty() ? nullptr : &sigs[rng.uniform(sigs.size())]));
  std::vector<Ed25519Item> items;
  for (const auto& s : sigs) {
    ASSERT_TRUE(ed25519_verify_one(s.item()));
    ASSERT_TRUE(ed25519_verify_one_own(s.item()));
    items.push_back(s.item());
  }
  for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{7}, size_t{64}, size_t{300}})  // 300: several chunks
    EXPECT_TRUE(ed25519_verify_batch(std::span<const Ed25519Item>(items).first(n))) << n;
  const auto each = ed25519_verify_each(items);
  EXPECT_EQ(std::count(each.begin(), each.end(), true), 300);
}

TEST(Ed25519Batch, RefusesEveryKindOfDamageAndFindsTheBadItem) {
  SeededRandom rng(5);
  std::vector<Signed> sigs;
  for (int i = 0; i < 40; ++i) sigs.push_back(make_signed(rng, 100 + i, i % 2 && i > 0 ? &sigs[0] : nullptr));
  for (int kind = 0; kind < 5; ++kind) {
    auto bad = sigs;
    Signed& b = bad[17];
    switch (kind) {
      case 0: b.sig[3] ^= 1; break;    // R
      case 1: b.sig[40] ^= 1; break;   // S
      case 2: b.msg[0] ^= 0x80; break;
      case 3: b.pk = sigs[18].pk; break;  // another key
      case 4: b.msg.push_back(0); break;
    }
    std::vector<Ed25519Item> items;
    for (const auto& s : bad) items.push_back(s.item());
    EXPECT_FALSE(ed25519_verify_one(items[17])) << kind;
    EXPECT_FALSE(ed25519_verify_one_own(items[17])) << kind;
    EXPECT_FALSE(ed25519_verify_batch(items)) << kind;
    const auto each = ed25519_verify_each(items);
    for (size_t i = 0; i < each.size(); ++i) EXPECT_EQ(each[i], i != 17) << kind << " item " << i;
  }
  // Wrong sizes.
  const Signed& s = sigs[0];
  EXPECT_FALSE(ed25519_verify_one(Ed25519Item{ByteSpan(s.pk).first(31), s.msg, s.sig}));
  EXPECT_FALSE(ed25519_verify_one(Ed25519Item{s.pk, s.msg, ByteSpan(s.sig).first(63)}));
}

// An order-8 point (from the list of small-order encodings).
constexpr uint8_t kOrder8[32] = {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
                                 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
                                 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a};

TEST(Ed25519Batch, EdgeCaseSemantics) {
  SeededRandom rng(6);
  const Signed good = make_signed(rng, 50);
  auto verify = [](const std::array<uint8_t, 32>& pk, const Bytes& msg, const std::array<uint8_t, 64>& sig) {
    const bool v = ed25519_verify_one(Ed25519Item{pk, msg, sig});
    EXPECT_EQ(v, ed25519_verify_one_own(Ed25519Item{pk, msg, sig}));
    return v;
  };
  ASSERT_TRUE(verify(good.pk, good.msg, good.sig));
  auto p = point_decode(kOrder8);
  ASSERT_TRUE(p);
  EXPECT_TRUE(point_has_small_order(*p));
  EXPECT_FALSE(point_is_identity(point_double(point_double(*p))));  // order exactly 8

  // S + L: same group equation, non-canonical S: refused.
  auto sig = good.sig;
  uint8_t l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14};
  l[31] = 0x10;
  unsigned carry = 0;
  for (int i = 0; i < 32; ++i) {
    carry += static_cast<unsigned>(good.sig[static_cast<size_t>(32 + i)]) + l[i];
    sig[static_cast<size_t>(32 + i)] = static_cast<uint8_t>(carry);
    carry >>= 8;
  }
  ASSERT_EQ(carry, 0u);
  EXPECT_FALSE(verify(good.pk, good.msg, sig));

  // Small-order public key (the identity) with R = identity, S = 0: the equation holds, refused.
  std::array<uint8_t, 32> ident{};
  ident[0] = 1;
  std::array<uint8_t, 64> trivial{};
  trivial[0] = 1;
  EXPECT_FALSE(verify(ident, good.msg, trivial));
  EXPECT_FALSE(verify(good.pk, good.msg, trivial));  // small-order R

  // Non-canonical R: y + p for a small y is still below 2^255 (y = 1 -> 0xee ff .. 7f).
  std::array<uint8_t, 64> noncanon = good.sig;
  std::fill(noncanon.begin(), noncanon.begin() + 32, 0xff);
  noncanon[0] = 0xee;
  noncanon[31] = 0x7f;
  EXPECT_FALSE(verify(good.pk, good.msg, noncanon));

  // R' = [r]B + T8 with S = r + H(R' || A || M) a: cofactored equation holds, cofactorless
  // does not. We accept it (as RFC 8032's [8] check does); libsodium refuses it.
  uint8_t h[64];
  crypto_hash_sha512(h, good.sk.data(), 32);  // libsodium's sk = seed || pk
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
  uint8_t wide[64] = {};
  std::copy(h, h + 32, wide);
  uint8_t a[32], r[32], rb[32], rt[32], k[32], ka[32], s2[32];
  crypto_core_ed25519_scalar_reduce(a, wide);
  crypto_core_ed25519_scalar_random(r);
  ASSERT_EQ(crypto_scalarmult_ed25519_base_noclamp(rb, r), 0);
  ASSERT_EQ(crypto_core_ed25519_add(rt, rb, kOrder8), 0);
  // (R, S) with S = r + H(R || A || M) a, for a chosen encoding R.
  auto sign_with = [&](const uint8_t* r_enc) {
    crypto_hash_sha512_state st;
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, r_enc, 32);
    crypto_hash_sha512_update(&st, good.pk.data(), 32);
    crypto_hash_sha512_update(&st, good.msg.data(), good.msg.size());
    crypto_hash_sha512_final(&st, wide);
    crypto_core_ed25519_scalar_reduce(k, wide);
    crypto_core_ed25519_scalar_mul(ka, k, a);
    crypto_core_ed25519_scalar_add(s2, r, ka);
    std::array<uint8_t, 64> out{};
    std::copy(r_enc, r_enc + 32, out.begin());
    std::copy(s2, s2 + 32, out.begin() + 32);
    return out;
  };
  const auto torsion = sign_with(rt);
  EXPECT_TRUE(verify(good.pk, good.msg, torsion));
  EXPECT_NE(crypto_sign_verify_detached(torsion.data(), good.msg.data(), good.msg.size(), good.pk.data()), 0);
  // The same signature with R = [r]B (no torsion) passes both.
  const auto plain = sign_with(rb);
  EXPECT_TRUE(verify(good.pk, good.msg, plain));
  EXPECT_EQ(crypto_sign_verify_detached(plain.data(), good.msg.data(), good.msg.size(), good.pk.data()), 0);
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto

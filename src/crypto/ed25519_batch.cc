// Ed25519 single and batch verification (see ed25519_batch.h): strict decoding of each item,
// then one multi-scalar multiplication (Straus' interleaving with width-5 NAF digits) over the
// base point, every R and every distinct public key. Scalar arithmetic mod L and SHA-512 come
// from libsodium.
#include "crypto/ed25519_batch.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "crypto/ed25519_point.h"

namespace hauptbuch::p2p::crypto {
namespace {

using ed25519::Cached;
using ed25519::Point;
using Scalar = std::array<uint8_t, 32>;

// Items per multi-scalar multiplication: bounds the working memory (about 1.5 KiB per term)
// while keeping the shared doublings well amortised.
constexpr size_t kMaxBatch = 128;
constexpr int kDigits = 256;  // NAF digits of a scalar below 2^253 (with room to spare)

// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
constexpr uint8_t kL[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                            0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

bool scalar_is_canonical(const uint8_t s[32]) {
  for (int i = 31; i >= 0; --i) {
    if (s[i] < kL[i]) return true;
    if (s[i] > kL[i]) return false;
  }
  return false;  // equal to L
}

// Width-5 non-adjacent form: digits odd in [-15, 15] or zero, at most one non-zero digit in
// any five consecutive positions, sum of d_i 2^i = s.
std::array<int8_t, kDigits> wnaf5(const Scalar& s) {
  uint64_t k[5] = {0, 0, 0, 0, 0};
  for (int i = 0; i < 32; ++i) k[i / 8] |= static_cast<uint64_t>(s[static_cast<size_t>(i)]) << (8 * (i % 8));
  std::array<int8_t, kDigits> out{};
  for (int i = 0; i < kDigits; ++i) {
    if (k[0] & 1) {
      int v = static_cast<int>(k[0] & 31);
      if (v >= 16) v -= 32;
      out[static_cast<size_t>(i)] = static_cast<int8_t>(v);
      if (v > 0) {
        k[0] -= static_cast<uint64_t>(v);  // no borrow: the low five bits of k are v
      } else {
        const uint64_t before = k[0];
        k[0] += static_cast<uint64_t>(-v);
        if (k[0] < before)  // carry out of limb 0
          for (int j = 1; j < 5 && ++k[j] == 0; ++j) {
          }
      }
    }
    for (int j = 0; j < 4; ++j) k[j] = (k[j] >> 1) | (k[j + 1] << 63);
    k[4] >>= 1;
  }
  return out;
}

// P, 3P, 5P, ..., 15P, ready for additions.
std::array<Cached, 8> odd_multiples(const Point& p) {
  std::array<Cached, 8> t;
  const Cached two = ed25519::point_cache(ed25519::point_double(p));
  Point cur = p;
  t[0] = ed25519::point_cache(cur);
  for (size_t i = 1; i < t.size(); ++i) {
    cur = ed25519::point_add(cur, two);
    t[i] = ed25519::point_cache(cur);
  }
  return t;
}

const std::array<Cached, 8>& base_multiples() {
  static const std::array<Cached, 8> t = odd_multiples(ed25519::point_base());
  return t;
}

struct Term {
  const std::array<Cached, 8>* table;
  std::array<int8_t, kDigits> digits;
};

// sum [k_j] P_j by Straus' method: one shared chain of doublings, one addition per non-zero
// digit of each scalar.
Point multi_scalar_mul(const std::vector<Term>& terms) {
  int top = -1;
  for (const auto& t : terms)
    for (int i = kDigits - 1; i > top; --i)
      if (t.digits[static_cast<size_t>(i)] != 0) {
        top = i;
        break;
      }
  Point q = ed25519::point_identity();
  for (int i = top; i >= 0; --i) {
    if (i != top) q = ed25519::point_double(q);
    for (const auto& t : terms) {
      const int d = t.digits[static_cast<size_t>(i)];
      if (d > 0) q = ed25519::point_add(q, (*t.table)[static_cast<size_t>(d / 2)]);
      else if (d < 0) q = ed25519::point_sub(q, (*t.table)[static_cast<size_t>(-d / 2)]);
    }
  }
  return q;
}

void scalar_from_hash(Scalar& k, ByteSpan r, ByteSpan a, ByteSpan m) {
  crypto_hash_sha512_state st;
  uint8_t h[64];
  crypto_hash_sha512_init(&st);
  crypto_hash_sha512_update(&st, r.data(), 32);
  crypto_hash_sha512_update(&st, a.data(), 32);
  crypto_hash_sha512_update(&st, m.data(), m.size());
  crypto_hash_sha512_final(&st, h);
  crypto_core_ed25519_scalar_reduce(k.data(), h);
}

// At most kMaxBatch items. `randomize` false (single item) uses z = 1.
bool verify_chunk(std::span<const Ed25519Item> items, bool randomize) {
  struct Key {
    const uint8_t* enc;
    Point point;
    Scalar coef{};  // sum of z_i k_i over the items signed by this key
  };
  std::vector<Key> keys;
  std::vector<Point> rs;
  std::vector<Scalar> zs;
  rs.reserve(items.size());
  zs.reserve(items.size());
  Scalar b_coef{};  // sum of z_i S_i
  for (const auto& it : items) {
    if (it.public_key.size() != 32 || it.signature.size() != 64) return false;
    const uint8_t* s = it.signature.data() + 32;
    if (!scalar_is_canonical(s)) return false;
    auto r = ed25519::point_decode(it.signature.data());
    if (!r || ed25519::point_has_small_order(*r)) return false;
    auto key = std::find_if(keys.begin(), keys.end(),
                            [&](const Key& k) { return std::memcmp(k.enc, it.public_key.data(), 32) == 0; });
    if (key == keys.end()) {
      auto a = ed25519::point_decode(it.public_key.data());
      if (!a || ed25519::point_has_small_order(*a)) return false;
      keys.push_back(Key{it.public_key.data(), *a});
      key = keys.end() - 1;
    }
    Scalar z{};
    if (randomize) {
      do randombytes_buf(z.data(), 16);  // 128 bits, unknown to whoever made the signatures
      while (std::all_of(z.begin(), z.begin() + 16, [](uint8_t b) { return b == 0; }));
    } else {
      z[0] = 1;
    }
    Scalar k, t;
    scalar_from_hash(k, it.signature.first(32), it.public_key, it.message);
    crypto_core_ed25519_scalar_mul(t.data(), z.data(), k.data());
    crypto_core_ed25519_scalar_add(key->coef.data(), key->coef.data(), t.data());
    crypto_core_ed25519_scalar_mul(t.data(), z.data(), s);
    crypto_core_ed25519_scalar_add(b_coef.data(), b_coef.data(), t.data());
    rs.push_back(*r);
    zs.push_back(z);
  }
  Scalar neg_b;
  crypto_core_ed25519_scalar_negate(neg_b.data(), b_coef.data());
  // Tables live in these vectors (reserved, so no reallocation moves them).
  std::vector<std::array<Cached, 8>> tables;
  tables.reserve(rs.size() + keys.size());
  std::vector<Term> terms;
  terms.reserve(rs.size() + keys.size() + 1);
  terms.push_back(Term{&base_multiples(), wnaf5(neg_b)});
  for (size_t i = 0; i < rs.size(); ++i) {
    tables.push_back(odd_multiples(rs[i]));
    terms.push_back(Term{&tables.back(), wnaf5(zs[i])});
  }
  for (const auto& k : keys) {
    tables.push_back(odd_multiples(k.point));
    terms.push_back(Term{&tables.back(), wnaf5(k.coef)});
  }
  return ed25519::point_has_small_order(multi_scalar_mul(terms));
}

}  // namespace

bool ed25519_verify_batch(std::span<const Ed25519Item> items) {
  if (sodium_init() < 0) return false;
  for (size_t off = 0; off < items.size(); off += kMaxBatch)
    if (!verify_chunk(items.subspan(off, std::min(kMaxBatch, items.size() - off)), true)) return false;
  return true;
}

bool ed25519_verify_one_own(const Ed25519Item& item) {
  if (sodium_init() < 0) return false;
  return verify_chunk(std::span<const Ed25519Item>(&item, 1), false);
}

bool ed25519_verify_one(const Ed25519Item& item) {
  if (item.public_key.size() != 32 || item.signature.size() != 64 || sodium_init() < 0) return false;
  // libsodium accepts a subset of what we accept (same encoding rules, cofactorless equation),
  // and it is faster for one signature: a valid signature is settled there; anything it refuses
  // gets our cofactored check, so the verdict is ours either way.
  if (crypto_sign_verify_detached(item.signature.data(), item.message.data(), item.message.size(),
                                  item.public_key.data()) == 0)
    return true;
  return ed25519_verify_one_own(item);
}

std::vector<bool> ed25519_verify_each(std::span<const Ed25519Item> items) {
  if (items.size() > 1 && ed25519_verify_batch(items)) return std::vector<bool>(items.size(), true);
  std::vector<bool> out(items.size());
  for (size_t i = 0; i < items.size(); ++i) out[i] = ed25519_verify_one(items[i]);
  return out;
}

}  // namespace hauptbuch::p2p::crypto

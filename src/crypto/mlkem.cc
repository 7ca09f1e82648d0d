// ML-KEM (FIPS 203): K-PKE and the ML-KEM algorithms on top of mlkem_poly / mlkem_sample.
// Secret intermediates (s, y, e, m, K, sigma) are wiped before returning.
#include "crypto/mlkem.h"

#include <sodium.h>

#include "crypto/keccak.h"
#include "crypto/mldsa_ct.h"  // HBP2P_DECLASSIFY: no-op outside the tests/ct build
#include "crypto/mlkem_poly.h"
#include "crypto/mlkem_sample.h"

namespace hauptbuch::p2p::crypto::mlkem {

using PolyVec = std::array<Poly, kMaxK>;

// Public: Â (NTT domain, row-major) and t̂ decoded from an encapsulation key.
struct ExpandedEk {
  std::array<PolyVec, kMaxK> a;
  PolyVec t;
};

struct KeyAccess {
  static EncapsulationKey ek(ParameterSet s, Bytes b) { return EncapsulationKey(s, std::move(b)); }
  static DecapsulationKey dk(ParameterSet s, Bytes b, std::shared_ptr<const ExpandedEk> e) {
    return DecapsulationKey(s, std::move(b), std::move(e));
  }
  static const ExpandedEk& expanded(const DecapsulationKey& k) { return *k.expanded_; }
  static Ciphertext ct(ParameterSet s, Bytes b) { return Ciphertext(s, std::move(b)); }
};

namespace {

// Wipes the polynomials of a vector on scope exit.
struct WipeOnExit {
  void* p;
  size_t n;
  ~WipeOnExit() { secure_wipe(p, n); }
};

void gen_matrix(std::array<PolyVec, kMaxK>& a, int k, const uint8_t rho[32]) {
  // Â[i][j] = SampleNTT(rho || j || i), four entries per Keccak x4 batch; a batch of three
  // uses a scratch polynomial as its fourth slot, a single leftover entry runs alone.
  const size_t kk = static_cast<size_t>(k);
  const size_t total = kk * kk;
  size_t idx = 0;
  Poly scratch;
  for (; idx + 3 <= total; idx += 4) {
    Poly* out[4];
    uint8_t ji[4][2];
    for (size_t s = 0; s < 4; ++s) {
      const size_t e = idx + s < total ? idx + s : idx;
      out[s] = idx + s < total ? &a[e / kk][e % kk] : &scratch;
      ji[s][0] = static_cast<uint8_t>(e % kk);
      ji[s][1] = static_cast<uint8_t>(e / kk);
    }
    sample_ntt_x4(out, rho, ji);
  }
  for (; idx < total; ++idx)
    sample_ntt(a[idx / kk][idx % kk], rho, static_cast<uint8_t>(idx % kk), static_cast<uint8_t>(idx / kk));
}

// K-PKE.KeyGen (Alg. 13) from (rho, sigma): writes ek_PKE and dk_PKE.
void pke_keygen(const Params& p, const uint8_t rho[32], const uint8_t sigma[32], uint8_t* ek,
                uint8_t* dk, ExpandedEk& x) {
  const size_t k = static_cast<size_t>(p.k);
  std::array<PolyVec, kMaxK>& a = x.a;
  gen_matrix(a, p.k, rho);
  PolyVec s{}, e{};
  WipeOnExit w1{s.data(), sizeof s}, w2{e.data(), sizeof e};
  uint8_t n = 0;
  for (size_t i = 0; i < k; ++i) sample_cbd(s[i], p.eta1, sigma, n++);
  for (size_t i = 0; i < k; ++i) sample_cbd(e[i], p.eta1, sigma, n++);
  for (size_t i = 0; i < k; ++i) ntt(s[i]);
  for (size_t i = 0; i < k; ++i) ntt(e[i]);
  for (size_t i = 0; i < k; ++i) {
    Poly t;
    const Poly* row[kMaxK];
    for (size_t j = 0; j < k; ++j) row[j] = &a[i][j];
    basemul_sum(t, row, s.data(), k);
    to_mont(t);
    add(t, e[i]);
    normalize(t);
    byte_encode(t, 12, ek + kPolyBytes * i);
    byte_decode(x.t[i], 12, ek + kPolyBytes * i);  // exactly what pke_encrypt would decode
  }
  for (size_t i = 0; i < k; ++i) {
    normalize(s[i]);
    byte_encode(s[i], 12, dk + kPolyBytes * i);
  }
  for (size_t b = 0; b < 32; ++b) ek[kPolyBytes * k + b] = rho[b];
}

// Steps 2-8 of K-PKE.Encrypt (Alg. 14): t̂ and Â from ek (which passed the modulus check).
void expand_ek(const Params& p, const uint8_t* ek, ExpandedEk& x) {
  const size_t k = static_cast<size_t>(p.k);
  for (size_t i = 0; i < k; ++i) byte_decode(x.t[i], 12, ek + kPolyBytes * i);
  gen_matrix(x.a, p.k, ek + kPolyBytes * k);
}

std::shared_ptr<const ExpandedEk> expanded_of(const Params& p, const uint8_t* ek) {
  auto x = std::make_shared<ExpandedEk>();
  expand_ek(p, ek, *x);
  return x;
}

// K-PKE.Encrypt (Alg. 14) with t̂ and Â already expanded.
void pke_encrypt(const Params& p, const ExpandedEk& x, const uint8_t m[32], const uint8_t r[32],
                 uint8_t* c) {
  const size_t k = static_cast<size_t>(p.k);
  const PolyVec& t = x.t;
  const std::array<PolyVec, kMaxK>& a = x.a;
  PolyVec y{}, e1{};
  Poly e2{}, mu{};
  WipeOnExit w1{y.data(), sizeof y}, w2{e1.data(), sizeof e1}, w3{&e2, sizeof e2}, w4{&mu, sizeof mu};
  uint8_t n = 0;
  for (size_t i = 0; i < k; ++i) sample_cbd(y[i], p.eta1, r, n++);
  for (size_t i = 0; i < k; ++i) sample_cbd(e1[i], p.eta2, r, n++);
  sample_cbd(e2, p.eta2, r, n);
  for (size_t i = 0; i < k; ++i) ntt(y[i]);
  for (size_t i = 0; i < k; ++i) {
    Poly u;
    const Poly* col[kMaxK];
    for (size_t j = 0; j < k; ++j) col[j] = &a[j][i];  // Â^T
    basemul_sum(u, col, y.data(), k);
    inv_ntt(u);
    add(u, e1[i]);
    normalize(u);
    compress_encode(u, p.du, c + 32 * static_cast<size_t>(p.du) * i);
  }
  Poly v;
  WipeOnExit w5{&v, sizeof v};
  const Poly* tp[kMaxK];
  for (size_t j = 0; j < k; ++j) tp[j] = &t[j];
  basemul_sum(v, tp, y.data(), k);
  inv_ntt(v);
  decode_decompress(mu, 1, m);
  add(v, e2);
  add(v, mu);
  normalize(v);
  compress_encode(v, p.dv, c + p.ct_u_bytes());
}

// K-PKE.Decrypt (Alg. 15).
void pke_decrypt(const Params& p, const uint8_t* dk, const uint8_t* c, uint8_t m[32]) {
  const size_t k = static_cast<size_t>(p.k);
  PolyVec u, s;
  Poly v, w;
  WipeOnExit w1{s.data(), sizeof s}, w2{&w, sizeof w};
  for (size_t i = 0; i < k; ++i) {
    decode_decompress(u[i], p.du, c + 32 * static_cast<size_t>(p.du) * i);
    ntt(u[i]);
    byte_decode(s[i], 12, dk + kPolyBytes * i);
  }
  decode_decompress(v, p.dv, c + p.ct_u_bytes());
  const Poly* sp[kMaxK];
  for (size_t j = 0; j < k; ++j) sp[j] = &s[j];
  basemul_sum(w, sp, u.data(), k);
  inv_ntt(w);
  for (size_t i = 0; i < kN; ++i) w.c[i] = static_cast<int16_t>(v.c[i] - w.c[i]);
  normalize(w);
  compress_encode(w, 1, m);
}

// G(x) = SHA3-512(x) split into two 32-byte halves.
void hash_g(ByteSpan a, ByteSpan b, uint8_t out1[32], uint8_t out2[32]) {
  Sha3_512 g;
  g.absorb(a);
  g.absorb(b);
  auto d = g.digest();
  for (size_t i = 0; i < 32; ++i) {
    out1[i] = d[i];
    out2[i] = d[32 + i];
  }
  secure_wipe(d.data(), d.size());
}

}  // namespace

Status check_encapsulation_key(ParameterSet set, ByteSpan ek) {
  const Params p = params_for(set);
  if (ek.size() != p.ek_bytes()) return Error(P2PNetworkError::InvalidKey, "ML-KEM ek has wrong length");
  // ByteEncode12(ByteDecode12(x)) == x  <=>  every 12-bit value is < q (public data).
  for (size_t i = 0; i < p.dk_pke_bytes(); i += 3) {
    const uint16_t d1 = static_cast<uint16_t>(ek[i] | ((ek[i + 1] & 0x0f) << 8));
    const uint16_t d2 = static_cast<uint16_t>((ek[i + 1] >> 4) | (ek[i + 2] << 4));
    if (d1 >= kQ || d2 >= kQ) return Error(P2PNetworkError::InvalidKey, "ML-KEM ek coefficient >= q");
  }
  return ok_status();
}

Status check_decapsulation_key(ParameterSet set, ByteSpan dk) {
  const Params p = params_for(set);
  if (dk.size() != p.dk_bytes()) return Error(P2PNetworkError::InvalidKey, "ML-KEM dk has wrong length");
  const auto h = sha3_256(dk.subspan(p.dk_pke_bytes(), p.ek_bytes()));
  if (!ct_equal(h, dk.subspan(p.dk_pke_bytes() + p.ek_bytes(), 32)))
    return Error(P2PNetworkError::InvalidKey, "ML-KEM dk hash of ek does not match");
  return ok_status();
}

Result<EncapsulationKey> EncapsulationKey::from_bytes(ParameterSet set, ByteSpan bytes) {
  HBP2P_TRY(check_encapsulation_key(set, bytes));
  return EncapsulationKey(set, to_bytes(bytes));
}

Result<DecapsulationKey> DecapsulationKey::from_bytes(ParameterSet set, ByteSpan bytes) {
  HBP2P_TRY(check_decapsulation_key(set, bytes));
  const Params p = params_for(set);
  auto x = expanded_of(p, bytes.data() + p.dk_pke_bytes());
  return DecapsulationKey(set, to_bytes(bytes), std::move(x));
}

Result<Ciphertext> Ciphertext::from_bytes(ParameterSet set, ByteSpan bytes) {
  if (bytes.size() != params_for(set).ct_bytes())
    return Error(P2PNetworkError::InvalidMessage, "ML-KEM ciphertext has wrong length");
  return Ciphertext(set, to_bytes(bytes));
}

KeyPair keygen_from_seed(ParameterSet set, const Seed& d, const Seed& z) {
  const Params p = params_for(set);
  uint8_t rho[32], sigma[32];
  const uint8_t kbyte = static_cast<uint8_t>(p.k);
  hash_g(d, ByteSpan(&kbyte, 1), rho, sigma);
  HBP2P_DECLASSIFY(rho, sizeof rho);  // rho is published in ek; SampleNTT may branch on it
  Bytes ek(p.ek_bytes());
  Bytes dk(p.dk_bytes());
  auto x = std::make_shared<ExpandedEk>();
  pke_keygen(p, rho, sigma, ek.data(), dk.data(), *x);
  secure_wipe(sigma, sizeof sigma);
  uint8_t* out = dk.data() + p.dk_pke_bytes();
  std::copy(ek.begin(), ek.end(), out);
  const auto h = sha3_256(ek);
  std::copy(h.begin(), h.end(), out + ek.size());
  std::copy(z.begin(), z.end(), out + ek.size() + 32);
  return KeyPair{KeyAccess::ek(set, std::move(ek)), KeyAccess::dk(set, std::move(dk), std::move(x))};
}

KeyPair keygen(ParameterSet set) {
  Seed d, z;
  randombytes_buf(d.data(), d.size());
  randombytes_buf(z.data(), z.size());
  KeyPair kp = keygen_from_seed(set, d, z);
  secure_wipe(d.data(), d.size());
  secure_wipe(z.data(), z.size());
  return kp;
}

Encapsulation encaps_with_m(const EncapsulationKey& ek, const Seed& m) {
  const Params p = params_for(ek.set());
  const auto h = sha3_256(ek.bytes());
  SharedSecret k;
  uint8_t r[32];
  hash_g(m, h, k.data(), r);
  Bytes c(p.ct_bytes());
  ExpandedEk x;
  expand_ek(p, ek.bytes().data(), x);
  pke_encrypt(p, x, m.data(), r, c.data());
  secure_wipe(r, sizeof r);
  return Encapsulation{KeyAccess::ct(ek.set(), std::move(c)), k};
}

Encapsulation encaps(const EncapsulationKey& ek) {
  Seed m;
  randombytes_buf(m.data(), m.size());
  Encapsulation e = encaps_with_m(ek, m);
  secure_wipe(m.data(), m.size());
  return e;
}

Result<SharedSecret> decaps(const DecapsulationKey& dk, const Ciphertext& c) {
  if (dk.set() != c.set())
    return Error(P2PNetworkError::InvalidKey, "ML-KEM dk and ciphertext parameter sets differ");
  const Params p = params_for(dk.set());
  const uint8_t* dkb = dk.bytes().data();
  const uint8_t* ek = dkb + p.dk_pke_bytes();
  const uint8_t* h = ek + p.ek_bytes();
  const uint8_t* z = h + 32;
  uint8_t m[32], r[32];
  SharedSecret k, kbar;
  pke_decrypt(p, dkb, c.bytes().data(), m);
  hash_g(ByteSpan(m, 32), ByteSpan(h, 32), k.data(), r);
  Shake256 j;
  j.absorb(ByteSpan(z, 32));
  j.absorb(c.bytes());
  j.squeeze(kbar);
  Bytes c2(p.ct_bytes());
  pke_encrypt(p, KeyAccess::expanded(dk), m, r, c2.data());  // Â and t̂ expanded once, at key creation
  // Constant-time: diff == 0 iff c == c'; mask = 0xff then, else 0x00.
  uint8_t diff = 0;
  for (size_t i = 0; i < c2.size(); ++i) diff = static_cast<uint8_t>(diff | (c2[i] ^ c.bytes()[i]));
  const uint8_t mask = static_cast<uint8_t>((static_cast<uint32_t>(diff) - 1u) >> 8);
  for (size_t i = 0; i < k.size(); ++i)
    k[i] = static_cast<uint8_t>((k[i] & mask) | (kbar[i] & static_cast<uint8_t>(~mask)));
  secure_wipe(m, sizeof m);
  secure_wipe(r, sizeof r);
  secure_wipe(kbar.data(), kbar.size());
  return k;
}

Result<Encapsulation> encaps_bytes(ParameterSet set, ByteSpan ek, const Seed& m) {
  HBP2P_TRY_ASSIGN(auto key, EncapsulationKey::from_bytes(set, ek));
  return encaps_with_m(key, m);
}

Result<SharedSecret> decaps_bytes(ParameterSet set, ByteSpan dk, ByteSpan c) {
  HBP2P_TRY_ASSIGN(auto key, DecapsulationKey::from_bytes(set, dk));
  HBP2P_TRY_ASSIGN(auto ct, Ciphertext::from_bytes(set, c));
  return decaps(key, ct);
}

}  // namespace hauptbuch::p2p::crypto::mlkem

// ML-DSA key generation, signing and verification (FIPS 204 Alg. 1-3, 6-8) and key decoding.
#include "crypto/mldsa.h"

#include <sodium.h>

#include "crypto/keccak.h"
#include "crypto/mldsa_ct.h"
#include "crypto/mldsa_pack.h"
#include "crypto/mldsa_sample.h"

namespace hauptbuch::p2p::crypto::mldsa {
namespace {

constexpr size_t kT0Bits = 13;
constexpr size_t kT1Bits = 10;
constexpr size_t kPolyT0Bytes = 32 * kT0Bits;
constexpr size_t kPolyT1Bytes = 32 * kT1Bits;

// Decoded secret key with s1, s2, t0 already in the NTT domain; wiped on destruction.
struct ExpandedSecret {
  uint8_t rho[kSeedBytes];
  uint8_t key[kSeedBytes];
  uint8_t tr[kTrBytes];
  PolyVecL s1;
  PolyVecK s2, t0;
  ~ExpandedSecret() { secure_wipe(this, sizeof *this); }
};

void decode_sk(ExpandedSecret& e, ByteSpan sk, const Params& p) {
  const uint8_t* in = sk.data();
  std::copy(in, in + 32, e.rho);
  std::copy(in + 32, in + 64, e.key);
  std::copy(in + 64, in + 128, e.tr);
  size_t off = 128;
  const size_t sb = 32 * p.eta_bits;
  for (size_t i = 0; i < p.l; ++i, off += sb) unpack_offset(e.s1[i], sk.subspan(off, sb), p.eta_bits, p.eta);
  for (size_t i = 0; i < p.k; ++i, off += sb) unpack_offset(e.s2[i], sk.subspan(off, sb), p.eta_bits, p.eta);
  for (size_t i = 0; i < p.k; ++i, off += kPolyT0Bytes)
    unpack_offset(e.t0[i], sk.subspan(off, kPolyT0Bytes), kT0Bits, 1 << (kD - 1));
}

void matrix_times(PolyVecK& out, const Matrix& a, const PolyVecL& v, const Params& p) {
  for (size_t i = 0; i < p.k; ++i) {
    pointwise_mont(out[i], a[i][0], v[0]);
    for (size_t j = 1; j < p.l; ++j) pointwise_acc_mont(out[i], a[i][j], v[j]);
    poly_reduce(out[i]);
    invntt_tomont(out[i]);
  }
}

void w1_encode_absorb(Shake256& h, const PolyVecK& w1, const Params& p) {
  uint8_t buf[32 * 6];
  for (size_t i = 0; i < p.k; ++i) {
    pack_bits(buf, w1[i], p.w1_bits);
    h.absorb(ByteSpan(buf, 32 * p.w1_bits));
  }
}

Bytes sign_mu(const SecretKey& sk, const uint8_t mu[kMuBytes], const Seed& rnd) {
  const Params& p = params(sk.set());
  ExpandedSecret e;
  decode_sk(e, sk.bytes(), p);
  for (size_t i = 0; i < p.l; ++i) ntt(e.s1[i]);
  for (size_t i = 0; i < p.k; ++i) {
    ntt(e.s2[i]);
    ntt(e.t0[i]);
  }
  Matrix a;
  expand_a(a, e.rho, p);

  uint8_t rho_pp[64];
  {
    Shake256 h;
    h.absorb(ByteSpan(e.key, kSeedBytes));
    h.absorb(ByteSpan(rnd.data(), rnd.size()));
    h.absorb(ByteSpan(mu, kMuBytes));
    h.squeeze(MutableByteSpan(rho_pp, sizeof rho_pp));
  }

  Bytes sig(p.sig_bytes);
  PolyVecL y, z;
  PolyVecK w, w1, r, hint;
  Poly c, t;
  for (uint32_t kappa = 0;; kappa += static_cast<uint32_t>(p.l)) {
    expand_mask(y, rho_pp, static_cast<uint16_t>(kappa), p);
    for (size_t i = 0; i < p.l; ++i) {
      z[i] = y[i];
      ntt(z[i]);
    }
    matrix_times(w, a, z, p);
    for (size_t i = 0; i < p.k; ++i) {
      poly_freeze(w[i]);
      for (size_t j = 0; j < kN; ++j) w1[i][j] = high_bits(w[i][j], p.gamma2);
    }
    {
      Shake256 h;
      h.absorb(ByteSpan(mu, kMuBytes));
      w1_encode_absorb(h, w1, p);
      h.squeeze(MutableByteSpan(sig.data(), p.c_tilde_bytes));
    }
    // c~ is published with the signature or discarded on rejection: public (FIPS 204 3.6.3).
    HBP2P_DECLASSIFY(sig.data(), p.c_tilde_bytes);
    sample_in_ball(c, ByteSpan(sig.data(), p.c_tilde_bytes), p.tau);
    ntt(c);

    uint32_t bad = 0;
    for (size_t i = 0; i < p.l; ++i) {
      pointwise_mont(t, c, e.s1[i]);
      invntt_tomont(t);
      poly_reduce(t);
      for (size_t j = 0; j < kN; ++j) z[i][j] = y[i][j] + t[j];
      bad |= poly_exceeds(z[i], p.gamma1 - p.beta);
    }
    // Reject on z before computing c*s2 (as the reference implementation orders the checks):
    // the rejection decision may leak, and 1 - exp(-256 l beta / gamma1) of the iterations
    // (38% for ML-DSA-65) end here.
    HBP2P_DECLASSIFY(&bad, sizeof bad);
    if (bad) continue;
    for (size_t i = 0; i < p.k; ++i) {
      pointwise_mont(t, c, e.s2[i]);
      invntt_tomont(t);
      for (size_t j = 0; j < kN; ++j) {
        r[i][j] = freeze(w[i][j] - t[j]);
        t[j] = low_bits(r[i][j], p.gamma2);
      }
      bad |= poly_exceeds(t, p.gamma2 - p.beta);
    }
    HBP2P_DECLASSIFY(&bad, sizeof bad);  // rejection decision: allowed to leak
    if (bad) continue;

    int32_t weight = 0;
    for (size_t i = 0; i < p.k; ++i) {
      pointwise_mont(t, c, e.t0[i]);
      invntt_tomont(t);
      poly_reduce(t);
      bad |= poly_exceeds(t, p.gamma2);
      for (size_t j = 0; j < kN; ++j) {
        hint[i][j] = make_hint(kQ - freeze(t[j]), freeze(r[i][j] + t[j]), p.gamma2);
        weight += hint[i][j];
      }
    }
    bad |= static_cast<uint32_t>(p.omega - weight) >> 31;
    HBP2P_DECLASSIFY(&bad, sizeof bad);  // rejection decision: allowed to leak
    if (bad) continue;

    // Accepted: z and h become the public signature.
    for (size_t i = 0; i < p.l; ++i) HBP2P_DECLASSIFY(z[i].data(), sizeof(Poly));
    for (size_t i = 0; i < p.k; ++i) HBP2P_DECLASSIFY(hint[i].data(), sizeof(Poly));
    size_t off = p.c_tilde_bytes;
    for (size_t i = 0; i < p.l; ++i, off += 32 * p.gamma1_bits)
      pack_offset(sig.data() + off, z[i], p.gamma1_bits, p.gamma1);
    pack_hint(sig.data() + off, hint, p.k, p.omega);
    break;
  }
  secure_wipe(rho_pp, sizeof rho_pp);
  secure_wipe(y.data(), sizeof y);
  secure_wipe(w.data(), sizeof w);
  secure_wipe(r.data(), sizeof r);
  return sig;
}

bool verify_mu(const PublicKey& pk, const uint8_t mu[kMuBytes], ByteSpan sig) {
  const Params& p = params(pk.set());
  if (sig.size() != p.sig_bytes) return false;
  const ByteSpan pkb = pk.bytes();
  PolyVecL z;
  PolyVecK h, w;
  size_t off = p.c_tilde_bytes;
  for (size_t i = 0; i < p.l; ++i, off += 32 * p.gamma1_bits) {
    unpack_offset(z[i], sig.subspan(off, 32 * p.gamma1_bits), p.gamma1_bits, p.gamma1);
    if (poly_exceeds(z[i], p.gamma1 - p.beta)) return false;
  }
  if (!unpack_hint(h, sig.subspan(off), p.k, p.omega)) return false;

  Matrix a;
  expand_a(a, pkb.data(), p);
  Poly c, t1;
  sample_in_ball(c, sig.subspan(0, p.c_tilde_bytes), p.tau);
  ntt(c);
  for (size_t i = 0; i < p.l; ++i) ntt(z[i]);
  for (size_t i = 0; i < p.k; ++i) {
    pointwise_mont(w[i], a[i][0], z[0]);
    for (size_t j = 1; j < p.l; ++j) pointwise_acc_mont(w[i], a[i][j], z[j]);
    unpack_bits(t1, pkb.subspan(32 + i * kPolyT1Bytes, kPolyT1Bytes), kT1Bits);
    for (auto& x : t1) x <<= kD;
    ntt(t1);
    for (size_t j = 0; j < kN; ++j) w[i][j] -= montgomery_reduce(static_cast<int64_t>(c[j]) * t1[j]);
    poly_reduce(w[i]);
    invntt_tomont(w[i]);
    poly_freeze(w[i]);
    for (size_t j = 0; j < kN; ++j) w[i][j] = use_hint(h[i][j], w[i][j], p.gamma2);
  }
  uint8_t c2[64];
  Shake256 hs;
  hs.absorb(ByteSpan(mu, kMuBytes));
  w1_encode_absorb(hs, w, p);
  hs.squeeze(MutableByteSpan(c2, p.c_tilde_bytes));
  return ct_equal(ByteSpan(c2, p.c_tilde_bytes), sig.subspan(0, p.c_tilde_bytes));
}

void tr_of(uint8_t tr[kTrBytes], ByteSpan pk) { shake256(pk, MutableByteSpan(tr, kTrBytes)); }

void mu_of(uint8_t mu[kMuBytes], const uint8_t tr[kTrBytes], ByteSpan m_prime) {
  Shake256 h;
  h.absorb(ByteSpan(tr, kTrBytes));
  h.absorb(m_prime);
  h.squeeze(MutableByteSpan(mu, kMuBytes));
}

}  // namespace

Result<PublicKey> PublicKey::from_bytes(ParameterSet set, ByteSpan bytes) {
  if (bytes.size() != params(set).pk_bytes)
    return Error(P2PNetworkError::InvalidKey, std::string(params(set).name) + " public key has wrong length");
  return PublicKey(set, to_bytes(bytes));
}

Result<SecretKey> SecretKey::from_bytes(ParameterSet set, ByteSpan bytes) {
  const Params& p = params(set);
  if (bytes.size() != p.sk_bytes)
    return Error(P2PNetworkError::InvalidKey, std::string(p.name) + " secret key has wrong length");
  // s1 and s2 must lie in [-eta, eta]; checked without branching on the coefficients.
  uint32_t bad = 0;
  Poly s;
  for (size_t i = 0; i < p.k + p.l; ++i) {
    unpack_offset(s, bytes.subspan(128 + i * 32 * p.eta_bits, 32 * p.eta_bits), p.eta_bits, p.eta);
    bad |= poly_exceeds(s, p.eta + 1);
  }
  secure_wipe(s.data(), sizeof s);
  HBP2P_DECLASSIFY(&bad, sizeof bad);
  if (bad) return Error(P2PNetworkError::InvalidKey, std::string(p.name) + " secret key coefficient out of range");
  return SecretKey(set, to_bytes(bytes));
}

KeyPair keygen_internal(ParameterSet set, const Seed& xi) {
  const Params& p = params(set);
  uint8_t seeds[128];
  {
    Shake256 h;
    h.absorb(ByteSpan(xi.data(), xi.size()));
    const uint8_t kl[2] = {static_cast<uint8_t>(p.k), static_cast<uint8_t>(p.l)};
    h.absorb(ByteSpan(kl, 2));
    h.squeeze(MutableByteSpan(seeds, sizeof seeds));
  }
  const uint8_t* rho = seeds;
  Matrix a;
  expand_a(a, rho, p);
  PolyVecL s1, s1hat;
  PolyVecK s2, t;
  expand_s(s1, s2, seeds + 32, p);
  for (size_t i = 0; i < p.l; ++i) {
    s1hat[i] = s1[i];
    ntt(s1hat[i]);
  }
  matrix_times(t, a, s1hat, p);

  Bytes pk(p.pk_bytes), sk(p.sk_bytes);
  std::copy(rho, rho + 32, pk.begin());
  std::copy(rho, rho + 32, sk.begin());
  std::copy(seeds + 96, seeds + 128, sk.begin() + 32);
  Poly t1, t0;
  const size_t sb = 32 * p.eta_bits;
  size_t t0_off = 128 + (p.k + p.l) * sb;
  for (size_t i = 0; i < p.k; ++i) {
    for (size_t j = 0; j < kN; ++j) power2round(freeze(t[i][j] + s2[i][j]), t1[j], t0[j]);
    pack_bits(pk.data() + 32 + i * kPolyT1Bytes, t1, kT1Bits);
    pack_offset(sk.data() + t0_off + i * kPolyT0Bytes, t0, kT0Bits, 1 << (kD - 1));
  }
  tr_of(sk.data() + 64, pk);
  for (size_t i = 0; i < p.l; ++i) pack_offset(sk.data() + 128 + i * sb, s1[i], p.eta_bits, p.eta);
  for (size_t i = 0; i < p.k; ++i) pack_offset(sk.data() + 128 + (p.l + i) * sb, s2[i], p.eta_bits, p.eta);
  secure_wipe(seeds, sizeof seeds);
  secure_wipe(s1.data(), sizeof s1);
  secure_wipe(s1hat.data(), sizeof s1hat);
  secure_wipe(s2.data(), sizeof s2);
  secure_wipe(t0.data(), sizeof t0);
  KeyPair kp{PublicKey::from_bytes(set, pk).value(), SecretKey::from_bytes(set, sk).value()};
  secure_wipe(sk);
  return kp;
}

KeyPair keygen(ParameterSet set) {
  Seed xi;
  randombytes_buf(xi.data(), xi.size());
  KeyPair kp = keygen_internal(set, xi);
  secure_wipe(xi.data(), xi.size());
  return kp;
}

Bytes sign_internal(const SecretKey& sk, ByteSpan m_prime, const Seed& rnd) {
  uint8_t mu[kMuBytes];
  mu_of(mu, sk.bytes().data() + 64, m_prime);
  return sign_mu(sk, mu, rnd);
}

Bytes sign_internal_mu(const SecretKey& sk, const Mu& mu, const Seed& rnd) {
  return sign_mu(sk, mu.data(), rnd);
}

Mu compute_mu(const PublicKey& pk, ByteSpan m_prime) {
  uint8_t tr[kTrBytes];
  tr_of(tr, pk.bytes());
  Mu mu;
  mu_of(mu.data(), tr, m_prime);
  return mu;
}

bool verify_internal(const PublicKey& pk, ByteSpan m_prime, ByteSpan sig) {
  const Mu mu = compute_mu(pk, m_prime);
  return verify_mu(pk, mu.data(), sig);
}

bool verify_internal_mu(const PublicKey& pk, const Mu& mu, ByteSpan sig) {
  return verify_mu(pk, mu.data(), sig);
}

}  // namespace hauptbuch::p2p::crypto::mldsa

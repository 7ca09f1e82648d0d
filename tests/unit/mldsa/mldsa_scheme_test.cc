// ML-DSA scheme: NIST ACVP keyGen known answers, sign/verify round trips for all parameter sets
// with contexts and pre-hashes, determinism, hedging, tampering, malformed signatures and keys.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "crypto/mldsa.h"
#include "testing/vectors.h"

namespace hauptbuch::p2p::crypto::mldsa {
namespace {

constexpr ParameterSet kAll[] = {ParameterSet::kMlDsa44, ParameterSet::kMlDsa65, ParameterSet::kMlDsa87};

Seed seed_of(uint8_t v) {
  Seed s;
  s.fill(v);
  return s;
}

std::string vectors_file(const std::string& rel) { return testing::vectors_dir() + "/" + rel; }

TEST(MlDsaScheme, AcvpKeyGenVectors) {
  const auto doc = nlohmann::json::parse(testing::read_file(vectors_file("mldsa/keygen.json")));
  size_t n = 0;
  for (const auto& g : doc["testGroups"]) {
    const std::string ps = g["parameterSet"];
    const ParameterSet set = ps == "ML-DSA-44" ? ParameterSet::kMlDsa44
                             : ps == "ML-DSA-65" ? ParameterSet::kMlDsa65 : ParameterSet::kMlDsa87;
    for (const auto& t : g["tests"]) {
      const Bytes seed = *from_hex(t["seed"].get<std::string>());
      Seed xi;
      std::copy(seed.begin(), seed.end(), xi.begin());
      const KeyPair kp = keygen_internal(set, xi);
      EXPECT_EQ(to_hex(kp.pk.bytes()), to_hex(*from_hex(t["pk"].get<std::string>()))) << t["tcId"];
      EXPECT_EQ(to_hex(kp.sk.bytes()), to_hex(*from_hex(t["sk"].get<std::string>()))) << t["tcId"];
      ++n;
    }
  }
  EXPECT_EQ(n, 75u);
}

TEST(MlDsaScheme, RoundTripAllSetsWithContexts) {
  for (ParameterSet set : kAll) {
    const Params& p = params(set);
    const KeyPair kp = keygen(set);
    EXPECT_EQ(kp.pk.bytes().size(), p.pk_bytes);
    EXPECT_EQ(kp.sk.bytes().size(), p.sk_bytes);
    const Bytes msg = to_bytes(as_bytes("hauptbuch block 42"));
    for (size_t ctx_len : {0u, 1u, 255u}) {
      const Bytes ctx(ctx_len, 0xab);
      auto sig = sign(kp.sk, msg, ctx);
      ASSERT_TRUE(sig.ok());
      EXPECT_EQ(sig->size(), p.sig_bytes);
      EXPECT_TRUE(verify(kp.pk, msg, *sig, ctx).ok()) << p.name << " ctx " << ctx_len;
      Bytes other_ctx = ctx.empty() ? Bytes{0} : ctx;
      other_ctx.back() ^= 1;
      EXPECT_TRUE(verify(kp.pk, msg, *sig, other_ctx).error().is(P2PNetworkError::SecurityValidationFailed));
    }
  }
}

TEST(MlDsaScheme, ContextTooLongRejected) {
  const KeyPair kp = keygen_internal(ParameterSet::kMlDsa65, seed_of(1));
  const Bytes ctx(256, 1), msg(3, 2);
  EXPECT_TRUE(sign(kp.sk, msg, ctx).error().is(P2PNetworkError::InvalidMessage));
  EXPECT_TRUE(verify(kp.pk, msg, Bytes(params(ParameterSet::kMlDsa65).sig_bytes), ctx)
                  .error().is(P2PNetworkError::InvalidMessage));
}

TEST(MlDsaScheme, DeterministicRepeatsHedgedDiffers) {
  const KeyPair kp = keygen_internal(ParameterSet::kMlDsa65, seed_of(2));
  const Bytes msg(100, 7);
  auto a = sign(kp.sk, msg, {}, Randomness::kDeterministic);
  auto b = sign(kp.sk, msg, {}, Randomness::kDeterministic);
  auto c = sign(kp.sk, msg, {});
  auto d = sign(kp.sk, msg, {});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*c, *d);
  EXPECT_NE(*a, *c);
  EXPECT_TRUE(verify(kp.pk, msg, *c, {}).ok());
  EXPECT_TRUE(verify(kp.pk, msg, *d, {}).ok());
}

TEST(MlDsaScheme, TamperedMessageAndSignatureFail) {
  for (ParameterSet set : kAll) {
    const KeyPair kp = keygen_internal(set, seed_of(3));
    const Bytes msg(64, 9);
    const Bytes sig = *sign(kp.sk, msg, {}, Randomness::kDeterministic);
    Bytes m2 = msg;
    m2[5] ^= 1;
    EXPECT_FALSE(verify(kp.pk, m2, sig, {}).ok());
    // Flip one bit in c~, in z and in the hint area; each must fail.
    for (size_t pos : {size_t{0}, params(set).c_tilde_bytes + 10, sig.size() - 1}) {
      Bytes s2 = sig;
      s2[pos] ^= 1;
      EXPECT_FALSE(verify(kp.pk, msg, s2, {}).ok()) << params(set).name << " pos " << pos;
    }
    EXPECT_FALSE(verify(kp.pk, msg, ByteSpan(sig).first(sig.size() - 1), {}).ok());
    Bytes longer = sig;
    longer.push_back(0);
    EXPECT_FALSE(verify(kp.pk, msg, longer, {}).ok());
  }
}

TEST(MlDsaScheme, MalformedHintRejected) {
  const ParameterSet set = ParameterSet::kMlDsa65;
  const Params& p = params(set);
  const KeyPair kp = keygen_internal(set, seed_of(4));
  const Bytes msg(10, 1);
  const Bytes sig = *sign(kp.sk, msg, {}, Randomness::kDeterministic);
  const size_t h = p.sig_bytes - p.omega - p.k;
  Bytes s = sig;
  s[h + p.omega + p.k - 1] = static_cast<uint8_t>(p.omega + 1);  // count > omega
  EXPECT_FALSE(verify(kp.pk, msg, s, {}).ok());
  s = sig;
  s[h + p.omega] = 0xff;  // first count too large
  EXPECT_FALSE(verify(kp.pk, msg, s, {}).ok());
  s = sig;
  s[h + p.omega - 1] ^= 0x80;  // padding byte after the last index becomes non-zero
  EXPECT_FALSE(verify(kp.pk, msg, s, {}).ok());
}

TEST(MlDsaScheme, ZNormBoundEnforced) {
  const ParameterSet set = ParameterSet::kMlDsa44;
  const Params& p = params(set);
  const KeyPair kp = keygen_internal(set, seed_of(5));
  const Bytes msg(10, 1);
  Bytes s = *sign(kp.sk, msg, {}, Randomness::kDeterministic);
  // z_0 = gamma1 - v with v = 0 gives z = gamma1, above gamma1 - beta.
  s[p.c_tilde_bytes] = 0;
  s[p.c_tilde_bytes + 1] = 0;
  s[p.c_tilde_bytes + 2] &= 0xfc;
  EXPECT_FALSE(verify(kp.pk, msg, s, {}).ok());
}

TEST(MlDsaScheme, InternalAndExternalMuAgree) {
  const KeyPair kp = keygen_internal(ParameterSet::kMlDsa87, seed_of(6));
  const Bytes m_prime(33, 5);
  const Seed rnd = seed_of(7);
  const Bytes a = sign_internal(kp.sk, m_prime, rnd);
  const Bytes b = sign_internal_mu(kp.sk, compute_mu(kp.pk, m_prime), rnd);
  EXPECT_EQ(a, b);
  EXPECT_TRUE(verify_internal(kp.pk, m_prime, a));
  EXPECT_TRUE(verify_internal_mu(kp.pk, compute_mu(kp.pk, m_prime), a));
}

TEST(MlDsaScheme, HashMlDsaAllPreHashes) {
  const KeyPair kp = keygen_internal(ParameterSet::kMlDsa65, seed_of(8));
  const Bytes msg(1000, 3), ctx(4, 4);
  for (const char* name : {"SHA2-224", "SHA2-256", "SHA2-384", "SHA2-512", "SHA2-512/224", "SHA2-512/256",
                           "SHA3-224", "SHA3-256", "SHA3-384", "SHA3-512", "SHAKE-128", "SHAKE-256"}) {
    auto ph = prehash_from_name(name);
    ASSERT_TRUE(ph.ok()) << name;
    auto sig = hash_sign(kp.sk, msg, ctx, *ph);
    ASSERT_TRUE(sig.ok()) << name << " " << sig.error().message();
    EXPECT_TRUE(hash_verify(kp.pk, msg, *sig, ctx, *ph).ok()) << name;
    EXPECT_FALSE(verify(kp.pk, msg, *sig, ctx).ok()) << name;  // domain separated from pure
  }
  EXPECT_FALSE(prehash_from_name("MD5").ok());
}

TEST(MlDsaScheme, KeyDecodersCheckLengthAndRange) {
  const KeyPair kp = keygen_internal(ParameterSet::kMlDsa44, seed_of(9));
  EXPECT_TRUE(PublicKey::from_bytes(ParameterSet::kMlDsa44, kp.pk.bytes()).ok());
  EXPECT_TRUE(PublicKey::from_bytes(ParameterSet::kMlDsa65, kp.pk.bytes()).error().is(P2PNetworkError::InvalidKey));
  EXPECT_TRUE(SecretKey::from_bytes(ParameterSet::kMlDsa44, kp.sk.bytes()).ok());
  EXPECT_FALSE(SecretKey::from_bytes(ParameterSet::kMlDsa44, kp.sk.bytes().first(100)).ok());
  Bytes sk = to_bytes(kp.sk.bytes());
  sk[128] |= 0x07;  // first s1 coefficient: eta - 7 = -5, out of range
  EXPECT_TRUE(SecretKey::from_bytes(ParameterSet::kMlDsa44, sk).error().is(P2PNetworkError::InvalidKey));
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto::mldsa

// Unit tests for the composite ML-DSA-65 + Ed25519 signature (src/crypto/composite_sig.h): the
// draft's published test vector (draft-ietf-lamps-pq-composite-sigs-19, id-MLDSA65-Ed25519-SHA512;
// provenance in lamps_mldsa65_ed25519.json), sign/verify, each half corrupted, context binding,
// the message representative layout and wrong-length inputs.
#include "crypto/composite_sig.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>
#include <string>

#include "testing/vectors.h"

namespace hauptbuch::p2p::crypto::composite {
namespace {

Seed seed_of(uint8_t v) {
  Seed s{};
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<uint8_t>(v + i);
  return s;
}

ByteSpan span_of(std::string_view s) {
  return ByteSpan(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

struct DraftVector {
  Bytes m, ctx, pk, sk, s, s_ctx;
};

DraftVector load_draft_vector() {
  const std::string text = testing::read_file(testing::source_dir() +
                                              "/tests/unit/hybrid/lamps_mldsa65_ed25519.json");
  const auto j = nlohmann::json::parse(text);
  auto hex = [&](const char* k) { return from_hex(j.at(k).get<std::string>()).value_or(Bytes{}); };
  return DraftVector{hex("m"), hex("ctx"), hex("pk"), hex("sk"), hex("s"), hex("sWithContext")};
}

TEST(CompositeSig, DraftVectorKeyFromSeeds) {
  const DraftVector v = load_draft_vector();
  ASSERT_EQ(v.sk.size(), kPrivateKeyBytes);
  auto sk = PrivateKey::from_bytes(v.sk);
  ASSERT_TRUE(sk.ok());
  EXPECT_EQ(to_hex(sk->public_key().bytes()), to_hex(v.pk));
  Bytes round = sk->to_bytes();
  EXPECT_EQ(round, v.sk);
}

TEST(CompositeSig, DraftVectorSignaturesVerify) {
  const DraftVector v = load_draft_vector();
  auto pk = PublicKey::from_bytes(v.pk);
  ASSERT_TRUE(pk.ok());
  EXPECT_TRUE(verify(*pk, v.m, v.s, {}).ok());
  EXPECT_TRUE(verify(*pk, v.m, v.s_ctx, v.ctx).ok());
  // Each signature is bound to its context.
  EXPECT_FALSE(verify(*pk, v.m, v.s, v.ctx).ok());
  EXPECT_FALSE(verify(*pk, v.m, v.s_ctx, {}).ok());
}

TEST(CompositeSig, DraftVectorOurSignatureVerifiesUnderDraftKey) {
  const DraftVector v = load_draft_vector();
  auto sk = PrivateKey::from_bytes(v.sk);
  ASSERT_TRUE(sk.ok());
  auto sig = sign(*sk, v.m, v.ctx);
  ASSERT_TRUE(sig.ok());
  auto pk = PublicKey::from_bytes(v.pk);
  ASSERT_TRUE(pk.ok());
  EXPECT_TRUE(verify(*pk, v.m, *sig, v.ctx).ok());
  // Ed25519 is deterministic: our Ed25519 half equals the draft's.
  EXPECT_EQ(to_hex(ByteSpan(*sig).subspan(kMlDsaSignatureBytes)),
            to_hex(ByteSpan(v.s_ctx).subspan(kMlDsaSignatureBytes)));
}

TEST(CompositeSig, MessageRepresentativeLayout) {
  const Bytes msg = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const Bytes ctx = {0xAA, 0xBB};
  auto m = message_representative(msg, ctx);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 32u + 30u + 1u + 2u + 64u);
  EXPECT_EQ(to_hex(ByteSpan(*m).first(32)),
            "436f6d706f73697465416c676f726974686d5369676e61747572657332303235");
  EXPECT_EQ(std::string(m->begin() + 32, m->begin() + 62), "COMPSIG-MLDSA65-Ed25519-SHA512");
  EXPECT_EQ((*m)[62], 2);
  EXPECT_EQ((*m)[63], 0xAA);
  EXPECT_EQ((*m)[64], 0xBB);
  uint8_t ph[64];
  crypto_hash_sha512(ph, msg.data(), msg.size());
  EXPECT_EQ(to_hex(ByteSpan(*m).subspan(65)), to_hex(ByteSpan(ph, 64)));
}

TEST(CompositeSig, SignVerifyRoundTrip) {
  const PrivateKey sk = keygen();
  const Bytes msg = {'h', 'e', 'l', 'l', 'o'};
  auto sig = sign(sk, msg, span_of("app"));
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), kSignatureBytes);
  EXPECT_TRUE(verify(sk.public_key(), msg, *sig, span_of("app")).ok());
  EXPECT_FALSE(verify(sk.public_key(), msg, *sig, span_of("apq")).ok());
  EXPECT_FALSE(verify(sk.public_key(), msg, *sig, {}).ok());
  const Bytes other = {'h', 'e', 'l', 'l', 'p'};
  EXPECT_FALSE(verify(sk.public_key(), other, *sig, span_of("app")).ok());
  EXPECT_FALSE(verify(keygen().public_key(), msg, *sig, span_of("app")).ok());
}

TEST(CompositeSig, EachHalfCorruptedFails) {
  const PrivateKey sk = keygen_from_seeds(seed_of(1), seed_of(2));
  const Bytes msg = {1, 2, 3};
  auto sig = sign(sk, msg, {});
  ASSERT_TRUE(sig.ok());
  ASSERT_TRUE(verify(sk.public_key(), msg, *sig, {}).ok());
  for (size_t pos : {size_t{0}, size_t{100}, kMlDsaSignatureBytes - 1, kMlDsaSignatureBytes,
                     kMlDsaSignatureBytes + 40, kSignatureBytes - 1}) {
    Bytes bad = *sig;
    bad[pos] ^= 0x01;
    auto st = verify(sk.public_key(), msg, bad, {});
    ASSERT_FALSE(st.ok()) << pos;
    EXPECT_EQ(st.error().code(), make_error_code(P2PNetworkError::SecurityValidationFailed));
  }
}

TEST(CompositeSig, HalvesFromDifferentSignaturesFail) {
  // A valid ML-DSA half with a valid Ed25519 half of another message is not a signature.
  const PrivateKey sk = keygen_from_seeds(seed_of(3), seed_of(4));
  const Bytes m1 = {1};
  const Bytes m2 = {2};
  auto s1 = sign(sk, m1, {});
  auto s2 = sign(sk, m2, {});
  ASSERT_TRUE(s1.ok() && s2.ok());
  Bytes mixed(s1->begin(), s1->begin() + kMlDsaSignatureBytes);
  mixed.insert(mixed.end(), s2->begin() + kMlDsaSignatureBytes, s2->end());
  EXPECT_FALSE(verify(sk.public_key(), m1, mixed, {}).ok());
  EXPECT_FALSE(verify(sk.public_key(), m2, mixed, {}).ok());
}

TEST(CompositeSig, DeterministicModeIsReproducible) {
  const PrivateKey sk = keygen_from_seeds(seed_of(5), seed_of(6));
  const Bytes msg = {9, 9};
  auto a = sign(sk, msg, {}, mldsa::Randomness::kDeterministic);
  auto b = sign(sk, msg, {}, mldsa::Randomness::kDeterministic);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  auto h1 = sign(sk, msg, {});
  auto h2 = sign(sk, msg, {});
  ASSERT_TRUE(h1.ok() && h2.ok());
  EXPECT_NE(*h1, *h2);  // hedged: fresh rnd each time
  EXPECT_TRUE(verify(sk.public_key(), msg, *h1, {}).ok());
}

TEST(CompositeSig, SeedsDetermineKey) {
  const PrivateKey a = keygen_from_seeds(seed_of(7), seed_of(8));
  const PrivateKey b = keygen_from_seeds(seed_of(7), seed_of(8));
  const PrivateKey c = keygen_from_seeds(seed_of(7), seed_of(9));
  EXPECT_EQ(a.public_key(), b.public_key());
  EXPECT_NE(a.public_key(), c.public_key());
  // Only the Ed25519 half differs.
  EXPECT_EQ(to_hex(a.public_key().mldsa_part()), to_hex(c.public_key().mldsa_part()));
}

TEST(CompositeSig, WrongLengthsRejected) {
  const PrivateKey sk = keygen_from_seeds(seed_of(10), seed_of(11));
  const Bytes msg = {1};
  auto sig = sign(sk, msg, {});
  ASSERT_TRUE(sig.ok());
  Bytes longer = *sig;
  longer.push_back(0);
  EXPECT_FALSE(verify(sk.public_key(), msg, longer, {}).ok());
  EXPECT_FALSE(verify(sk.public_key(), msg, ByteSpan(*sig).first(kSignatureBytes - 1), {}).ok());
  EXPECT_FALSE(verify(sk.public_key(), msg, {}, {}).ok());

  EXPECT_FALSE(PublicKey::from_bytes(Bytes(kPublicKeyBytes - 1)).ok());
  EXPECT_FALSE(PublicKey::from_bytes(Bytes(kPublicKeyBytes + 1)).ok());
  EXPECT_TRUE(PublicKey::from_bytes(Bytes(kPublicKeyBytes)).ok());
  EXPECT_FALSE(PrivateKey::from_bytes(Bytes(63)).ok());
  EXPECT_FALSE(PrivateKey::from_bytes(Bytes(65)).ok());

  const Bytes ctx256(256, 'c');
  const Bytes ctx255(255, 'c');
  auto too_long = sign(sk, msg, ctx256);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code(), make_error_code(P2PNetworkError::InvalidMessage));
  auto vst = verify(sk.public_key(), msg, *sig, ctx256);
  ASSERT_FALSE(vst.ok());
  EXPECT_EQ(vst.error().code(), make_error_code(P2PNetworkError::InvalidMessage));
  auto max_ctx = sign(sk, msg, ctx255);
  ASSERT_TRUE(max_ctx.ok());
  EXPECT_TRUE(verify(sk.public_key(), msg, *max_ctx, ctx255).ok());
}

TEST(CompositeSig, GarbagePublicKeyNeverVerifies) {
  const PrivateKey sk = keygen_from_seeds(seed_of(12), seed_of(13));
  const Bytes msg = {1};
  auto sig = sign(sk, msg, {});
  ASSERT_TRUE(sig.ok());
  auto zero = PublicKey::from_bytes(Bytes(kPublicKeyBytes));
  ASSERT_TRUE(zero.ok());
  EXPECT_FALSE(verify(*zero, msg, *sig, {}).ok());
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto::composite

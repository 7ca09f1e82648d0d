// Unit tests for the X-Wing KEM (src/crypto/xwing.h): round trips, derand determinism, implicit
// rejection on a tampered ciphertext, and length errors of the decoders.
#include "crypto/xwing.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p::crypto::xwing {
namespace {

std::array<uint8_t, kSeedBytes> seed_of(uint8_t v) {
  std::array<uint8_t, kSeedBytes> s{};
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<uint8_t>(v + i);
  return s;
}

EncapsSeed eseed_of(uint8_t v) {
  EncapsSeed s{};
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<uint8_t>(v ^ (i * 7));
  return s;
}

TEST(XWing, RandomRoundTrip) {
  const KeyPair kp = keygen();
  auto enc = encaps(kp.pk);
  ASSERT_TRUE(enc.ok());
  auto ss = decaps(kp.sk, enc->ct);
  ASSERT_TRUE(ss.ok());
  EXPECT_EQ(ss->bytes, enc->ss.bytes);
}

TEST(XWing, DerandIsDeterministic) {
  const KeyPair a = keygen_derand(seed_of(1));
  const KeyPair b = keygen_derand(seed_of(1));
  EXPECT_EQ(a.pk, b.pk);
  EXPECT_NE(a.pk, keygen_derand(seed_of(2)).pk);
  EXPECT_EQ(public_key(a.sk), a.pk);
  auto e1 = encaps_derand(a.pk, eseed_of(3));
  auto e2 = encaps_derand(a.pk, eseed_of(3));
  ASSERT_TRUE(e1.ok());
  ASSERT_TRUE(e2.ok());
  EXPECT_EQ(e1->ct, e2->ct);
  EXPECT_EQ(e1->ss.bytes, e2->ss.bytes);
  auto ss = decaps(b.sk, e1->ct);
  ASSERT_TRUE(ss.ok());
  EXPECT_EQ(ss->bytes, e1->ss.bytes);
}

TEST(XWing, TamperedCiphertextGivesDifferentSecret) {
  const KeyPair kp = keygen_derand(seed_of(9));
  auto enc = encaps_derand(kp.pk, eseed_of(5));
  ASSERT_TRUE(enc.ok());
  for (size_t pos : {size_t{0}, kMlKemCiphertextBytes - 1, kMlKemCiphertextBytes, kCiphertextBytes - 1}) {
    Ciphertext bad = enc->ct;
    bad[pos] ^= 0x01;
    auto ss = decaps(kp.sk, bad);
    ASSERT_TRUE(ss.ok()) << pos;  // implicit rejection: a secret, never an error
    EXPECT_NE(ss->bytes, enc->ss.bytes) << pos;
  }
}

TEST(XWing, WrongSecretKeyGivesDifferentSecret) {
  const KeyPair kp = keygen_derand(seed_of(4));
  auto enc = encaps_derand(kp.pk, eseed_of(6));
  ASSERT_TRUE(enc.ok());
  auto ss = decaps(keygen_derand(seed_of(5)).sk, enc->ct);
  ASSERT_TRUE(ss.ok());
  EXPECT_NE(ss->bytes, enc->ss.bytes);
}

TEST(XWing, DecoderLengthErrors) {
  const KeyPair kp = keygen_derand(seed_of(7));
  EXPECT_TRUE(public_key_from_bytes(ByteSpan(kp.pk.data(), kp.pk.size())).ok());
  EXPECT_FALSE(public_key_from_bytes(ByteSpan(kp.pk.data(), kp.pk.size() - 1)).ok());
  Bytes longer(kp.pk.begin(), kp.pk.end());
  longer.push_back(0);
  EXPECT_TRUE(public_key_from_bytes(longer).error().is(P2PNetworkError::InvalidKey));
  EXPECT_FALSE(public_key_from_bytes(ByteSpan()).ok());
  Bytes bad_coeff(kp.pk.begin(), kp.pk.end());
  bad_coeff[0] = 0xff;
  bad_coeff[1] = 0xff;  // first 12-bit coefficient 4095 >= q fails the FIPS 203 §7.2 check
  EXPECT_TRUE(public_key_from_bytes(bad_coeff).error().is(P2PNetworkError::InvalidKey));
  EXPECT_TRUE(secret_key_from_bytes(Bytes(32, 1)).ok());
  EXPECT_TRUE(secret_key_from_bytes(Bytes(31, 1)).error().is(P2PNetworkError::InvalidKey));
  EXPECT_TRUE(secret_key_from_bytes(Bytes(2400, 1)).error().is(P2PNetworkError::InvalidKey));
  EXPECT_TRUE(ciphertext_from_bytes(Bytes(kCiphertextBytes, 0)).ok());
  EXPECT_TRUE(ciphertext_from_bytes(Bytes(kCiphertextBytes + 1, 0)).error().is(P2PNetworkError::InvalidMessage));
  EXPECT_TRUE(ciphertext_from_bytes(Bytes(kMlKemCiphertextBytes, 0)).error().is(P2PNetworkError::InvalidMessage));
}

TEST(XWing, EncapsRejectsInvalidMlKemKey) {
  PublicKey pk{};
  pk.fill(0xff);
  auto enc = encaps_derand(pk, eseed_of(1));
  ASSERT_FALSE(enc.ok());
  EXPECT_TRUE(enc.error().is(P2PNetworkError::InvalidKey));
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto::xwing

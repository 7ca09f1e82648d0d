// Noise core: CipherState (nonce layout, tamper, overflow) and SymmetricState (HKDF, Split).
#include <openssl/hmac.h>
#include <sodium.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "secure/noise_cipher_state.h"
#include "secure/noise_symmetric_state.h"

namespace hauptbuch::p2p::secure {
namespace {

Bytes key_of(uint8_t v) { return Bytes(kNoiseKeySize, v); }

TEST(NoiseCipherState, NoKeyPassesThrough) {
  NoiseCipherState cs;
  Bytes out;
  const Bytes pt = {1, 2, 3};
  ASSERT_TRUE(cs.encrypt_with_ad({}, pt, out).ok());
  EXPECT_EQ(out, pt);
}

TEST(NoiseCipherState, NonceLayoutMatchesDirectAead) {
  ASSERT_GE(sodium_init(), 0);
  NoiseCipherState cs;
  const Bytes k = key_of(7);
  cs.initialize_key(k);
  cs.set_nonce(0x0102030405060708ULL);
  const Bytes ad = {9, 9};
  const Bytes pt = {'h', 'i'};
  Bytes out;
  ASSERT_TRUE(cs.encrypt_with_ad(ad, pt, out).ok());
  EXPECT_EQ(cs.nonce(), 0x0102030405060709ULL);
  // 4 zero bytes then the counter little-endian.
  const uint8_t nonce[12] = {0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1};
  Bytes expect(pt.size() + kNoiseTagSize);
  unsigned long long len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(expect.data(), &len, pt.data(), pt.size(), ad.data(),
                                            ad.size(), nullptr, nonce, k.data());
  EXPECT_EQ(out, expect);
}

TEST(NoiseCipherState, RoundTripAndEveryBitFlipRejected) {
  NoiseCipherState a, b;
  a.initialize_key(key_of(1));
  b.initialize_key(key_of(1));
  const Bytes pt(40, 0x5a);
  Bytes ct;
  ASSERT_TRUE(a.encrypt_with_ad({}, pt, ct).ok());
  for (size_t i = 0; i < ct.size(); ++i) {
    Bytes bad = ct;
    bad[i] ^= 0x01;
    Bytes out;
    auto st = b.decrypt_with_ad({}, bad, out);
    ASSERT_FALSE(st.ok());
    EXPECT_TRUE(st.error().is(P2PNetworkError::SecurityValidationFailed));
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(b.nonce(), 0u);
  }
  Bytes out;
  ASSERT_TRUE(b.decrypt_with_ad({}, ct, out).ok());
  EXPECT_EQ(out, pt);
  EXPECT_EQ(b.nonce(), 1u);
}

TEST(NoiseCipherState, ShortCiphertextIsInvalidMessage) {
  NoiseCipherState b;
  b.initialize_key(key_of(1));
  Bytes out;
  auto st = b.decrypt_with_ad({}, Bytes(15, 0), out);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::InvalidMessage));
}

TEST(NoiseCipherState, NonceExhaustionIsAnError) {
  NoiseCipherState a;
  a.initialize_key(key_of(2));
  a.set_nonce(~0ULL - 1);
  Bytes out;
  ASSERT_TRUE(a.encrypt_with_ad({}, Bytes{1}, out).ok());
  auto st = a.encrypt_with_ad({}, Bytes{1}, out);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::ResourceLimitExceeded));
}

TEST(NoiseSymmetricState, LongProtocolNameIsHashed) {
  const std::string name = "Noise_XX_25519_ChaChaPoly_SHA256";  // exactly 32 bytes
  NoiseSymmetricState s(name);
  EXPECT_EQ(0, std::memcmp(s.handshake_hash().data(), name.data(), 32));
  const std::string longer = name + "x";
  NoiseSymmetricState l(longer);
  NoiseHash h{};
  crypto_hash_sha256(h.data(), reinterpret_cast<const uint8_t*>(longer.data()), longer.size());
  EXPECT_EQ(l.handshake_hash(), h);
}

TEST(NoiseSymmetricState, HkdfMatchesOpenSslHmac) {
  const Bytes ck(32, 0x11), ikm(32, 0x22);
  auto [o1, o2] = noise_hkdf2(ck, ikm);
  unsigned len = 32;
  uint8_t temp[32], e1[32], e2[32];
  HMAC(EVP_sha256(), ck.data(), 32, ikm.data(), ikm.size(), temp, &len);
  const uint8_t one = 1;
  HMAC(EVP_sha256(), temp, 32, &one, 1, e1, &len);
  uint8_t in2[33];
  std::memcpy(in2, e1, 32);
  in2[32] = 2;
  HMAC(EVP_sha256(), temp, 32, in2, 33, e2, &len);
  EXPECT_EQ(0, std::memcmp(o1.data(), e1, 32));
  EXPECT_EQ(0, std::memcmp(o2.data(), e2, 32));
}

TEST(NoiseSymmetricState, TwoSidesAgreeAndSplit) {
  NoiseSymmetricState a("Noise_XX_25519_ChaChaPoly_SHA256");
  NoiseSymmetricState b("Noise_XX_25519_ChaChaPoly_SHA256");
  a.mix_hash({});
  b.mix_hash({});
  a.mix_key(Bytes(32, 3));
  b.mix_key(Bytes(32, 3));
  Bytes ct, pt;
  ASSERT_TRUE(a.encrypt_and_hash(Bytes{1, 2, 3}, ct).ok());
  ASSERT_TRUE(b.decrypt_and_hash(ct, pt).ok());
  EXPECT_EQ(pt, (Bytes{1, 2, 3}));
  EXPECT_EQ(a.handshake_hash(), b.handshake_hash());
  auto [a1, a2] = a.split();
  auto [b1, b2] = b.split();
  Bytes c2, p2;
  ASSERT_TRUE(a1.encrypt_with_ad({}, Bytes{4}, c2).ok());
  ASSERT_TRUE(b1.decrypt_with_ad({}, c2, p2).ok());
  EXPECT_EQ(p2, Bytes{4});
  Bytes c3, p3;
  ASSERT_TRUE(b2.encrypt_with_ad({}, Bytes{5}, c3).ok());
  EXPECT_FALSE(b1.decrypt_with_ad({}, c3, p3).ok());  // directions use different keys
  ASSERT_TRUE(a2.decrypt_with_ad({}, c3, p3).ok());
}

}  // namespace
}  // namespace hauptbuch::p2p::secure

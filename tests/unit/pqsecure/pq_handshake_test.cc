// Unit tests for /hauptbuch/pq-noise/1.0.0 (src/secure/pq_handshake.h): full handshake with any
// fragmentation, the fixed-randomness test vector of docs/wire/pq-handshake.md, tampering,
// wrong peer, hostile sizes, transport round trip.
#include "secure/pq_handshake.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>

namespace hauptbuch::p2p::secure {
namespace {

struct Side {
  crypto::PrivateKey id;
  SeededRandom rng;
  explicit Side(uint8_t seed) : id(crypto::PrivateKey::ed25519_from_seed(Bytes(32, seed))), rng(seed) {}
};

Status run(SecureHandshake& i, SecureHandshake& r, size_t chunk, long flip, std::vector<Bytes>* messages = nullptr) {
  HBP2P_TRY(i.start());
  HBP2P_TRY(r.start());
  long offset = 0;
  for (int round = 0; round < 100000 && (!i.done() || !r.done()); ++round) {
    bool moved = false;
    for (auto [from, to] : {std::pair<SecureHandshake*, SecureHandshake*>{&i, &r}, {&r, &i}}) {
      Bytes out = from->take_output();
      if (!out.empty() && messages) messages->push_back(out);
      for (size_t off = 0; off < out.size(); off += chunk) {
        Bytes part(out.begin() + static_cast<std::ptrdiff_t>(off),
                   out.begin() + static_cast<std::ptrdiff_t>(std::min(out.size(), off + chunk)));
        for (auto& b : part)
          if (offset++ == flip) b ^= 0x01;
        HBP2P_TRY(to->feed(part));
        moved = true;
      }
    }
    if (!moved) break;
  }
  if (!i.done() || !r.done()) return Status(P2PNetworkError::Timeout, "handshake did not finish");
  return ok_status();
}

// Filled from the first run; the same values are in docs/wire/pq-handshake.md.
constexpr const char* kMsg1 = "9d8875d9f8835d753b9192d6a11335182157f9309bf11a871ea7d847e2ab00d8";
constexpr const char* kMsg2 = "d321ae244d50931e0394b3c46ec8740bd310bd70ae7e971ef6b75f388bcafa9c";
constexpr const char* kMsg3 = "b6cb8a1eb7cee11fb1a732effd4e23561ccdef8ec4de27b8b9cad2b0401a8a5f";
constexpr const char* kHash = "b5891a54849eac721093cf7474990e8654089e424404413043b574f3dce61b76";

std::string sha256_hex(const Bytes& b) {
  uint8_t d[SHA256_DIGEST_LENGTH];
  SHA256(b.data(), b.size(), d);
  return to_hex(ByteSpan(d, sizeof d));
}

TEST(PqHandshake, CompletesAndTransportsData) {
  for (size_t chunk : {1u, 500u, 1000000u}) {
    Side a(1), b(2);
    PqHandshake i(true, a.id, {}, a.rng), r(false, b.id, {}, b.rng);
    ASSERT_TRUE(run(i, r, chunk, -1).ok());
    EXPECT_EQ(i.handshake_hash(), r.handshake_hash());
    auto ti = i.finish(), tr = r.finish();
    ASSERT_TRUE(ti.ok() && tr.ok());
    EXPECT_EQ((*ti)->remote_peer(), PeerId::from_public_key(b.id.public_key()));
    EXPECT_EQ((*tr)->remote_peer(), PeerId::from_public_key(a.id.public_key()));
    EXPECT_EQ((*ti)->protocol(), "/hauptbuch/pq-noise/1.0.0");
    Bytes msg(100000, 0x5a), wire, got;
    ASSERT_TRUE((*ti)->encrypt(msg, wire).ok());
    ASSERT_TRUE((*tr)->decrypt(wire, got).ok());
    EXPECT_EQ(got, msg);
  }
}

// The test vector printed in docs/wire/pq-handshake.md: identities from seeds 0x01.. and
// 0x02.., SeededRandom(1) / SeededRandom(2) for all randomness.
TEST(PqHandshake, FixedRandomnessVector) {
  Side a(1), b(2);
  PqHandshake i(true, a.id, {}, a.rng), r(false, b.id, {}, b.rng);
  std::vector<Bytes> m;
  ASSERT_TRUE(run(i, r, 1000000, -1, &m).ok());
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].size(), 2u + 32 + 1184);
  EXPECT_EQ(m[1].size(), 2u + 32 + 1104 + 16 + 2 + 36 + 2 + 64);
  EXPECT_EQ(m[2].size(), 2u + 16 + 2 + 36 + 2 + 64);
  const std::string h = to_hex(i.handshake_hash());
  EXPECT_EQ(to_hex(ByteSpan(m[0].data(), 34)), "04c06825a24203a6878ead82109ef9164bc9f4dc1e9a10592bb88cfaea12f99f3c08");
  EXPECT_EQ(sha256_hex(m[0]), std::string(kMsg1));
  EXPECT_EQ(sha256_hex(m[1]), std::string(kMsg2));
  EXPECT_EQ(sha256_hex(m[2]), std::string(kMsg3));
  EXPECT_EQ(h, std::string(kHash));
}

TEST(PqHandshake, EveryFlippedByteFails) {
  // Flip each byte of msg1's key material sampled every 7 bytes, and every byte of msg2/msg3.
  for (long flip = 0; flip < 2598; flip += (flip < 1218 ? 7 : 1)) {  // 2598 = all bytes of msg1-3
    Side a(1), b(2);
    PqHandshake i(true, a.id, {}, a.rng), r(false, b.id, {}, b.rng);
    Status st = run(i, r, 1000000, flip);
    if (st.ok()) {
      ADD_FAILURE() << "flip of byte " << flip << " went unnoticed";
      break;
    }
  }
}

TEST(PqHandshake, WrongExpectedPeerAndHostileSizes) {
  Side a(1), b(2);
  NoiseOptions o;
  o.expected_peer = PeerId::from_public_key(crypto::PrivateKey::ed25519_from_seed(Bytes(32, 9)).public_key());
  PqHandshake i(true, a.id, o, a.rng), r(false, b.id, {}, b.rng);
  Status st = run(i, r, 1000000, -1);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::PeerSecurityValidationFailed));
  PqHandshake r2(false, b.id, {}, b.rng);
  EXPECT_FALSE(r2.feed(Bytes{0x00, 0x03, 1, 2, 3}).ok());  // msg1 of the wrong size
  PqHandshake r3(false, b.id, {}, b.rng);
  Bytes bad_ek(2 + 32 + 1184, 0xff);  // coefficients >= q: fails the FIPS 203 modulus check
  bad_ek[0] = static_cast<uint8_t>((32 + 1184) >> 8);
  bad_ek[1] = static_cast<uint8_t>((32 + 1184) & 0xff);
  for (size_t k = 2; k < 34; ++k) bad_ek[k] = 9;
  EXPECT_FALSE(r3.feed(bad_ek).ok());
}

}  // namespace
}  // namespace hauptbuch::p2p::secure

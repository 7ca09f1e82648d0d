// Ed25519 identity keys: RFC 8032 test 1, the libp2p protobuf encoding, strict decoding of
// hostile encodings, sign/verify and tampering.
#include "crypto/identity.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p::crypto {
namespace {

Bytes hex(const char* s) {
  auto b = from_hex(s);
  EXPECT_TRUE(b.has_value()) << s;
  return b.value_or(Bytes{});
}

const char* kSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const char* kPub = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const char* kSigEmpty =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b4"
    "6bd25bf5f0595bbe24655141438e7a100b";

Bytes encoded_pub() {
  Bytes b = hex("08011220");
  Bytes p = hex(kPub);
  b.insert(b.end(), p.begin(), p.end());
  return b;
}

Bytes encoded_priv() {
  Bytes b = hex("08011240");
  Bytes s = hex(kSeed);
  Bytes p = hex(kPub);
  b.insert(b.end(), s.begin(), s.end());
  b.insert(b.end(), p.begin(), p.end());
  return b;
}

TEST(Identity, Rfc8032Test1) {
  const PrivateKey k = PrivateKey::ed25519_from_seed(hex(kSeed));
  EXPECT_EQ(k.type(), KeyType::Ed25519);
  EXPECT_EQ(to_hex(k.public_key().raw()), kPub);
  const Bytes sig = k.sign({});
  EXPECT_EQ(to_hex(sig), kSigEmpty);
  EXPECT_TRUE(k.public_key().verify({}, sig));
}

TEST(Identity, PublicKeyProtobufEncoding) {
  const PublicKey pk = PublicKey::ed25519(hex(kPub));
  EXPECT_EQ(pk.to_protobuf(), encoded_pub());
  auto back = PublicKey::from_protobuf(encoded_pub());
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(*back, pk);
  EXPECT_EQ(back->type(), KeyType::Ed25519);
}

TEST(Identity, PrivateKeyProtobufRoundTrip) {
  const PrivateKey k = PrivateKey::ed25519_from_seed(hex(kSeed));
  EXPECT_EQ(k.to_protobuf(), encoded_priv());
  auto back = PrivateKey::from_protobuf(encoded_priv());
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->public_key(), k.public_key());
  EXPECT_EQ(back->to_protobuf(), encoded_priv());
}

TEST(Identity, GeneratedKeysRoundTripAndDiffer) {
  const PrivateKey a = PrivateKey::generate_ed25519();
  const PrivateKey b = PrivateKey::generate_ed25519();
  EXPECT_NE(a.public_key(), b.public_key());
  auto a2 = PrivateKey::from_protobuf(a.to_protobuf());
  ASSERT_TRUE(a2.ok());
  EXPECT_EQ(a2->public_key(), a.public_key());
  auto pa = PublicKey::from_protobuf(a.public_key().to_protobuf());
  ASSERT_TRUE(pa.ok());
  EXPECT_EQ(*pa, a.public_key());
}

TEST(Identity, MoveKeepsKey) {
  PrivateKey a = PrivateKey::ed25519_from_seed(hex(kSeed));
  PrivateKey b = std::move(a);
  EXPECT_EQ(to_hex(b.public_key().raw()), kPub);
  PrivateKey c = PrivateKey::generate_ed25519();
  c = std::move(b);
  EXPECT_EQ(to_hex(c.public_key().raw()), kPub);
}

void expect_public_error(const Bytes& in, P2PNetworkError code) {
  auto r = PublicKey::from_protobuf(in);
  ASSERT_FALSE(r.ok()) << to_hex(in);
  EXPECT_TRUE(r.error().is(code)) << r.error().message();
}

TEST(Identity, PublicKeyStrictness) {
  const Bytes good = encoded_pub();
  Bytes trailing = good;
  trailing.push_back(0);
  expect_public_error(trailing, P2PNetworkError::InvalidKey);

  // Data before Type.
  Bytes swapped = hex("1220");
  Bytes p = hex(kPub);
  swapped.insert(swapped.end(), p.begin(), p.end());
  swapped.push_back(0x08);
  swapped.push_back(0x01);
  expect_public_error(swapped, P2PNetworkError::InvalidKey);

  // Duplicated Type field.
  Bytes dup_type = hex("0801");
  dup_type.insert(dup_type.end(), good.begin(), good.end());
  expect_public_error(dup_type, P2PNetworkError::InvalidKey);

  // Duplicated Data field.
  Bytes dup_data = good;
  dup_data.insert(dup_data.end(), good.begin() + 2, good.end());
  expect_public_error(dup_data, P2PNetworkError::InvalidKey);

  // Wrong lengths: 31 and 33 bytes, truncated data.
  Bytes short_key = hex("0801121f");
  short_key.insert(short_key.end(), p.begin(), p.end() - 1);
  expect_public_error(short_key, P2PNetworkError::InvalidKey);
  Bytes long_key = hex("08011221");
  long_key.insert(long_key.end(), p.begin(), p.end());
  long_key.push_back(0);
  expect_public_error(long_key, P2PNetworkError::InvalidKey);
  expect_public_error(Bytes(good.begin(), good.end() - 1), P2PNetworkError::InvalidKey);

  // Non-minimal varint for Type (0x81 0x00 == 1).
  Bytes nonmin = hex("088100");
  nonmin.insert(nonmin.end(), good.begin() + 2, good.end());
  expect_public_error(nonmin, P2PNetworkError::InvalidKey);

  // Unknown field, missing fields, empty input.
  Bytes unknown = good;
  unknown.push_back(0x18);
  unknown.push_back(0x01);
  expect_public_error(unknown, P2PNetworkError::InvalidKey);
  expect_public_error(hex("0801"), P2PNetworkError::InvalidKey);
  expect_public_error(Bytes{}, P2PNetworkError::InvalidKey);

  // Unknown type, and the recognised but unsupported ones.
  Bytes bad_type = good;
  bad_type[1] = 0x04;
  expect_public_error(bad_type, P2PNetworkError::InvalidKey);
  for (uint8_t t : {0, 2, 3}) {
    Bytes other = good;
    other[1] = t;
    expect_public_error(other, P2PNetworkError::Unsupported);
  }

  // Oversized input.
  Bytes huge(kMaxEncodedKeySize + 1, 0);
  expect_public_error(huge, P2PNetworkError::InvalidKey);
}

TEST(Identity, PrivateKeyStrictness) {
  Bytes mismatched = encoded_priv();
  mismatched.back() ^= 1;
  auto r = PrivateKey::from_protobuf(mismatched);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(P2PNetworkError::InvalidKey)) << r.error().message();

  // A 32-byte (seed only) Data field is not the libp2p layout.
  Bytes seed_only = hex("08011220");
  Bytes s = hex(kSeed);
  seed_only.insert(seed_only.end(), s.begin(), s.end());
  EXPECT_FALSE(PrivateKey::from_protobuf(seed_only).ok());

  Bytes trailing = encoded_priv();
  trailing.push_back(0);
  EXPECT_FALSE(PrivateKey::from_protobuf(trailing).ok());

  // The legacy 96-byte layout (seed || pub || pub) is refused: it is not canonical.
  Bytes legacy = hex("08011260");
  Bytes pk = hex(kPub);
  legacy.insert(legacy.end(), s.begin(), s.end());
  legacy.insert(legacy.end(), pk.begin(), pk.end());
  legacy.insert(legacy.end(), pk.begin(), pk.end());
  EXPECT_FALSE(PrivateKey::from_protobuf(legacy).ok());

  // A public key encoding is not a private key.
  EXPECT_FALSE(PrivateKey::from_protobuf(encoded_pub()).ok());
}

TEST(Identity, SignVerifyAndTamper) {
  const PrivateKey k = PrivateKey::ed25519_from_seed(hex(kSeed));
  const PublicKey pk = k.public_key();
  const Bytes msg = to_bytes(as_bytes("hauptbuch identity"));
  Bytes sig = k.sign(msg);
  ASSERT_EQ(sig.size(), kEd25519SignatureSize);
  EXPECT_TRUE(pk.verify(msg, sig));

  Bytes other_msg = msg;
  other_msg[0] ^= 1;
  EXPECT_FALSE(pk.verify(other_msg, sig));

  Bytes bad = sig;
  bad[10] ^= 0x40;
  EXPECT_FALSE(pk.verify(msg, bad));
  EXPECT_FALSE(pk.verify(msg, ByteSpan(sig).first(63)));
  Bytes longer = sig;
  longer.push_back(0);
  EXPECT_FALSE(pk.verify(msg, longer));
  EXPECT_FALSE(pk.verify(msg, {}));

  const PrivateKey other = PrivateKey::generate_ed25519();
  EXPECT_FALSE(other.public_key().verify(msg, sig));
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto

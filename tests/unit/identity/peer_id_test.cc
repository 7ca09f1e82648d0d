// PeerId: derivation (identity vs sha2-256 by the 42-byte rule), the libp2p spec Ed25519 and
// secp256k1 key vectors, text forms (base58btc, CIDv1 libp2p-key), strict parsing.
#include "peer/peer_id.h"

#include <gtest/gtest.h>

#include <unordered_set>

#include "util/multibase.h"
#include "util/multihash.h"

namespace hauptbuch::p2p {
namespace {

Bytes hex(const char* s) {
  auto b = from_hex(s);
  EXPECT_TRUE(b.has_value()) << s;
  return b.value_or(Bytes{});
}

// peer-ids.md test vectors (Ed25519 private and public key protobufs).
const char* kSpecEdPriv =
    "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be"
    "8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
const char* kSpecEdPub = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
const char* kSpecEdPeerId = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
// peer-ids.md secp256k1 public key protobuf (37 bytes: inlined).
const char* kSpecSecpPub = "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";

TEST(PeerId, SpecEd25519Vector) {
  auto priv = crypto::PrivateKey::from_protobuf(hex(kSpecEdPriv));
  ASSERT_TRUE(priv);
  auto pub = priv->public_key();
  EXPECT_EQ(pub.to_protobuf(), hex(kSpecEdPub));
  PeerId id = PeerId::from_public_key(pub);
  Bytes expected = {0x00, 0x24};
  Bytes pb = hex(kSpecEdPub);
  expected.insert(expected.end(), pb.begin(), pb.end());
  EXPECT_EQ(id.bytes(), expected);
  EXPECT_EQ(id.to_base58(), kSpecEdPeerId);
  EXPECT_EQ(id.to_string(), kSpecEdPeerId);
  EXPECT_TRUE(id.matches(pub));
  auto extracted = id.extract_public_key();
  ASSERT_TRUE(extracted.has_value());
  EXPECT_EQ(*extracted, pub);
}

TEST(PeerId, SpecSecp256k1InlinedAndParsable) {
  PeerId id = PeerId::from_public_key_protobuf(hex(kSpecSecpPub));
  auto mh = Multihash::parse(id.bytes());
  ASSERT_TRUE(mh);
  EXPECT_EQ(mh->code, Multihash::kIdentity);
  // The key type is unsupported, but the PeerId is still a valid peer id.
  auto back = PeerId::parse(id.to_base58());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, id);
  EXPECT_FALSE(id.extract_public_key().has_value());
}

TEST(PeerId, LargeKeysAreHashed) {
  Bytes big(43, 0x08);
  PeerId id = PeerId::from_public_key_protobuf(big);
  auto mh = Multihash::parse(id.bytes());
  ASSERT_TRUE(mh);
  EXPECT_EQ(mh->code, Multihash::kSha2_256);
  EXPECT_EQ(id.to_base58().substr(0, 2), "Qm");
  auto back = PeerId::parse(id.to_base58());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, id);
  EXPECT_FALSE(id.extract_public_key().has_value());
}

TEST(PeerId, CidRoundTrip) {
  auto pub = crypto::PublicKey::from_protobuf(hex(kSpecEdPub));
  ASSERT_TRUE(pub);
  PeerId id = PeerId::from_public_key(*pub);
  std::string cid = id.to_cid_string();
  EXPECT_EQ(cid.substr(0, 4), "bafz");
  auto back = PeerId::parse(cid);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, id);
  auto b58 = PeerId::parse(kSpecEdPeerId);
  ASSERT_TRUE(b58);
  EXPECT_EQ(*b58, id);
}

TEST(PeerId, RejectsMalformedText) {
  for (const char* bad : {"", "1", "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3p0",
                          "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pqq", "Qm",
                          "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5", "xyz", "bafy"}) {
    auto r = PeerId::parse(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_TRUE(r.error().is(P2PNetworkError::InvalidPeerAddress)) << bad;
  }
  // A CID with another codec (dag-pb 0x70) is not a peer id.
  Bytes cid = {0x01, 0x70};
  Bytes mh = Multihash::sha2_256(hex("00")).encode();
  cid.insert(cid.end(), mh.begin(), mh.end());
  EXPECT_FALSE(PeerId::parse(multibase::encode(multibase::Base::Base32, cid)));
  EXPECT_FALSE(PeerId::parse(std::string(5000, '1')));
}

TEST(PeerId, ParsesSha256PeerId) {
  auto id = PeerId::parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->to_base58(), "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  auto again = PeerId::parse(id->to_cid_string());
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *id);
}

TEST(PeerId, FromBytesIsStrict) {
  EXPECT_FALSE(PeerId::from_bytes({}));
  EXPECT_FALSE(PeerId::from_bytes(hex("0024")));                  // truncated
  EXPECT_FALSE(PeerId::from_bytes(hex("000401020304")));          // identity, not a key
  Bytes ok = hex("0024");
  Bytes pb = hex(kSpecEdPub);
  ok.insert(ok.end(), pb.begin(), pb.end());
  EXPECT_TRUE(PeerId::from_bytes(ok));
  ok.push_back(0);
  EXPECT_FALSE(PeerId::from_bytes(ok));                           // trailing byte
  Bytes big_identity = {0x00, 43};
  big_identity.resize(45, 0);
  EXPECT_FALSE(PeerId::from_bytes(big_identity));                 // inline > 42 bytes
}

TEST(PeerId, OrderingAndHash) {
  PeerId a = PeerId::from_public_key(crypto::PrivateKey::ed25519_from_seed(Bytes(32, 1)).public_key());
  PeerId b = PeerId::from_public_key(crypto::PrivateKey::ed25519_from_seed(Bytes(32, 2)).public_key());
  EXPECT_NE(a, b);
  EXPECT_TRUE((a < b) != (b < a));
  EXPECT_FALSE(a.matches(crypto::PrivateKey::ed25519_from_seed(Bytes(32, 2)).public_key()));
  std::unordered_set<PeerId> set{a, b, a};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace hauptbuch::p2p

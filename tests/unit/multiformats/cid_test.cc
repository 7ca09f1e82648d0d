// CID: spec examples (v0 <-> v1, peer-id CIDs), binary layout, strict rejection of malformed
// text and bytes, and round trips through every supported multibase.
#include "util/cid.h"

#include <gtest/gtest.h>

#include <string>

#include "util/base58.h"

namespace hauptbuch::p2p {
namespace {

Bytes hex(std::string_view h) { return from_hex(h).value(); }

Cid must_parse(std::string_view text) {
  auto r = Cid::parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message());
  return r.ok() ? *r : Cid{};
}

TEST(Cid, PeerIdSpecExample) {
  // libp2p peer-ids spec: the same peer as CIDv1 (libp2p-key, base32) and as base58 multihash.
  const Cid c = must_parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
  EXPECT_EQ(c.version, 1u);
  EXPECT_EQ(c.codec, Cid::kLibp2pKey);
  EXPECT_EQ(c.hash.code, Multihash::kSha2_256);
  EXPECT_EQ(base58::encode(c.hash.encode()), "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  EXPECT_EQ(c.to_string(), "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
}

TEST(Cid, V0AndItsV1Form) {
  // IPFS docs example: a dag-pb CIDv0 and the same content as CIDv1 base32.
  const Cid v0 = must_parse("QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR");
  EXPECT_EQ(v0.version, 0u);
  EXPECT_EQ(v0.codec, Cid::kDagPb);
  EXPECT_EQ(v0.to_string(), "QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR");
  EXPECT_EQ(v0.to_bytes(), v0.hash.encode());
  const Cid v1 = Cid::v1(Cid::kDagPb, v0.hash);
  EXPECT_EQ(v1.to_string(), "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
  EXPECT_EQ(must_parse(v1.to_string()), v1);
  auto from_bin = Cid::from_bytes(v0.to_bytes());
  ASSERT_TRUE(from_bin.ok());
  EXPECT_EQ(*from_bin, v0);
}

TEST(Cid, RawCodecBase58Example) {
  // CID spec example: base58btc CIDv1, raw codec, sha2-256.
  const Cid c = must_parse("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA");
  EXPECT_EQ(c.version, 1u);
  EXPECT_EQ(c.codec, Cid::kRaw);
  EXPECT_EQ(to_hex(c.hash.digest), "6e6ff7950a36187a801613426e858dce686cd7d7e3c0fc42ee0330072d245c95");
  EXPECT_EQ(c.to_string(multibase::Base::Base58Btc), "zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA");
}

TEST(Cid, BinaryLayout) {
  const Cid c = Cid::v1(Cid::kLibp2pKey, Multihash::identity(as_bytes("key")));
  EXPECT_EQ(to_hex(c.to_bytes()), "017200036b6579");
  // A codec needing a two-byte varint.
  const Cid big = Cid::v1(0x0129, Multihash::identity({}));
  EXPECT_EQ(to_hex(big.to_bytes()), "01a9020000");
  auto back = Cid::from_bytes(big.to_bytes());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, big);
}

TEST(Cid, RoundTripsThroughEveryMultibase) {
  const Cid c = Cid::v1(Cid::kRaw, Multihash::sha2_256(as_bytes("hello world")));
  for (auto base : {multibase::Base::Base58Btc, multibase::Base::Base32, multibase::Base::Base32Upper,
                    multibase::Base::Base64, multibase::Base::Base64Url,
                    multibase::Base::Base64UrlPad, multibase::Base::Base16}) {
    const std::string text = c.to_string(base);
    EXPECT_EQ(text[0], static_cast<char>(base));
    EXPECT_EQ(must_parse(text), c) << text;
    EXPECT_EQ(must_parse(text).to_string(), c.to_string());
  }
}

void expect_error(std::string_view text, P2PNetworkError code) {
  auto r = Cid::parse(text);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.error(), code) << text << ": " << r.error().message();
}

TEST(Cid, RejectsMalformedText) {
  expect_error("", P2PNetworkError::InvalidMessage);
  expect_error("QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMn0", P2PNetworkError::InvalidMessage);
  expect_error("QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMn", P2PNetworkError::Unsupported);
  expect_error("xabc", P2PNetworkError::Unsupported);  // unknown multibase prefix
  expect_error("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzd",
               P2PNetworkError::InvalidMessage);  // truncated
  expect_error("b" + std::string(Cid::kMaxTextLength, 'a'), P2PNetworkError::InvalidMessage);
  // A CIDv0 wrapped in multibase is forbidden by the spec.
  const Cid v0 = must_parse("QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR");
  expect_error(multibase::encode(multibase::Base::Base58Btc, v0.to_bytes()),
               P2PNetworkError::InvalidMessage);
  expect_error(multibase::encode(multibase::Base::Base32, v0.to_bytes()),
               P2PNetworkError::InvalidMessage);
}

TEST(Cid, RejectsMalformedBinary) {
  const auto err = [](std::string_view h) {
    auto r = Cid::from_bytes(hex(h));
    EXPECT_FALSE(r.ok()) << h;
    return r.ok() ? P2PNetworkError{} : P2PNetworkError(r.error().code().value());
  };
  EXPECT_EQ(err(""), P2PNetworkError::InvalidMessage);
  EXPECT_EQ(err("01"), P2PNetworkError::InvalidMessage);                // no codec
  EXPECT_EQ(err("0172"), P2PNetworkError::InvalidMessage);              // no multihash
  EXPECT_EQ(err("01720003616263ff"), P2PNetworkError::InvalidMessage);  // trailing byte
  EXPECT_EQ(err("0172000361"), P2PNetworkError::InvalidMessage);        // truncated digest
  EXPECT_EQ(err("8100720000"), P2PNetworkError::InvalidMessage);        // non-minimal version
  EXPECT_EQ(err("01f20000"), P2PNetworkError::InvalidMessage);          // truncated codec varint
  EXPECT_EQ(err("02720000"), P2PNetworkError::Unsupported);             // version 2
  EXPECT_EQ(err("00720000"), P2PNetworkError::InvalidMessage);          // explicit version 0
  EXPECT_EQ(err("1220aa"), P2PNetworkError::InvalidMessage);            // short CIDv0
  EXPECT_EQ(err("0172130400000000"), P2PNetworkError::Unsupported);     // sha2-512 multihash
}

}  // namespace
}  // namespace hauptbuch::p2p

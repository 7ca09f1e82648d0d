// Multihash: sha2-256 / identity encodings, strict bounded parsing and ByteReader behaviour.
#include "util/multihash.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p {
namespace {

constexpr std::string_view kHelloWorldSha256 =
    "1220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";

Bytes hex(std::string_view h) { return from_hex(h).value(); }

TEST(Multihash, Sha256OfHelloWorld) {
  const Multihash mh = Multihash::sha2_256(as_bytes("hello world"));
  EXPECT_EQ(mh.code, Multihash::kSha2_256);
  EXPECT_EQ(to_hex(mh.encode()), kHelloWorldSha256);
  auto p = Multihash::parse(hex(kHelloWorldSha256));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, mh);
}

TEST(Multihash, IdentityRoundTrip) {
  const Multihash mh = Multihash::identity(as_bytes("abc"));
  EXPECT_EQ(to_hex(mh.encode()), "0003616263");
  auto p = Multihash::parse(mh.encode());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, mh);
  auto empty = Multihash::parse(Bytes{0x00, 0x00});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->digest.empty());
  const Bytes max(Multihash::kMaxDigestSize, 0xab);
  auto pm = Multihash::parse(Multihash::identity(max).encode());
  ASSERT_TRUE(pm.ok());
  EXPECT_EQ(pm->digest, max);
}

TEST(Multihash, RejectsMalformed) {
  const auto invalid = [](const Bytes& b) {
    auto r = Multihash::parse(b);
    return !r.ok() && r.error().is(P2PNetworkError::InvalidMessage);
  };
  Bytes sha = hex(kHelloWorldSha256);
  EXPECT_TRUE(invalid({}));
  EXPECT_TRUE(invalid({0x12}));                                  // no length
  EXPECT_TRUE(invalid(Bytes(sha.begin(), sha.end() - 1)));       // truncated digest
  Bytes trailing = sha;
  trailing.push_back(0);
  EXPECT_TRUE(invalid(trailing));                                // trailing byte
  EXPECT_TRUE(invalid({0x12, 0x01, 0xaa}));                      // sha2-256 of wrong size
  Bytes big = {0x00, 0x81, 0x01};                                // identity, 129 bytes
  big.resize(3 + 129, 0);
  EXPECT_TRUE(invalid(big));
  EXPECT_TRUE(invalid({0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}));  // huge length
  EXPECT_TRUE(invalid({0x80, 0x00, 0x00}));                      // non-minimal code varint
  EXPECT_TRUE(invalid({0x00, 0x80, 0x00}));                      // non-minimal length varint
  auto unk = Multihash::parse(Bytes{0x13, 0x00});                // sha2-512: not supported
  ASSERT_FALSE(unk.ok());
  EXPECT_TRUE(unk.error().is(P2PNetworkError::Unsupported));
}

TEST(Multihash, ReadConsumesOneAndLeavesReaderOnError) {
  Bytes two = Multihash::identity(as_bytes("x")).encode();
  const Bytes sha = hex(kHelloWorldSha256);
  two.insert(two.end(), sha.begin(), sha.end());
  ByteReader r(two);
  auto a = Multihash::read(r);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->digest, (Bytes{'x'}));
  auto b = Multihash::read(r);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->encode(), sha);
  EXPECT_TRUE(r.empty());

  const Bytes bad = {0x12, 0x20, 0x01};
  ByteReader rb(bad);
  EXPECT_FALSE(Multihash::read(rb).ok());
  EXPECT_EQ(rb.remaining(), bad.size());
}

}  // namespace
}  // namespace hauptbuch::p2p

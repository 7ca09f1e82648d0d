// Multibase: the spec vectors ("yes mani !", "Decentralize everything!!", leading zeros) per base,
// prefix dispatch and strictness.
#include "util/multibase.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p {
namespace {

using multibase::Base;

struct Vec {
  Base base;
  std::string_view text;
};

// multibase spec test vectors for the input "yes mani !".
const Vec kYesMani[] = {
    {Base::Base58Btc, "z7paNL19xttacUY"},
    {Base::Base32, "bpfsxgidnmfxgsibb"},
    {Base::Base32Upper, "BPFSXGIDNMFXGSIBB"},
    {Base::Base64, "meWVzIG1hbmkgIQ"},
    {Base::Base64Url, "ueWVzIG1hbmkgIQ"},
    {Base::Base64UrlPad, "UeWVzIG1hbmkgIQ=="},
    {Base::Base16, "f796573206d616e692021"},
};

TEST(Multibase, SpecVectors) {
  const ByteSpan plain = as_bytes("yes mani !");
  for (const auto& v : kYesMani) {
    EXPECT_EQ(multibase::encode(v.base, plain), v.text);
    auto d = multibase::decode(v.text);
    ASSERT_TRUE(d.ok()) << v.text;
    EXPECT_EQ(as_string_view(*d), "yes mani !");
  }
}

// multibase spec test vectors (tests/test1.csv, leading_zero.csv, two_leading_zeros.csv) for
// the bases we support.
struct NamedInput {
  std::string_view plain;
  Vec vecs[7];
};
const NamedInput kMoreVectors[] = {
    {"Decentralize everything!!",
     {{Base::Base58Btc, "zUXE7GvtEk8XTXs1GF8HSGbVA9FCX9SEBPe"},
      {Base::Base32, "birswgzloorzgc3djpjssazlwmvzhs5dinfxgoijb"},
      {Base::Base32Upper, "BIRSWGZLOORZGC3DJPJSSAZLWMVZHS5DINFXGOIJB"},
      {Base::Base64, "mRGVjZW50cmFsaXplIGV2ZXJ5dGhpbmchIQ"},
      {Base::Base64Url, "uRGVjZW50cmFsaXplIGV2ZXJ5dGhpbmchIQ"},
      {Base::Base64UrlPad, "URGVjZW50cmFsaXplIGV2ZXJ5dGhpbmchIQ=="},
      {Base::Base16, "f446563656e7472616c697a652065766572797468696e672121"}}},
    {std::string_view("\0yes mani !", 11),
     {{Base::Base58Btc, "z17paNL19xttacUY"},
      {Base::Base32, "bab4wk4zanvqw42jaee"},
      {Base::Base32Upper, "BAB4WK4ZANVQW42JAEE"},
      {Base::Base64, "mAHllcyBtYW5pICE"},
      {Base::Base64Url, "uAHllcyBtYW5pICE"},
      {Base::Base64UrlPad, "UAHllcyBtYW5pICE="},
      {Base::Base16, "f00796573206d616e692021"}}},
    {std::string_view("\0\0yes mani !", 12),
     {{Base::Base58Btc, "z117paNL19xttacUY"},
      {Base::Base32, "baaahszltebwwc3tjeaqq"},
      {Base::Base32Upper, "BAAAHSZLTEBWWC3TJEAQQ"},
      {Base::Base64, "mAAB5ZXMgbWFuaSAh"},
      {Base::Base64Url, "uAAB5ZXMgbWFuaSAh"},
      {Base::Base64UrlPad, "UAAB5ZXMgbWFuaSAh"},
      {Base::Base16, "f0000796573206d616e692021"}}},
};

TEST(Multibase, MoreSpecVectors) {
  for (const auto& in : kMoreVectors) {
    for (const auto& v : in.vecs) {
      EXPECT_EQ(multibase::encode(v.base, as_bytes(in.plain)), v.text);
      auto d = multibase::decode(v.text);
      ASSERT_TRUE(d.ok()) << v.text;
      EXPECT_EQ(as_string_view(*d), in.plain) << v.text;
    }
  }
}

TEST(Multibase, UnknownPrefixIsUnsupported) {
  for (std::string_view t : {"Qabc", "F796573", "9123", "kabc", "\x80"}) {
    auto d = multibase::decode(t);
    ASSERT_FALSE(d.ok()) << t;
    EXPECT_TRUE(d.error().is(P2PNetworkError::Unsupported)) << t;
  }
}

TEST(Multibase, RejectsMalformedPayloads) {
  for (std::string_view t : {"", "bPFSXGIDNMFXGSIBB", "Bpfsxgidnmfxgsibb", "bpfsxgidnmfxgsibB",
                             "meWVzIG1hbmkgIQ==", "ueWVzIG1hbmkgIQ==", "UeWVzIG1hbmkgIQ",
                             "meWVzIG1hbmkgIR", "f796573206D616E692021", "f7", "fzz", "z0"}) {
    auto d = multibase::decode(t);
    ASSERT_FALSE(d.ok()) << t;
    EXPECT_TRUE(d.error().is(P2PNetworkError::InvalidMessage)) << t;
  }
}

TEST(Multibase, RoundTripsEveryBase) {
  Bytes b;
  for (size_t n = 0; n < 40; ++n) {
    for (const auto& v : kYesMani) {
      const std::string text = multibase::encode(v.base, b);
      auto d = multibase::decode(text);
      ASSERT_TRUE(d.ok()) << text;
      EXPECT_EQ(*d, b);
    }
    b.push_back(static_cast<uint8_t>(n * 37 + 11));
  }
}

}  // namespace
}  // namespace hauptbuch::p2p

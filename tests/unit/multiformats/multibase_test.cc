// Multibase: the spec's "yes mani !" vectors per base, prefix dispatch and strictness.
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

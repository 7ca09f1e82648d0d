// base58 / base32 / base64: RFC 4648 §10 vectors, base58 spec examples, strictness and round trips.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "util/base32.h"
#include "util/base58.h"
#include "util/base64.h"

namespace hauptbuch::p2p {
namespace {

struct Vec {
  std::string_view plain;
  std::string_view encoded;
};

// RFC 4648 §10, base32 lowered and with the padding removed.
const Vec kBase32[] = {{"", ""},          {"f", "my"},          {"fo", "mzxq"},
                       {"foo", "mzxw6"},  {"foob", "mzxw6yq"},  {"fooba", "mzxw6ytb"},
                       {"foobar", "mzxw6ytboi"}};
// RFC 4648 §10, base64.
const Vec kBase64[] = {{"", ""},          {"f", "Zg=="},        {"fo", "Zm8="},
                       {"foo", "Zm9v"},   {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                       {"foobar", "Zm9vYmFy"}};

Bytes pseudo_random(size_t n, uint32_t seed) {
  Bytes b(n);
  for (auto& x : b) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<uint8_t>(seed >> 24);
  }
  return b;
}

bool is_invalid(const Result<Bytes>& r) { return !r.ok() && r.error().is(P2PNetworkError::InvalidMessage); }

TEST(Base32, Rfc4648Vectors) {
  for (const auto& v : kBase32) {
    EXPECT_EQ(base32::encode_lower(as_bytes(v.plain)), v.encoded) << v.plain;
    auto d = base32::decode(v.encoded);
    ASSERT_TRUE(d.ok()) << v.encoded;
    EXPECT_EQ(as_string_view(*d), v.plain);
    std::string upper(v.encoded);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto du = base32::decode(upper);
    ASSERT_TRUE(du.ok()) << upper;
    EXPECT_EQ(as_string_view(*du), v.plain);
  }
}

TEST(Base32, RejectsNonCanonicalInput) {
  EXPECT_TRUE(is_invalid(base32::decode("Mzxq")));        // mixed case
  EXPECT_TRUE(is_invalid(base32::decode("my======")));    // padding
  EXPECT_TRUE(is_invalid(base32::decode("m")));           // len % 8 == 1
  EXPECT_TRUE(is_invalid(base32::decode("mzx")));         // len % 8 == 3
  EXPECT_TRUE(is_invalid(base32::decode("mzxw6y")));      // len % 8 == 6
  EXPECT_TRUE(is_invalid(base32::decode("mz")));          // "f" is "my": trailing bits set
  EXPECT_TRUE(is_invalid(base32::decode("mzxr")));        // "fo" is "mzxq"
  EXPECT_TRUE(is_invalid(base32::decode("my1")));         // '1' not in alphabet
  EXPECT_TRUE(is_invalid(base32::decode(std::string_view("m\0", 2))));
}

TEST(Base32, RoundTripsAllLengths) {
  for (size_t n = 0; n < 70; ++n) {
    Bytes b = pseudo_random(n, static_cast<uint32_t>(n));
    auto d = base32::decode(base32::encode_lower(b));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, b);
  }
}

TEST(Base64, Rfc4648Vectors) {
  for (const auto& v : kBase64) {
    EXPECT_EQ(base64::encode(as_bytes(v.plain)), v.encoded);
    auto d = base64::decode(v.encoded);
    ASSERT_TRUE(d.ok()) << v.encoded;
    EXPECT_EQ(as_string_view(*d), v.plain);
    // Unpadded form encodes and decodes too.
    std::string unpadded(v.encoded.substr(0, v.encoded.find('=')));
    EXPECT_EQ(base64::encode(as_bytes(v.plain), false, false), unpadded);
    auto du = base64::decode(unpadded);
    ASSERT_TRUE(du.ok()) << unpadded;
    EXPECT_EQ(as_string_view(*du), v.plain);
  }
}

TEST(Base64, UrlAlphabet) {
  const Bytes b = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64::encode(b), "+/+/");
  EXPECT_EQ(base64::encode(b, true), "-_-_");
  auto d = base64::decode("-_-_", true);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, b);
  EXPECT_TRUE(is_invalid(base64::decode("-_-_", false)));
  EXPECT_TRUE(is_invalid(base64::decode("+/+/", true)));
}

TEST(Base64, RejectsNonCanonicalInput) {
  EXPECT_TRUE(is_invalid(base64::decode("Zh==")));   // trailing bits of "f" set
  EXPECT_TRUE(is_invalid(base64::decode("Zh")));
  EXPECT_TRUE(is_invalid(base64::decode("Zm9=")));   // trailing bits of "fo" set
  EXPECT_TRUE(is_invalid(base64::decode("Zg=")));    // incomplete padding
  EXPECT_TRUE(is_invalid(base64::decode("Zm8==")));  // too much padding
  EXPECT_TRUE(is_invalid(base64::decode("Zm9v=")));
  EXPECT_TRUE(is_invalid(base64::decode("Z")));      // impossible length
  EXPECT_TRUE(is_invalid(base64::decode("Zg==Zg==")));  // padding in the middle
  EXPECT_TRUE(is_invalid(base64::decode("====")));
  EXPECT_TRUE(is_invalid(base64::decode("Zm 9v")));
  EXPECT_TRUE(is_invalid(base64::decode("Zm9v\n")));
}

TEST(Base64, RoundTripsAllLengths) {
  for (size_t n = 0; n < 70; ++n) {
    Bytes b = pseudo_random(n, static_cast<uint32_t>(n) + 7);
    for (bool url : {false, true}) {
      for (bool pad : {false, true}) {
        auto d = base64::decode(base64::encode(b, url, pad), url);
        ASSERT_TRUE(d.ok());
        EXPECT_EQ(*d, b);
      }
    }
  }
}

TEST(Base58, SpecExamples) {
  EXPECT_EQ(base58::encode(as_bytes("Hello World!")), "2NEpo7TZRRrLZSi2U");
  auto d = base58::decode("2NEpo7TZRRrLZSi2U");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(as_string_view(*d), "Hello World!");
  const Bytes lead = {0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd};
  EXPECT_EQ(base58::encode(lead), "11233QC4");
  auto dl = base58::decode("11233QC4");
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ(*dl, lead);
}

TEST(Base58, LeadingZerosAndEmpty) {
  EXPECT_EQ(base58::encode({}), "");
  EXPECT_EQ(base58::encode(Bytes{0}), "1");
  EXPECT_EQ(base58::encode(Bytes{0, 0, 0}), "111");
  EXPECT_EQ(base58::encode(Bytes{0, 1}), "12");
  EXPECT_EQ(base58::encode(Bytes{58}), "21");
  auto d = base58::decode("111");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, (Bytes{0, 0, 0}));
  auto e = base58::decode("");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->empty());
}

TEST(Base58, RejectsBadCharactersAndLongInput) {
  for (std::string_view bad : {"0", "O", "I", "l", "2NEpo7TZ+RRrLZSi2U", " 2N"}) {
    EXPECT_TRUE(is_invalid(base58::decode(bad))) << bad;
  }
  EXPECT_TRUE(base58::decode(std::string(base58::kMaxEncodedLength, '2')).ok());
  EXPECT_TRUE(is_invalid(base58::decode(std::string(base58::kMaxEncodedLength + 1, '2'))));
  EXPECT_TRUE(is_invalid(base58::decode(std::string(1 << 20, 'z'))));  // hostile megabyte
}

TEST(Base58, RoundTrips) {
  for (size_t n = 0; n < 80; ++n) {
    Bytes b = pseudo_random(n, static_cast<uint32_t>(n) + 99);
    if (n % 5 == 0 && n > 0) b[0] = 0;
    auto d = base58::decode(base58::encode(b));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, b);
  }
}

TEST(Base58, MaxDecodedBound) {
  const std::string id = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";  // 38 bytes
  auto exact = base58::decode(id, 38);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->size(), 38u);
  EXPECT_TRUE(is_invalid(base58::decode(id, 37)));
  EXPECT_TRUE(base58::decode("111", 3).ok());
  EXPECT_TRUE(is_invalid(base58::decode("111", 2)));  // leading zero bytes count too
  EXPECT_TRUE(is_invalid(base58::decode("1112", 3)));
}

// Reference: the textbook one-digit-at-a-time conversion, to check the limb-based codec.
std::string reference_base58(ByteSpan data) {
  static constexpr std::string_view kAlpha =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  size_t zeros = 0;
  while (zeros < data.size() && data[zeros] == 0) ++zeros;
  std::vector<uint8_t> digits;
  for (size_t i = zeros; i < data.size(); ++i) {
    uint32_t carry = data[i];
    for (auto& d : digits) {
      carry += uint32_t{d} << 8;
      d = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    for (; carry > 0; carry /= 58) digits.push_back(static_cast<uint8_t>(carry % 58));
  }
  std::string out(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kAlpha[*it]);
  return out;
}

TEST(Base58, MatchesReferenceConversion) {
  for (size_t n = 0; n < 300; ++n) {
    Bytes b = pseudo_random(n, static_cast<uint32_t>(n) * 7 + 1);
    if (n % 3 == 1 && n > 1) b[0] = b[1] = 0;   // leading zero bytes
    if (n % 7 == 2 && n > 0) b[n - 1] = 0;      // trailing zero byte
    if (n % 11 == 5) std::fill(b.begin(), b.end(), 0xff);
    const std::string ref = reference_base58(b);
    ASSERT_EQ(base58::encode(b), ref) << n;
    auto d = base58::decode(ref);
    ASSERT_TRUE(d.ok()) << n;
    ASSERT_EQ(*d, b) << n;
  }
  // Limb boundaries: powers of 58 and of 256 and one less.
  for (int e = 1; e < 40; ++e) {
    std::string p58(static_cast<size_t>(e) + 1, '1');  // "21...1" is 58^e
    p58[0] = '2';
    auto d = base58::decode(p58);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(base58::encode(*d), p58);
    EXPECT_EQ(reference_base58(*d), p58);
    Bytes p256(static_cast<size_t>(e) + 1, 0);
    p256[0] = 1;  // 256^e
    EXPECT_EQ(base58::encode(p256), reference_base58(p256));
    Bytes m256(static_cast<size_t>(e), 0xff);  // 256^e - 1
    EXPECT_EQ(base58::encode(m256), reference_base58(m256));
  }
}

}  // namespace
}  // namespace hauptbuch::p2p

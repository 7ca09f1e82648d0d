// ByteReader/ByteWriter: bounds checks, prefixed fields, and failure leaving the cursor intact.
#include "util/byte_reader.h"

#include <gtest/gtest.h>

#include "util/byte_writer.h"

namespace hauptbuch::p2p {
namespace {

TEST(ByteReader, ReadsIntegersInBothByteOrders) {
  Bytes in{0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
  ByteReader r(in);
  uint16_t a = 0;
  uint32_t b = 0;
  ASSERT_TRUE(r.read_u16_be(a));
  ASSERT_TRUE(r.read_u32_le(b));
  EXPECT_EQ(a, 0x0102);
  EXPECT_EQ(b, 0x06050403u);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReader, FailsPastTheEndWithoutMoving) {
  Bytes in{0x01, 0x02, 0x03};
  ByteReader r(in);
  uint32_t v = 0;
  EXPECT_FALSE(r.read_u32_be(v));
  EXPECT_EQ(r.remaining(), 3u);
  ByteSpan s;
  EXPECT_FALSE(r.read_bytes(4, s));
  EXPECT_TRUE(r.read_bytes(3, s));
  EXPECT_FALSE(r.skip(1));
}

TEST(ByteReader, PrefixedFieldsRespectMaximumAndPresence) {
  ByteWriter w;
  Bytes payload{1, 2, 3, 4, 5};
  w.uvarint_prefixed(payload).u8_prefixed(payload).u16_be_prefixed(payload);
  ASSERT_TRUE(w.ok());
  ByteReader r(w.bytes());
  ByteSpan s;
  EXPECT_FALSE(r.read_uvarint_prefixed(s, 4));  // longer than allowed
  EXPECT_EQ(r.remaining(), w.size());           // cursor unchanged
  ASSERT_TRUE(r.read_uvarint_prefixed(s, 5));
  EXPECT_EQ(Bytes(s.begin(), s.end()), payload);
  ASSERT_TRUE(r.read_u8_prefixed(s));
  ASSERT_TRUE(r.read_u16_be_prefixed(s));
  EXPECT_EQ(Bytes(s.begin(), s.end()), payload);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReader, TruncatedPrefixedFieldFails) {
  Bytes in{0x05, 1, 2};
  ByteReader r(in);
  ByteSpan s;
  EXPECT_FALSE(r.read_uvarint_prefixed(s, 100));
  EXPECT_FALSE(r.read_u8_prefixed(s));
  EXPECT_EQ(r.remaining(), 3u);
}

TEST(ByteWriter, MaximumSizeIsEnforced) {
  ByteWriter w(4);
  w.u16_be(1).u16_be(2);
  EXPECT_TRUE(w.ok());
  w.u8(3);
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(w.size(), 4u);
  w.u8(4);  // ignored after failure
  EXPECT_EQ(w.size(), 4u);
}

TEST(ByteWriter, PrefixTooLongFails) {
  Bytes big(256, 0);
  ByteWriter w;
  w.u8_prefixed(big);
  EXPECT_FALSE(w.ok());
}

TEST(Bytes, HexRoundTripAndRejects) {
  Bytes b{0x00, 0xab, 0xff};
  EXPECT_EQ(to_hex(b), "00abff");
  EXPECT_EQ(*from_hex("00ABff"), b);
  EXPECT_FALSE(from_hex("0"));
  EXPECT_FALSE(from_hex("zz"));
}

TEST(Bytes, ConstantTimeEqual) {
  Bytes a{1, 2, 3}, b{1, 2, 3}, c{1, 2, 4};
  EXPECT_TRUE(ct_equal(a, b));
  EXPECT_FALSE(ct_equal(a, c));
  EXPECT_FALSE(ct_equal(a, Bytes{1, 2}));
}

}  // namespace
}  // namespace hauptbuch::p2p

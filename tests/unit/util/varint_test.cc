// Unsigned varint: the multiformats spec's examples, limits and strictness.
#include "util/varint.h"

#include <gtest/gtest.h>

#include "util/byte_reader.h"
#include "util/byte_writer.h"

namespace hauptbuch::p2p {
namespace {

struct Example {
  uint64_t value;
  Bytes encoding;
};

// The examples table of the multiformats unsigned-varint spec.
const Example kSpecExamples[] = {
    {1, {0x01}},
    {127, {0x7f}},
    {128, {0x80, 0x01}},
    {255, {0xff, 0x01}},
    {300, {0xac, 0x02}},
    {16384, {0x80, 0x80, 0x01}},
};

TEST(Varint, SpecExamplesEncode) {
  for (const auto& ex : kSpecExamples) {
    Bytes out;
    varint::append(out, ex.value);
    EXPECT_EQ(out, ex.encoding) << ex.value;
    EXPECT_EQ(varint::encoded_size(ex.value), ex.encoding.size());
  }
}

TEST(Varint, SpecExamplesDecode) {
  for (const auto& ex : kSpecExamples) {
    auto d = varint::decode(ex.encoding);
    ASSERT_EQ(d.status, varint::DecodeStatus::Ok);
    EXPECT_EQ(d.value, ex.value);
    EXPECT_EQ(d.length, ex.encoding.size());
  }
}

TEST(Varint, MaximumValueUsesNineBytes) {
  Bytes out;
  varint::append(out, varint::kMaxValue);
  EXPECT_EQ(out.size(), 9u);
  auto d = varint::decode(out);
  ASSERT_EQ(d.status, varint::DecodeStatus::Ok);
  EXPECT_EQ(d.value, varint::kMaxValue);
}

TEST(Varint, RejectsTenthByte) {
  Bytes ten(9, 0xff);
  ten.push_back(0x01);
  EXPECT_EQ(varint::decode(ten).status, varint::DecodeStatus::Invalid);
  Bytes nine_cont(9, 0x80);
  EXPECT_EQ(varint::decode(nine_cont).status, varint::DecodeStatus::Invalid);
}

TEST(Varint, RejectsNonMinimal) {
  EXPECT_EQ(varint::decode(Bytes{0x80, 0x00}).status, varint::DecodeStatus::Invalid);
  EXPECT_EQ(varint::decode(Bytes{0x81, 0x80, 0x00}).status, varint::DecodeStatus::Invalid);
  EXPECT_EQ(varint::decode(Bytes{0x00}).status, varint::DecodeStatus::Ok);  // zero is 0x00
}

TEST(Varint, NeedMoreOnTruncation) {
  EXPECT_EQ(varint::decode(Bytes{}).status, varint::DecodeStatus::NeedMore);
  EXPECT_EQ(varint::decode(Bytes{0x80}).status, varint::DecodeStatus::NeedMore);
  EXPECT_EQ(varint::decode(Bytes{0xff, 0xff}).status, varint::DecodeStatus::NeedMore);
}

TEST(Varint, RoundTripsPowersOfTwo) {
  for (int bit = 0; bit < 63; ++bit) {
    for (uint64_t v : {(uint64_t{1} << bit) - 1, uint64_t{1} << bit, (uint64_t{1} << bit) + 1}) {
      if (v > varint::kMaxValue) continue;
      Bytes out;
      varint::append(out, v);
      auto d = varint::decode(out);
      ASSERT_EQ(d.status, varint::DecodeStatus::Ok) << v;
      EXPECT_EQ(d.value, v);
    }
  }
}

TEST(Varint, WriterRefusesValuesAbove63Bits) {
  ByteWriter w;
  w.uvarint(varint::kMaxValue + 1);
  EXPECT_FALSE(w.ok());
}

}  // namespace
}  // namespace hauptbuch::p2p

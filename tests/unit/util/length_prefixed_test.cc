// Length-prefixed frames: size cap enforced at the prefix, split input, undrained buffers.
#include "util/length_prefixed.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p {
namespace {

TEST(LengthPrefixed, DecodesCompleteFrame) {
  Bytes buf;
  append_frame(buf, Bytes{7, 8, 9});
  auto v = decode_frame(buf, 16);
  ASSERT_EQ(v.status, FrameStatus::Ok);
  EXPECT_EQ(Bytes(v.payload.begin(), v.payload.end()), (Bytes{7, 8, 9}));
  EXPECT_EQ(v.consumed, 4u);
}

TEST(LengthPrefixed, RejectsOversizeBeforePayloadArrives) {
  Bytes prefix{0x80, 0x08};  // declares 1024 bytes, none present
  EXPECT_EQ(decode_frame(prefix, 1023).status, FrameStatus::TooLarge);
  EXPECT_EQ(decode_frame(prefix, 1024).status, FrameStatus::NeedMore);
}

TEST(LengthPrefixed, DecoderHandlesByteByByteInput) {
  Bytes stream;
  append_frame(stream, Bytes{1, 2, 3});
  append_frame(stream, Bytes{});
  append_frame(stream, Bytes(200, 0x55));
  FrameDecoder dec(256);
  std::vector<Bytes> frames;
  for (uint8_t b : stream) {
    ASSERT_TRUE(dec.push(ByteSpan(&b, 1)).ok());
    while (true) {
      auto f = dec.next();
      ASSERT_TRUE(f.ok());
      if (!f->has_value()) break;
      frames.push_back(std::move(**f));
    }
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0], (Bytes{1, 2, 3}));
  EXPECT_TRUE(frames[1].empty());
  EXPECT_EQ(frames[2].size(), 200u);
  EXPECT_EQ(dec.buffered(), 0u);
}

TEST(LengthPrefixed, DecoderRejectsOversizeAndBadPrefix) {
  FrameDecoder dec(10);
  Bytes big{11};
  auto st = dec.push(big);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::InvalidMessage));
  FrameDecoder dec2(10);
  Bytes bad{0x80, 0x00};
  EXPECT_FALSE(dec2.push(bad).ok());
}

TEST(LengthPrefixed, DecoderRefusesUndrainedGrowth) {
  FrameDecoder dec(4);
  Bytes many;
  for (int i = 0; i < 10; ++i) append_frame(many, Bytes{1, 2, 3, 4});
  ASSERT_TRUE(dec.push(many).ok());  // one push is accepted...
  EXPECT_FALSE(dec.push(many).ok());  // ...but not a second one without draining
}

}  // namespace
}  // namespace hauptbuch::p2p

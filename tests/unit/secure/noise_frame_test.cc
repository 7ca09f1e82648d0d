// libp2p /noise 2-byte length framing: limits and byte-at-a-time delivery.
#include "secure/noise_frame.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p::secure {
namespace {

TEST(NoiseFrame, OversizedPayloadRefused) {
  Bytes out;
  auto st = append_noise_frame(Bytes(65536, 0), out);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::ResourceLimitExceeded));
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(append_noise_frame(Bytes(65535, 1), out).ok());
  EXPECT_EQ(out.size(), 65537u);
  EXPECT_EQ(out[0], 0xff);
  EXPECT_EQ(out[1], 0xff);
}

TEST(NoiseFrame, ByteAtATimeAndEmptyFrames) {
  Bytes wire;
  ASSERT_TRUE(append_noise_frame(Bytes{}, wire).ok());
  ASSERT_TRUE(append_noise_frame(Bytes{1, 2, 3}, wire).ok());
  ASSERT_TRUE(append_noise_frame(Bytes(300, 7), wire).ok());
  std::vector<Bytes> frames;
  NoiseFrameDecoder dec;
  for (uint8_t b : wire) {
    EXPECT_EQ(dec.push(ByteSpan(&b, 1)), 1u);
    if (dec.has_frame()) frames.push_back(dec.take_frame());
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_TRUE(frames[0].empty());
  EXPECT_EQ(frames[1], (Bytes{1, 2, 3}));
  EXPECT_EQ(frames[2], Bytes(300, 7));
  EXPECT_TRUE(dec.idle());
}

TEST(NoiseFrame, PushStopsAtFrameEndLeavingRest) {
  Bytes wire;
  ASSERT_TRUE(append_noise_frame(Bytes{9}, wire).ok());
  ASSERT_TRUE(append_noise_frame(Bytes{8}, wire).ok());
  NoiseFrameDecoder dec;
  const size_t used = dec.push(wire);
  EXPECT_EQ(used, 3u);
  ASSERT_TRUE(dec.has_frame());
  EXPECT_EQ(dec.take_frame(), Bytes{9});
  EXPECT_EQ(dec.push(ByteSpan(wire).subspan(used)), 3u);
  EXPECT_EQ(dec.take_frame(), Bytes{8});
}

}  // namespace
}  // namespace hauptbuch::p2p::secure

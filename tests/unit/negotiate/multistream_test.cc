// Unit tests for multistream-select 1.0 (src/negotiate/multistream.h): the spec's exchanges,
// pipelining, "na" fallback, leftover bytes, byte-at-a-time delivery and hostile input.
#include "negotiate/multistream.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p::negotiate {
namespace {

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(Multistream, EncodesAsTheSpecShows) {
  // "\x13/multistream/1.0.0\n" (0x13 = 19 bytes with the newline).
  const Bytes m = encode_message("/multistream/1.0.0");
  ASSERT_EQ(m.size(), 20u);
  EXPECT_EQ(m[0], 0x13);
  EXPECT_EQ(m.back(), '\n');
  EXPECT_EQ(to_hex(encode_message("na")), "036e610a");
}

// Runs initiator and responder against each other, moving `chunk` bytes at a time.
void run(Initiator& i, Responder& r, size_t chunk) {
  Bytes to_r = i.start(), to_i = r.start();
  for (int round = 0; round < 10000 && (!i.done() || !r.done()); ++round) {
    if (!to_r.empty()) {
      const size_t n = std::min(chunk, to_r.size());
      ASSERT_TRUE(r.feed(ByteSpan(to_r.data(), n)).ok());
      to_r.erase(to_r.begin(), to_r.begin() + static_cast<std::ptrdiff_t>(n));
      Bytes o = r.take_output();
      to_i.insert(to_i.end(), o.begin(), o.end());
    }
    if (!to_i.empty()) {
      const size_t n = std::min(chunk, to_i.size());
      auto st = i.feed(ByteSpan(to_i.data(), n));
      ASSERT_TRUE(st.ok()) << st.error().message();
      to_i.erase(to_i.begin(), to_i.begin() + static_cast<std::ptrdiff_t>(n));
      Bytes o = i.take_output();
      to_r.insert(to_r.end(), o.begin(), o.end());
    }
  }
}

TEST(Multistream, FirstChoiceAgreed) {
  for (size_t chunk : {1u, 3u, 1000u}) {
    Initiator i({"/noise", "/plaintext/2.0.0"});
    Responder r(std::vector<std::string>{"/noise"});
    run(i, r, chunk);
    EXPECT_TRUE(i.done());
    EXPECT_TRUE(r.done());
    EXPECT_EQ(i.selected(), "/noise");
    EXPECT_EQ(r.selected(), "/noise");
  }
}

TEST(Multistream, FallsBackOnNa) {
  for (size_t chunk : {1u, 1000u}) {
    Initiator i({"/hauptbuch/pq-noise/1.0.0", "/noise"});
    Responder r(std::vector<std::string>{"/noise", "/yamux/1.0.0"});
    run(i, r, chunk);
    EXPECT_EQ(i.selected(), "/noise");
    EXPECT_EQ(r.selected(), "/noise");
  }
}

TEST(Multistream, NothingInCommonIsUnsupported) {
  Initiator i({"/a", "/b"});
  Responder r(std::vector<std::string>{"/c"});
  ASSERT_TRUE(r.feed(i.start()).ok());
  Bytes to_i = cat({r.start(), r.take_output()});
  ASSERT_TRUE(i.feed(to_i).ok());  // header + na for /a
  ASSERT_TRUE(r.feed(i.take_output()).ok());
  auto st = i.feed(r.take_output());
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::Unsupported));
}

TEST(Multistream, LeftoverBytesArePreservedBothWays) {
  Initiator i({"/yamux/1.0.0"});
  Responder r(std::vector<std::string>{"/yamux/1.0.0"});
  const Bytes app = {0x00, 0x01, 0x02, 0xff};
  // The initiator pipelines application data right after its proposal (optimistic).
  ASSERT_TRUE(r.feed(cat({i.start(), app})).ok());
  ASSERT_TRUE(r.done());
  EXPECT_EQ(r.take_leftover(), app);
  // The responder's echo arrives together with the first bytes of its application data.
  ASSERT_TRUE(i.feed(cat({r.start(), r.take_output(), app})).ok());
  ASSERT_TRUE(i.done());
  EXPECT_EQ(i.take_leftover(), app);
}

TEST(Multistream, LsAndUnknownAnsweredWithNaUntilLimit) {
  Responder r(std::vector<std::string>{"/x"});
  Bytes in = encode_message(kMultistreamProtocol);
  ASSERT_TRUE(r.feed(in).ok());
  ASSERT_TRUE(r.feed(encode_message("ls")).ok());
  EXPECT_EQ(r.take_output(), encode_message("na"));
  Status st;
  for (size_t k = 0; k < kMaxRefusals + 1 && st.ok(); ++k) st = r.feed(encode_message("/nope"));
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::InvalidMessage));
}

TEST(Multistream, HostileInput) {
  auto feed_r = [](const Bytes& b) {
    Responder r(std::vector<std::string>{"/x"});
    return r.feed(b);
  };
  EXPECT_FALSE(feed_r(encode_message("/multistream/2.0.0")).ok());         // wrong header
  EXPECT_FALSE(feed_r({0x03, 'a', 'b', 'c'}).ok());                         // no newline
  EXPECT_FALSE(feed_r({0x00}).ok());                                        // zero length
  EXPECT_FALSE(feed_r({0x81, 0x08}).ok());                                  // 1025 > max
  EXPECT_FALSE(feed_r({0x80, 0x00}).ok());                                  // non-minimal varint
  EXPECT_FALSE(feed_r({0x04, 'a', '\n', 'b', '\n'}).ok());                  // two lines
  Responder r(std::vector<std::string>{"/x"});
  EXPECT_TRUE(r.feed(Bytes{0xff}).ok());  // incomplete varint: wait
  EXPECT_FALSE(r.done());
  Bytes flood(200 * 1024, 0x01);  // many bytes while negotiating: refused, not buffered
  Responder r2(std::vector<std::string>{"/x"});
  EXPECT_FALSE(r2.feed(flood).ok());
  // After a failure the machine stays failed.
  Initiator i({"/x"});
  EXPECT_FALSE(i.feed(encode_message("/bogus")).ok());
  EXPECT_FALSE(i.feed(encode_message(kMultistreamProtocol)).ok());
}

}  // namespace
}  // namespace hauptbuch::p2p::negotiate

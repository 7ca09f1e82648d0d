// Extra hostile-input tests for the yamux session (src/mux/yamux_session.h): malformed headers
// delivered byte by byte, frames for unknown streams, SYN floods past the stream limit, exact
// window edges, GoAway handling both ways, ping bookkeeping, the session buffer bound and seeded
// random garbage. Every case checks the exact outcome (error code, GoAway, RST, events).
#include <gtest/gtest.h>

#include <vector>

#include "mux/yamux_session.h"
#include "util/random.h"

namespace hauptbuch::p2p::mux {
namespace {

using namespace std::chrono_literals;

std::vector<FrameHeader> frames_of(const Bytes& out) {
  std::vector<FrameHeader> r;
  for (size_t off = 0; off + kYamuxHeaderSize <= out.size();) {
    auto h = decode_header(ByteSpan(out.data() + off, kYamuxHeaderSize));
    EXPECT_TRUE(h.ok());
    if (!h.ok()) break;
    r.push_back(*h);
    off += kYamuxHeaderSize + (h->type == FrameType::Data ? h->length : 0);
  }
  return r;
}

Bytes encode(std::initializer_list<FrameHeader> hs) {
  Bytes b;
  for (const auto& h : hs) {
    append_header(b, h);
    if (h.type == FrameType::Data) b.resize(b.size() + h.length, 0xAB);
  }
  return b;
}

void expect_protocol_goaway(Session& s) {
  EXPECT_TRUE(s.closed());
  const auto fs = frames_of(s.take_output());
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs.back().type, FrameType::GoAway);
  EXPECT_EQ(fs.back().length, static_cast<uint32_t>(GoAwayCode::ProtocolError));
}

TEST(YamuxHostile, UnknownTypeByteAtATimeThenSessionStaysDead) {
  Session s(Session::Role::Server);
  Bytes b = encode({{FrameType::Ping, 0, 0, 0}});
  b[1] = 7;  // unknown type
  for (size_t i = 0; i + 1 < b.size(); ++i) ASSERT_TRUE(s.feed(ByteSpan(&b[i], 1), Time{}).ok());
  auto st = s.feed(ByteSpan(&b.back(), 1), Time{});
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::InvalidMessage));
  expect_protocol_goaway(s);
  auto again = s.feed(encode({{FrameType::Ping, flags::kSyn, 0, 1}}), Time{});
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().is(P2PNetworkError::InvalidConnection));
  EXPECT_TRUE(s.take_output().empty());  // no answer from a dead session
}

TEST(YamuxHostile, WrongVersionAndGoAwayOnAStream) {
  {
    Session s(Session::Role::Client);
    Bytes b = encode({{FrameType::Ping, flags::kSyn, 0, 1}});
    b[0] = 1;
    EXPECT_FALSE(s.feed(b, Time{}).ok());
    expect_protocol_goaway(s);
  }
  {
    Session s(Session::Role::Client);
    EXPECT_FALSE(s.feed(encode({{FrameType::GoAway, 0, 3, 0}}), Time{}).ok());
    expect_protocol_goaway(s);
  }
}

TEST(YamuxHostile, DataAfterFinIsAProtocolError) {
  Session s(Session::Role::Server);
  ASSERT_TRUE(s.feed(encode({{FrameType::WindowUpdate, flags::kSyn | flags::kFin, 1, 0}}), Time{}).ok());
  EXPECT_TRUE(s.has_stream(1));
  EXPECT_FALSE(s.feed(encode({{FrameType::Data, 0, 1, 4}}), Time{}).ok());
  expect_protocol_goaway(s);
}

TEST(YamuxHostile, FramesForUnknownStreamsAreIgnored) {
  Session s(Session::Role::Server);
  ASSERT_TRUE(s.feed(encode({{FrameType::Data, 0, 7, 4},
                             {FrameType::WindowUpdate, flags::kRst, 9, 0},
                             {FrameType::WindowUpdate, 0, 11, 100},
                             {FrameType::WindowUpdate, flags::kAck, 13, 0},
                             {FrameType::Data, flags::kFin, 15, 0}}),
                     Time{})
                  .ok());
  EXPECT_FALSE(s.closed());
  EXPECT_EQ(s.stream_count(), 0u);
  EXPECT_TRUE(s.take_output().empty());
  EXPECT_FALSE(s.poll_event().has_value());
  EXPECT_EQ(s.buffered(), 0u);
}

TEST(YamuxHostile, SynFloodPastTheStreamLimitIsRefusedWithRst) {
  YamuxConfig cfg;
  cfg.max_streams = 8;
  Session s(Session::Role::Server, cfg);
  Bytes in;
  for (uint32_t i = 0; i < 100; ++i) append_header(in, {FrameType::WindowUpdate, flags::kSyn, 2 * i + 1, 0});
  ASSERT_TRUE(s.feed(in, Time{}).ok());
  EXPECT_EQ(s.stream_count(), 8u);
  size_t opened = 0;
  while (auto e = s.poll_event()) opened += e->type == EventType::StreamOpened;
  EXPECT_EQ(opened, 8u);
  const auto fs = frames_of(s.take_output());
  ASSERT_EQ(fs.size(), 100u);
  for (size_t i = 0; i < fs.size(); ++i) {
    EXPECT_EQ(fs[i].stream_id, 2 * i + 1);
    EXPECT_EQ(fs[i].flags, i < 8 ? flags::kAck : flags::kRst) << i;
  }
  EXPECT_LT(s.memory_usage(), 64u * 1024);
}

TEST(YamuxHostile, SynForAnIdTheRemoteResetIsAProtocolError) {
  Session s(Session::Role::Server);
  ASSERT_TRUE(s.feed(encode({{FrameType::WindowUpdate, flags::kSyn, 1, 0},
                             {FrameType::WindowUpdate, flags::kRst, 1, 0}}),
                     Time{})
                  .ok());
  EXPECT_FALSE(s.has_stream(1));
  EXPECT_FALSE(s.feed(encode({{FrameType::WindowUpdate, flags::kSyn, 1, 0}}), Time{}).ok());
  expect_protocol_goaway(s);
}

TEST(YamuxHostile, ReceiveWindowEdgeIsExact) {
  Session s(Session::Role::Server);
  ASSERT_TRUE(s.feed(encode({{FrameType::Data, flags::kSyn, 1, 256 * 1024}}), Time{}).ok());
  EXPECT_EQ(s.buffered(), 256u * 1024);
  EXPECT_FALSE(s.feed(encode({{FrameType::Data, 0, 1, 1}}), Time{}).ok());
  expect_protocol_goaway(s);
}

TEST(YamuxHostile, SendWindowEdgeIsExact) {
  Session s(Session::Role::Server);
  ASSERT_TRUE(s.feed(encode({{FrameType::WindowUpdate, flags::kSyn, 1, 0}}), Time{}).ok());
  // 256 KiB initial + this delta is exactly 2^32 - 1: still valid.
  ASSERT_TRUE(s.feed(encode({{FrameType::WindowUpdate, 0, 1, 0xffffffffu - 256 * 1024}}), Time{}).ok());
  EXPECT_FALSE(s.closed());
  EXPECT_FALSE(s.feed(encode({{FrameType::WindowUpdate, 0, 1, 1}}), Time{}).ok());
  expect_protocol_goaway(s);
}

TEST(YamuxHostile, RemoteGoAwayStopsNewStreamsAndMapsUnknownCodes) {
  Session s(Session::Role::Client);
  ASSERT_TRUE(s.feed(encode({{FrameType::GoAway, 0, 0, 77}, {FrameType::GoAway, 0, 0, 1}}), Time{}).ok());
  auto e = s.poll_event();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type, EventType::GoAwayReceived);
  EXPECT_EQ(e->code, GoAwayCode::InternalError);  // unknown code 77
  EXPECT_FALSE(s.poll_event().has_value());       // the second GoAway is not reported again
  EXPECT_TRUE(s.remote_go_away());
  auto id = s.open_stream();
  ASSERT_FALSE(id.ok());
  EXPECT_TRUE(id.error().is(P2PNetworkError::InvalidConnection));
}

TEST(YamuxHostile, LocalGoAwayRefusesInboundStreams) {
  Session s(Session::Role::Server);
  s.go_away(GoAwayCode::Normal);
  auto fs = frames_of(s.take_output());
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].type, FrameType::GoAway);
  EXPECT_EQ(fs[0].length, 0u);
  ASSERT_TRUE(s.feed(encode({{FrameType::WindowUpdate, flags::kSyn, 1, 0}}), Time{}).ok());
  fs = frames_of(s.take_output());
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].flags, flags::kRst);
  EXPECT_EQ(fs[0].stream_id, 1u);
  EXPECT_FALSE(s.poll_event().has_value());
  EXPECT_EQ(s.stream_count(), 0u);
}

TEST(YamuxHostile, PingBookkeeping) {
  Session s(Session::Role::Client);
  const Time t0 = Time{} + 5s;
  // An unsolicited pong is ignored.
  ASSERT_TRUE(s.feed(encode({{FrameType::Ping, flags::kAck, 0, 42}}), t0).ok());
  EXPECT_FALSE(s.poll_event().has_value());
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(s.ping(t0).ok());
  auto st = s.ping(t0);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::ResourceLimitExceeded));
  const auto fs = frames_of(s.take_output());
  ASSERT_EQ(fs.size(), 16u);
  ASSERT_TRUE(s.feed(encode({{FrameType::Ping, flags::kAck, 0, fs[3].length}}), t0 + 37ms).ok());
  auto e = s.poll_event();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type, EventType::PingRtt);
  EXPECT_EQ(e->rtt, Duration(37ms));
  // The same pong twice gives one RTT only; one slot is free again.
  ASSERT_TRUE(s.feed(encode({{FrameType::Ping, flags::kAck, 0, fs[3].length}}), t0 + 40ms).ok());
  EXPECT_FALSE(s.poll_event().has_value());
  EXPECT_TRUE(s.ping(t0).ok());
}

TEST(YamuxHostile, SessionBufferBoundResetsTheStream) {
  YamuxConfig small;
  small.max_session_buffer = 1000;
  Session client(Session::Role::Client), server(Session::Role::Server, small);
  auto id = client.open_stream();
  ASSERT_TRUE(id.ok());
  const Bytes data(5000, 0x5A);
  auto n = client.write(*id, data);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, data.size());
  ASSERT_TRUE(server.feed(client.take_output(), Time{}).ok());
  EXPECT_LE(server.buffered(), 1000u);
  bool reset_seen = false;
  while (auto e = server.poll_event()) reset_seen |= e->type == EventType::StreamReset && e->stream == *id;
  EXPECT_TRUE(reset_seen);
  ASSERT_TRUE(client.feed(server.take_output(), Time{}).ok());
  bool client_reset = false;
  while (auto e = client.poll_event()) client_reset |= e->type == EventType::StreamReset && e->stream == *id;
  EXPECT_TRUE(client_reset);
  auto w = client.write(*id, data);
  ASSERT_FALSE(w.ok());
  EXPECT_TRUE(w.error().is(P2PNetworkError::Cancelled));
}

TEST(YamuxHostile, SeededGarbageNeverCrashesAndErrorsAreFinal) {
  SeededRandom rng(20261125);
  for (int iter = 0; iter < 2000; ++iter) {
    Session s(iter % 2 ? Session::Role::Client : Session::Role::Server);
    Bytes in(rng.uniform(300));
    rng.fill(in);
    // Half the inputs start with a plausible header so the deeper paths are reached.
    if (iter % 2 == 0 && in.size() >= kYamuxHeaderSize) {
      in[0] = 0;
      in[1] = static_cast<uint8_t>(in[1] % 4);
    }
    for (size_t off = 0; off < in.size();) {
      const size_t n = std::min<size_t>(1 + rng.uniform(40), in.size() - off);
      auto st = s.feed(ByteSpan(in.data() + off, n), Time{} + std::chrono::milliseconds(iter));
      off += n;
      if (!st.ok()) {
        EXPECT_TRUE(s.closed());
        break;
      }
    }
    (void)s.take_output();
    while (s.poll_event()) {
    }
    EXPECT_LT(s.memory_usage(), 64u * 1024) << iter;
  }
}

}  // namespace
}  // namespace hauptbuch::p2p::mux

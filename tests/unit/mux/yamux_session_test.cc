// Unit tests for the yamux frame codec and session (src/mux/): two sessions wired back to back
// in memory; many concurrent streams with checksummed data, flow control, half-close, reset,
// ping, GoAway, limits and hostile frames, with byte-at-a-time and random fragmentation.
#include "mux/yamux_session.h"

#include <gtest/gtest.h>

#include <map>

#include "util/random.h"

namespace hauptbuch::p2p::mux {
namespace {

using namespace std::chrono_literals;

TEST(YamuxFrame, HeaderRoundTripAndHostile) {
  Bytes b;
  append_header(b, {FrameType::WindowUpdate, flags::kSyn | flags::kAck, 0x01020304, 0xA0B0C0D0});
  EXPECT_EQ(to_hex(b), "000100030102030" "4a0b0c0d0");
  auto h = decode_header(b);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->stream_id, 0x01020304u);
  b[0] = 1;
  EXPECT_FALSE(decode_header(b).ok());  // version
  b[0] = 0;
  b[1] = 4;
  EXPECT_FALSE(decode_header(b).ok());  // type
}

struct Link {
  Session client{Session::Role::Client}, server{Session::Role::Server};
  Time now = Time{} + 1h;
  size_t chunk = 1 << 20;
  SeededRandom rng{1};
  bool random_chunks = false;
  // Moves output both ways until quiet (bounded).
  void pump() {
    for (int round = 0; round < 100000; ++round) {
      Bytes a = client.take_output(), b = server.take_output();
      if (a.empty() && b.empty()) return;
      deliver(a, server);
      deliver(b, client);
    }
    FAIL() << "pump did not settle";
  }
  void deliver(const Bytes& data, Session& to) {
    for (size_t off = 0; off < data.size();) {
      size_t n = random_chunks ? 1 + rng.uniform(3000) : chunk;
      n = std::min(n, data.size() - off);
      ASSERT_TRUE(to.feed(ByteSpan(data.data() + off, n), now).ok());
      off += n;
    }
  }
};

uint64_t checksum(ByteSpan b) {
  uint64_t h = 1469598103934665603ull;
  for (uint8_t c : b) h = (h ^ c) * 1099511628211ull;
  return h;
}

TEST(YamuxSession, OpenAcceptEcho) {
  Link l;
  auto id = l.client.open_stream();
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 1u);
  ASSERT_EQ(*l.client.write(*id, Bytes{'h', 'i'}), 2u);
  l.pump();
  auto ev = l.server.poll_event();
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->type, EventType::StreamOpened);
  ev = l.server.poll_event();
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->type, EventType::StreamReadable);
  Bytes buf(10);
  auto r = l.server.read(*id, buf, l.now);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->n, 2u);
  EXPECT_FALSE(r->eof);
}

class ManyStreams : public ::testing::TestWithParam<int> {};

TEST_P(ManyStreams, ThousandConcurrentStreamsWithChecksums) {
  Link l;
  const int mode = GetParam();
  if (mode == 1) l.chunk = 1;
  if (mode == 2) l.random_chunks = true;
  const int kStreams = mode == 1 ? 50 : 1000;
  l.client = Session(Session::Role::Client, [] { YamuxConfig c; c.max_streams = 2000; c.max_ack_backlog = 2000; return c; }());
  l.server = Session(Session::Role::Server, [] { YamuxConfig c; c.max_streams = 2000; return c; }());
  std::map<StreamId, Bytes> sent;
  SeededRandom rng(3);
  for (int i = 0; i < kStreams; ++i) {
    auto id = l.client.open_stream();
    ASSERT_TRUE(id.ok()) << id.error().message();
    Bytes data(1 + rng.uniform(3000));
    rng.fill(data);
    // Writes stop at the pending-output bound until the peer reads: pump then.
    size_t off = 0;
    for (int tries = 0; off < data.size() && tries < 10; ++tries) {
      off += *l.client.write(*id, ByteSpan(data).subspan(off));
      if (off < data.size()) l.pump();
    }
    ASSERT_EQ(off, data.size());
    ASSERT_TRUE(l.client.close_write(*id).ok());
    sent[*id] = std::move(data);
  }
  l.pump();
  // Server echoes every stream back and closes.
  std::map<StreamId, Bytes> got_server;
  while (auto ev = l.server.poll_event()) {
    if (ev->type != EventType::StreamReadable) continue;
    Bytes buf(4096);
    auto r = l.server.read(ev->stream, buf, l.now);
    ASSERT_TRUE(r.ok()) << r.error().message() << " stream " << ev->stream;
    got_server[ev->stream].insert(got_server[ev->stream].end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(r->n));
    if (r->eof) {
      const Bytes& echo = got_server[ev->stream];
      size_t off = 0;
      for (int tries = 0; off < echo.size() && tries < 10; ++tries) {
        off += *l.server.write(ev->stream, ByteSpan(echo).subspan(off));
        if (off < echo.size()) l.pump();
      }
      ASSERT_EQ(off, echo.size());
      ASSERT_TRUE(l.server.close_write(ev->stream).ok());
    }
  }
  l.pump();
  std::map<StreamId, Bytes> echoed;
  while (auto ev = l.client.poll_event()) {
    if (ev->type != EventType::StreamReadable) continue;
    Bytes buf(4096);
    for (;;) {
      auto r = l.client.read(ev->stream, buf, l.now);
      ASSERT_TRUE(r.ok());
      echoed[ev->stream].insert(echoed[ev->stream].end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(r->n));
      if (r->n == 0 || r->eof) break;
    }
  }
  ASSERT_EQ(echoed.size(), sent.size());
  for (const auto& [id, data] : sent) EXPECT_EQ(checksum(echoed[id]), checksum(data)) << id;
  // Everything closed both ways and read: no stream state is left.
  EXPECT_EQ(l.client.stream_count(), 0u);
  EXPECT_EQ(l.server.stream_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Fragmentation, ManyStreams, ::testing::Values(0, 1, 2));

TEST(YamuxSession, FlowControlStallsAtTheWindowAndResumes) {
  Link l;
  auto id = *l.client.open_stream();
  Bytes big(1 << 20, 7);
  auto n = l.client.write(id, big);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 256u * 1024);  // exactly the initial window
  EXPECT_EQ(*l.client.write(id, big), 0u);
  l.pump();
  (void)l.server.poll_event();
  Bytes buf(128 * 1024);
  auto r = l.server.read(id, buf, l.now + 1s);  // half the window read: a WindowUpdate goes out
  ASSERT_EQ(r->n, buf.size());
  l.pump();
  bool writable = false;
  while (auto ev = l.client.poll_event()) writable |= ev->type == EventType::StreamWritable;
  EXPECT_TRUE(writable);
  EXPECT_EQ(*l.client.write(id, big), 128u * 1024);
}

// write_borrowed queues only headers and references the payload: the output, spliced by the
// driver (or copied in by take_output(Bytes&)), is byte for byte what write() gives, and the
// borrowed bytes count against the window and the pending-output bound like copied ones.
TEST(YamuxSession, BorrowedWritesProduceTheSameBytesAsCopiedOnes) {
  SeededRandom rng(5);
  Bytes data(300000);
  rng.fill(data);
  Session copier{Session::Role::Client}, lender{Session::Role::Client}, splicer{Session::Role::Client};
  const auto a = *copier.open_stream(), b = *lender.open_stream(), c = *splicer.open_stream();
  const ByteSpan first = ByteSpan(data).first(100000), small = ByteSpan(data).subspan(100000, 5);
  ASSERT_EQ(*copier.write(a, first), 100000u);
  ASSERT_EQ(*copier.write(a, small), 5u);
  ASSERT_EQ(*lender.write_borrowed(b, first), 100000u);
  ASSERT_EQ(*lender.write(b, small), 5u);
  ASSERT_EQ(*splicer.write_borrowed(c, first), 100000u);
  ASSERT_EQ(*splicer.write(c, small), 5u);
  EXPECT_EQ(lender.pending_output(), copier.pending_output());
  // The window (256 KiB) bounds borrowed writes too.
  EXPECT_EQ(*lender.write_borrowed(b, ByteSpan(data).subspan(100005)), 256u * 1024 - 100005);
  EXPECT_EQ(*copier.write(a, ByteSpan(data).subspan(100005)), 256u * 1024 - 100005);
  EXPECT_EQ(*splicer.write_borrowed(c, ByteSpan(data).subspan(100005)), 256u * 1024 - 100005);
  const Bytes copied = copier.take_output();
  EXPECT_EQ(lender.take_output(), copied);
  Bytes owned;
  std::vector<BorrowedPiece> pieces;
  splicer.take_output(owned, pieces);
  EXPECT_EQ(splicer.pending_output(), 0u);
  ASSERT_EQ(pieces.size(), 5u);  // frames of at most 64 KiB: 2 for the first write, 3 for the rest
  Bytes spliced;
  size_t at = 0;
  for (const auto& p : pieces) {
    ASSERT_GE(p.at, at);
    spliced.insert(spliced.end(), owned.begin() + static_cast<std::ptrdiff_t>(at), owned.begin() + static_cast<std::ptrdiff_t>(p.at));
    spliced.insert(spliced.end(), p.data.begin(), p.data.end());
    at = p.at;
  }
  spliced.insert(spliced.end(), owned.begin() + static_cast<std::ptrdiff_t>(at), owned.end());
  EXPECT_EQ(spliced, copied);
  // discard_output drops every reference (and the owned bytes).
  const auto d = *splicer.open_stream();
  ASSERT_EQ(*splicer.write_borrowed(d, first), 100000u);
  EXPECT_GT(splicer.pending_output(), 100000u);
  splicer.discard_output();
  EXPECT_EQ(splicer.pending_output(), 0u);
  splicer.take_output(owned, pieces);
  EXPECT_TRUE(owned.empty());
  EXPECT_TRUE(pieces.empty());
}

TEST(YamuxSession, WindowAutoTunesForAFastReader) {
  Link l;
  auto id = *l.client.open_stream();
  Bytes big(1 << 20, 1), buf(1 << 20);
  size_t total = 0;
  for (int i = 0; i < 40; ++i) {
    auto n = l.client.write(id, big);
    ASSERT_TRUE(n.ok());
    total += *n;
    l.pump();
    while (l.server.poll_event()) {
    }
    (void)l.server.read(id, buf, l.now);  // reads at once (same instant): window doubles
    l.pump();
    while (l.client.poll_event()) {
    }
  }
  EXPECT_GT(total, 40u * 256 * 1024);  // grew beyond the initial window per round trip
}

TEST(YamuxSession, HalfCloseBothWaysAndReset) {
  Link l;
  auto id = *l.client.open_stream();
  ASSERT_TRUE(l.client.close_write(id).ok());
  EXPECT_FALSE(l.client.write(id, Bytes{1}).ok());
  l.pump();
  while (l.server.poll_event()) {
  }
  Bytes buf(10);
  auto r = l.server.read(id, buf, l.now);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->eof);
  ASSERT_EQ(*l.server.write(id, Bytes{5, 6}), 2u);  // the other direction still works
  l.pump();
  while (l.client.poll_event()) {
  }
  EXPECT_EQ(l.client.read(id, buf, l.now)->n, 2u);
  // Reset.
  auto id2 = *l.client.open_stream();
  l.pump();
  l.server.reset(id2);
  l.pump();
  bool reset = false;
  while (auto ev = l.client.poll_event()) reset |= ev->type == EventType::StreamReset && ev->stream == id2;
  EXPECT_TRUE(reset);
  auto w = l.client.write(id2, Bytes{1});
  ASSERT_FALSE(w.ok());
  EXPECT_TRUE(w.error().is(P2PNetworkError::Cancelled));
}

TEST(YamuxSession, PingRttAndGoAway) {
  Link l;
  ASSERT_TRUE(l.client.ping(l.now).ok());
  l.deliver(l.client.take_output(), l.server);
  l.now += 3ms;
  l.deliver(l.server.take_output(), l.client);
  auto ev = l.client.poll_event();
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->type, EventType::PingRtt);
  EXPECT_EQ(ev->rtt, 3ms);
  l.server.go_away();
  l.pump();
  ev = l.client.poll_event();
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->type, EventType::GoAwayReceived);
  EXPECT_FALSE(l.client.open_stream().ok());
}

TEST(YamuxSession, StreamLimitAndAckBacklog) {
  YamuxConfig small;
  small.max_streams = 4;
  small.max_ack_backlog = 3;
  Session c(Session::Role::Client, small);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c.open_stream().ok());
  auto e = c.open_stream();  // peer has not ACKed any
  ASSERT_FALSE(e.ok());
  EXPECT_TRUE(e.error().is(P2PNetworkError::ConnectionLimitsExceeded));
  // A server at its stream limit refuses further SYNs with RST, not by dying.
  Link l;
  l.server = Session(Session::Role::Server, small);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(l.client.open_stream().ok());
  l.pump();
  EXPECT_EQ(l.server.stream_count(), 4u);
  size_t resets = 0;
  while (auto ev = l.client.poll_event()) resets += ev->type == EventType::StreamReset;
  EXPECT_EQ(resets, 2u);
  EXPECT_FALSE(l.server.closed());
}

Status feed_frames(Session& s, std::initializer_list<FrameHeader> hs, size_t payload = 0) {
  Bytes b;
  for (const auto& h : hs) append_header(b, h);
  b.resize(b.size() + payload);
  return s.feed(b, Time{});
}

TEST(YamuxSession, HostileFramesCloseTheSessionWithGoAway) {
  struct Case {
    const char* what;
    std::vector<FrameHeader> frames;
    size_t payload;
  };
  const std::vector<Case> cases = {
      {"SYN with our parity", {{FrameType::WindowUpdate, flags::kSyn, 2, 0}}, 0},
      {"SYN twice", {{FrameType::WindowUpdate, flags::kSyn, 1, 0}, {FrameType::WindowUpdate, flags::kSyn, 1, 0}}, 0},
      {"data beyond window", {{FrameType::Data, flags::kSyn, 1, 300 * 1024}}, 300 * 1024},
      {"window overflow", {{FrameType::WindowUpdate, flags::kSyn, 1, 0xffffffffu}}, 0},
      {"stream frame on 0", {{FrameType::Data, 0, 0, 0}}, 0},
      {"ping on a stream", {{FrameType::Ping, flags::kSyn, 5, 1}}, 0},
      {"huge data frame", {{FrameType::Data, 0, 1, 0x7fffffff}}, 0},
  };
  for (const auto& c : cases) {
    Session s(Session::Role::Server);
    Bytes b;
    for (const auto& h : c.frames) append_header(b, h);
    b.resize(b.size() + c.payload);
    auto st = s.feed(b, Time{});
    EXPECT_FALSE(st.ok()) << c.what;
    EXPECT_TRUE(s.closed()) << c.what;
    const Bytes out = s.take_output();
    ASSERT_GE(out.size(), kYamuxHeaderSize) << c.what;
    auto h = decode_header(ByteSpan(out.data() + out.size() - kYamuxHeaderSize, kYamuxHeaderSize));
    EXPECT_EQ(h->type, FrameType::GoAway) << c.what;
    EXPECT_EQ(h->length, 1u) << c.what;
  }
  // Frames for unknown streams are ignored (spec), a ping flood is answered one for one.
  Session s(Session::Role::Server);
  EXPECT_TRUE(feed_frames(s, {{FrameType::Data, 0, 99, 4}}, 4).ok());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(feed_frames(s, {{FrameType::Ping, flags::kSyn, 0, 7}}).ok());
  EXPECT_EQ(s.take_output().size(), 1000 * kYamuxHeaderSize);
  EXPECT_LT(s.memory_usage(), 64u * 1024);
}

TEST(YamuxSession, IdleSessionIsSmall) {
  Link l;
  auto id = *l.client.open_stream();
  l.pump();
  (void)id;
  EXPECT_LT(l.client.memory_usage(), 4096u);
  EXPECT_LT(l.server.memory_usage(), 4096u);
}

}  // namespace
}  // namespace hauptbuch::p2p::mux

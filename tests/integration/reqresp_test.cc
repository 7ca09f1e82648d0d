// Integration tests of request/response over real Hosts on 127.0.0.1: echo, a silent handler
// running into the requester's deadline, an oversized request refused by the responder, the
// per-peer inbound (Busy) and outbound limits, and an unserved protocol.
#include "protocols/reqresp/request_response.h"
#include "testing/host_harness.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace hauptbuch::p2p::reqresp {
namespace {

using namespace std::chrono_literals;
using node::testing_harness::dial_addr;
using node::testing_harness::make_host;
using node::testing_harness::run;
using node::testing_harness::run_until;

constexpr const char* kEcho = "/test/echo/1.0.0";

// Two connected hosts a -> b.
struct Pair {
  asio::io_context io;
  std::unique_ptr<node::Host> a, b;
  Pair() {
    a = make_host(io, 11);
    b = make_host(io, 12);
    auto c = run(io, a->executor(), a->dial(dial_addr(*b)));
    EXPECT_TRUE(c && c->ok());
  }
  ~Pair() {
    a->close();
    b->close();
    run_until(io, [] { return false; }, 50ms);
  }
};

RequestResponse::Handler echo_handler() {
  return [](PeerId, Bytes req) -> asio::awaitable<Result<Bytes>> { co_return req; };
}

// Holds handlers until released (a flag plus a timer to wake the waiters).
struct Gate {
  explicit Gate(asio::io_context& io) : timer(io, asio::steady_timer::time_point::max()) {}
  void release() {
    open = true;
    timer.cancel();
  }
  asio::steady_timer timer;
  bool open = false;
};

// A handler that waits until `gate` is released, then echoes.
RequestResponse::Handler gated_handler(Gate& gate) {
  return [&gate](PeerId, Bytes req) -> asio::awaitable<Result<Bytes>> {
    while (!gate.open) co_await gate.timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    co_return req;
  };
}

// Starts a request in the background; the result lands in `out`.
void spawn_request(RequestResponse& rr, node::Host& h, PeerId peer, Bytes data, std::optional<Result<Response>>& out,
                   std::optional<Duration> timeout = std::nullopt) {
  asio::co_spawn(
      h.executor(),
      [&rr, &out, peer, data, timeout]() -> asio::awaitable<void> {
        auto r = co_await rr.request(peer, kEcho, data, timeout);
        out.emplace(std::move(r));
      },
      asio::detached);
}

TEST(ReqResp, EchoRoundTrip) {
  Pair p;
  RequestResponse ra(*p.a, RequestResponseConfig{}), rb(*p.b, RequestResponseConfig{});
  ASSERT_TRUE(rb.register_protocol(kEcho, echo_handler()).ok());
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, size_t{300'000}}) {
    Bytes data(n);
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>(i * 7 + 1);
    auto r = run(p.io, p.a->executor(), ra.request(p.b->peer_id(), kEcho, data));
    ASSERT_TRUE(r && r->ok()) << (r ? r->error().message() : "hang");
    EXPECT_EQ((*r)->data, data);
    EXPECT_GT((*r)->rtt.count(), 0);
  }
  EXPECT_EQ(ra.stats().requests_sent, 4u);
  EXPECT_EQ(ra.stats().responses_received, 4u);
  EXPECT_EQ(rb.stats().requests_received, 4u);
  EXPECT_EQ(rb.stats().responses_sent, 4u);
  EXPECT_EQ(ra.stats().bytes_sent, 301'001u);
  EXPECT_EQ(rb.stats().bytes_received, 301'001u);
  EXPECT_EQ(ra.outbound_in_flight(p.b->peer_id()), 0u);
  EXPECT_EQ(rb.inbound_in_flight(p.a->peer_id()), 0u);
}

TEST(ReqResp, HandlerErrorsComeBackAsDistinctCodes) {
  Pair p;
  RequestResponse ra(*p.a, RequestResponseConfig{}), rb(*p.b, RequestResponseConfig{});
  ASSERT_TRUE(rb.register_protocol(kEcho, [](PeerId, Bytes req) -> asio::awaitable<Result<Bytes>> {
                  if (!req.empty() && req[0] == 1) co_return Error(P2PNetworkError::InvalidMessage, "bad request");
                  co_return Error(P2PNetworkError::IoFailed, "disk on fire");
                }).ok());
  auto bad = run(p.io, p.a->executor(), ra.request(p.b->peer_id(), kEcho, Bytes{1}));
  ASSERT_TRUE(bad && !bad->ok());
  EXPECT_TRUE(bad->error().is(P2PNetworkError::InvalidMessage)) << bad->error().message();
  auto fail = run(p.io, p.a->executor(), ra.request(p.b->peer_id(), kEcho, Bytes{2}));
  ASSERT_TRUE(fail && !fail->ok());
  EXPECT_TRUE(fail->error().is(P2PNetworkError::MessageRoutingFailed)) << fail->error().message();
  EXPECT_NE(fail->error().detail().find("disk on fire"), std::string::npos);
}

TEST(ReqResp, UnservedProtocolAndUnconnectedPeer) {
  Pair p;
  RequestResponse ra(*p.a, RequestResponseConfig{});
  auto r = run(p.io, p.a->executor(), ra.request(p.b->peer_id(), kEcho, Bytes{1}));
  ASSERT_TRUE(r && !r->ok());
  EXPECT_TRUE(r->error().is(P2PNetworkError::MessageRoutingFailed)) << r->error().message();
  const PeerId stranger = PeerId::from_public_key(crypto::PrivateKey::ed25519_from_seed(Bytes(32, 99)).public_key());
  auto n = run(p.io, p.a->executor(), ra.request(stranger, kEcho, Bytes{1}));
  ASSERT_TRUE(n && !n->ok());
  EXPECT_TRUE(n->error().is(P2PNetworkError::PeerConnectionFailed)) << n->error().message();
  EXPECT_EQ(ra.stats().outbound_failures.at("MessageRoutingFailed"), 1u);
  EXPECT_EQ(ra.stats().outbound_failures.at("PeerConnectionFailed"), 1u);
}

TEST(ReqResp, SilentHandlerTimesOut) {
  Pair p;
  Gate gate(p.io);
  RequestResponse ra(*p.a, RequestResponseConfig{}), rb(*p.b, RequestResponseConfig{});
  ASSERT_TRUE(rb.register_protocol(kEcho, gated_handler(gate)).ok());
  auto r = run(p.io, p.a->executor(), ra.request(p.b->peer_id(), kEcho, Bytes{1, 2, 3}, Duration(200ms)));
  ASSERT_TRUE(r && !r->ok());
  EXPECT_TRUE(r->error().is(P2PNetworkError::Timeout)) << r->error().message();
  EXPECT_EQ(ra.stats().outbound_failures.at("Timeout"), 1u);
  // The abandoned exchange ends (its stream was reset) and frees the outbound slot.
  EXPECT_TRUE(run_until(p.io, [&] { return ra.outbound_in_flight(p.b->peer_id()) == 0; }));
  gate.release();
  EXPECT_TRUE(run_until(p.io, [&] { return rb.inbound_in_flight(p.a->peer_id()) == 0; }));
}

TEST(ReqResp, ResponderDeadlineAnswersTimeout) {
  Pair p;
  Gate gate(p.io);
  RequestResponseConfig short_cfg;
  short_cfg.timeout = 100ms;
  RequestResponse ra(*p.a, RequestResponseConfig{}), rb(*p.b, short_cfg);
  ASSERT_TRUE(rb.register_protocol(kEcho, gated_handler(gate)).ok());
  auto r = run(p.io, p.a->executor(), ra.request(p.b->peer_id(), kEcho, Bytes{1}));
  ASSERT_TRUE(r && !r->ok());
  EXPECT_TRUE(r->error().is(P2PNetworkError::Timeout)) << r->error().message();
  EXPECT_NE(r->error().detail().find("peer answered Timeout"), std::string::npos) << r->error().detail();
  // The slot stays taken while the abandoned handler still runs.
  EXPECT_EQ(rb.inbound_in_flight(p.a->peer_id()), 1u);
  gate.release();
  EXPECT_TRUE(run_until(p.io, [&] { return rb.inbound_in_flight(p.a->peer_id()) == 0; }));
}

TEST(ReqResp, OversizedRequestIsRefused) {
  Pair p;
  RequestResponseConfig small;
  small.max_request_size = 1024;
  RequestResponse ra(*p.a, RequestResponseConfig{}), rb(*p.b, small);
  ASSERT_TRUE(rb.register_protocol(kEcho, echo_handler()).ok());
  // Larger than the yamux window, so the refusal only arrives because the responder drains.
  auto r = run(p.io, p.a->executor(), ra.request(p.b->peer_id(), kEcho, Bytes(600'000, 7)));
  ASSERT_TRUE(r && !r->ok());
  EXPECT_TRUE(r->error().is(P2PNetworkError::ResourceLimitExceeded)) << r->error().message();
  EXPECT_NE(r->error().detail().find("TooLarge"), std::string::npos) << r->error().detail();
  EXPECT_EQ(rb.stats().inbound_refused, 1u);
  EXPECT_EQ(rb.stats().requests_received, 0u);
  // Our own cap is checked before anything is sent.
  RequestResponseConfig tiny;
  tiny.max_request_size = 10;
  RequestResponse rt(*p.a, tiny);
  auto local = run(p.io, p.a->executor(), rt.request(p.b->peer_id(), kEcho, Bytes(11, 0)));
  ASSERT_TRUE(local && !local->ok());
  EXPECT_TRUE(local->error().is(P2PNetworkError::ResourceLimitExceeded));
  EXPECT_EQ(rt.stats().requests_sent, 0u);
  // The connection still works.
  auto ok = run(p.io, p.a->executor(), ra.request(p.b->peer_id(), kEcho, Bytes(1024, 1)));
  ASSERT_TRUE(ok && ok->ok()) << (ok ? ok->error().message() : "hang");
}

TEST(ReqResp, PerPeerInboundLimitAnswersBusy) {
  Pair p;
  Gate gate(p.io);
  RequestResponseConfig limited;
  limited.max_inbound_per_peer = 2;
  RequestResponse ra(*p.a, RequestResponseConfig{}), rb(*p.b, limited);
  ASSERT_TRUE(rb.register_protocol(kEcho, gated_handler(gate)).ok());
  std::optional<Result<Response>> out[3];
  for (int i = 0; i < 3; ++i) spawn_request(ra, *p.a, p.b->peer_id(), Bytes{static_cast<uint8_t>(i)}, out[i]);
  auto done = [&] { return size_t(out[0].has_value()) + out[1].has_value() + out[2].has_value(); };
  ASSERT_TRUE(run_until(p.io, [&] { return done() == 1 && rb.stats().requests_received == 2; }));
  EXPECT_EQ(rb.inbound_in_flight(p.a->peer_id()), 2u);
  gate.release();
  ASSERT_TRUE(run_until(p.io, [&] { return done() == 3; }));
  int ok = 0, busy = 0;
  for (auto& o : out) {
    if (o->ok()) ++ok;
    else if (o->error().is(P2PNetworkError::ResourceLimitExceeded)) ++busy;
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(busy, 1);
  EXPECT_EQ(rb.stats().inbound_refused, 1u);
  EXPECT_EQ(rb.stats().inbound_failures.at("Busy"), 1u);
}

TEST(ReqResp, PerPeerOutboundLimitRefusesLocally) {
  Pair p;
  Gate gate(p.io);
  RequestResponseConfig one;
  one.max_outbound_per_peer = 1;
  RequestResponse ra(*p.a, one), rb(*p.b, RequestResponseConfig{});
  ASSERT_TRUE(rb.register_protocol(kEcho, gated_handler(gate)).ok());
  std::optional<Result<Response>> first, second;
  spawn_request(ra, *p.a, p.b->peer_id(), Bytes{1}, first);
  ASSERT_TRUE(run_until(p.io, [&] { return rb.stats().requests_received == 1; }));
  spawn_request(ra, *p.a, p.b->peer_id(), Bytes{2}, second);
  ASSERT_TRUE(run_until(p.io, [&] { return second.has_value(); }));
  ASSERT_FALSE(second->ok());
  EXPECT_TRUE(second->error().is(P2PNetworkError::ResourceLimitExceeded));
  EXPECT_EQ(rb.stats().requests_received, 1u);
  gate.release();
  ASSERT_TRUE(run_until(p.io, [&] { return first.has_value(); }));
  EXPECT_TRUE(first->ok());
}

}  // namespace
}  // namespace hauptbuch::p2p::reqresp

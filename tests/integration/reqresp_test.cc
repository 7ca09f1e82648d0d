// Integration tests of request/response over real Hosts on 127.0.0.1: echo, a silent handler
// running into the requester's deadline, an oversized request refused by the responder, the
// per-peer inbound (Busy) and outbound limits, malformed frames reported as misbehaviour, and
// an unserved protocol. Then the cross-chain
// relay on three hosts: A serves chain a, B serves a and b, C serves b; A is connected to B
// only, B to C.
#include "protocols/reqresp/request_response.h"
#include "protocols/relay/cross_chain_relay.h"
#include "testing/host_harness.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
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

// Frames that do not parse are reported as misbehaviour (the node lowers the peer's score);
// a stream closed before any byte, a timeout or a refusal is not.
TEST(ReqResp, MalformedFramesAreReportedAsMisbehaviour) {
  Pair p;
  RequestResponse ra(*p.a, RequestResponseConfig{}), rb(*p.b, RequestResponseConfig{});
  ASSERT_TRUE(rb.register_protocol(kEcho, echo_handler()).ok());
  std::vector<PeerId> reported_by_a, reported_by_b;
  ra.set_misbehaviour_callback([&](const PeerId& q) { reported_by_a.push_back(q); });
  rb.set_misbehaviour_callback([&](const PeerId& q) { reported_by_b.push_back(q); });
  // a -> b on raw streams: a closed stream without a byte, then an invalid length prefix.
  auto raw = [&](Bytes bytes) {
    return run(p.io, p.a->executor(), [&, bytes]() -> asio::awaitable<Status> {
      std::vector<std::string> protos{kEcho};
      auto s = co_await p.a->new_stream(p.b->peer_id(), std::move(protos));
      if (!s.ok()) co_return std::move(s).error();
      if (!bytes.empty()) HBP2P_CO_TRY(co_await (*s)->write(bytes));
      HBP2P_CO_TRY((*s)->close_write());
      Bytes sink(64);
      (void)co_await (*s)->read_some(sink);  // until b resets or closes
      co_return ok_status();
    }());
  };
  ASSERT_TRUE(raw({}).has_value());
  ASSERT_TRUE(run_until(p.io, [&] { return rb.stats().inbound_failures.count("Cancelled") == 1; }));
  EXPECT_TRUE(reported_by_b.empty());
  ASSERT_TRUE(raw(Bytes(10, 0xff)).has_value());  // 10 continuation bytes: not a uvarint
  ASSERT_TRUE(run_until(p.io, [&] { return reported_by_b.size() == 1; }));
  EXPECT_EQ(reported_by_b[0], p.a->peer_id());
  // b answers a request on a raw handler with an unknown status byte: a reports b.
  p.b->set_handler("/test/garbage/1.0.0", [](node::StreamPtr s) -> asio::awaitable<void> {
    (void)co_await s->read_message(1024);
    const Bytes bad{0xee, 1, 2};
    (void)co_await s->write_message(bad);
    (void)s->close_write();
  });
  auto r = run(p.io, p.a->executor(), ra.request(p.b->peer_id(), "/test/garbage/1.0.0", Bytes{1}));
  ASSERT_TRUE(r && !r->ok());
  EXPECT_TRUE(r->error().is(P2PNetworkError::InvalidMessage)) << r->error().message();
  ASSERT_EQ(reported_by_a.size(), 1u);
  EXPECT_EQ(reported_by_a[0], p.b->peer_id());
  // Honest traffic afterwards: no report.
  auto ok = run(p.io, p.a->executor(), ra.request(p.b->peer_id(), kEcho, Bytes{5}));
  ASSERT_TRUE(ok && ok->ok());
  EXPECT_EQ(reported_by_a.size(), 1u);
  EXPECT_EQ(reported_by_b.size(), 1u);
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


// ---- cross-chain relay ----

// Stands in for the chain's gossip (wired by the node later): deliver_to_chain on one member
// of a chain counts as delivery on every member of that chain, each exactly once per id.
struct ChainBus {
  std::map<std::string, std::vector<std::string>> members;  // chain -> node names
  std::map<std::string, std::vector<Bytes>> delivered;       // node name -> payloads
  void publish(const std::string& chain, const Bytes& payload) {
    for (const auto& n : members[chain]) delivered[n].push_back(payload);
  }
};

// The static stand-in for the DHT provider lookup of a chain.
using ChainMap = std::map<std::string, std::vector<relay::PeerInfo>>;
asio::awaitable<Result<std::vector<relay::PeerInfo>>> lookup(const ChainMap* m, std::string chain) {
  auto it = m->find(chain);
  if (it == m->end()) co_return Error(P2PNetworkError::PeerDiscoveryFailed, "no providers");
  co_return it->second;
}

struct RelayNode {
  std::string name;
  std::unique_ptr<node::Host> host;
  std::unique_ptr<RequestResponse> rr;
  std::unique_ptr<relay::CrossChainRelay> relay;
  std::vector<Bytes> to_peer;  // payloads handed to us as destination peer
};

struct ThreeChains {
  asio::io_context io;
  SeededRandom rng{7};
  ChainBus bus;
  ChainMap providers;
  RelayNode a, b, c;

  void setup(RelayNode& n, const std::string& name, uint8_t seed, std::set<std::string> chains) {
    n.name = name;
    n.host = make_host(io, seed);
    n.rr = std::make_unique<RequestResponse>(*n.host, RequestResponseConfig{});
    relay::CrossChainRelay::Callbacks cb;
    cb.find_chain_peers = [this](std::string chain) { return lookup(&providers, std::move(chain)); };
    cb.deliver_to_chain = [this](const std::string& chain, const std::string& topic, const Bytes& payload) -> Status {
      EXPECT_EQ(topic, relay::kDefaultTopic);
      bus.publish(chain, payload);
      return ok_status();
    };
    cb.deliver_to_peer = [&n](const PeerId& p, const Bytes& payload) -> Status {
      EXPECT_EQ(p, n.host->peer_id());
      n.to_peer.push_back(payload);
      return ok_status();
    };
    for (const auto& ch : chains) bus.members[ch].push_back(name);
    n.relay = std::make_unique<relay::CrossChainRelay>(*n.host, *n.rr, chains, std::move(cb), relay::RelayConfig{}, rng,
                                                       SystemClock::instance());
    EXPECT_TRUE(n.relay->start().ok());
  }

  ThreeChains() {
    setup(a, "A", 21, {"a"});
    setup(b, "B", 22, {"a", "b"});
    setup(c, "C", 23, {"b"});
    providers["a"] = {relay::PeerInfo{a.host->peer_id(), a.host->listen_addrs()},
                      relay::PeerInfo{b.host->peer_id(), b.host->listen_addrs()}};
    providers["b"] = {relay::PeerInfo{c.host->peer_id(), c.host->listen_addrs()},
                      relay::PeerInfo{b.host->peer_id(), b.host->listen_addrs()}};
    auto ab = run(io, a.host->executor(), a.host->dial(dial_addr(*b.host)));
    EXPECT_TRUE(ab && ab->ok());
    auto bc = run(io, b.host->executor(), b.host->dial(dial_addr(*c.host)));
    EXPECT_TRUE(bc && bc->ok());
  }
  ~ThreeChains() {
    for (auto* n : {&a, &b, &c}) {
      n->relay.reset();
      n->rr.reset();
      n->host->close();
    }
    run_until(io, [] { return false; }, 50ms);
  }
};

TEST(CrossChainRelay, MessageForChainBReachesItsNodesOnceThroughB) {
  ThreeChains t;
  relay::RouteTarget target;
  target.chain = "b";
  auto r = run(t.io, t.a.host->executor(), t.a.relay->route(target, Bytes{1, 2, 3}));
  ASSERT_TRUE(r && r->ok()) << (r ? r->error().message() : "hang");
  EXPECT_TRUE((*r)->delivered);
  ASSERT_EQ((*r)->path.size(), 2u);
  EXPECT_EQ((*r)->path[0], t.a.host->peer_id());
  EXPECT_EQ((*r)->path[1], t.b.host->peer_id());
  EXPECT_EQ((*r)->hops, 1u);
  EXPECT_EQ(t.bus.delivered["B"].size(), 1u);
  EXPECT_EQ(t.bus.delivered["C"].size(), 1u);
  EXPECT_EQ(t.bus.delivered["A"].size(), 0u);
  EXPECT_EQ(t.bus.delivered["C"][0], (Bytes{1, 2, 3}));
  EXPECT_EQ(t.b.relay->stats().delivered_to_chain, 1u);
  EXPECT_EQ(t.c.relay->stats().received, 0u);
  // A was never connected to C: the route went through B.
  EXPECT_EQ(t.a.host->connection(t.c.host->peer_id()), nullptr);
}

TEST(CrossChainRelay, MessageForAPeerOnChainBIsRelayedByB) {
  ThreeChains t;
  relay::RouteTarget target;
  target.chain = "b";
  target.peer = t.c.host->peer_id();
  auto r = run(t.io, t.a.host->executor(), t.a.relay->route(target, Bytes{9}));
  ASSERT_TRUE(r && r->ok()) << (r ? r->error().message() : "hang");
  EXPECT_TRUE((*r)->delivered);
  ASSERT_EQ((*r)->path.size(), 3u);
  EXPECT_EQ((*r)->path[1], t.b.host->peer_id());
  EXPECT_EQ((*r)->path[2], t.c.host->peer_id());
  EXPECT_EQ((*r)->hops, 2u);
  ASSERT_EQ(t.c.to_peer.size(), 1u);
  EXPECT_EQ(t.c.to_peer[0], Bytes{9});
  EXPECT_EQ(t.b.to_peer.size(), 0u);
  EXPECT_TRUE(t.bus.delivered.empty());
}

TEST(CrossChainRelay, LocalChainIsDeliveredWithoutTheNetwork) {
  ThreeChains t;
  relay::RouteTarget target;
  target.chain = "a";
  auto r = run(t.io, t.a.host->executor(), t.a.relay->route(target, Bytes{5}));
  ASSERT_TRUE(r && r->ok());
  EXPECT_EQ((*r)->hops, 0u);
  EXPECT_EQ(t.bus.delivered["A"].size(), 1u);
  EXPECT_EQ(t.b.relay->stats().received, 0u);
}

TEST(CrossChainRelay, ReplayedEnvelopeAndHopLimitZeroAreDropped) {
  ThreeChains t;
  auto env = relay::make_envelope(t.a.host->peer_id(), 77, "a", "b", std::nullopt, Bytes{4, 4});
  ASSERT_TRUE(env.ok());
  env->path.push_back(t.a.host->peer_id());
  const Bytes wire = *relay::encode_envelope(*env);
  auto send = [&](Bytes w) {
    return run(t.io, t.a.host->executor(), t.a.rr->request(t.b.host->peer_id(), relay::kRelayProtocol, std::move(w)));
  };
  auto first = send(wire);
  ASSERT_TRUE(first && first->ok()) << (first ? first->error().message() : "hang");
  auto ack = relay::decode_ack((*first)->data);
  ASSERT_TRUE(ack.ok());
  EXPECT_TRUE(ack->delivered);
  auto replay = send(wire);
  ASSERT_TRUE(replay && !replay->ok());
  EXPECT_TRUE(replay->error().is(P2PNetworkError::MessageRoutingFailed)) << replay->error().message();
  EXPECT_NE(replay->error().detail().find("replay"), std::string::npos) << replay->error().detail();
  EXPECT_EQ(t.bus.delivered["B"].size(), 1u);
  EXPECT_EQ(t.bus.delivered["C"].size(), 1u);
  EXPECT_EQ(t.b.relay->stats().dropped.at("Replay"), 1u);

  auto zero = relay::make_envelope(t.a.host->peer_id(), 78, "a", "b", std::nullopt, Bytes{4, 4}, 0);
  ASSERT_TRUE(zero.ok());
  zero->path.push_back(t.a.host->peer_id());
  auto z = send(*relay::encode_envelope(*zero));
  ASSERT_TRUE(z && !z->ok());
  EXPECT_TRUE(z->error().is(P2PNetworkError::MessageRoutingFailed));
  EXPECT_NE(z->error().detail().find("hop limit"), std::string::npos) << z->error().detail();
  EXPECT_EQ(t.b.relay->stats().dropped.at("HopLimitExhausted"), 1u);
  EXPECT_EQ(t.bus.delivered["B"].size(), 1u);

  // A path that does not end with the sender is refused as malformed.
  auto forged = relay::make_envelope(t.a.host->peer_id(), 79, "a", "b", std::nullopt, Bytes{1});
  forged->path.push_back(t.a.host->peer_id());
  forged->path.push_back(t.c.host->peer_id());
  auto f = send(*relay::encode_envelope(*forged));
  ASSERT_TRUE(f && !f->ok());
  EXPECT_TRUE(f->error().is(P2PNetworkError::InvalidMessage)) << f->error().message();
}

TEST(CrossChainRelay, UnknownChainFailsWithDiscoveryError) {
  ThreeChains t;
  relay::RouteTarget target;
  target.chain = "zzz";
  auto r = run(t.io, t.a.host->executor(), t.a.relay->route(target, Bytes{1}));
  ASSERT_TRUE(r && !r->ok());
  EXPECT_TRUE(r->error().is(P2PNetworkError::PeerDiscoveryFailed)) << r->error().message();
}

}  // namespace
}  // namespace hauptbuch::p2p::reqresp

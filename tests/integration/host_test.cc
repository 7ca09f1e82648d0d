// Integration tests of the connection stack on 127.0.0.1: Hosts connect over /noise + yamux,
// measure their round-trip time, ping and identify both ways, cached connect, PeerId anti-spoofing, 1,000 concurrent streams
// with checksummed echo, a peer closing mid-stream, and a ten-host full mesh.
#include "node/host.h"
#include "node/node_core.h"
#include "node/node_services.h"
#include "testing/host_harness.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include <optional>

#include <asio/experimental/as_tuple.hpp>
#include <asio/write.hpp>

#include "negotiate/multistream.h"
#include "protocols/identify/identify.h"
#include "transport/tcp.h"

namespace hauptbuch::p2p::node {
namespace {

using namespace std::chrono_literals;
using testing_harness::make_host;
using testing_harness::dial_addr;
using testing_harness::run;
using testing_harness::run_until;
using testing_harness::test_config;

TEST(Host, TwoHostsConnectPingAndIdentify) {
  asio::io_context io;
  auto a = make_host(io, 1), b = make_host(io, 2);
  std::vector<HostEvent> events_b;
  b->set_event_callback([&](const HostEvent& e) { events_b.push_back(e); });
  auto conn = run(io, a->executor(), a->dial(dial_addr(*b)));
  ASSERT_TRUE(conn && conn->ok()) << (conn ? conn->error().message() : "timeout");
  EXPECT_EQ(conn->value()->info().peer, b->peer_id());
  EXPECT_EQ(conn->value()->info().security, "/hauptbuch/pq-noise/1.0.0");  // PQ by default
  EXPECT_EQ(conn->value()->info().direction, Direction::Outbound);
  ASSERT_TRUE(run_until(io, [&] { return !events_b.empty(); }));
  EXPECT_EQ(events_b[0].type, HostEvent::Type::Connected);
  EXPECT_EQ(events_b[0].info.peer, a->peer_id());
  EXPECT_EQ(events_b[0].info.direction, Direction::Inbound);

  // Both connections measured a round-trip time with their opening yamux ping (inbound
  // eviction's latency input); /ipfs/ping results lower it further.
  ASSERT_TRUE(run_until(io, [&] {
    auto ca = a->connection(b->peer_id());
    auto cb = b->connection(a->peer_id());
    return ca && cb && ca->min_rtt() != Duration::max() && cb->min_rtt() != Duration::max();
  }));
  auto rtt = run(io, a->executor(), a->ping(b->peer_id()));
  ASSERT_TRUE(rtt && rtt->ok()) << (rtt ? rtt->error().message() : "timeout");
  EXPECT_LE(a->connection(b->peer_id())->min_rtt(), rtt->value());
  auto rtt2 = run(io, b->executor(), b->ping(a->peer_id()));
  ASSERT_TRUE(rtt2 && rtt2->ok());

  // Identify ran both ways on connect: protocols, agent and listen addresses are known.
  ASSERT_TRUE(run_until(io, [&] {
    auto ca = a->connection(b->peer_id());
    auto cb = b->connection(a->peer_id());
    return ca && cb && !ca->info().protocols.empty() && !cb->info().protocols.empty();
  }));
  const auto& info = a->connection(b->peer_id())->info();
  EXPECT_EQ(info.agent, agent_version());
  EXPECT_EQ(info.listen_addrs, b->listen_addrs());
  EXPECT_NE(std::find(info.protocols.begin(), info.protocols.end(), "/ipfs/ping/1.0.0"), info.protocols.end());
  EXPECT_NE(std::find(info.protocols.begin(), info.protocols.end(), "/ipfs/id/1.0.0"), info.protocols.end());

  // Cached connect: dialling again returns the same connection.
  auto again = run(io, a->executor(), a->dial(dial_addr(*b)));
  ASSERT_TRUE(again && again->ok());
  EXPECT_EQ(again->value().get(), conn->value().get());
}

// A full node (NodeCore, Ed25519 identity from seed 1) started on 127.0.0.1, and a bare Host
// (ping and identify only, seed 2) that plays a silent or misbehaving peer. Stops the node on
// its strand at the end.
struct NodeWithBarePeer {
  asio::io_context io;
  std::unique_ptr<NodeCore> node;
  std::unique_ptr<Host> peer;

  explicit NodeWithBarePeer(P2PNetworkConfig cfg = test_config()) {
    cfg.listen_addrs = {"/ip4/127.0.0.1/tcp/0"};
    node = std::make_unique<NodeCore>(cfg, crypto::PrivateKey::ed25519_from_seed(Bytes(32, 1)), &io);
    auto started = run(io, node->executor(), node->co_start());
    EXPECT_TRUE(started && started->ok());
    peer = make_host(io, 2);
  }
  ~NodeWithBarePeer() {
    asio::post(node->executor(), [n = node.get()] { n->stop(); });
    run_until(io, [&] { return node->host().closed(); }, 5s);
    peer.reset();
    node.reset();
  }
  // The bare peer dials the node.
  bool peer_dials_node() {
    const Multiaddr addr = *node->host().listen_addrs().at(0).with_component(Proto::P2p, node->host().peer_id().bytes());
    auto conn = run(io, peer->executor(), peer->dial(addr));
    return conn && conn->ok();
  }
  // The bare peer opens `protocol` to the node, sends one length-prefixed `payload` and closes
  // its side (FIN: a dropped open stream would be reset before the node reads it).
  bool peer_sends(const std::string& protocol, const Bytes& payload) {
    const PeerId to = node->host().peer_id();
    auto wrote = run(io, peer->executor(), [&]() -> asio::awaitable<bool> {
      std::vector<std::string> protos{protocol};
      auto s = co_await peer->new_stream(to, std::move(protos));
      if (!s.ok()) co_return false;
      auto st = co_await (*s)->write_message(payload);
      co_return st.ok() && (*s)->close_write().ok();
    }());
    return wrote && *wrote;
  }
};

// A node closes a connection on which no stream has been open for idle_timeout: here the
// peer is a bare Host (ping and identify only), so after identify nothing holds a stream.
TEST(Host, NodeClosesIdleConnection) {
  P2PNetworkConfig cfg = test_config();
  cfg.idle_timeout = 300ms;
  NodeWithBarePeer t(cfg);
  auto& io = t.io;
  auto conn = run(io, t.node->executor(), t.node->co_connect(dial_addr(*t.peer).to_string(), false));
  ASSERT_TRUE(conn && conn->ok()) << (conn ? conn->error().message() : "timeout");
  EXPECT_TRUE(run_until(io, [&] { return t.node->host().connections().empty() && t.peer->connections().empty(); }));
}

// Misbehaviour feeds the peer's score: a peer whose gossipsub frames do not decode commits a
// protocol violation each time (-25); at the ban threshold (-100) the node bans it (timed,
// in the ban list) and closes its connection.
TEST(Host, NodeBansAPeerThatKeepsSendingUndecodableGossipFrames) {
  NodeWithBarePeer t;
  auto& io = t.io;
  ASSERT_TRUE(t.peer_dials_node());
  const PeerId bad = t.peer->peer_id();
  const Bytes garbage{0xff, 0xff, 0xff, 0xff};  // a frame that is not an RPC protobuf
  int sent = 0;
  for (int i = 0; i < 12 && !t.node->book().banned_peer(bad, Clock::now()); ++i) {
    const auto before = t.node->services().gossip_bad_frames();
    if (!t.peer_sends("/meshsub/1.1.0", garbage)) break;
    ++sent;
    // Wait (bounded) until the node has read it: its reader resets the stream and reports the
    // peer. A frame on a stream the next one replaced may go unread, hence the bound.
    run_until(io, [&] { return t.node->services().gossip_bad_frames() > before; }, 2s);
  }
  EXPECT_TRUE(run_until(io, [&] { return t.node->book().banned_peer(bad, Clock::now()); }));
  EXPECT_GE(sent, 4);
  EXPECT_TRUE(run_until(io, [&] { return !t.node->host().connection(bad); }));
}

// A Kademlia request that does not decode is an invalid message: the sender's peer score drops
// (-10) and its stream is reset.
TEST(Host, UndecodableKademliaRequestLowersThePeerScore) {
  NodeWithBarePeer t;
  ASSERT_TRUE(t.peer_dials_node());
  EXPECT_EQ(t.node->book().score(t.peer->peer_id(), Clock::now()), 0.0);
  ASSERT_TRUE(t.peer_sends("/ipfs/kad/1.0.0", Bytes{0xff, 0xff, 0xff, 0xff}));  // not a kad Message
  EXPECT_TRUE(run_until(t.io, [&] { return t.node->book().score(t.peer->peer_id(), Clock::now()) < 0.0; }));
}

TEST(Host, WrongPeerIdInDialledAddressIsRejected) {
  asio::io_context io;
  auto a = make_host(io, 1), b = make_host(io, 2);
  const PeerId other = PeerId::from_public_key(crypto::PrivateKey::ed25519_from_seed(Bytes(32, 3)).public_key());
  auto wrong = *b->listen_addrs()[0].with_component(Proto::P2p, other.bytes());
  auto conn = run(io, a->executor(), a->dial(wrong));
  ASSERT_TRUE(conn);
  ASSERT_FALSE(conn->ok());
  EXPECT_TRUE(conn->error().is(P2PNetworkError::PeerSecurityValidationFailed)) << conn->error().message();
  EXPECT_EQ(a->connections().size(), 0u);
}

TEST(Host, DialNobodyFails) {
  asio::io_context io;
  auto a = make_host(io, 1);
  // A port we just closed: connection refused.
  Multiaddr dead;
  {
    asio::ip::tcp::acceptor acc(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    dead = Multiaddr::from_ip_tcp("127.0.0.1", acc.local_endpoint().port());
  }
  auto conn = run(io, a->executor(), a->dial(dead));
  ASSERT_TRUE(conn);
  ASSERT_FALSE(conn->ok());
  EXPECT_TRUE(conn->error().is(P2PNetworkError::PeerConnectionFailed));
}

uint64_t checksum(ByteSpan b) {
  uint64_t h = 1469598103934665603ull;
  for (uint8_t c : b) h = (h ^ c) * 1099511628211ull;
  return h;
}

TEST(Host, ThousandConcurrentEchoStreams) {
  asio::io_context io;
  auto a = make_host(io, 1), b = make_host(io, 2);
  const std::string echo = "/test/echo/1.0.0";
  b->set_handler(echo, [](StreamPtr s) -> asio::awaitable<void> {
    Bytes buf(8192);
    for (;;) {
      auto n = co_await s->read_some(buf);
      if (!n.ok() || *n == 0) break;
      if (!(co_await s->write(ByteSpan(buf.data(), *n))).ok()) break;
    }
    (void)s->close_write();
  });
  auto conn = run(io, a->executor(), a->dial(dial_addr(*b)));
  ASSERT_TRUE(conn && conn->ok());
  constexpr int kStreams = 1000;
  int ok = 0, finished = 0;
  for (int i = 0; i < kStreams; ++i) {
    asio::co_spawn(a->executor(), [&, i]() -> asio::awaitable<void> {
      std::vector<std::string> protos{echo};
      auto s = co_await a->new_stream(b->peer_id(), std::move(protos));
      if (s.ok()) {
        Bytes data(1000 + (i * 37) % 4000);
        for (size_t k = 0; k < data.size(); ++k) data[k] = static_cast<uint8_t>(k * 31 + i);
        Bytes got(data.size());
        if ((co_await (*s)->write(data)).ok() && (*s)->close_write().ok() && (co_await (*s)->read_exact(got)).ok() &&
            checksum(got) == checksum(data))
          ++ok;
      }
      ++finished;
    }, asio::detached);
  }
  ASSERT_TRUE(run_until(io, [&] { return finished == kStreams; }, 120s));
  EXPECT_EQ(ok, kStreams);
}

TEST(Host, PeerClosingMidStreamGivesErrorsNotHangs) {
  asio::io_context io;
  auto a = make_host(io, 1);
  auto b = make_host(io, 2);
  const std::string sink = "/test/sink/1.0.0";
  bool handler_started = false;
  b->set_handler(sink, [&](StreamPtr s) -> asio::awaitable<void> {
    handler_started = true;
    Bytes buf(10);
    (void)co_await s->read_some(buf);  // read a little, then the whole host goes away
  });
  auto conn = run(io, a->executor(), a->dial(dial_addr(*b)));
  ASSERT_TRUE(conn && conn->ok());
  std::optional<Status> result;
  asio::co_spawn(a->executor(), [&]() -> asio::awaitable<void> {
    std::vector<std::string> protos{sink};
    auto s = co_await a->new_stream(b->peer_id(), std::move(protos));
    if (!s.ok()) {
      result = Status(s.error());
      co_return;
    }
    Bytes big(4 << 20, 1);  // more than the window: the write must block, then fail
    result = co_await (*s)->write(big);
  }, asio::detached);
  ASSERT_TRUE(run_until(io, [&] { return handler_started; }));
  b->close();
  ASSERT_TRUE(run_until(io, [&] { return result.has_value(); }));
  EXPECT_FALSE(result->ok());
  ASSERT_TRUE(run_until(io, [&] { return a->connections().empty(); }));
}

TEST(Host, TenHostsFullMesh) {
  asio::io_context io;
  std::vector<std::unique_ptr<Host>> hosts;
  for (uint8_t i = 0; i < 10; ++i) hosts.push_back(make_host(io, static_cast<uint8_t>(10 + i)));
  int done = 0, ok = 0;
  for (size_t i = 0; i < hosts.size(); ++i)
    for (size_t j = i + 1; j < hosts.size(); ++j)
      asio::co_spawn(hosts[i]->executor(), [&, i, j]() -> asio::awaitable<void> {
        auto c = co_await hosts[i]->dial(dial_addr(*hosts[j]));
        if (c.ok()) {
          auto rtt = co_await hosts[i]->ping(hosts[j]->peer_id());
          ok += rtt.ok();
        }
        ++done;
      }, asio::detached);
  ASSERT_TRUE(run_until(io, [&] { return done == 45; }, 60s));
  EXPECT_EQ(ok, 45);
  for (auto& h : hosts) EXPECT_EQ(h->connections().size(), 9u);
}

}  // namespace
}  // namespace hauptbuch::p2p::node

namespace hauptbuch::p2p::node {
namespace {

struct ModeCase {
  SecurityMode a, b;
  const char* expect;  // negotiated protocol, or nullptr for failure
};

TEST(HostSecurity, ModesNegotiateAsDocumented) {
  const std::vector<ModeCase> cases = {
      {SecurityMode::Both, SecurityMode::Both, "/hauptbuch/pq-noise/1.0.0"},
      {SecurityMode::Pq, SecurityMode::Both, "/hauptbuch/pq-noise/1.0.0"},
      {SecurityMode::Both, SecurityMode::Noise, "/noise"},
      {SecurityMode::Noise, SecurityMode::Both, "/noise"},
      {SecurityMode::Noise, SecurityMode::Noise, "/noise"},
      {SecurityMode::Pq, SecurityMode::Noise, nullptr},  // a pq node never completes a classical handshake
      {SecurityMode::Noise, SecurityMode::Pq, nullptr},
  };
  for (const auto& c : cases) {
    asio::io_context io;
    auto a = make_host(io, 1, c.a), b = make_host(io, 2, c.b);
    auto conn = run(io, a->executor(), a->dial(dial_addr(*b)));
    ASSERT_TRUE(conn);
    if (c.expect) {
      ASSERT_TRUE(conn->ok()) << conn->error().message();
      EXPECT_EQ(conn->value()->info().security, c.expect);
    } else {
      EXPECT_FALSE(conn->ok());
    }
  }
}

// A man in the middle on loopback that strips the PQ offer: to the dialler it answers "na" to
// /hauptbuch/pq-noise/1.0.0 and accepts /noise; to the listener it offers only /noise; then it
// relays bytes. Both nodes are PQ-capable, see each other's signed-in-handshake PQ marker in the
// /noise payload, and abort with SecurityValidationFailed.
asio::awaitable<void> relay(asio::ip::tcp::socket& from, asio::ip::tcp::socket& to) {
  Bytes buf(16384);
  for (;;) {
    auto [ec, n] = co_await from.async_read_some(asio::buffer(buf), asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) break;
    auto [wec, wn] = co_await asio::async_write(to, asio::buffer(buf.data(), n), asio::experimental::as_tuple(asio::use_awaitable));
    if (wec) break;
  }
  std::error_code ignored;
  to.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

asio::awaitable<Status> negotiate_raw(asio::ip::tcp::socket& s, bool initiator, Bytes& leftover) {
  auto exchange = [&](auto& ms) -> asio::awaitable<Status> {
    auto [ec0, n0] = co_await asio::async_write(s, asio::buffer(ms.start()), asio::experimental::as_tuple(asio::use_awaitable));
    if (ec0) co_return Status(P2PNetworkError::IoFailed, "write");
    Bytes buf(4096);
    while (!ms.done()) {
      auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), asio::experimental::as_tuple(asio::use_awaitable));
      if (ec) co_return Status(P2PNetworkError::IoFailed, "read");
      HBP2P_CO_TRY(ms.feed(ByteSpan(buf.data(), n)));
      Bytes out = ms.take_output();
      if (!out.empty()) co_await asio::async_write(s, asio::buffer(out), asio::experimental::as_tuple(asio::use_awaitable));
    }
    leftover = ms.take_leftover();
    co_return ok_status();
  };
  if (initiator) {
    negotiate::Initiator ms({"/noise"});
    co_return co_await exchange(ms);
  }
  negotiate::Responder ms(std::vector<std::string>{"/noise"});
  co_return co_await exchange(ms);
}

TEST(HostSecurity, DowngradeByStrippingThePqOfferIsDetected) {
  asio::io_context io;
  auto a = make_host(io, 1), b = make_host(io, 2);
  asio::ip::tcp::acceptor mitm(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto target = transport::tcp_endpoint_of(b->listen_addrs()[0]);
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto [ec, victim] = co_await mitm.async_accept(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    asio::ip::tcp::socket upstream(io);
    auto [cec] = co_await upstream.async_connect(*target, asio::experimental::as_tuple(asio::use_awaitable));
    if (cec) co_return;
    Bytes from_victim, from_upstream;
    if (!(co_await negotiate_raw(victim, false, from_victim)).ok()) co_return;
    if (!(co_await negotiate_raw(upstream, true, from_upstream)).ok()) co_return;
    if (!from_victim.empty()) co_await asio::async_write(upstream, asio::buffer(from_victim), asio::experimental::as_tuple(asio::use_awaitable));
    if (!from_upstream.empty()) co_await asio::async_write(victim, asio::buffer(from_upstream), asio::experimental::as_tuple(asio::use_awaitable));
    asio::co_spawn(io, relay(victim, upstream), asio::detached);
    co_await relay(upstream, victim);
  }, asio::detached);
  const Multiaddr via_mitm = *Multiaddr::from_ip_tcp("127.0.0.1", mitm.local_endpoint().port())
                                  .with_component(Proto::P2p, b->peer_id().bytes());
  auto conn = run(io, a->executor(), a->dial(via_mitm));
  ASSERT_TRUE(conn);
  ASSERT_FALSE(conn->ok());
  EXPECT_TRUE(conn->error().is(P2PNetworkError::SecurityValidationFailed)) << conn->error().message();
  EXPECT_NE(conn->error().message().find("downgrade"), std::string::npos);
  EXPECT_TRUE(a->connections().empty());
}

}  // namespace
}  // namespace hauptbuch::p2p::node

namespace hauptbuch::p2p::node {
namespace {

// 200 hostile connections (garbage, bad multistream, truncated, oversized length, slow-loris) at
// a live node while a good peer keeps pinging it: every ping succeeds, every hostile connection
// is closed by the node, and the good connection survives.
TEST(HostHostile, TwoHundredBadConnectionsDoNotDisturbAGoodPeer) {
  asio::io_context io;
  P2PNetworkConfig cfg = test_config();
  cfg.handshake_timeout = std::chrono::milliseconds(1500);  // slow-loris bound, short for the test
  auto victim = std::make_unique<Host>(io, crypto::PrivateKey::ed25519_from_seed(Bytes(32, 2)), cfg);
  ASSERT_TRUE(victim->listen({*Multiaddr::parse("/ip4/127.0.0.1/tcp/0")}).ok());
  auto good = make_host(io, 1);
  auto conn = run(io, good->executor(), good->dial(dial_addr(*victim)));
  ASSERT_TRUE(conn && conn->ok());

  const auto target = *transport::tcp_endpoint_of(victim->listen_addrs()[0]);
  constexpr int kBad = 200;
  int closed_by_victim = 0;
  for (int k = 0; k < kBad; ++k) {
    asio::co_spawn(io, [&, k]() -> asio::awaitable<void> {
      asio::ip::tcp::socket s(io);
      auto [cec] = co_await s.async_connect(target, asio::experimental::as_tuple(asio::use_awaitable));
      if (cec) {
        ++closed_by_victim;  // refused outright also counts as handled
        co_return;
      }
      Bytes payload;
      switch (k % 5) {
        case 0: payload.assign(300, static_cast<uint8_t>(k)); break;                  // garbage
        case 1: payload = negotiate::encode_message("/multistream/1.0.0");            // then junk
                payload.insert(payload.end(), {0x05, 'h', 'e', 'l', 'l', 'o'}); break;
        case 2: payload = {0x13, '/', 'm', 'u'}; break;                               // truncated
        case 3: payload = {0xff, 0xff, 0xff, 0xff, 0x0f}; break;                      // oversized
        case 4: break;                                                               // slow-loris
      }
      if (!payload.empty())
        co_await asio::async_write(s, asio::buffer(payload), asio::experimental::as_tuple(asio::use_awaitable));
      if (k % 5 == 2) s.shutdown(asio::ip::tcp::socket::shutdown_send);
      Bytes buf(4096);
      for (int reads = 0; reads < 1000; ++reads) {  // until the victim closes on us
        auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), asio::experimental::as_tuple(asio::use_awaitable));
        if (ec) break;
      }
      ++closed_by_victim;
    }, asio::detached);
  }
  int pings_ok = 0, pings_done = 0;
  asio::co_spawn(good->executor(), [&]() -> asio::awaitable<void> {
    while (closed_by_victim < kBad && pings_done < 100000) {
      auto rtt = co_await good->ping(victim->peer_id());
      ++pings_done;
      pings_ok += rtt.ok();
    }
  }, asio::detached);
  ASSERT_TRUE(run_until(io, [&] { return closed_by_victim == kBad; }, 60s));
  ASSERT_TRUE(run_until(io, [&] { return pings_done > 0 && closed_by_victim == kBad; }));
  EXPECT_GT(pings_done, 0);
  EXPECT_EQ(pings_ok, pings_done);
  EXPECT_EQ(victim->connections().size(), 1u);
  EXPECT_TRUE(good->connection(victim->peer_id()) != nullptr);
}

}  // namespace
}  // namespace hauptbuch::p2p::node

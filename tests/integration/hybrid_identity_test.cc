// Integration tests of hybrid (ML-DSA-65 + Ed25519) identities on real hosts on 127.0.0.1: two
// hybrid hosts connect over the PQ channel and authenticate each other's sha2-256 PeerIds,
// hybrid and Ed25519 hosts connect both ways, hybrid hosts also connect over /noise, and a
// dialled /p2p/ PeerId of another hybrid key is rejected.
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "node/host.h"
#include "secure/pq_handshake.h"
#include "testing/host_harness.h"

namespace hauptbuch::p2p::node {
namespace {

using testing_harness::dial_addr;
using testing_harness::make_host;
using testing_harness::run;
using testing_harness::run_until;
using testing_harness::test_config;

crypto::PrivateKey hybrid_key(uint8_t seed) {
  return crypto::PrivateKey::hybrid_from_seeds(Bytes(32, seed), Bytes(32, static_cast<uint8_t>(seed + 100)));
}

std::unique_ptr<Host> make_hybrid_host(asio::io_context& io, uint8_t seed, SecurityMode mode = SecurityMode::Both) {
  auto h = std::make_unique<Host>(io, hybrid_key(seed), test_config(mode));
  auto addrs = h->listen({*Multiaddr::parse("/ip4/127.0.0.1/tcp/0")});
  EXPECT_TRUE(addrs.ok());
  return h;
}

TEST(HybridIdentity, TwoHybridHostsConnectOverPq) {
  asio::io_context io;
  auto a = make_hybrid_host(io, 1), b = make_hybrid_host(io, 2);
  const PeerId b_id = PeerId::from_public_key(hybrid_key(2).public_key());
  EXPECT_EQ(b->peer_id(), b_id);
  EXPECT_EQ(b_id.to_base58().rfind("Qm", 0), 0u);  // sha2-256 PeerId of the 1,991-byte key

  std::vector<HostEvent> events_b;
  b->set_event_callback([&](const HostEvent& e) { events_b.push_back(e); });
  auto conn = run(io, a->executor(), a->dial(dial_addr(*b)));
  ASSERT_TRUE(conn && conn->ok()) << (conn ? conn->error().message() : "timeout");
  EXPECT_EQ(conn->value()->info().peer, b_id);
  EXPECT_EQ(conn->value()->info().security, secure::kPqProtocolId);
  ASSERT_TRUE(run_until(io, [&] { return !events_b.empty(); }));
  EXPECT_EQ(events_b[0].type, HostEvent::Type::Connected);
  EXPECT_EQ(events_b[0].info.peer, PeerId::from_public_key(hybrid_key(1).public_key()));

  auto rtt = run(io, a->executor(), a->ping(b_id));
  ASSERT_TRUE(rtt && rtt->ok()) << (rtt ? rtt->error().message() : "timeout");
  // Identify carries the hybrid keys too.
  ASSERT_TRUE(run_until(io, [&] {
    auto ca = a->connection(b_id);
    return ca && !ca->info().protocols.empty();
  }));
}

TEST(HybridIdentity, HybridAndEd25519HostsConnectBothWays) {
  asio::io_context io;
  auto h = make_hybrid_host(io, 3);
  auto e = make_host(io, 4);
  auto c1 = run(io, h->executor(), h->dial(dial_addr(*e)));
  ASSERT_TRUE(c1 && c1->ok()) << (c1 ? c1->error().message() : "timeout");
  EXPECT_EQ(c1->value()->info().peer, e->peer_id());
  EXPECT_EQ(c1->value()->info().security, secure::kPqProtocolId);
  auto p1 = run(io, h->executor(), h->ping(e->peer_id()));
  ASSERT_TRUE(p1 && p1->ok());

  auto h2 = make_hybrid_host(io, 5);
  auto e2 = make_host(io, 6);
  auto c2 = run(io, e2->executor(), e2->dial(dial_addr(*h2)));
  ASSERT_TRUE(c2 && c2->ok()) << (c2 ? c2->error().message() : "timeout");
  EXPECT_EQ(c2->value()->info().peer, h2->peer_id());
  auto p2 = run(io, e2->executor(), e2->ping(h2->peer_id()));
  ASSERT_TRUE(p2 && p2->ok());
}

TEST(HybridIdentity, HybridHostsConnectOverNoise) {
  asio::io_context io;
  auto a = make_hybrid_host(io, 7, SecurityMode::Noise), b = make_hybrid_host(io, 8, SecurityMode::Noise);
  auto conn = run(io, a->executor(), a->dial(dial_addr(*b)));
  ASSERT_TRUE(conn && conn->ok()) << (conn ? conn->error().message() : "timeout");
  EXPECT_EQ(conn->value()->info().peer, b->peer_id());
  EXPECT_EQ(conn->value()->info().security, "/noise");
  auto rtt = run(io, a->executor(), a->ping(b->peer_id()));
  ASSERT_TRUE(rtt && rtt->ok());
}

TEST(HybridIdentity, DialledPeerIdOfAnotherHybridKeyIsRejected) {
  asio::io_context io;
  auto a = make_hybrid_host(io, 9), b = make_hybrid_host(io, 10);
  // Same Ed25519 half as b, different ML-DSA half: a different PeerId, so the dial must fail.
  const PeerId other = PeerId::from_public_key(
      crypto::PrivateKey::hybrid_from_seeds(Bytes(32, 11), Bytes(32, 110)).public_key());
  ASSERT_NE(other, b->peer_id());
  auto wrong = *b->listen_addrs()[0].with_component(Proto::P2p, other.bytes());
  auto conn = run(io, a->executor(), a->dial(wrong));
  ASSERT_TRUE(conn);
  ASSERT_FALSE(conn->ok());
  EXPECT_TRUE(conn->error().is(P2PNetworkError::PeerSecurityValidationFailed)) << conn->error().message();
  EXPECT_EQ(a->connections().size(), 0u);
}

}  // namespace
}  // namespace hauptbuch::p2p::node

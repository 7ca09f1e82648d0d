// PeerBook's feeler selection: only addresses of the "new" table whose peer is not connected
// are offered; a reachable one moves to "tried" and is never offered again; an unreachable one
// stays in "new" (backed off).
#include "node/peer_book.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/identity.h"

namespace hauptbuch::p2p::node {
namespace {

using namespace std::chrono_literals;

Multiaddr addr(int i) {
  return *Multiaddr::parse("/ip4/8." + std::to_string(i) + ".0.1/tcp/4001");
}

TEST(PeerBook, FeelersTestNewAddressesOnly) {
  SeededRandom rng(9);
  PeerBook book(PeerBookConfig{}, rng);
  const Time now = Time{} + 1000h;
  ASSERT_TRUE(book.open(now).ok());
  std::vector<Multiaddr> addrs;
  for (int i = 1; i <= 3; ++i) addrs.push_back(addr(i));
  ASSERT_EQ(book.learn(addrs, *Multiaddr::parse("/ip4/9.9.9.9/tcp/1"), now), 3u);
  for (const auto& a : addrs) EXPECT_EQ(book.table_of(a), "new");

  auto none_connected = [](const std::string&) { return false; };
  auto f = book.next_feeler(now, none_connected);
  ASSERT_TRUE(f);
  book.feeler_result(*f, true, now);
  EXPECT_EQ(book.table_of(*f), "tried");

  // From now on: the tried address is never a feeler, nor a connected peer's; the other two
  // new addresses are (each failed test backs the address off; the clock moves past that).
  const PeerId connected_peer = PeerId::from_public_key(crypto::PrivateKey::ed25519_from_seed(Bytes(32, 4)).public_key());
  const auto with_peer = addr(4).with_component(Proto::P2p, connected_peer.bytes());
  ASSERT_TRUE(with_peer.ok());
  ASSERT_EQ(book.learn({*with_peer}, *Multiaddr::parse("/ip4/9.9.9.9/tcp/1"), now), 1u);
  const std::string connected_key(connected_peer.bytes().begin(), connected_peer.bytes().end());
  auto only_peer4_connected = [&](const std::string& p) { return p == connected_key; };
  std::set<std::string> offered;
  Time t = now;
  for (int i = 0; i < 40; ++i) {
    t += 2h;
    auto g = book.next_feeler(t, only_peer4_connected);
    if (!g) continue;
    EXPECT_NE(g->without_p2p().to_string(), f->without_p2p().to_string());
    EXPECT_NE(g->without_p2p().to_string(), addr(4).to_string());
    offered.insert(g->without_p2p().to_string());
    book.feeler_result(*g, false, t);
  }
  std::set<std::string> untested;
  for (const auto& a : addrs)
    if (a.to_string() != f->without_p2p().to_string()) untested.insert(a.to_string());
  EXPECT_EQ(offered, untested);
  for (const auto& s : offered) EXPECT_EQ(book.table_of(*Multiaddr::parse(s)), "new");
}

}  // namespace
}  // namespace hauptbuch::p2p::node

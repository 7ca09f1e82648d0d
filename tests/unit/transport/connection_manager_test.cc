// Unit tests for node::ConnectionManager: caps, per-IP and per-subnet limits, tie-break.
#include "node/connection_manager.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p::node {
namespace {

asio::ip::address ip(const char* s) { return asio::ip::make_address(s); }

ConnectionLimits small_limits() {
  ConnectionLimits l;
  l.max_peers = 6;
  l.max_inbound = 4;
  l.max_outbound = 3;
  l.max_inbound_per_ip = 2;
  l.max_inbound_per_subnet = 3;
  return l;
}

TEST(ConnectionManager, PerIpAndPerSubnetInboundLimits) {
  ConnectionManager m(small_limits());
  ASSERT_TRUE(m.add(1, "a", "me", Direction::Inbound, ip("10.0.0.1")).ok());
  ASSERT_TRUE(m.add(2, "b", "me", Direction::Inbound, ip("10.0.0.1")).ok());
  auto r = m.add(3, "c", "me", Direction::Inbound, ip("10.0.0.1"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(P2PNetworkError::ConnectionLimitsExceeded));
  EXPECT_FALSE(m.check_inbound(ip("10.0.0.1")).ok());
  ASSERT_TRUE(m.add(3, "c", "me", Direction::Inbound, ip("10.0.0.2")).ok());
  // the /24 now holds 3 connections
  EXPECT_FALSE(m.check_inbound(ip("10.0.0.9")).ok());
  EXPECT_TRUE(m.check_inbound(ip("10.0.1.9")).ok());
  m.remove(1);
  EXPECT_TRUE(m.check_inbound(ip("10.0.0.1")).ok());
  EXPECT_EQ(m.total(), 2u);
}

TEST(ConnectionManager, Ipv6UsesSlash48AndV4MappedUsesSlash24) {
  EXPECT_EQ(ConnectionManager::subnet_key(ip("2001:db8:1::1")),
            ConnectionManager::subnet_key(ip("2001:db8:1:ffff::2")));
  EXPECT_NE(ConnectionManager::subnet_key(ip("2001:db8:1::1")),
            ConnectionManager::subnet_key(ip("2001:db8:2::1")));
  EXPECT_EQ(ConnectionManager::subnet_key(ip("::ffff:10.0.0.1")),
            ConnectionManager::subnet_key(ip("10.0.0.200")));
}

TEST(ConnectionManager, InboundOutboundAndTotalCaps) {
  ConnectionManager m(small_limits());
  for (ConnectionId i = 0; i < 3; ++i)
    ASSERT_TRUE(m.add(i, "out" + std::to_string(i), "me", Direction::Outbound, ip("1.2.3.4")).ok());
  EXPECT_FALSE(m.check_outbound().ok());
  EXPECT_FALSE(m.add(9, "out9", "me", Direction::Outbound, ip("1.2.3.4")).ok());
  const char* addrs[] = {"20.0.0.1", "21.0.0.1", "22.0.0.1"};
  for (ConnectionId i = 0; i < 3; ++i)
    ASSERT_TRUE(m.add(10 + i, "in" + std::to_string(i), "me", Direction::Inbound, ip(addrs[i])).ok());
  EXPECT_EQ(m.total(), 6u);
  auto r = m.add(20, "in9", "me", Direction::Inbound, ip("30.0.0.1"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(P2PNetworkError::ConnectionLimitsExceeded));
  EXPECT_EQ(m.inbound(), 3u);
  EXPECT_EQ(m.outbound(), 3u);
}

TEST(ConnectionManager, SimultaneousDialKeepsSmallerInitiatorOnBothSides) {
  // Peers "A" < "B" dial each other at once. Each side sees one outbound and one inbound.
  ConnectionManager at_a(small_limits()), at_b(small_limits());
  // At A: outbound (initiator A) first, then inbound (initiator B) -> keep outbound.
  ASSERT_TRUE(at_a.add(1, "B", "A", Direction::Outbound, ip("1.1.1.1")).ok());
  auto da = at_a.add(2, "B", "A", Direction::Inbound, ip("1.1.1.1"));
  ASSERT_TRUE(da.ok());
  EXPECT_FALSE(da.value().keep_new);
  EXPECT_EQ(at_a.connection_for("B"), ConnectionId{1});
  // At B: outbound (initiator B) first, then inbound (initiator A) -> replace with inbound.
  ASSERT_TRUE(at_b.add(1, "A", "B", Direction::Outbound, ip("1.1.1.1")).ok());
  auto db = at_b.add(2, "A", "B", Direction::Inbound, ip("1.1.1.1"));
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE(db.value().keep_new);
  EXPECT_EQ(db.value().close_old, ConnectionId{1});
  EXPECT_EQ(at_b.connection_for("A"), ConnectionId{2});
  EXPECT_EQ(at_b.total(), 1u);
  EXPECT_EQ(at_b.inbound(), 1u);
}

TEST(ConnectionManager, DuplicateIdRejectedAndStateUnchanged) {
  ConnectionManager m(small_limits());
  ASSERT_TRUE(m.add(1, "a", "me", Direction::Inbound, ip("10.0.0.1")).ok());
  auto r = m.add(1, "b", "me", Direction::Inbound, ip("10.0.0.1"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(m.total(), 1u);
  EXPECT_EQ(m.connection_for("b"), std::nullopt);
  m.remove(42);  // unknown id ignored
  EXPECT_EQ(m.total(), 1u);
}

}  // namespace
}  // namespace hauptbuch::p2p::node

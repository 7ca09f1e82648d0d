// Unit tests for peer scoring, redial backoff and inbound eviction.
#include <gtest/gtest.h>

#include "peer/backoff.h"
#include "peer/inbound_eviction.h"
#include "peer/peer_score.h"

namespace hauptbuch::p2p::peer {
namespace {

using namespace std::chrono_literals;
const Time kT0 = Time{} + 100h;

// prefix + number (written with append: GCC 12 at -O3 warns falsely on "x" + std::to_string()).
std::string label(const char* prefix, uint64_t i) {
  std::string s(prefix);
  s.append(std::to_string(i));
  return s;
}

TEST(PeerScores, DecayAndPenalties) {
  PeerScores s;
  EXPECT_EQ(s.score("a", kT0), 0.0);
  EXPECT_FALSE(s.record("a", Behaviour::InvalidMessage, kT0));
  EXPECT_DOUBLE_EQ(s.score("a", kT0), -10);
  EXPECT_NEAR(s.score("a", kT0 + 600s), -5, 1e-9);  // one half-life
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(s.record("b", Behaviour::UsefulMessage, kT0));
  EXPECT_LE(s.score("b", kT0), 100);  // capped
}

TEST(PeerScores, BanAtThresholdWithDoublingDuration) {
  PeerScores s;
  std::optional<Duration> ban;
  int n = 0;
  while (!ban && n < 100) ban = s.record("x", Behaviour::ProtocolViolation, kT0), ++n;
  ASSERT_TRUE(ban);
  EXPECT_EQ(n, 4);  // -25 x 4 = -100
  EXPECT_EQ(*ban, 1h);
  EXPECT_EQ(s.score("x", kT0), 0.0);  // reset after the ban
  std::optional<Duration> ban2;
  for (int i = 0; i < 10 && !ban2; ++i) ban2 = s.record("x", Behaviour::ProtocolViolation, kT0);
  ASSERT_TRUE(ban2);
  EXPECT_EQ(*ban2, 2h);
}

TEST(PeerScores, TableIsBounded) {
  PeerScoreConfig c;
  c.max_peers_tracked = 100;
  PeerScores s(c);
  for (int i = 0; i < 1000; ++i) (void)s.record(label("p", static_cast<uint64_t>(i)), Behaviour::Timeout, kT0);
  EXPECT_EQ(s.size(), 100u);
}

TEST(Backoff, ExponentialWithJitterAndReset) {
  Backoff b;
  SeededRandom rng(3);
  EXPECT_TRUE(b.ready("a", kT0));
  Duration prev_cap = 0s;
  for (unsigned i = 0; i < 15; ++i) {
    const Time at = b.failed("a", kT0, rng);
    const Duration cap = std::min<Duration>(1s * (int64_t{1} << i), 10min);
    EXPECT_LE(at - kT0, cap);
    EXPECT_GE(at, kT0);
    EXPECT_GE(cap, prev_cap);
    prev_cap = cap;
  }
  EXPECT_EQ(b.failures("a"), 15u);
  EXPECT_TRUE(b.ready("a", kT0 + 10min));
  b.succeeded("a");
  EXPECT_EQ(b.failures("a"), 0u);
  EXPECT_TRUE(b.ready("a", kT0));
}

TEST(Backoff, TableIsBounded) {
  BackoffConfig c;
  c.max_entries = 50;
  Backoff b(c);
  SeededRandom rng(1);
  for (int i = 0; i < 500; ++i) b.failed(std::to_string(i), kT0 + std::chrono::seconds(i), rng);
  EXPECT_EQ(b.size(), 50u);
  EXPECT_EQ(b.failures("0"), 0u);  // oldest dropped
}

EvictionCandidate cand(uint64_t id, std::string group, Duration rtt, Time connected) {
  EvictionCandidate c;
  c.id = id;
  c.group = std::move(group);
  c.min_rtt = rtt;
  c.connected_at = connected;
  return c;
}

TEST(InboundEviction, EvictsYoungestOfTheLargestGroup) {
  std::vector<EvictionCandidate> c;
  // 20 honest peers in distinct groups, connected long ago, with varied latency.
  for (uint64_t i = 0; i < 20; ++i) c.push_back(cand(i, label("g", i), std::chrono::milliseconds(50 + i), kT0 + std::chrono::seconds(i)));
  // An attacker's 30 connections from one group, fast and recent.
  for (uint64_t i = 100; i < 130; ++i) c.push_back(cand(i, "attacker", 1ms, kT0 + 1h + std::chrono::seconds(i)));
  auto v = select_inbound_to_evict(c, 42);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, 129u);  // the attacker group's most recent connection
}

TEST(InboundEviction, ProtectedAndTooFewGiveNothing) {
  std::vector<EvictionCandidate> c;
  for (uint64_t i = 0; i < 6; ++i) c.push_back(cand(i, label("g", i), 10ms, kT0));
  EXPECT_FALSE(select_inbound_to_evict(c, 1));  // all protected by group/latency
  std::vector<EvictionCandidate> d;
  for (uint64_t i = 0; i < 40; ++i) {
    auto e = cand(i, "g", 10ms, kT0 + std::chrono::seconds(i));
    e.no_evict = true;
    d.push_back(e);
  }
  EXPECT_FALSE(select_inbound_to_evict(d, 1));
}

TEST(InboundEviction, RecentlyUsefulPeersAreProtected) {
  std::vector<EvictionCandidate> c;
  for (uint64_t i = 0; i < 40; ++i) {
    auto e = cand(i, "same", 10ms, kT0 + std::chrono::seconds(i));
    if (i == 39) e.last_useful = kT0 + 2h;  // the youngest, but useful
    c.push_back(e);
  }
  auto v = select_inbound_to_evict(c, 7);
  ASSERT_TRUE(v);
  EXPECT_NE(*v, 39u);
}

}  // namespace
}  // namespace hauptbuch::p2p::peer

// Eclipse-resistance evidence for the address store + outbound policy (issue "peer management"):
// an attacker with 1,000 addresses in one /16 plus a few more /16s floods the store through
// gossip; afterwards it must hold at most 2 of 8 outbound slots and a minority of the tried table.
// Also: anchors are dialled first after a restart.
#include <gtest/gtest.h>

#include <cstdio>

#include "peer/addr_man.h"
#include "peer/outbound_policy.h"

namespace hauptbuch::p2p::peer {
namespace {

using namespace std::chrono_literals;

Multiaddr ip4(int a, int b, int c, int d, int port = 4001) {
  return *Multiaddr::parse("/ip4/" + std::to_string(a) + "." + std::to_string(b) + "." +
                           std::to_string(c) + "." + std::to_string(d) + "/tcp/" + std::to_string(port));
}

bool is_attacker(const Multiaddr& m) {
  const auto c = m.components();
  const int a = c[0].value[0], b = c[0].value[1];
  return (a == 66 && b == 66) || (a == 77 && b >= 1 && b <= 3);
}

struct Outcome {
  size_t attacker_slots = 0;
  size_t attacker_tried = 0, tried = 0;
};

// A node that has run for a while (honest peers known, some tried), then gets flooded, then
// fills its 8 outbound slots, with every dial succeeding (the attacker's nodes are all up) and
// every success promoted to "tried".
Outcome run(uint64_t seed) {
  SeededRandom rng(seed);
  AddrMan am(AddrMan::random_secret(rng));
  const Time t0 = Time{} + 1000h;
  // 400 honest addresses in 400 /16s, heard from 100 different honest peers; 100 tried.
  for (int i = 0; i < 400; ++i) {
    auto a = ip4(11 + i % 200, 1 + i / 200, 7, 7);
    am.add(a, ip4(150 + i % 50, 9 + i % 2, 1, 1), t0);
    if (i % 4 == 0) am.good(a, t0 + 1min);
  }
  // The flood: 1,000 addresses in 66.66/16 and 3 x 100 in 77.1-3/16, gossiped by attacker peers
  // in those same /16s.
  for (int i = 0; i < 1000; ++i) am.add(ip4(66, 66, i / 250, 1 + i % 250), ip4(66, 66, 200, i % 250), t0 + 1h);
  for (int g = 1; g <= 3; ++g)
    for (int i = 0; i < 100; ++i) am.add(ip4(77, g, i / 250, 1 + i % 250), ip4(77, g, 200, 1), t0 + 1h);

  OutboundPolicy policy({8, 2});
  Outcome out;
  const Time now = t0 + 2h;
  for (int k = 0; k < 100 && policy.outbound() < 8; ++k) {
    auto next = policy.next(am, rng, now);
    if (!next) break;
    policy.dial_finished(*next, true);
    am.good(*next, now);
    out.attacker_slots += is_attacker(*next);
  }
  EXPECT_EQ(policy.outbound(), 8u);
  for (const auto& a : am.all()) {
    if (!a.in_tried) continue;
    ++out.tried;
    out.attacker_tried += is_attacker(a.addr);
  }
  return out;
}

TEST(Eclipse, FloodFromFewGroupsGetsAtMostTwoOfEightSlots) {
  size_t worst = 0, total = 0;
  constexpr int kTrials = 40;
  for (uint64_t seed = 1; seed <= kTrials; ++seed) {
    Outcome o = run(seed);
    worst = std::max(worst, o.attacker_slots);
    total += o.attacker_slots;
    EXPECT_LT(o.attacker_tried * 2, o.tried) << "seed " << seed;
  }
  std::printf("attacker outbound slots over %d trials: mean %.2f, worst %zu of 8\n", kTrials,
              static_cast<double>(total) / kTrials, worst);
  EXPECT_LE(worst, 2u);
}

TEST(Eclipse, AnchorsAreDialledFirstAfterRestart) {
  SeededRandom rng(5);
  AddrMan am(AddrMan::random_secret(rng));
  const Time t0 = Time{} + 1000h;
  for (int i = 0; i < 50; ++i) am.add(ip4(20 + i, 1, 1, 1), ip4(99, i, 1, 1), t0);
  OutboundPolicy policy({8, 2});
  policy.set_anchors({ip4(30, 5, 5, 5), ip4(31, 5, 5, 5)});
  auto a = policy.next(am, rng, t0);
  auto b = policy.next(am, rng, t0);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, ip4(30, 5, 5, 5));
  EXPECT_EQ(*b, ip4(31, 5, 5, 5));
  policy.dial_finished(*a, true);
  policy.dial_finished(*b, false);
  EXPECT_EQ(policy.outbound(), 1u);
  EXPECT_EQ(policy.pending(), 0u);
  EXPECT_EQ(policy.current(), std::vector<Multiaddr>{ip4(30, 5, 5, 5)});
  policy.disconnected(*a);
  EXPECT_EQ(policy.outbound(), 0u);
}

TEST(Eclipse, PerGroupCapHolds) {
  SeededRandom rng(6);
  AddrMan am(AddrMan::random_secret(rng));
  const Time t0 = Time{} + 1000h;
  for (int i = 0; i < 200; ++i) am.add(ip4(66, 66, i, 1), ip4(66, 66, 250, i), t0);  // one /16 only
  OutboundPolicy policy({8, 2});
  size_t got = 0;
  while (auto n = policy.next(am, rng, t0 + 1h)) {
    policy.dial_finished(*n, true);
    if (++got > 8) break;
  }
  EXPECT_EQ(got, 2u);
}

}  // namespace
}  // namespace hauptbuch::p2p::peer

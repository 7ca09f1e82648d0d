// Unit tests of the relay's sans-I/O decisions with a virtual clock: local delivery, forward,
// replay within and after the seen TTL, hop limit, loop, destination peer, seen-cache bounds.
#include "protocols/relay/relay_core.h"

#include <gtest/gtest.h>

#include "crypto/identity.h"

namespace hauptbuch::p2p::relay {
namespace {

using namespace std::chrono_literals;

PeerId peer(uint8_t seed) {
  return PeerId::from_public_key(crypto::PrivateKey::ed25519_from_seed(Bytes(32, seed)).public_key());
}

Envelope env_for(const std::string& dest_chain, uint64_t nonce = 1, uint8_t hops = 4,
                 std::optional<PeerId> dest_peer = std::nullopt) {
  auto e = make_envelope(peer(1), nonce, "a", dest_chain, std::move(dest_peer), Bytes{7}, hops);
  EXPECT_TRUE(e.ok());
  Envelope v = std::move(e).value();
  v.path.push_back(peer(1));
  return v;
}

const auto kNobody = [](const PeerId&) { return false; };

TEST(RelayCore, DeliversIntoAServedChain) {
  ManualClock clock;
  RelayCore core(peer(2), {"a", "b"});
  auto d = core.decide(env_for("b"), clock.now(), kNobody);
  EXPECT_EQ(d.action, Action::DeliverToChain);
  ASSERT_EQ(d.out.path.size(), 2u);
  EXPECT_EQ(d.out.path.back(), peer(2));
  EXPECT_EQ(d.out.hop_limit, 4);  // not decremented on delivery
}

TEST(RelayCore, ForwardsForAnUnservedChainWithDecrementedHopLimit) {
  ManualClock clock;
  RelayCore core(peer(2), {"a"});
  auto d = core.decide(env_for("b"), clock.now(), kNobody);
  EXPECT_EQ(d.action, Action::ForwardToChain);
  EXPECT_EQ(d.out.hop_limit, 3);
  EXPECT_EQ(d.out.path.back(), peer(2));
}

TEST(RelayCore, OriginatedEnvelopeKeepsItsHopLimit) {
  ManualClock clock;
  RelayCore core(peer(1), {"a"});
  auto e = *make_envelope(peer(1), 5, "a", "b", std::nullopt, Bytes{1});
  auto d = core.decide(e, clock.now(), kNobody, /*originated=*/true);
  EXPECT_EQ(d.action, Action::ForwardToChain);
  EXPECT_EQ(d.out.hop_limit, kDefaultHopLimit);
  ASSERT_EQ(d.out.path.size(), 1u);
  EXPECT_EQ(d.out.path[0], peer(1));
  // Coming back to the origin is a loop (and a replay).
  RelayCore again(peer(1), {"a"});
  auto back = again.decide(d.out, clock.now(), kNobody);
  EXPECT_EQ(back.action, Action::Drop);
  EXPECT_EQ(back.reason, DropReason::Loop);
}

TEST(RelayCore, ReplayWithinTtlIsDroppedAndAcceptedAfter) {
  ManualClock clock;
  RelayCore core(peer(2), {"b"}, 16, 10min);
  EXPECT_EQ(core.decide(env_for("b"), clock.now(), kNobody).action, Action::DeliverToChain);
  clock.advance(9min);
  auto replay = core.decide(env_for("b"), clock.now(), kNobody);
  EXPECT_EQ(replay.action, Action::Drop);
  EXPECT_EQ(replay.reason, DropReason::Replay);
  EXPECT_NE(replay.detail.find("replay"), std::string::npos);
  clock.advance(1min + 1s);  // past the TTL of the first sighting
  EXPECT_EQ(core.decide(env_for("b"), clock.now(), kNobody).action, Action::DeliverToChain);
}

TEST(RelayCore, HopLimitZeroIsDroppedAndOneCannotBeForwarded) {
  ManualClock clock;
  RelayCore relay(peer(2), {"a"});
  auto zero = relay.decide(env_for("b", 1, 0), clock.now(), kNobody);
  EXPECT_EQ(zero.action, Action::Drop);
  EXPECT_EQ(zero.reason, DropReason::HopLimitExhausted);
  auto one = relay.decide(env_for("b", 2, 1), clock.now(), kNobody);
  EXPECT_EQ(one.action, Action::Drop);
  EXPECT_EQ(one.reason, DropReason::HopLimitExhausted);
  // With 1 left a node serving the chain still delivers.
  RelayCore dest(peer(3), {"b"});
  EXPECT_EQ(dest.decide(env_for("b", 3, 1), clock.now(), kNobody).action, Action::DeliverToChain);
}

TEST(RelayCore, LoopIsDropped) {
  ManualClock clock;
  RelayCore core(peer(2), {"a"});
  Envelope e = env_for("b");
  e.path.push_back(peer(2));
  e.path.push_back(peer(4));
  auto d = core.decide(e, clock.now(), kNobody);
  EXPECT_EQ(d.action, Action::Drop);
  EXPECT_EQ(d.reason, DropReason::Loop);
}

TEST(RelayCore, DestinationPeer) {
  ManualClock clock;
  RelayCore me(peer(3), {"b"});
  EXPECT_EQ(me.decide(env_for("b", 1, 4, peer(3)), clock.now(), kNobody).action, Action::DeliverToPeer);
  RelayCore relay(peer(2), {"b"});
  // Connected to the destination: straight to it, even though we serve its chain.
  auto direct = relay.decide(env_for("b", 2, 4, peer(3)), clock.now(), [](const PeerId& p) { return p == peer(3); });
  EXPECT_EQ(direct.action, Action::ForwardToPeer);
  EXPECT_EQ(direct.out.hop_limit, 3);
  // Not connected: towards its chain.
  EXPECT_EQ(relay.decide(env_for("b", 3, 4, peer(3)), clock.now(), kNobody).action, Action::ForwardToChain);
}

TEST(SeenCache, BoundedAndOldestEvictedFirst) {
  ManualClock clock;
  SeenCache c(3, 1h);
  auto id = [](uint8_t n) {
    MessageId m{};
    m[0] = n;
    return m;
  };
  for (uint8_t i = 0; i < 5; ++i) {
    EXPECT_FALSE(c.check_and_insert(id(i), clock.now()));
    clock.advance(1s);
  }
  EXPECT_EQ(c.size(), 3u);
  EXPECT_FALSE(c.contains(id(0), clock.now()));
  EXPECT_FALSE(c.contains(id(1), clock.now()));
  EXPECT_TRUE(c.contains(id(4), clock.now()));
  EXPECT_TRUE(c.check_and_insert(id(4), clock.now()));
  clock.advance(2h);
  EXPECT_EQ(c.contains(id(4), clock.now()), false);
  EXPECT_EQ(c.size(), 0u);
}

}  // namespace
}  // namespace hauptbuch::p2p::relay

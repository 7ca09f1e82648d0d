// Unit tests for the gossipsub SeenCache and MessageCache.
#include "protocols/gossipsub/caches.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p::gossipsub {
namespace {

using namespace std::chrono_literals;
const Time kT0 = Time{} + 10h;
MessageId id(uint8_t v) { return MessageId{v}; }
PubsubMessage msg(const char* topic) {
  PubsubMessage m;
  m.topic = topic;
  return m;
}

TEST(SeenCache, DuplicatesTtlAndBound) {
  SeenCache s(2min, 3);
  EXPECT_TRUE(s.insert(id(1), kT0));
  EXPECT_FALSE(s.insert(id(1), kT0 + 1s));
  EXPECT_TRUE(s.insert(id(1), kT0 + 2min));  // expired, seen again
  EXPECT_TRUE(s.insert(id(2), kT0 + 2min));
  EXPECT_TRUE(s.insert(id(3), kT0 + 2min));
  EXPECT_TRUE(s.insert(id(4), kT0 + 2min));  // evicts the oldest (1)
  EXPECT_EQ(s.size(), 3u);
  EXPECT_FALSE(s.contains(id(1)));
  EXPECT_TRUE(s.contains(id(4)));
}

TEST(MessageCache, WindowsGossipAndIwantLimit) {
  MessageCache c(5, 3, 100);
  c.put(id(1), msg("a"));
  c.shift();
  c.put(id(2), msg("a"));
  c.put(id(3), msg("b"));
  EXPECT_EQ(c.gossip_ids("a").size(), 2u);
  c.shift();
  c.shift();
  EXPECT_EQ(c.gossip_ids("a"), std::vector<MessageId>{id(2)});  // id 1 is past the gossip windows
  EXPECT_NE(c.get(id(1)), nullptr);                               // but still retrievable
  c.shift();
  c.shift();
  EXPECT_EQ(c.get(id(1)), nullptr);  // past the history
  EXPECT_NE(c.get(id(2)), nullptr);
  EXPECT_NE(c.get_for_peer(id(2), "p", 2), nullptr);
  EXPECT_NE(c.get_for_peer(id(2), "p", 2), nullptr);
  EXPECT_EQ(c.get_for_peer(id(2), "p", 2), nullptr);  // IWANT spam limit
  EXPECT_NE(c.get_for_peer(id(2), "q", 2), nullptr);
}

TEST(MessageCache, Bounded) {
  MessageCache c(5, 3, 10);
  for (int i = 0; i < 50; ++i) c.put(id(static_cast<uint8_t>(i)), msg("a"));
  EXPECT_EQ(c.size(), 10u);
}

}  // namespace
}  // namespace hauptbuch::p2p::gossipsub

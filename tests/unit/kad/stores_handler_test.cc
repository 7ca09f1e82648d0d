// Provider and record stores (expiry, bounds, validator) and the server handler.
#include <gtest/gtest.h>

#include "kad_test_util.h"
#include "protocols/kad/kad_handler.h"

namespace hauptbuch::p2p::kad {
namespace {

using testing::addr_for;
using testing::peer_from_seed;

const Time kT0 = Time{} + std::chrono::hours(1);

TEST(ProviderStore, ExpiresAfter48Hours) {
  ProviderStore s;
  const Bytes key = {1, 2, 3};
  ASSERT_TRUE(s.add(key, KadPeer{peer_from_seed(1), {addr_for(1)}, ConnectionType::Connected}, kT0).ok());
  auto got = s.get(key, kT0, 20);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].connection, ConnectionType::NotConnected);
  EXPECT_EQ(s.next_expiry(), kT0 + std::chrono::hours(48));
  EXPECT_EQ(s.get(key, kT0 + std::chrono::hours(48), 20).size(), 0u);
  EXPECT_EQ(s.expire(kT0 + std::chrono::hours(47)), 0u);
  EXPECT_EQ(s.expire(kT0 + std::chrono::hours(48)), 1u);
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.key_count(), 0u);
}

TEST(ProviderStore, BoundsPerKeyAndKeys) {
  ProviderStoreConfig cfg;
  cfg.max_per_key = 3;
  cfg.max_keys = 2;
  ProviderStore s(cfg);
  const Bytes key = {1};
  for (uint64_t i = 0; i < 10; ++i)
    ASSERT_TRUE(s.add(key, KadPeer{peer_from_seed(i), {}, {}}, kT0 + std::chrono::seconds(i)).ok());
  EXPECT_EQ(s.size(), 3u);
  auto got = s.get(key, kT0 + std::chrono::seconds(10), 10);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].id, peer_from_seed(9));  // newest first, oldest evicted
  ASSERT_TRUE(s.add(Bytes{2}, KadPeer{peer_from_seed(1), {}, {}}, kT0).ok());
  auto full = s.add(Bytes{3}, KadPeer{peer_from_seed(1), {}, {}}, kT0);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code(), make_error_code(P2PNetworkError::ResourceLimitExceeded));
  EXPECT_FALSE(s.add(Bytes{}, KadPeer{peer_from_seed(1), {}, {}}, kT0).ok());
}

TEST(RecordStore, ValidatorBoundsAndExpiry) {
  RecordStoreConfig cfg;
  cfg.max_records = 2;
  RecordStore s(cfg, [](const Record& r) -> Status {
    if (!r.value.empty() && r.value[0] == 0xFF) return Error(P2PNetworkError::SecurityValidationFailed, "bad");
    return ok_status();
  });
  ASSERT_TRUE(s.put(Record{{1}, {1}, ""}, kT0).ok());
  EXPECT_FALSE(s.put(Record{{2}, {0xFF}, ""}, kT0).ok());
  ASSERT_TRUE(s.put(Record{{2}, {2}, ""}, kT0).ok());
  EXPECT_FALSE(s.put(Record{{3}, {3}, ""}, kT0).ok());  // full
  ASSERT_TRUE(s.put(Record{{1}, {9}, ""}, kT0).ok());    // replacing is fine
  EXPECT_EQ(s.get(Bytes{1}, kT0)->value, Bytes{9});
  EXPECT_FALSE(s.get(Bytes{1}, kT0 + kRecordTtl).has_value());
  // Expired records make room.
  EXPECT_TRUE(s.put(Record{{3}, {3}, ""}, kT0 + kRecordTtl).ok());
  EXPECT_FALSE(s.put(Record{{}, {3}, ""}, kT0).ok());
  EXPECT_FALSE(s.put(Record{{4}, Bytes(kMaxRecordValueBytes + 1), ""}, kT0).ok());
}

struct HandlerFixture : ::testing::Test {
  PeerId self = peer_from_seed(1);
  RoutingTable table{self, {}, kT0};
  ProviderStore providers;
  RecordStore records;
  KadHandler handler{table, providers, records};
  void SetUp() override {
    for (uint64_t s = 2; s < 60; ++s) table.on_peer_seen(peer_from_seed(s), {addr_for(static_cast<uint32_t>(s))}, true, kT0);
  }
};

TEST_F(HandlerFixture, FindNodeReturnsKClosestWithoutRequester) {
  const PeerId from = peer_from_seed(2);
  KadMessage req;
  req.type = MessageType::FindNode;
  req.key = peer_from_seed(2).bytes();
  auto r = handler.handle(req, from, kT0);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  const KadMessage& resp = **r;
  EXPECT_EQ(resp.type, MessageType::FindNode);
  EXPECT_EQ(resp.closer_peers.size(), 20u);
  for (const auto& p : resp.closer_peers) {
    EXPECT_NE(p.id, from);
    EXPECT_EQ(p.addrs.size(), 1u);
  }
  EXPECT_TRUE(encoded_size_ok(resp));
  auto missing = handler.handle(KadMessage{MessageType::FindNode, 0, {}, {}, {}, {}}, from, kT0);
  EXPECT_FALSE(missing.ok());
}

TEST_F(HandlerFixture, AddProviderOnlyForSenderThenGetProviders) {
  const PeerId from = peer_from_seed(100);
  const Bytes key = chain_provider_key("mainnet");
  KadMessage add;
  add.type = MessageType::AddProvider;
  add.key = key;
  add.provider_peers.push_back(KadPeer{peer_from_seed(101), {addr_for(101)}, {}});  // not the sender
  auto bad = handler.handle(add, from, kT0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), make_error_code(P2PNetworkError::SecurityValidationFailed));
  add.provider_peers.push_back(KadPeer{from, {addr_for(100)}, {}});
  auto ok = handler.handle(add, from, kT0);
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(ok->has_value());  // no response
  EXPECT_EQ(providers.size(), 1u);
  KadMessage get;
  get.type = MessageType::GetProviders;
  get.key = key;
  auto r = handler.handle(get, peer_from_seed(3), kT0);
  ASSERT_TRUE(r.ok() && r->has_value());
  ASSERT_EQ((*r)->provider_peers.size(), 1u);
  EXPECT_EQ((*r)->provider_peers[0].id, from);
  EXPECT_EQ((*r)->closer_peers.size(), 20u);
}

TEST_F(HandlerFixture, PutGetValueAndPing) {
  KadMessage put;
  put.type = MessageType::PutValue;
  put.key = {5, 5};
  put.record = Record{{5, 5}, {1, 2}, ""};
  auto r = handler.handle(put, peer_from_seed(3), kT0);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ(**r, put);  // echoed
  put.record->key = {6};
  EXPECT_FALSE(handler.handle(put, peer_from_seed(3), kT0).ok());
  KadMessage get;
  get.type = MessageType::GetValue;
  get.key = {5, 5};
  auto g = handler.handle(get, peer_from_seed(3), kT0);
  ASSERT_TRUE(g.ok() && g->has_value());
  ASSERT_TRUE((*g)->record.has_value());
  EXPECT_EQ((*g)->record->value, (Bytes{1, 2}));
  KadMessage ping;
  ping.type = MessageType::Ping;
  auto p = handler.handle(ping, peer_from_seed(3), kT0);
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->type, MessageType::Ping);
}

}  // namespace
}  // namespace hauptbuch::p2p::kad

// kad-dht codec: spec field numbers, round trips, strictness on hostile input.
#include <gtest/gtest.h>

#include "kad_test_util.h"
#include "protocols/kad/kad_key.h"
#include "protocols/kad/kad_message.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::kad {
namespace {

using testing::addr_for;
using testing::peer_from_seed;

KadMessage full_message() {
  KadMessage m;
  m.type = MessageType::GetProviders;
  m.key = {1, 2, 3};
  m.cluster_level_raw = -1;
  m.record = Record{{9, 9}, {7, 7, 7}, "2026-11-25T10:00:00Z"};
  m.closer_peers.push_back(KadPeer{peer_from_seed(1), {addr_for(1), addr_for(2)}, ConnectionType::Connected});
  m.provider_peers.push_back(KadPeer{peer_from_seed(2), {addr_for(3)}, ConnectionType::CanConnect});
  return m;
}

TEST(KadMessage, SpecFieldNumbersFindNode) {
  KadMessage m;
  m.type = MessageType::FindNode;
  m.key = {'a', 'b', 'c'};
  // field 1 varint 4 (FIND_NODE), field 2 length 3 "abc"
  EXPECT_EQ(to_hex(encode(m)), "0804" "1203616263");
}

TEST(KadMessage, SpecFieldNumbersPeerAndRecord) {
  KadMessage m;
  m.type = MessageType::PutValue;  // 0: omitted (proto3)
  m.record = Record{{0xAA}, {0xBB}, "t"};
  const Bytes e = encode(m);
  // field 3 (record) len 9: key(1)=AA, value(2)=BB, timeReceived(5)="t"
  EXPECT_EQ(to_hex(e), "1a09" "0a01aa" "1201bb" "2a0174");
  KadMessage p;
  p.type = MessageType::FindNode;
  p.closer_peers.push_back(KadPeer{peer_from_seed(5), {addr_for(1)}, ConnectionType::CannotConnect});
  const Bytes pe = encode(p);
  // closerPeers is field 8 (0x42); inside, id=1 (0x0a), addrs=2 (0x12), connection=3 (0x18 03)
  ASSERT_GT(pe.size(), 4u);
  EXPECT_EQ(pe[2], 0x42);
  EXPECT_EQ(pe[4], 0x0a);
  EXPECT_EQ(pe[pe.size() - 2], 0x18);
  EXPECT_EQ(pe.back(), 0x03);
  KadMessage q;
  q.type = MessageType::GetProviders;
  q.provider_peers.push_back(KadPeer{peer_from_seed(5), {}, ConnectionType::NotConnected});
  EXPECT_EQ(encode(q)[2], 0x4a);  // providerPeers field 9
  KadMessage c;
  c.type = MessageType::Ping;
  c.cluster_level_raw = 3;
  EXPECT_EQ(to_hex(encode(c)), "0805" "5003");  // clusterLevelRaw field 10
}

TEST(KadMessage, RoundTrip) {
  const KadMessage m = full_message();
  auto d = decode(encode(m));
  ASSERT_TRUE(d.ok()) << d.error().detail();
  EXPECT_EQ(*d, m);
  KadMessage empty;
  empty.type = MessageType::PutValue;
  auto e = decode(encode(empty));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->type, MessageType::PutValue);
  EXPECT_TRUE(encode(empty).empty());
}

TEST(KadMessage, SkipsUnknownFieldsAndUnknownAddrs) {
  Bytes b = encode(full_message());
  // Unknown fields of every wire type appended: 15 varint, 16 fixed64, 17 len, 18 fixed32.
  for (uint8_t x : {0x78, 0x01, 0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x8a, 0x01, 0x01, 0xff, 0x95, 0x01, 1, 2, 3, 4})
    b.push_back(x);
  auto d = decode(b);
  ASSERT_TRUE(d.ok()) << d.error().detail();
  EXPECT_EQ(*d, full_message());
  // A peer with an address we cannot parse keeps the peer, drops the address.
  Bytes peer;
  const Bytes id = peer_from_seed(3).bytes();
  peer.push_back(0x0a);
  peer.push_back(static_cast<uint8_t>(id.size()));
  peer.insert(peer.end(), id.begin(), id.end());
  peer.insert(peer.end(), {0x12, 0x02, 0xff, 0xff});
  Bytes msg = {0x08, 0x04, 0x42, static_cast<uint8_t>(peer.size())};
  msg.insert(msg.end(), peer.begin(), peer.end());
  auto p = decode(msg);
  ASSERT_TRUE(p.ok()) << p.error().detail();
  ASSERT_EQ(p->closer_peers.size(), 1u);
  EXPECT_TRUE(p->closer_peers[0].addrs.empty());
}

void expect_invalid(const Bytes& b) {
  auto d = decode(b);
  ASSERT_FALSE(d.ok()) << to_hex(b);
  EXPECT_EQ(d.error().code(), make_error_code(P2PNetworkError::InvalidMessage));
}

TEST(KadMessage, RejectsHostileInput) {
  expect_invalid({0x08});                    // truncated varint
  expect_invalid({0x08, 0x06});              // unknown message type
  expect_invalid({0x08, 0x04, 0x08, 0x04});  // repeated type
  expect_invalid({0x12, 0x05, 0x01});        // key length beyond input
  expect_invalid({0x10, 0x01});              // key with varint wire type
  expect_invalid({0x0b});                    // group wire type
  expect_invalid({0x0f});                    // wire type 7
  expect_invalid({0x00, 0x01});              // field number 0
  expect_invalid({0x42, 0x02, 0x0a, 0x00});  // peer with empty id
  expect_invalid({0x42, 0x00});              // peer without id
  expect_invalid({0x42, 0x03, 0x0a, 0x01, 0x00});  // id that is not a multihash
  expect_invalid({0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f});  // varint overflow
  expect_invalid({0x50, 0x80, 0x80, 0x80, 0x80, 0x10});  // clusterLevelRaw > INT32_MAX
  expect_invalid(Bytes(kMaxKadMessageBytes + 1, 0));
  // Key over the bound.
  Bytes big = {0x12, 0x81, 0x08};  // length 1025
  big.resize(big.size() + 1025, 'k');
  expect_invalid(big);
  // Too many closer peers.
  KadMessage m;
  m.type = MessageType::FindNode;
  Bytes many = encode(m);
  KadMessage one;
  one.type = MessageType::PutValue;
  one.closer_peers.push_back(KadPeer{peer_from_seed(1), {}, ConnectionType::NotConnected});
  const Bytes peer_field = encode(one);
  for (size_t i = 0; i <= kMaxPeersPerList; ++i) many.insert(many.end(), peer_field.begin(), peer_field.end());
  expect_invalid(many);
  // Too many addresses for one peer.
  KadPeer fat{peer_from_seed(1), {}, ConnectionType::NotConnected};
  Bytes pb;
  pb.push_back(0x0a);
  pb.push_back(static_cast<uint8_t>(fat.id.bytes().size()));
  pb.insert(pb.end(), fat.id.bytes().begin(), fat.id.bytes().end());
  const Bytes a = addr_for(1).bytes();
  for (size_t i = 0; i <= kMaxAddrsPerPeer; ++i) {
    pb.push_back(0x12);
    pb.push_back(static_cast<uint8_t>(a.size()));
    pb.insert(pb.end(), a.begin(), a.end());
  }
  Bytes fm = {0x42};
  uint64_t len = pb.size();
  while (len >= 0x80) {
    fm.push_back(static_cast<uint8_t>(len | 0x80));
    len >>= 7;
  }
  fm.push_back(static_cast<uint8_t>(len));
  fm.insert(fm.end(), pb.begin(), pb.end());
  expect_invalid(fm);
}

TEST(KadMessage, EveryTruncationIsRejectedOrShorter) {
  const Bytes b = encode(full_message());
  for (size_t n = 0; n < b.size(); ++n) {
    auto d = decode(ByteSpan(b.data(), n));  // never crashes; a prefix is never the full message
    if (d.ok()) {
      EXPECT_NE(*d, full_message());
    }
  }
}

TEST(KadKey, DistanceAndPrefix) {
  KadKey a{}, b{};
  EXPECT_EQ(common_prefix_length(a, b), kKeyBits);
  b[0] = 0x80;
  EXPECT_EQ(common_prefix_length(a, b), 0u);
  b[0] = 0x01;
  EXPECT_EQ(common_prefix_length(a, b), 7u);
  b[0] = 0;
  b[31] = 1;
  EXPECT_EQ(common_prefix_length(a, b), 255u);
  EXPECT_EQ(distance(a, b)[31], 1);
  KadKey c{};
  c[31] = 2;
  EXPECT_TRUE(closer(b, c, a));
  EXPECT_FALSE(closer(c, b, a));
  EXPECT_FALSE(closer(b, b, a));
}

TEST(KadKey, PeerKeyIsSha256OfMultihash) {
  const PeerId p = peer_from_seed(7);
  EXPECT_EQ(key_of_peer(p), sha256(p.bytes()));
  // SHA-256("abc") (FIPS 180-2 example).
  const Bytes abc = {'a', 'b', 'c'};
  const KadKey h = key_of_bytes(abc);
  EXPECT_EQ(to_hex(ByteSpan(h.data(), h.size())), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(KadKey, RandomKeyHasRequestedPrefix) {
  SeededRandom rng(1);
  const KadKey self = key_of_peer(peer_from_seed(1));
  for (size_t cpl = 0; cpl < kKeyBits; ++cpl) EXPECT_EQ(common_prefix_length(self, random_key_with_cpl(self, cpl, rng)), cpl);
}

TEST(KadKey, ChainProviderKey) {
  std::string s = "hauptbuch/chain/mainnet";
  const KadKey h = sha256(ByteSpan(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  EXPECT_EQ(chain_provider_key("mainnet"), Bytes(h.begin(), h.end()));
  EXPECT_EQ(chain_provider_key("mainnet").size(), 32u);
  EXPECT_NE(chain_provider_key("mainnet"), chain_provider_key("testnet"));
}

}  // namespace
}  // namespace hauptbuch::p2p::kad

// Unit tests of the cross-chain envelope and ack codecs: round trips, id binding, and strict
// rejection of malformed, oversized and trailing input.
#include "protocols/relay/envelope.h"

#include <gtest/gtest.h>

#include "crypto/identity.h"

namespace hauptbuch::p2p::relay {
namespace {

PeerId peer(uint8_t seed) {
  return PeerId::from_public_key(crypto::PrivateKey::ed25519_from_seed(Bytes(32, seed)).public_key());
}

Envelope sample() {
  auto e = make_envelope(peer(1), 42, "chain-a", "chain-b", peer(3), Bytes{1, 2, 3}, 4, "blocks");
  EXPECT_TRUE(e.ok());
  Envelope v = std::move(e).value();
  v.path.push_back(peer(1));
  v.path.push_back(peer(2));
  return v;
}

TEST(RelayEnvelope, RoundTrip) {
  const Envelope e = sample();
  auto wire = encode_envelope(e);
  ASSERT_TRUE(wire.ok()) << wire.error().message();
  auto d = decode_envelope(*wire);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->id, e.id);
  EXPECT_EQ(d->origin_peer, e.origin_peer);
  EXPECT_EQ(d->nonce, 42u);
  EXPECT_EQ(d->origin_chain, "chain-a");
  EXPECT_EQ(d->destination_chain, "chain-b");
  EXPECT_EQ(d->topic, "blocks");
  ASSERT_TRUE(d->destination_peer.has_value());
  EXPECT_EQ(*d->destination_peer, peer(3));
  EXPECT_EQ(d->hop_limit, 4);
  EXPECT_EQ(d->path, e.path);
  EXPECT_EQ(d->payload, e.payload);
  // Canonical: re-encoding gives the same bytes.
  EXPECT_EQ(*encode_envelope(*d), *wire);
}

// Known answer, encoded by an independent Python script following docs/wire/cross-chain.md
// (also the fuzz seed fuzz/corpus/relay_envelope/chain): origin = sha2-256 multihash of
// SHA-256(0x01), nonce 42, a -> b, topic "routed", hop limit 4, path [origin], "hello".
TEST(RelayEnvelope, KnownAnswerFromTheWireDoc) {
  const std::string hex =
      "01e13aa96227ca28cbce6bd59e74fcadc36d550745374401d0f178ca6981a27e062212204bf5122f344554c53bde2ebb8cd2b7"
      "e3d1600ad631c385a5d7cce23c7785459a000000000000002a0161016206726f757465640004012212204bf5122f344554c53bde"
      "2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a0568656c6c6f";
  auto wire = from_hex(hex);
  ASSERT_TRUE(wire.has_value());
  auto d = decode_envelope(*wire);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->nonce, 42u);
  EXPECT_EQ(d->origin_chain, "a");
  EXPECT_EQ(d->destination_chain, "b");
  EXPECT_EQ(d->topic, "routed");
  EXPECT_FALSE(d->destination_peer.has_value());
  EXPECT_EQ(d->hop_limit, 4);
  ASSERT_EQ(d->path.size(), 1u);
  EXPECT_EQ(d->path[0], d->origin_peer);
  EXPECT_EQ(d->payload, (Bytes{'h', 'e', 'l', 'l', 'o'}));
  EXPECT_EQ(to_hex(d->origin_peer.bytes()), "12204bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a");
  EXPECT_EQ(*encode_envelope(*d), *wire);
}

TEST(RelayEnvelope, NoDestinationPeerAndEmptyPayload) {
  auto e = make_envelope(peer(1), 0, "a", "b", std::nullopt, Bytes{});
  ASSERT_TRUE(e.ok());
  auto d = decode_envelope(*encode_envelope(*e));
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_FALSE(d->destination_peer.has_value());
  EXPECT_TRUE(d->payload.empty());
  EXPECT_EQ(d->topic, kDefaultTopic);
}

TEST(RelayEnvelope, IdIsSha256OfOriginNonceAndPayload) {
  const MessageId a = compute_message_id(peer(1), 1, Bytes{9});
  EXPECT_NE(a, compute_message_id(peer(1), 2, Bytes{9}));
  EXPECT_NE(a, compute_message_id(peer(2), 1, Bytes{9}));
  EXPECT_NE(a, compute_message_id(peer(1), 1, Bytes{8}));
  // The empty input case is plain SHA-256 of origin ‖ 8 zero bytes; check one known value:
  // SHA-256("") style sanity is covered by the mismatch test below.
  Envelope e = sample();
  auto wire = *encode_envelope(e);
  wire[wire.size() - 1] ^= 1;  // flip a payload bit: the id no longer matches
  auto d = decode_envelope(wire);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().detail().find("message id"), std::string::npos);
}

TEST(RelayEnvelope, EveryTruncationIsRejected) {
  const Bytes wire = *encode_envelope(sample());
  for (size_t n = 0; n < wire.size(); ++n) {
    auto d = decode_envelope(ByteSpan(wire.data(), n));
    ASSERT_FALSE(d.ok()) << n;
    EXPECT_TRUE(d.error().is(P2PNetworkError::InvalidMessage));
  }
  Bytes trailing = wire;
  trailing.push_back(0);
  EXPECT_FALSE(decode_envelope(trailing).ok());
}

TEST(RelayEnvelope, FieldLimits) {
  EXPECT_FALSE(make_envelope(peer(1), 0, "", "b", std::nullopt, Bytes{}).ok());
  EXPECT_FALSE(make_envelope(peer(1), 0, "a", "B", std::nullopt, Bytes{}).ok());  // upper case
  EXPECT_FALSE(make_envelope(peer(1), 0, "a", std::string(65, 'b'), std::nullopt, Bytes{}).ok());
  EXPECT_TRUE(make_envelope(peer(1), 0, "a", std::string(64, 'b'), std::nullopt, Bytes{}).ok());
  EXPECT_FALSE(make_envelope(peer(1), 0, "a", "b", std::nullopt, Bytes{}, kMaxHopLimit + 1).ok());
  EXPECT_FALSE(make_envelope(peer(1), 0, "a", "b", std::nullopt, Bytes(kMaxPayload + 1)).ok());
  EXPECT_FALSE(make_envelope(peer(1), 0, "a", "b", std::nullopt, Bytes{}, 4, "Bad Topic").ok());
  Envelope e = sample();
  e.path.assign(kMaxPath + 1, peer(5));
  EXPECT_FALSE(encode_envelope(e).ok());
}

TEST(RelayEnvelope, WireLevelRejections) {
  const Bytes wire = *encode_envelope(sample());
  Bytes v = wire;
  v[0] = 2;  // unknown version
  EXPECT_FALSE(decode_envelope(v).ok());
  // Locate the hop-limit byte: it follows the flags and destination peer; easier to rebuild
  // with a forged hop limit and re-check the decoder's bound.
  Envelope e = sample();
  e.hop_limit = kMaxHopLimit;
  Bytes ok_wire = *encode_envelope(e);
  ASSERT_TRUE(decode_envelope(ok_wire).ok());
  // Find the byte equal to kMaxHopLimit followed by the path length 2 and bump it.
  bool bumped = false;
  for (size_t i = 0; i + 1 < ok_wire.size(); ++i) {
    if (ok_wire[i] == kMaxHopLimit && ok_wire[i + 1] == 2) {
      Bytes bad = ok_wire;
      bad[i] = kMaxHopLimit + 1;
      if (!decode_envelope(bad).ok()) bumped = true;
    }
  }
  EXPECT_TRUE(bumped);
  EXPECT_FALSE(decode_envelope(Bytes{}).ok());
}

TEST(RelayEnvelope, AckRoundTripAndStrictness) {
  RelayAck a{true, {peer(1), peer(2)}};
  const Bytes w = encode_ack(a);
  auto d = decode_ack(w);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->delivered);
  EXPECT_EQ(d->path, a.path);
  Bytes trailing = w;
  trailing.push_back(0);
  EXPECT_FALSE(decode_ack(trailing).ok());
  EXPECT_FALSE(decode_ack(Bytes{2, 0}).ok());        // delivered flag must be 0 or 1
  EXPECT_FALSE(decode_ack(Bytes{1, kMaxPath + 1}).ok());
  EXPECT_FALSE(decode_ack(Bytes{}).ok());
  for (size_t n = 0; n < w.size(); ++n) EXPECT_FALSE(decode_ack(ByteSpan(w.data(), n)).ok()) << n;
}

}  // namespace
}  // namespace hauptbuch::p2p::relay

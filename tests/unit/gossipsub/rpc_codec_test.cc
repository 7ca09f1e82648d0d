// Unit tests for the pubsub RPC codec and message authentication.
#include "protocols/gossipsub/rpc_codec.h"

#include <gtest/gtest.h>

#include "protocols/gossipsub/message_auth.h"
#include "pubsub.pb.h"

namespace hauptbuch::p2p::gossipsub {
namespace {

Bytes b(std::string_view s) { return Bytes(s.begin(), s.end()); }

Rpc sample() {
  Rpc r;
  r.subscriptions = {{true, "blocks"}, {false, "txs"}};
  r.publish.push_back(make_unsigned_message("blocks", b("hello")));
  r.ihave = {{"blocks", {b("id1"), b("id2")}}};
  r.iwant = {b("id3")};
  r.graft = {"txs"};
  r.prune = {{"blocks", {{b("peer"), {}}}, 60}};
  r.idontwant = {b("id4")};
  return r;
}

TEST(RpcCodec, RoundTrip) {
  const Rpc r = sample();
  auto d = decode_rpc(encode_rpc(r));
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(*d, r);
  auto e = decode_rpc({});
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->empty());
}

TEST(RpcCodec, LimitsAreEnforced) {
  RpcLimits l;
  l.max_rpc_bytes = 10;
  EXPECT_TRUE(decode_rpc(encode_rpc(sample()), l).error().is(P2PNetworkError::InvalidMessage));
  Rpc many;
  for (int i = 0; i < 6000; ++i) many.iwant.push_back(b("x"));
  EXPECT_FALSE(decode_rpc(encode_rpc(many)).ok());
  Rpc subs;
  for (int i = 0; i < 1001; ++i) subs.subscriptions.push_back({true, "t"});
  EXPECT_FALSE(decode_rpc(encode_rpc(subs)).ok());
  Rpc empty_topic;
  empty_topic.graft = {""};
  EXPECT_FALSE(decode_rpc(encode_rpc(empty_topic)).ok());
  Rpc long_topic;
  long_topic.graft = {std::string(257, 'a')};
  EXPECT_FALSE(decode_rpc(encode_rpc(long_topic)).ok());
  Rpc long_id;
  long_id.iwant = {Bytes(129, 1)};
  EXPECT_FALSE(decode_rpc(encode_rpc(long_id)).ok());
  const uint8_t garbage[] = {0xff, 0xff, 0xff};
  EXPECT_FALSE(decode_rpc(garbage).ok());
}

TEST(MessageAuth, SignedMessageValidatesAndTamperingFails) {
  auto key = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 7));
  PubsubMessage m = make_signed_message(key, "interop", b("data"), 42);
  EXPECT_EQ(m.seqno, (Bytes{0, 0, 0, 0, 0, 0, 0, 42}));
  EXPECT_TRUE(m.key.empty());  // Ed25519 PeerIds embed the key
  EXPECT_TRUE(validate_message(m, SignaturePolicy::StrictSign).ok());
  EXPECT_FALSE(validate_message(m, SignaturePolicy::StrictNoSign).ok());
  for (auto mutate : std::vector<std::function<void(PubsubMessage&)>>{
           [](PubsubMessage& x) { x.data.push_back(1); },
           [](PubsubMessage& x) { x.topic += "x"; },
           [](PubsubMessage& x) { x.seqno[7] ^= 1; },
           [](PubsubMessage& x) { x.signature[0] ^= 1; },
           [](PubsubMessage& x) { x.signature.clear(); },
           [](PubsubMessage& x) { x.from[10] ^= 1; },
           [](PubsubMessage& x) { x.from = {1, 2, 3}; },
           [](PubsubMessage& x) { x.seqno.pop_back(); },
           [](PubsubMessage& x) { x.key = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 8)).public_key().to_protobuf(); },
       }) {
    PubsubMessage t = m;
    mutate(t);
    EXPECT_FALSE(validate_message(t, SignaturePolicy::StrictSign).ok());
  }
  // An explicit matching key is accepted too.
  PubsubMessage with_key = m;
  with_key.key = key.public_key().to_protobuf();
  EXPECT_TRUE(validate_message(with_key, SignaturePolicy::StrictSign).ok());
  // Wire round trip keeps it valid.
  Rpc r;
  r.publish.push_back(m);
  auto d = decode_rpc(encode_rpc(r));
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(validate_message(d->publish[0], SignaturePolicy::StrictSign).ok());
}

// The batch form gives every message the verdict validate_message gives it alone: valid
// messages by one author and by several, a forged one among them, a malformed one, and a message
// signed by a hybrid (ML-DSA-65 + Ed25519) identity, which is checked outside the batch.
TEST(MessageAuth, BatchValidationMatchesSingleValidation) {
  auto a = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 1));
  auto c = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 2));
  auto h = crypto::PrivateKey::hybrid_from_seeds(Bytes(32, 3), Bytes(32, 4));
  std::vector<PubsubMessage> msgs;
  for (uint64_t i = 0; i < 30; ++i) msgs.push_back(make_signed_message(i % 3 ? a : c, "t", Bytes(1000, static_cast<uint8_t>(i)), i));
  msgs.push_back(make_signed_message(h, "t", b("hybrid"), 99));
  auto run = [&] {
    std::vector<const PubsubMessage*> ptrs;
    for (const auto& m : msgs) ptrs.push_back(&m);
    return validate_signed_messages(ptrs);
  };
  auto all = run();
  ASSERT_EQ(all.size(), msgs.size());
  for (const auto& st : all) EXPECT_TRUE(st.ok()) << st.error().message();
  msgs[7].data[0] ^= 1;          // forged
  msgs[12].seqno.pop_back();     // malformed
  msgs[30].signature[5] ^= 1;    // forged hybrid signature
  all = run();
  for (size_t i = 0; i < msgs.size(); ++i) {
    const Status single = validate_message(msgs[i], SignaturePolicy::StrictSign);
    EXPECT_EQ(all[i].ok(), single.ok()) << i;
    EXPECT_EQ(all[i].ok(), i != 7 && i != 12 && i != 30) << i;
    if (!single.ok()) {
      EXPECT_EQ(all[i].error().code(), single.error().code()) << i;
    }
  }
  EXPECT_TRUE(validate_signed_messages({}).empty());
}

TEST(MessageAuth, SigningInputIsFieldsOneToFourInOrder) {
  PubsubMessage m;
  m.from = b("F");
  m.data = b("D");
  m.seqno = b("S");
  m.topic = "T";
  m.signature = b("sig");
  EXPECT_EQ(to_hex(encode_message_for_signing(m)), "0a0146120144" "1a0153" "220154");
}

TEST(MessageAuth, Ids) {
  PubsubMessage a = make_unsigned_message("t", b("x"));
  PubsubMessage c = make_unsigned_message("t", b("x"));
  PubsubMessage d = make_unsigned_message("u", b("x"));
  EXPECT_EQ(content_message_id(a), content_message_id(c));
  EXPECT_NE(content_message_id(a), content_message_id(d));
  EXPECT_EQ(content_message_id(a).size(), 20u);
  // SHA-256(00 00 00 00 00 00 00 01 || "t" || "x"), first 20 bytes (docs/gossipsub.md).
  EXPECT_EQ(to_hex(content_message_id(a)), "f5bc8d2645e455308467d6f0aa8324e733ce5fab");
  EXPECT_TRUE(validate_message(a, SignaturePolicy::StrictNoSign).ok());
  EXPECT_FALSE(validate_message(a, SignaturePolicy::StrictSign).ok());
  auto key = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 1));
  PubsubMessage s = make_signed_message(key, "t", b("x"), 1);
  EXPECT_EQ(author_message_id(s).size(), s.from.size() + 8);
}

}  // namespace
}  // namespace hauptbuch::p2p::gossipsub

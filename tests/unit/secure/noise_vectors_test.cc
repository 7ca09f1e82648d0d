// Known-answer tests of our Noise core against the published Noise_XX_25519_ChaChaPoly_SHA256
// vectors (tests/vectors/noise/, from the cacophony and snow vector files): SymmetricState,
// CipherState and Split driven through the XX token sequence with the vectors' fixed static and
// ephemeral keys and prologue, then the transport messages. Both sides run: the writer's output
// must equal the expected ciphertext and the reader must recover the payload.
#include <sodium.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstring>

#include "secure/noise_cipher_state.h"
#include "secure/noise_symmetric_state.h"
#include "testing/vectors.h"

namespace hauptbuch::p2p::secure {
namespace {

using Key = std::array<uint8_t, 32>;

Bytes hex(const nlohmann::json& j) {
  auto b = from_hex(j.get<std::string>());
  EXPECT_TRUE(b.has_value());
  return b ? *b : Bytes();
}

Key key_of(const nlohmann::json& j) {
  const Bytes b = hex(j);
  Key k{};
  if (b.size() == k.size()) std::memcpy(k.data(), b.data(), k.size());
  return k;
}

Key pub_of(const Key& priv) {
  Key p{};
  EXPECT_EQ(crypto_scalarmult_base(p.data(), priv.data()), 0);
  return p;
}

Key dh(const Key& priv, ByteSpan pub) {
  Key out{};
  EXPECT_EQ(pub.size(), 32u);
  EXPECT_EQ(crypto_scalarmult(out.data(), priv.data(), pub.data()), 0);
  return out;
}

// One side of XX: its keys, the symmetric state and what it learnt of the peer.
struct Party {
  Key s, e, s_pub, e_pub;
  Bytes rs, re;
  NoiseSymmetricState ss;
  Party(const Key& s_priv, const Key& e_priv, ByteSpan prologue)
      : s(s_priv), e(e_priv), s_pub(pub_of(s_priv)), e_pub(pub_of(e_priv)), ss("Noise_XX_25519_ChaChaPoly_SHA256") {
    ss.mix_hash(prologue);
  }
};

// -> e
Bytes write1(Party& i, ByteSpan payload) {
  Bytes out(i.e_pub.begin(), i.e_pub.end());
  i.ss.mix_hash(i.e_pub);
  EXPECT_TRUE(i.ss.encrypt_and_hash(payload, out).ok());
  return out;
}
Bytes read1(Party& r, ByteSpan msg) {
  r.re.assign(msg.begin(), msg.begin() + 32);
  r.ss.mix_hash(r.re);
  Bytes payload;
  EXPECT_TRUE(r.ss.decrypt_and_hash(msg.subspan(32), payload).ok());
  return payload;
}
// <- e, ee, s, es
Bytes write2(Party& r, ByteSpan payload) {
  Bytes out(r.e_pub.begin(), r.e_pub.end());
  r.ss.mix_hash(r.e_pub);
  r.ss.mix_key(dh(r.e, r.re));
  EXPECT_TRUE(r.ss.encrypt_and_hash(r.s_pub, out).ok());
  r.ss.mix_key(dh(r.s, r.re));
  EXPECT_TRUE(r.ss.encrypt_and_hash(payload, out).ok());
  return out;
}
Bytes read2(Party& i, ByteSpan msg) {
  i.re.assign(msg.begin(), msg.begin() + 32);
  i.ss.mix_hash(i.re);
  i.ss.mix_key(dh(i.e, i.re));
  EXPECT_TRUE(i.ss.decrypt_and_hash(msg.subspan(32, 48), i.rs).ok());
  i.ss.mix_key(dh(i.e, i.rs));
  Bytes payload;
  EXPECT_TRUE(i.ss.decrypt_and_hash(msg.subspan(80), payload).ok());
  return payload;
}
// -> s, se
Bytes write3(Party& i, ByteSpan payload) {
  Bytes out;
  EXPECT_TRUE(i.ss.encrypt_and_hash(i.s_pub, out).ok());
  i.ss.mix_key(dh(i.s, i.re));
  EXPECT_TRUE(i.ss.encrypt_and_hash(payload, out).ok());
  return out;
}
Bytes read3(Party& r, ByteSpan msg) {
  EXPECT_TRUE(r.ss.decrypt_and_hash(msg.subspan(0, 48), r.rs).ok());
  r.ss.mix_key(dh(r.e, r.rs));
  Bytes payload;
  EXPECT_TRUE(r.ss.decrypt_and_hash(msg.subspan(48), payload).ok());
  return payload;
}

nlohmann::json load() {
  return nlohmann::json::parse(
      testing::read_file(testing::source_dir() + "/tests/vectors/noise/noise_xx_25519_chachapoly_sha256.json"));
}

TEST(NoiseVectors, FileHoldsOnlyXxChaChaPolySha256) {
  const auto doc = load();
  ASSERT_EQ(doc.at("vectors").size(), 2u);
  for (const auto& v : doc.at("vectors")) EXPECT_EQ(v.at("protocol_name"), "Noise_XX_25519_ChaChaPoly_SHA256");
}

TEST(NoiseVectors, XxHandshakeAndTransportMatch) {
  ASSERT_GE(sodium_init(), 0);
  const auto doc = load();
  size_t checked_messages = 0, checked_hashes = 0, total_messages = 0;
  for (const auto& v : doc.at("vectors")) {
    total_messages += v.at("messages").size();
    SCOPED_TRACE(v.at("source").get<std::string>());
    Party i(key_of(v.at("init_static")), key_of(v.at("init_ephemeral")), hex(v.at("init_prologue")));
    Party r(key_of(v.at("resp_static")), key_of(v.at("resp_ephemeral")), hex(v.at("resp_prologue")));
    const auto& msgs = v.at("messages");
    ASSERT_GE(msgs.size(), 3u);
    NoiseCipherState i_send, i_recv, r_send, r_recv;
    for (size_t k = 0; k < msgs.size(); ++k) {
      SCOPED_TRACE("message " + std::to_string(k));
      const Bytes payload = hex(msgs[k].at("payload"));
      const Bytes expect = hex(msgs[k].at("ciphertext"));
      Bytes wire, got;
      switch (k) {
        case 0: wire = write1(i, payload); got = read1(r, wire); break;
        case 1: wire = write2(r, payload); got = read2(i, wire); break;
        case 2: {
          wire = write3(i, payload);
          got = read3(r, wire);
          // Both sides learnt the other's static key and agree on h; Split gives (i->r, r->i).
          EXPECT_EQ(Bytes(i.rs), Bytes(r.s_pub.begin(), r.s_pub.end()));
          EXPECT_EQ(Bytes(r.rs), Bytes(i.s_pub.begin(), i.s_pub.end()));
          EXPECT_EQ(i.ss.handshake_hash(), r.ss.handshake_hash());
          if (v.contains("handshake_hash")) {
            EXPECT_EQ(to_hex(i.ss.handshake_hash()), v.at("handshake_hash").get<std::string>());
            ++checked_hashes;
          }
          auto [i1, i2] = i.ss.split();
          auto [r1, r2] = r.ss.split();
          i_send = std::move(i1);
          i_recv = std::move(i2);
          r_recv = std::move(r1);
          r_send = std::move(r2);
          break;
        }
        default: {
          // Transport: messages keep alternating, the responder first (message 3).
          const bool from_initiator = k % 2 == 0;
          NoiseCipherState& send = from_initiator ? i_send : r_send;
          NoiseCipherState& recv = from_initiator ? r_recv : i_recv;
          ASSERT_TRUE(send.encrypt_with_ad({}, payload, wire).ok());
          ASSERT_TRUE(recv.decrypt_with_ad({}, wire, got).ok());
          // The zero-copy transport path gives the same bytes (same key, nonce one back).
          Bytes in_place = payload;
          in_place.resize(payload.size() + kNoiseTagSize);
          send.set_nonce(send.nonce() - 1);
          ASSERT_TRUE(send.encrypt_to({}, ByteSpan(in_place.data(), payload.size()), in_place.data()).ok());
          EXPECT_EQ(in_place, expect);
          recv.set_nonce(recv.nonce() - 1);
          ASSERT_TRUE(recv.decrypt_to({}, in_place, in_place.data()).ok());
          EXPECT_EQ(Bytes(in_place.begin(), in_place.begin() + static_cast<std::ptrdiff_t>(payload.size())), payload);
          break;
        }
      }
      EXPECT_EQ(to_hex(wire), to_hex(expect));
      EXPECT_EQ(got, payload);
      ++checked_messages;
    }
  }
  EXPECT_EQ(checked_hashes, 1u);
  EXPECT_EQ(checked_messages, total_messages);
  EXPECT_EQ(total_messages, 11u);  // 6 (cacophony) + 5 (snow)
}

}  // namespace
}  // namespace hauptbuch::p2p::secure

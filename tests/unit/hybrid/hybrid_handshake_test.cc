// Hybrid identities in the sans-I/O handshakes: the PQ channel and /noise complete between
// hybrid identities (and mixed hybrid/Ed25519) and authenticate the hybrid PeerId; the shared
// payload check rejects a hybrid signature with either half tampered, a signature of the wrong
// type, and a hybrid key that is not the dialled PeerId.
#include <gtest/gtest.h>

#include "crypto/composite_sig.h"
#include "secure/noise_handshake.h"
#include "secure/pq_handshake.h"
#include "util/random.h"

namespace hauptbuch::p2p::secure {
namespace {

crypto::PrivateKey hybrid(uint8_t seed) {
  return crypto::PrivateKey::hybrid_from_seeds(Bytes(32, seed), Bytes(32, static_cast<uint8_t>(seed ^ 0x5a)));
}

// Moves output between the two sides until both are done or nothing moves.
Status drive(SecureHandshake& i, SecureHandshake& r) {
  HBP2P_TRY(i.start());
  HBP2P_TRY(r.start());
  for (int round = 0; round < 16 && (!i.done() || !r.done()); ++round) {
    Bytes a = i.take_output();
    if (!a.empty()) HBP2P_TRY(r.feed(a));
    Bytes b = r.take_output();
    if (!b.empty()) HBP2P_TRY(i.feed(b));
    if (a.empty() && b.empty()) break;
  }
  if (!i.done() || !r.done()) return Status(P2PNetworkError::Timeout, "handshake did not finish");
  return ok_status();
}

void expect_authenticated(SecureHandshake& i, SecureHandshake& r, const crypto::PrivateKey& ki,
                          const crypto::PrivateKey& kr) {
  auto ti = i.finish();
  auto tr = r.finish();
  ASSERT_TRUE(ti.ok() && tr.ok());
  EXPECT_EQ((*ti)->remote_peer(), PeerId::from_public_key(kr.public_key()));
  EXPECT_EQ((*tr)->remote_peer(), PeerId::from_public_key(ki.public_key()));
  EXPECT_EQ((*ti)->remote_identity(), kr.public_key());
  EXPECT_EQ((*tr)->remote_identity(), ki.public_key());
}

TEST(HybridHandshake, PqChannelBetweenHybridIdentities) {
  const crypto::PrivateKey a = hybrid(1), b = hybrid(2);
  SeededRandom ra(1), rb(2);
  NoiseOptions opts;
  opts.expected_peer = PeerId::from_public_key(b.public_key());
  PqHandshake i(true, a, opts, ra), r(false, b, {}, rb);
  auto st = drive(i, r);
  ASSERT_TRUE(st.ok()) << st.error().message();
  expect_authenticated(i, r, a, b);
}

TEST(HybridHandshake, PqChannelMixedHybridAndEd25519) {
  const crypto::PrivateKey a = hybrid(3);
  const crypto::PrivateKey b = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 4));
  SeededRandom ra(3), rb(4);
  PqHandshake i(true, a, {}, ra), r(false, b, {}, rb);
  ASSERT_TRUE(drive(i, r).ok());
  expect_authenticated(i, r, a, b);
  SeededRandom rc(5), rd(6);
  PqHandshake i2(true, b, {}, rc), r2(false, a, {}, rd);
  ASSERT_TRUE(drive(i2, r2).ok());
  expect_authenticated(i2, r2, b, a);
}

TEST(HybridHandshake, NoiseBetweenHybridIdentities) {
  const crypto::PrivateKey a = hybrid(7), b = hybrid(8);
  SeededRandom ra(7), rb(8);
  const NoiseStaticKey sa = NoiseStaticKey::generate(a, ra), sb = NoiseStaticKey::generate(b, rb);
  NoiseHandshake i(true, a, sa, {}, ra), r(false, b, sb, {}, rb);
  auto st = drive(i, r);
  ASSERT_TRUE(st.ok()) << st.error().message();
  expect_authenticated(i, r, a, b);
}

TEST(HybridHandshake, PqChannelWrongExpectedHybridPeerRejected) {
  const crypto::PrivateKey a = hybrid(9), b = hybrid(10);
  SeededRandom ra(9), rb(10);
  NoiseOptions opts;
  opts.expected_peer = PeerId::from_public_key(hybrid(11).public_key());
  PqHandshake i(true, a, opts, ra), r(false, b, {}, rb);
  auto st = drive(i, r);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::PeerSecurityValidationFailed)) << st.error().message();
}

// Exposes the payload encoder and checker shared by both handshakes.
class PayloadProbe final : public NoiseStyleHandshake {
 public:
  PayloadProbe() : NoiseStyleHandshake(false, kPqProtocolName, kPqProtocolId, "probe") {}
  Status start() override { return ok_status(); }
  Bytes payload(const crypto::PrivateKey& k, ByteSpan sig) const { return encode_payload(k, sig, {}); }
  Status check(ByteSpan payload, ByteSpan signed_msg, const std::optional<PeerId>& expected = {}) {
    return accept_payload(
        payload, expected, [&](const crypto::PublicKey& key, ByteSpan sig) { return key.verify(signed_msg, sig); },
        "test transcript");
  }

 private:
  Status on_message(ByteSpan) override { return ok_status(); }
};

TEST(HybridHandshake, PayloadWithTamperedSignatureHalfRejected) {
  const crypto::PrivateKey k = hybrid(12);
  const Bytes msg = {'h', 's'};
  const Bytes sig = k.sign(msg);
  {
    PayloadProbe p;
    EXPECT_TRUE(p.check(p.payload(k, sig), msg).ok());
  }
  for (size_t pos : {size_t{7}, crypto::composite::kMlDsaSignatureBytes - 2,
                     crypto::composite::kMlDsaSignatureBytes + 1, sig.size() - 1}) {
    Bytes bad = sig;
    bad[pos] ^= 0x04;
    PayloadProbe p;
    auto st = p.check(p.payload(k, bad), msg);
    ASSERT_FALSE(st.ok()) << pos;
    EXPECT_TRUE(st.error().is(P2PNetworkError::SecurityValidationFailed)) << st.error().message();
  }
  // Only the Ed25519 half, or an Ed25519 signature by a same-seed Ed25519 key: rejected.
  {
    PayloadProbe p;
    EXPECT_FALSE(p.check(p.payload(k, ByteSpan(sig).subspan(crypto::composite::kMlDsaSignatureBytes)), msg).ok());
  }
  {
    const crypto::PrivateKey ed = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 12 ^ 0x5a));
    PayloadProbe p;
    EXPECT_FALSE(p.check(p.payload(k, ed.sign(msg)), msg).ok());
  }
  // Right signature, but the dialled PeerId is another hybrid key's.
  {
    PayloadProbe p;
    auto st = p.check(p.payload(k, sig), msg, PeerId::from_public_key(hybrid(13).public_key()));
    ASSERT_FALSE(st.ok());
    EXPECT_TRUE(st.error().is(P2PNetworkError::PeerSecurityValidationFailed)) << st.error().message();
  }
}

}  // namespace
}  // namespace hauptbuch::p2p::secure

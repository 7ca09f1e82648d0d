// Unit tests for the libp2p /noise XX handshake and transport (src/secure/noise_handshake.h):
// full handshake in memory with any fragmentation, leftover bytes, tampering, wrong peer,
// extensions (muxers, PQ marker), transport round trips.
#include "secure/noise_handshake.h"

#include <gtest/gtest.h>

#include "secure/noise_transport.h"

namespace hauptbuch::p2p::secure {
namespace {

struct Side {
  crypto::PrivateKey id;
  SeededRandom rng;
  NoiseStaticKey sk;
  Side(uint8_t seed)
      : id(crypto::PrivateKey::ed25519_from_seed(Bytes(32, seed))), rng(seed), sk(NoiseStaticKey::generate(id, rng)) {}
};

struct Pair {
  Side a{1}, b{2};
  std::unique_ptr<NoiseHandshake> i, r;
  Pair(NoiseOptions io = {}, NoiseOptions ro = {}) {
    i = std::make_unique<NoiseHandshake>(true, a.id, a.sk, io, a.rng);
    r = std::make_unique<NoiseHandshake>(false, b.id, b.sk, ro, b.rng);
  }
};

// Moves bytes `chunk` at a time; optional corruption of byte `flip` of the whole stream.
Status run(NoiseHandshake& i, NoiseHandshake& r, size_t chunk, long flip = -1) {
  HBP2P_TRY(i.start());
  HBP2P_TRY(r.start());
  long offset = 0;
  for (int round = 0; round < 100000 && (!i.done() || !r.done()); ++round) {
    bool moved = false;
    for (auto [from, to] : {std::pair{&i, &r}, std::pair{&r, &i}}) {
      Bytes out = from->take_output();
      for (size_t off = 0; off < out.size(); off += chunk) {
        Bytes part(out.begin() + static_cast<std::ptrdiff_t>(off),
                   out.begin() + static_cast<std::ptrdiff_t>(std::min(out.size(), off + chunk)));
        for (auto& byte : part) {
          if (offset++ == flip) byte ^= 0x01;
        }
        HBP2P_TRY(to->feed(part));
        moved = true;
      }
    }
    if (!moved) break;
  }
  if (!i.done() || !r.done()) return Status(P2PNetworkError::Timeout, "handshake did not finish");
  return ok_status();
}

TEST(NoiseHandshake, CompletesWithAnyFragmentation) {
  for (size_t chunk : {1u, 7u, 100000u}) {
    Pair p;
    ASSERT_TRUE(run(*p.i, *p.r, chunk).ok());
    auto ti = p.i->finish();
    auto tr = p.r->finish();
    ASSERT_TRUE(ti.ok() && tr.ok());
    EXPECT_EQ((*ti)->remote_peer(), PeerId::from_public_key(p.b.id.public_key()));
    EXPECT_EQ((*tr)->remote_peer(), PeerId::from_public_key(p.a.id.public_key()));
    EXPECT_EQ(p.i->handshake_hash(), p.r->handshake_hash());
    EXPECT_EQ((*ti)->protocol(), "/noise");
    // Transport both ways, sizes 0..200 KB, random fragmentation.
    SeededRandom rng(5);
    for (size_t size : {0u, 1u, 65519u, 65520u, 200000u}) {
      Bytes msg(size);
      rng.fill(msg);
      Bytes wire, got;
      ASSERT_TRUE((*ti)->encrypt(msg, wire).ok());
      for (size_t off = 0; off < wire.size();) {
        const size_t n = std::min<size_t>(1 + rng.uniform(5000), wire.size() - off);
        ASSERT_TRUE((*tr)->decrypt(ByteSpan(wire.data() + off, n), got).ok());
        off += n;
      }
      EXPECT_EQ(got, msg);
      wire.clear();
      got.clear();
      ASSERT_TRUE((*tr)->encrypt(msg, wire).ok());
      ASSERT_TRUE((*ti)->decrypt(wire, got).ok());
      EXPECT_EQ(got, msg);
    }
  }
}

TEST(NoiseHandshake, MessageSizesMatchTheSpec) {
  Pair p;
  ASSERT_TRUE(p.i->start().ok());
  const Bytes m1 = p.i->take_output();
  EXPECT_EQ(m1.size(), 2u + 32u);  // e, empty payload
  ASSERT_TRUE(p.r->feed(m1).ok());
  const Bytes m2 = p.r->take_output();
  // e (32) + encrypted s (48) + encrypted payload (identity key 36 + sig 64 + protobuf tags + 16)
  EXPECT_EQ(m2.size(), 2u + 32u + 48u + (2u + 36u + 2u + 64u) + 16u);
}

TEST(NoiseHandshake, ExtensionsAndPqMarkerTravel) {
  NoiseOptions io, ro;
  io.pq_capable = true;
  io.stream_muxers = {"/yamux/1.0.0"};
  ro.stream_muxers = {"/yamux/1.0.0", "/mplex/6.7.0"};
  Pair p(io, ro);
  ASSERT_TRUE(run(*p.i, *p.r, 1000).ok());
  EXPECT_TRUE(p.r->peer_info().pq_capable);
  EXPECT_FALSE(p.i->peer_info().pq_capable);
  EXPECT_EQ(p.i->peer_info().stream_muxers.size(), 2u);
  EXPECT_EQ(p.r->peer_info().stream_muxers, std::vector<std::string>{"/yamux/1.0.0"});
}

TEST(NoiseHandshake, LeftoverAfterLastMessageIsKept) {
  Pair p;
  ASSERT_TRUE(p.i->start().ok());
  ASSERT_TRUE(p.r->feed(p.i->take_output()).ok());
  ASSERT_TRUE(p.i->feed(p.r->take_output()).ok());
  ASSERT_TRUE(p.i->done());
  auto ti = p.i->finish();
  ASSERT_TRUE(ti.ok());
  // Initiator sends msg3 and immediately a transport frame: the responder keeps the frame.
  Bytes wire = p.i->take_output();
  ASSERT_TRUE((*ti)->encrypt(Bytes{'h', 'i'}, wire).ok());
  ASSERT_TRUE(p.r->feed(wire).ok());
  ASSERT_TRUE(p.r->done());
  auto tr = p.r->finish();
  ASSERT_TRUE(tr.ok());
  Bytes got;
  ASSERT_TRUE((*tr)->decrypt(p.r->take_leftover(), got).ok());
  EXPECT_EQ(got, (Bytes{'h', 'i'}));
}

TEST(NoiseHandshake, EveryFlippedByteFailsCleanly) {
  Pair probe;
  ASSERT_TRUE(run(*probe.i, *probe.r, 100000).ok());
  // Total handshake bytes: 34 + m2 + m3; flip each one in turn.
  for (long flip = 0; flip < 400; ++flip) {
    Pair p;
    Status st = run(*p.i, *p.r, 100000, flip);
    // Either a clean error, or (for a flipped length byte that only re-frames) no completion.
    if (st.ok()) {
      ADD_FAILURE() << "flipping byte " << flip << " went unnoticed";
      break;
    }
  }
}

TEST(NoiseHandshake, WrongExpectedPeerIsRejected) {
  NoiseOptions io;
  io.expected_peer = PeerId::from_public_key(crypto::PrivateKey::ed25519_from_seed(Bytes(32, 9)).public_key());
  Pair p(io);
  Status st = run(*p.i, *p.r, 1000);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::PeerSecurityValidationFailed)) << st.error().message();
  NoiseOptions ok_opts;
  Pair q(ok_opts);
  q.i = std::make_unique<NoiseHandshake>(
      true, q.a.id, q.a.sk, NoiseOptions{{}, false, PeerId::from_public_key(q.b.id.public_key())}, q.a.rng);
  EXPECT_TRUE(run(*q.i, *q.r, 1000).ok());
}

TEST(NoiseHandshake, ForgedStaticKeySignatureIsRejected) {
  Pair p;
  // The responder signs a different static key than the one it uses.
  SeededRandom other(77);
  NoiseStaticKey forged = NoiseStaticKey::generate(p.b.id, other);
  forged.secret = p.b.sk.secret;
  forged.public_key = p.b.sk.public_key;
  forged.identity_sig[0] ^= 1;
  p.r = std::make_unique<NoiseHandshake>(false, p.b.id, forged, NoiseOptions{}, p.b.rng);
  Status st = run(*p.i, *p.r, 1000);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::SecurityValidationFailed));
}

TEST(NoiseHandshake, HostileFrames) {
  Side b(2);
  auto r = std::make_unique<NoiseHandshake>(false, b.id, b.sk, NoiseOptions{}, b.rng);
  EXPECT_FALSE(r->feed(Bytes{0x00, 0x05, 1, 2, 3, 4, 5}).ok());  // msg1 shorter than e
  auto r2 = std::make_unique<NoiseHandshake>(false, b.id, b.sk, NoiseOptions{}, b.rng);
  Bytes low_order(34, 0);  // all-zero ephemeral: DH result is zero
  low_order[1] = 32;
  EXPECT_FALSE(r2->feed(low_order).ok());
  auto i = std::make_unique<NoiseHandshake>(true, b.id, b.sk, NoiseOptions{}, b.rng);
  EXPECT_FALSE(i->feed(Bytes{0, 1, 0}).ok());  // data before start()
  EXPECT_FALSE(i->finish().ok());
}

}  // namespace
}  // namespace hauptbuch::p2p::secure

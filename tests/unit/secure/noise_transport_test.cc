// NoiseTransport (the transport phase of /noise and the PQ channel) and the zero-copy
// CipherState calls it uses: framing of large writes, any fragmentation of reads (frames split
// across reads), tampering, hostile frame lengths, and Noise Rekey.
#include <sodium.h>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "secure/noise_cipher_state.h"
#include "secure/noise_transport.h"
#include "util/random.h"

namespace hauptbuch::p2p::secure {
namespace {

NoiseCipherState keyed(uint8_t v) {
  NoiseCipherState cs;
  cs.initialize_key(Bytes(kNoiseKeySize, v));
  return cs;
}

// A sender and a receiver sharing the key of one direction.
struct Link {
  crypto::PublicKey id = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 3)).public_key();
  NoiseTransport a{keyed(1), keyed(2), id, "/noise"};
  NoiseTransport b{keyed(2), keyed(1), id, "/noise"};
};

TEST(NoiseTransport, SealedSizeAndFrameLayout) {
  EXPECT_EQ(noise_sealed_size(0), 18u);
  EXPECT_EQ(noise_sealed_size(kNoiseMaxPlaintext), kNoiseMaxMessageSize + 2);
  EXPECT_EQ(noise_sealed_size(kNoiseMaxPlaintext + 1), kNoiseMaxMessageSize + 2 + 1 + 18);
  Link l;
  Bytes wire;
  ASSERT_TRUE(l.a.encrypt({}, wire).ok());
  ASSERT_EQ(wire.size(), 18u);
  EXPECT_EQ(wire[0], 0);
  EXPECT_EQ(wire[1], 16);
  const Bytes big(3 * kNoiseMaxPlaintext + 5, 0x61);
  wire.clear();
  ASSERT_TRUE(l.a.encrypt(big, wire).ok());
  ASSERT_EQ(wire.size(), noise_sealed_size(big.size()));
  EXPECT_EQ((size_t{wire[0]} << 8) | wire[1], kNoiseMaxMessageSize);  // full first frame
}

TEST(NoiseTransport, AnyFragmentationRoundTrips) {
  Link l;
  SeededRandom rng(7);
  Bytes plain(200000);
  rng.fill(plain);
  Bytes wire;
  ASSERT_TRUE(l.a.encrypt(ByteSpan(plain).subspan(0, 70000), wire).ok());
  ASSERT_TRUE(l.a.encrypt(ByteSpan(), wire).ok());  // an empty frame in between
  ASSERT_TRUE(l.a.encrypt(ByteSpan(plain).subspan(70000), wire).ok());
  for (size_t max_chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{1000}, size_t{70000}, wire.size()}) {
    SCOPED_TRACE(max_chunk);
    Link fresh;
    Bytes w;
    ASSERT_TRUE(fresh.a.encrypt(ByteSpan(plain).subspan(0, 70000), w).ok());
    ASSERT_TRUE(fresh.a.encrypt(ByteSpan(), w).ok());
    ASSERT_TRUE(fresh.a.encrypt(ByteSpan(plain).subspan(70000), w).ok());
    ASSERT_EQ(w, wire);  // same keys, same nonces
    Bytes out;
    for (size_t off = 0; off < w.size();) {
      const size_t n = std::min<size_t>(max_chunk == 1 ? 1 : 1 + rng.uniform(max_chunk), w.size() - off);
      ASSERT_TRUE(fresh.b.decrypt(ByteSpan(w).subspan(off, n), out).ok());
      off += n;
    }
    EXPECT_EQ(out, plain);
    EXPECT_EQ(fresh.b.buffered(), 0u);
  }
}

TEST(NoiseTransport, PartialFrameIsHeldUntilComplete) {
  Link l;
  const Bytes plain(1000, 0x5a);
  Bytes wire, out;
  ASSERT_TRUE(l.a.encrypt(plain, wire).ok());
  ASSERT_TRUE(l.b.decrypt(ByteSpan(wire).subspan(0, 500), out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(l.b.buffered(), 500u);
  ASSERT_TRUE(l.b.decrypt(ByteSpan(wire).subspan(500), out).ok());
  EXPECT_EQ(out, plain);
  EXPECT_EQ(l.b.buffered(), 0u);
}

// The span forms the connection uses (reused buffers, no zero-fill) give the same bytes as the
// appending forms, honour their size bounds, and refuse a span that is too small.
TEST(NoiseTransport, SpanFormsMatchAppendingForms) {
  Link l, m;
  SeededRandom rng(11);
  Bytes plain(150000);
  rng.fill(plain);
  Bytes appended;
  ASSERT_TRUE(l.a.encrypt(plain, appended).ok());
  Bytes sealed(m.a.sealed_size(plain.size()) + 7, 0xee);  // a reused buffer, larger than needed
  ASSERT_TRUE(m.a.encrypt_into(plain, MutableByteSpan(sealed).first(m.a.sealed_size(plain.size()))).ok());
  sealed.resize(m.a.sealed_size(plain.size()));
  ASSERT_EQ(sealed, appended);
  Bytes too_small(m.a.sealed_size(10) - 1);
  EXPECT_FALSE(m.a.encrypt_into(Bytes(10, 1), too_small).ok());

  // Decrypt in two pieces: the frame split by the first piece is held, then completed.
  Bytes out(plain.size() + 100000, 0);
  const size_t cut = 70000;
  ASSERT_LE(m.b.max_opened_size(cut), out.size());
  auto n1 = m.b.decrypt_into(ByteSpan(sealed).first(cut), out);
  ASSERT_TRUE(n1.ok());
  EXPECT_EQ(*n1, kNoiseMaxPlaintext);  // one whole frame opened, the second one held
  EXPECT_EQ(m.b.buffered(), cut - (kNoiseMaxPlaintext + 18));
  const size_t rest = sealed.size() - cut;
  EXPECT_EQ(m.b.max_opened_size(rest), m.b.buffered() + rest);
  auto n2 = m.b.decrypt_into(ByteSpan(sealed).subspan(cut), MutableByteSpan(out).subspan(*n1));
  ASSERT_TRUE(n2.ok());
  ASSERT_EQ(*n1 + *n2, plain.size());
  EXPECT_TRUE(std::equal(plain.begin(), plain.end(), out.begin()));
  Link k;
  Bytes small(5);
  EXPECT_FALSE(k.b.decrypt_into(appended, small).ok());
}

// The gather form seals scattered pieces (yamux headers between borrowed application buffers)
// to exactly the bytes encrypt_into gives for their concatenation, whatever the piece sizes:
// empty pieces, pieces smaller than a ChaCha20 block, and pieces that cross frame boundaries.
TEST(NoiseTransport, GatherFormMatchesContiguousForm) {
  SeededRandom rng(12);
  for (int round = 0; round < 40; ++round) {
    Link l, m;
    const size_t total = round == 0 ? 0 : rng.uniform(200000);
    Bytes plain(total);
    rng.fill(plain);
    std::vector<ByteSpan> pieces;
    for (size_t off = 0; off < total || pieces.empty();) {
      const size_t n = std::min(total - off, static_cast<size_t>(rng.uniform(round % 2 ? 80 : 70000)));
      pieces.push_back(ByteSpan(plain).subspan(off, n));
      off += n;
    }
    const size_t sz = l.a.sealed_size(total);
    Bytes contiguous(sz), gathered(sz);
    ASSERT_TRUE(l.a.encrypt_into(plain, contiguous).ok());
    ASSERT_TRUE(m.a.encrypt_gather_into(pieces, gathered).ok());
    ASSERT_EQ(gathered, contiguous) << "round " << round << ", " << pieces.size() << " pieces";
    Bytes opened(m.b.max_opened_size(sz));
    auto n = m.b.decrypt_into(gathered, opened);
    ASSERT_TRUE(n.ok());
    ASSERT_EQ(*n, total);
    EXPECT_TRUE(std::equal(plain.begin(), plain.end(), opened.begin()));
  }
  Link k;
  const Bytes ten(10, 1);
  const ByteSpan two[] = {ByteSpan(ten).first(4), ByteSpan(ten).subspan(4)};
  Bytes too_small(k.a.sealed_size(10) - 1);
  EXPECT_FALSE(k.a.encrypt_gather_into(two, too_small).ok());
}

TEST(NoiseTransport, TamperingFailsForGood) {
  for (size_t pos : {size_t{2}, size_t{10}, size_t{2 + 100 + 15}}) {
    Link l;
    Bytes wire, out;
    ASSERT_TRUE(l.a.encrypt(Bytes(100, 1), wire).ok());
    wire[pos] ^= 0x80;
    auto st = l.b.decrypt(wire, out);
    ASSERT_FALSE(st.ok());
    EXPECT_TRUE(st.error().is(P2PNetworkError::SecurityValidationFailed));
    EXPECT_TRUE(out.empty());
    // The transport stays failed even for a good frame afterwards.
    Bytes good;
    ASSERT_TRUE(l.a.encrypt(Bytes(3, 1), good).ok());
    EXPECT_FALSE(l.b.decrypt(good, out).ok());
  }
}

TEST(NoiseTransport, FrameShorterThanTagIsInvalidMessage) {
  Link l;
  Bytes out;
  const Bytes hostile = {0x00, 0x05, 1, 2, 3, 4, 5};
  auto st = l.b.decrypt(hostile, out);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::InvalidMessage));
  // Split across two reads: same outcome.
  Link l2;
  ASSERT_TRUE(l2.b.decrypt(ByteSpan(hostile).subspan(0, 1), out).ok());
  st = l2.b.decrypt(ByteSpan(hostile).subspan(1), out);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(P2PNetworkError::InvalidMessage));
}

TEST(NoiseCipherStateZeroCopy, InPlaceMatchesAppendingForm) {
  NoiseCipherState a = keyed(9), b = keyed(9), c = keyed(9);
  const Bytes ad = {1, 2, 3};
  Bytes pt(1500);
  SeededRandom(3).fill(pt);
  Bytes expect;
  ASSERT_TRUE(a.encrypt_with_ad(ad, pt, expect).ok());
  Bytes buf = pt;
  buf.resize(pt.size() + kNoiseTagSize);
  ASSERT_TRUE(b.encrypt_to(ad, ByteSpan(buf.data(), pt.size()), buf.data()).ok());
  EXPECT_EQ(buf, expect);
  ASSERT_TRUE(c.decrypt_to(ad, buf, buf.data()).ok());
  EXPECT_EQ(Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(pt.size())), pt);
  EXPECT_EQ(c.nonce(), 1u);
}

TEST(NoiseCipherStateZeroCopy, LimitsAndMissingKey) {
  NoiseCipherState none;
  uint8_t dst[64];
  const Bytes small(8, 0);
  EXPECT_TRUE(none.encrypt_to({}, small, dst).error().is(P2PNetworkError::InvalidConnection));
  EXPECT_TRUE(none.decrypt_to({}, Bytes(20, 0), dst).error().is(P2PNetworkError::InvalidConnection));
  NoiseCipherState k = keyed(4);
  Bytes big(kNoiseMaxPlaintext + 1 + kNoiseTagSize);
  EXPECT_TRUE(k.encrypt_to({}, ByteSpan(big.data(), kNoiseMaxPlaintext + 1), big.data())
                  .error().is(P2PNetworkError::ResourceLimitExceeded));
  EXPECT_TRUE(k.decrypt_to({}, Bytes(15, 0), dst).error().is(P2PNetworkError::InvalidMessage));
  EXPECT_EQ(k.nonce(), 0u);
  // A key of the wrong size leaves a state that refuses to work rather than passing plaintext.
  NoiseCipherState bad;
  bad.initialize_key(Bytes(16, 1));
  Bytes out;
  EXPECT_FALSE(bad.encrypt_with_ad({}, small, out).ok());
  EXPECT_TRUE(out.empty());
}

TEST(NoiseCipherStateRekey, MatchesTheSpecDefinition) {
  ASSERT_GE(sodium_init(), 0);
  const Bytes k(kNoiseKeySize, 0x11);
  NoiseCipherState cs;
  cs.initialize_key(k);
  cs.set_nonce(5);
  ASSERT_TRUE(cs.rekey().ok());
  EXPECT_EQ(cs.nonce(), 5u);  // Rekey leaves n alone
  // REKEY(k) = first 32 bytes of ENCRYPT(k, 2^64-1, zerolen, zeros).
  const uint8_t max_nonce[12] = {0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  uint8_t zeros[32] = {}, sealed[48];
  unsigned long long len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(sealed, &len, zeros, 32, nullptr, 0, nullptr, max_nonce, k.data());
  NoiseCipherState expect;
  expect.initialize_key(ByteSpan(sealed, 32));
  expect.set_nonce(5);
  const Bytes pt = {'r', 'e', 'k', 'e', 'y'};
  Bytes a, b;
  ASSERT_TRUE(cs.encrypt_with_ad({}, pt, a).ok());
  ASSERT_TRUE(expect.encrypt_with_ad({}, pt, b).ok());
  EXPECT_EQ(a, b);
  NoiseCipherState none;
  EXPECT_FALSE(none.rekey().ok());
}

}  // namespace
}  // namespace hauptbuch::p2p::secure

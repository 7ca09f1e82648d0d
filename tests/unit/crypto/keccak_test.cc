// Keccak/SHA-3/SHAKE: FIPS 202 known answers, and agreement with OpenSSL's one-shot digests
// for every length around the rate boundaries, including incremental absorb/squeeze.
#include "crypto/keccak.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>
#include <random>

namespace hauptbuch::p2p::crypto {
namespace {

Bytes openssl_digest(const EVP_MD* md, ByteSpan in, size_t out_len) {
  Bytes out(out_len);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EXPECT_EQ(EVP_DigestInit_ex(ctx, md, nullptr), 1);
  EXPECT_EQ(EVP_DigestUpdate(ctx, in.data(), in.size()), 1);
  if (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) {
    EXPECT_EQ(EVP_DigestFinalXOF(ctx, out.data(), out_len), 1);
  } else {
    unsigned int n = 0;
    EXPECT_EQ(EVP_DigestFinal_ex(ctx, out.data(), &n), 1);
    EXPECT_EQ(n, out_len);
  }
  EVP_MD_CTX_free(ctx);
  return out;
}

template <size_t N>
Bytes vec(const std::array<uint8_t, N>& a) { return Bytes(a.begin(), a.end()); }

TEST(Keccak, EmptyInputKnownAnswers) {
  // FIPS 202 example values for the empty message.
  EXPECT_EQ(to_hex(sha3_256({})), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  EXPECT_EQ(to_hex(sha3_512({})).substr(0, 32), "a69f73cca23a9ac5c8b567dc185a756e");
  Bytes out(32);
  shake128({}, out);
  EXPECT_EQ(to_hex(out), "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
  shake256({}, out);
  EXPECT_EQ(to_hex(out), "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f");
}

TEST(Keccak, MatchesOpenSslForAllLengthsAroundRates) {
  std::mt19937 rng(7);
  Bytes msg(700);
  for (auto& b : msg) b = static_cast<uint8_t>(rng());
  for (size_t len = 0; len <= msg.size(); len += (len < 300 ? 1 : 37)) {
    ByteSpan in(msg.data(), len);
    EXPECT_EQ(vec(sha3_224(in)), openssl_digest(EVP_sha3_224(), in, 28)) << len;
    EXPECT_EQ(vec(sha3_256(in)), openssl_digest(EVP_sha3_256(), in, 32)) << len;
    EXPECT_EQ(vec(sha3_384(in)), openssl_digest(EVP_sha3_384(), in, 48)) << len;
    EXPECT_EQ(vec(sha3_512(in)), openssl_digest(EVP_sha3_512(), in, 64)) << len;
    Bytes out(333);
    shake128(in, out);
    EXPECT_EQ(out, openssl_digest(EVP_shake128(), in, 333)) << len;
    shake256(in, out);
    EXPECT_EQ(out, openssl_digest(EVP_shake256(), in, 333)) << len;
  }
}

TEST(Keccak, IncrementalAbsorbAndSqueezeEqualOneShot) {
  std::mt19937 rng(11);
  Bytes msg(1000);
  for (auto& b : msg) b = static_cast<uint8_t>(rng());
  Bytes expected(1000);
  shake128(msg, expected);
  for (int trial = 0; trial < 50; ++trial) {
    Shake128 s;
    size_t off = 0;
    while (off < msg.size()) {
      size_t n = std::min<size_t>(rng() % 200, msg.size() - off);
      s.absorb(ByteSpan(msg).subspan(off, n));
      off += n;
    }
    Bytes out(1000);
    size_t pos = 0;
    while (pos < out.size()) {
      size_t n = std::min<size_t>(rng() % 400, out.size() - pos);
      s.squeeze(MutableByteSpan(out).subspan(pos, n));
      pos += n;
    }
    ASSERT_EQ(out, expected) << trial;
  }
}

TEST(Keccak, SqueezeBlocksMatchesSqueeze) {
  Bytes seed{1, 2, 3};
  Shake128 a, b;
  a.absorb(seed);
  b.absorb(seed);
  Bytes x(3 * Shake128::kRate), y(3 * Shake128::kRate);
  a.squeeze_blocks(x);
  b.squeeze(y);
  EXPECT_EQ(x, y);
}

TEST(Keccak, X4PermutationEqualsFourSingle) {
  std::mt19937_64 rng(4);
  for (int iter = 0; iter < 20; ++iter) {
    uint64_t x4[100], ref[100], one[25];
    for (auto& v : x4) v = rng();
    std::memcpy(ref, x4, sizeof ref);
    keccak_f1600_x4(x4);  // AVX2 when available
    for (size_t j = 0; j < 4; ++j) {
      for (size_t i = 0; i < 25; ++i) one[i] = ref[4 * i + j];
      keccak_f1600(one);
      for (size_t i = 0; i < 25; ++i) EXPECT_EQ(x4[4 * i + j], one[i]) << "instance " << j << " lane " << i;
    }
    keccak_f1600_x4_portable(ref);
    for (size_t i = 0; i < 100; ++i) EXPECT_EQ(ref[i], x4[i]);
  }
}

TEST(Keccak, X4SpongeEqualsSeparateShakes) {
  std::mt19937 rng(44);
  for (size_t len : {0u, 1u, 33u, 34u, 66u, 135u, 136u, 137u, 167u, 168u, 169u, 400u}) {
    for (size_t rate : {Shake128::kRate, Shake256::kRate}) {
      uint8_t in[4][400], out[4][3 * 168];
      for (auto& row : in)
        for (auto& b : row) b = static_cast<uint8_t>(rng());
      const uint8_t* ins[4] = {in[0], in[1], in[2], in[3]};
      uint8_t* outs[4] = {out[0], out[1], out[2], out[3]};
      KeccakX4 x4(rate, 0x1f);
      x4.absorb_once(ins, len);
      x4.squeeze_blocks(outs, 1);
      uint8_t* outs2[4] = {out[0] + rate, out[1] + rate, out[2] + rate, out[3] + rate};
      x4.squeeze_blocks(outs2, 2);
      for (size_t j = 0; j < 4; ++j) {
        Bytes want(3 * rate);
        if (rate == Shake128::kRate) shake128(ByteSpan(in[j], len), want);
        else shake256(ByteSpan(in[j], len), want);
        EXPECT_EQ(Bytes(out[j], out[j] + 3 * rate), want) << "len " << len << " rate " << rate << " instance " << j;
      }
    }
  }
}

}  // namespace
}  // namespace hauptbuch::p2p::crypto

// Keccak-f[1600] permutation and sponge (FIPS 202), written from the standard.
#include "crypto/keccak.h"

#include <cassert>
#include <bit>
#include <cstring>

namespace hauptbuch::p2p::crypto {
namespace {

constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

inline uint64_t rotl(uint64_t x, int n) noexcept { return std::rotl(x, n); }

inline uint64_t load_le64(const uint8_t* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}
inline void store_le64(uint8_t* p, uint64_t v) noexcept {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

}  // namespace

void keccak_f1600(uint64_t s[25]) noexcept {
  // Two rounds per iteration (a -> e -> a) with all 50 lanes in local variables and every
  // index a compile-time constant, so the compiler keeps the state in registers and never
  // copies arrays. Generated from the step definitions in FIPS 202 §3.2 (theta, rho, pi, chi,
  // iota merged per output plane).
  uint64_t a00 = s[0], a01 = s[1], a02 = s[2], a03 = s[3], a04 = s[4], a05 = s[5], a06 = s[6], a07 = s[7], a08 = s[8], a09 = s[9], a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14], a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19], a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
  uint64_t e00, e01, e02, e03, e04, e05, e06, e07, e08, e09, e10, e11, e12, e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
  uint64_t b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;
  for (int round = 0; round < 24; round += 2) {
    c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
    c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
    c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
    c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
    c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
    d0 = c4 ^ rotl(c1, 1);
    d1 = c0 ^ rotl(c2, 1);
    d2 = c1 ^ rotl(c3, 1);
    d3 = c2 ^ rotl(c4, 1);
    d4 = c3 ^ rotl(c0, 1);
    b0 = a00 ^ d0;
    b1 = rotl(a06 ^ d1, 44);
    b2 = rotl(a12 ^ d2, 43);
    b3 = rotl(a18 ^ d3, 21);
    b4 = rotl(a24 ^ d4, 14);
    e00 = b0 ^ (~b1 & b2) ^ kRoundConstants[round];
    e01 = b1 ^ (~b2 & b3);
    e02 = b2 ^ (~b3 & b4);
    e03 = b3 ^ (~b4 & b0);
    e04 = b4 ^ (~b0 & b1);
    b0 = rotl(a03 ^ d3, 28);
    b1 = rotl(a09 ^ d4, 20);
    b2 = rotl(a10 ^ d0, 3);
    b3 = rotl(a16 ^ d1, 45);
    b4 = rotl(a22 ^ d2, 61);
    e05 = b0 ^ (~b1 & b2);
    e06 = b1 ^ (~b2 & b3);
    e07 = b2 ^ (~b3 & b4);
    e08 = b3 ^ (~b4 & b0);
    e09 = b4 ^ (~b0 & b1);
    b0 = rotl(a01 ^ d1, 1);
    b1 = rotl(a07 ^ d2, 6);
    b2 = rotl(a13 ^ d3, 25);
    b3 = rotl(a19 ^ d4, 8);
    b4 = rotl(a20 ^ d0, 18);
    e10 = b0 ^ (~b1 & b2);
    e11 = b1 ^ (~b2 & b3);
    e12 = b2 ^ (~b3 & b4);
    e13 = b3 ^ (~b4 & b0);
    e14 = b4 ^ (~b0 & b1);
    b0 = rotl(a04 ^ d4, 27);
    b1 = rotl(a05 ^ d0, 36);
    b2 = rotl(a11 ^ d1, 10);
    b3 = rotl(a17 ^ d2, 15);
    b4 = rotl(a23 ^ d3, 56);
    e15 = b0 ^ (~b1 & b2);
    e16 = b1 ^ (~b2 & b3);
    e17 = b2 ^ (~b3 & b4);
    e18 = b3 ^ (~b4 & b0);
    e19 = b4 ^ (~b0 & b1);
    b0 = rotl(a02 ^ d2, 62);
    b1 = rotl(a08 ^ d3, 55);
    b2 = rotl(a14 ^ d4, 39);
    b3 = rotl(a15 ^ d0, 41);
    b4 = rotl(a21 ^ d1, 2);
    e20 = b0 ^ (~b1 & b2);
    e21 = b1 ^ (~b2 & b3);
    e22 = b2 ^ (~b3 & b4);
    e23 = b3 ^ (~b4 & b0);
    e24 = b4 ^ (~b0 & b1);
    c0 = e00 ^ e05 ^ e10 ^ e15 ^ e20;
    c1 = e01 ^ e06 ^ e11 ^ e16 ^ e21;
    c2 = e02 ^ e07 ^ e12 ^ e17 ^ e22;
    c3 = e03 ^ e08 ^ e13 ^ e18 ^ e23;
    c4 = e04 ^ e09 ^ e14 ^ e19 ^ e24;
    d0 = c4 ^ rotl(c1, 1);
    d1 = c0 ^ rotl(c2, 1);
    d2 = c1 ^ rotl(c3, 1);
    d3 = c2 ^ rotl(c4, 1);
    d4 = c3 ^ rotl(c0, 1);
    b0 = e00 ^ d0;
    b1 = rotl(e06 ^ d1, 44);
    b2 = rotl(e12 ^ d2, 43);
    b3 = rotl(e18 ^ d3, 21);
    b4 = rotl(e24 ^ d4, 14);
    a00 = b0 ^ (~b1 & b2) ^ kRoundConstants[round + 1];
    a01 = b1 ^ (~b2 & b3);
    a02 = b2 ^ (~b3 & b4);
    a03 = b3 ^ (~b4 & b0);
    a04 = b4 ^ (~b0 & b1);
    b0 = rotl(e03 ^ d3, 28);
    b1 = rotl(e09 ^ d4, 20);
    b2 = rotl(e10 ^ d0, 3);
    b3 = rotl(e16 ^ d1, 45);
    b4 = rotl(e22 ^ d2, 61);
    a05 = b0 ^ (~b1 & b2);
    a06 = b1 ^ (~b2 & b3);
    a07 = b2 ^ (~b3 & b4);
    a08 = b3 ^ (~b4 & b0);
    a09 = b4 ^ (~b0 & b1);
    b0 = rotl(e01 ^ d1, 1);
    b1 = rotl(e07 ^ d2, 6);
    b2 = rotl(e13 ^ d3, 25);
    b3 = rotl(e19 ^ d4, 8);
    b4 = rotl(e20 ^ d0, 18);
    a10 = b0 ^ (~b1 & b2);
    a11 = b1 ^ (~b2 & b3);
    a12 = b2 ^ (~b3 & b4);
    a13 = b3 ^ (~b4 & b0);
    a14 = b4 ^ (~b0 & b1);
    b0 = rotl(e04 ^ d4, 27);
    b1 = rotl(e05 ^ d0, 36);
    b2 = rotl(e11 ^ d1, 10);
    b3 = rotl(e17 ^ d2, 15);
    b4 = rotl(e23 ^ d3, 56);
    a15 = b0 ^ (~b1 & b2);
    a16 = b1 ^ (~b2 & b3);
    a17 = b2 ^ (~b3 & b4);
    a18 = b3 ^ (~b4 & b0);
    a19 = b4 ^ (~b0 & b1);
    b0 = rotl(e02 ^ d2, 62);
    b1 = rotl(e08 ^ d3, 55);
    b2 = rotl(e14 ^ d4, 39);
    b3 = rotl(e15 ^ d0, 41);
    b4 = rotl(e21 ^ d1, 2);
    a20 = b0 ^ (~b1 & b2);
    a21 = b1 ^ (~b2 & b3);
    a22 = b2 ^ (~b3 & b4);
    a23 = b3 ^ (~b4 & b0);
    a24 = b4 ^ (~b0 & b1);
  }
  s[0] = a00;
  s[1] = a01;
  s[2] = a02;
  s[3] = a03;
  s[4] = a04;
  s[5] = a05;
  s[6] = a06;
  s[7] = a07;
  s[8] = a08;
  s[9] = a09;
  s[10] = a10;
  s[11] = a11;
  s[12] = a12;
  s[13] = a13;
  s[14] = a14;
  s[15] = a15;
  s[16] = a16;
  s[17] = a17;
  s[18] = a18;
  s[19] = a19;
  s[20] = a20;
  s[21] = a21;
  s[22] = a22;
  s[23] = a23;
  s[24] = a24;
}

KeccakSponge::KeccakSponge(size_t rate_bytes, uint8_t suffix) noexcept
    : rate_(rate_bytes), suffix_(suffix) {
  assert(rate_bytes % 8 == 0 && rate_bytes < 200);
  std::memset(state_, 0, sizeof(state_));
}

KeccakSponge::~KeccakSponge() { secure_wipe(state_, sizeof(state_)); }

void KeccakSponge::reset() noexcept {
  std::memset(state_, 0, sizeof(state_));
  pos_ = 0;
  squeezing_ = false;
}

void KeccakSponge::absorb(ByteSpan in) noexcept {
  assert(!squeezing_);
  const uint8_t* p = in.data();
  size_t n = in.size();
  // Finish a partial block byte by byte.
  while (n > 0 && pos_ != 0) {
    state_[pos_ / 8] ^= uint64_t{*p} << (8 * (pos_ % 8));
    ++p, --n;
    if (++pos_ == rate_) {
      keccak_f1600(state_);
      pos_ = 0;
    }
  }
  // Whole blocks, a lane at a time.
  while (n >= rate_) {
    for (size_t i = 0; i < rate_ / 8; ++i) state_[i] ^= load_le64(p + 8 * i);
    keccak_f1600(state_);
    p += rate_;
    n -= rate_;
  }
  for (; n > 0; ++p, --n, ++pos_) state_[pos_ / 8] ^= uint64_t{*p} << (8 * (pos_ % 8));
}

void KeccakSponge::finalize() noexcept {
  state_[pos_ / 8] ^= uint64_t{suffix_} << (8 * (pos_ % 8));
  state_[(rate_ - 1) / 8] ^= uint64_t{0x80} << (8 * ((rate_ - 1) % 8));
  keccak_f1600(state_);
  squeezing_ = true;
  pos_ = 0;
}

void KeccakSponge::squeeze(MutableByteSpan out) noexcept {
  if (!squeezing_) finalize();
  uint8_t* p = out.data();
  size_t n = out.size();
  while (n > 0) {
    if (pos_ == rate_) {
      keccak_f1600(state_);
      pos_ = 0;
    }
    if (pos_ == 0 && n >= rate_) {  // a whole block straight out
      for (size_t i = 0; i < rate_ / 8; ++i) store_le64(p + 8 * i, state_[i]);
      p += rate_;
      n -= rate_;
      pos_ = rate_;
      continue;
    }
    *p++ = static_cast<uint8_t>(state_[pos_ / 8] >> (8 * (pos_ % 8)));
    ++pos_;
    --n;
  }
}

void KeccakSponge::squeeze_blocks(MutableByteSpan out) noexcept {
  assert(out.size() % rate_ == 0);
  squeeze(out);
}

std::array<uint8_t, 32> Sha3_256::digest() noexcept {
  std::array<uint8_t, 32> out;
  squeeze(out);
  return out;
}

std::array<uint8_t, 64> Sha3_512::digest() noexcept {
  std::array<uint8_t, 64> out;
  squeeze(out);
  return out;
}

namespace {
template <size_t N>
std::array<uint8_t, N> sha3(ByteSpan in) noexcept {
  KeccakSponge s(200 - 2 * N, 0x06);
  s.absorb(in);
  std::array<uint8_t, N> out;
  s.squeeze(out);
  return out;
}
}  // namespace

std::array<uint8_t, 28> sha3_224(ByteSpan in) noexcept { return sha3<28>(in); }
std::array<uint8_t, 32> sha3_256(ByteSpan in) noexcept { return sha3<32>(in); }
std::array<uint8_t, 48> sha3_384(ByteSpan in) noexcept { return sha3<48>(in); }
std::array<uint8_t, 64> sha3_512(ByteSpan in) noexcept { return sha3<64>(in); }

void shake128(ByteSpan in, MutableByteSpan out) noexcept {
  Shake128 s;
  s.absorb(in);
  s.squeeze(out);
}

void shake256(ByteSpan in, MutableByteSpan out) noexcept {
  Shake256 s;
  s.absorb(in);
  s.squeeze(out);
}

}  // namespace hauptbuch::p2p::crypto

// Keccak-f[1600] and the FIPS 202 functions built on it: SHA3-224/256/384/512 and the XOFs
// SHAKE128/SHAKE256 with incremental absorb and incremental squeeze (which OpenSSL 3.0's EVP
// interface cannot do, and which ML-KEM and ML-DSA need for rejection sampling).
//
// Constant-time: the permutation has no data-dependent branches or memory indices, so these
// may process secrets. Sponge state is wiped on destruction.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "util/bytes.h"

namespace hauptbuch::p2p::crypto {

// The permutation on 25 little-endian 64-bit lanes (FIPS 202 §3, 24 rounds).
void keccak_f1600(uint64_t state[25]) noexcept;

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HBP2P_KECCAK_X4_AVX2 1
#else
#define HBP2P_KECCAK_X4_AVX2 0
#endif

// Four independent permutations at once; lane i of instance j is s[4 * i + j]. Uses AVX2 when
// the CPU has it (detected at run time), else four calls of keccak_f1600.
void keccak_f1600_x4(uint64_t s[100]) noexcept;
void keccak_f1600_x4_portable(uint64_t s[100]) noexcept;  // the fallback, for tests
bool keccak_x4_avx2_enabled() noexcept;

// Four sponges of one rate and suffix run side by side (for the SHAKE128 / SHAKE256 streams
// of matrix and mask expansion): absorb four inputs of equal length once, then squeeze whole
// blocks from all four. Output equals four separate KeccakSponge runs. State wiped on
// destruction.
class KeccakX4 {
 public:
  KeccakX4(size_t rate_bytes, uint8_t suffix) noexcept : rate_(rate_bytes), suffix_(suffix) {}
  ~KeccakX4();
  KeccakX4(const KeccakX4&) = delete;
  KeccakX4& operator=(const KeccakX4&) = delete;
  // Resets the state, absorbs in[0..3] (len bytes each) and pads: ready to squeeze.
  void absorb_once(const uint8_t* const in[4], size_t len) noexcept;
  // Writes nblocks * rate() bytes to each out[j].
  void squeeze_blocks(uint8_t* const out[4], size_t nblocks) noexcept;
  size_t rate() const noexcept { return rate_; }

 private:
  uint64_t state_[100] = {};
  size_t rate_;
  uint8_t suffix_;
};

// A Keccak sponge with a given rate (bytes) and domain-separation suffix byte
// (0x06 for SHA-3, 0x1f for SHAKE). Absorb any number of times, then squeeze any number of
// times; absorbing after the first squeeze is a programming error (asserted).
class KeccakSponge {
 public:
  KeccakSponge(size_t rate_bytes, uint8_t suffix) noexcept;
  ~KeccakSponge();
  KeccakSponge(const KeccakSponge&) = default;
  KeccakSponge& operator=(const KeccakSponge&) = default;

  void absorb(ByteSpan in) noexcept;
  void squeeze(MutableByteSpan out) noexcept;
  // Squeezes whole rate-sized blocks (out.size() must be a multiple of rate()); faster path
  // for samplers that consume blocks.
  void squeeze_blocks(MutableByteSpan out) noexcept;
  size_t rate() const noexcept { return rate_; }
  void reset() noexcept;

 private:
  void finalize() noexcept;
  uint64_t state_[25];
  size_t rate_;
  size_t pos_ = 0;  // absorb: bytes in the current block; squeeze: bytes used of the block
  uint8_t suffix_;
  bool squeezing_ = false;
};

class Shake128 : public KeccakSponge {
 public:
  static constexpr size_t kRate = 168;
  Shake128() noexcept : KeccakSponge(kRate, 0x1f) {}
};

class Shake256 : public KeccakSponge {
 public:
  static constexpr size_t kRate = 136;
  Shake256() noexcept : KeccakSponge(kRate, 0x1f) {}
};

class Sha3_256 : public KeccakSponge {
 public:
  Sha3_256() noexcept : KeccakSponge(136, 0x06) {}
  std::array<uint8_t, 32> digest() noexcept;
};

class Sha3_512 : public KeccakSponge {
 public:
  Sha3_512() noexcept : KeccakSponge(72, 0x06) {}
  std::array<uint8_t, 64> digest() noexcept;
};

// One-shot helpers.
std::array<uint8_t, 28> sha3_224(ByteSpan in) noexcept;
std::array<uint8_t, 32> sha3_256(ByteSpan in) noexcept;
std::array<uint8_t, 48> sha3_384(ByteSpan in) noexcept;
std::array<uint8_t, 64> sha3_512(ByteSpan in) noexcept;
void shake128(ByteSpan in, MutableByteSpan out) noexcept;
void shake256(ByteSpan in, MutableByteSpan out) noexcept;

}  // namespace hauptbuch::p2p::crypto

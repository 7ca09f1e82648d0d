// Randomness seam. Protocol cores take a RandomSource& instead of calling a global RNG, so
// tests and the simulator are reproducible (SeededRandom) and real nodes use the OS CSPRNG
// (SystemRandom, libsodium). Fuzzing builds may substitute fixed values the same way.
#pragma once

#include <cstdint>

#include "util/bytes.h"

namespace hauptbuch::p2p {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(MutableByteSpan out) = 0;
  uint64_t next_u64();
  // Uniform in [0, bound) without modulo bias; bound > 0.
  uint64_t uniform(uint64_t bound);
};

// Cryptographically secure (libsodium randombytes). Thread-safe.
class SystemRandom final : public RandomSource {
 public:
  void fill(MutableByteSpan out) override;
  static SystemRandom& instance();
};

// Unpredictable and fast, for protocol choices peers must not guess but that are not key
// material (address selection, gossip peer picks, DHT refresh keys): a ChaCha20 keystream
// (libsodium randombytes_buf_deterministic) keyed from SystemRandom, rekeyed from its own output
// after every 512-byte block (fast key erasure), so a draw costs no system call. Keys, nonces
// and handshake secrets keep using SystemRandom. Not thread-safe: one owner (strand) each.
class FastRandom final : public RandomSource {
 public:
  FastRandom();
  ~FastRandom() override;  // wipes the key and the unused output
  FastRandom(const FastRandom&) = delete;
  FastRandom& operator=(const FastRandom&) = delete;
  void fill(MutableByteSpan out) override;

 private:
  static constexpr size_t kBlock = 512;
  void refill();
  uint8_t key_[32];
  uint8_t buf_[kBlock];
  size_t pos_ = kBlock;
};

// Deterministic, NOT for secrets: a SHAKE256 stream of the seed. Not thread-safe.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed);
  ~SeededRandom() override;
  void fill(MutableByteSpan out) override;

 private:
  struct State;
  State* state_;
};

}  // namespace hauptbuch::p2p

// RandomSource implementations: libsodium for real use, a SHAKE256 stream for tests.
#include "util/random.h"

#include <sodium.h>

#include <cassert>

#include "crypto/keccak.h"

namespace hauptbuch::p2p {

uint64_t RandomSource::next_u64() {
  uint8_t b[8];
  fill(b);
  uint64_t v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return v;
}

uint64_t RandomSource::uniform(uint64_t bound) {
  assert(bound > 0);
  // Reject the top partial range so every value is equally likely.
  uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
  for (;;) {
    uint64_t v = next_u64();
    if (v < limit) return v % bound;
  }
}

void SystemRandom::fill(MutableByteSpan out) {
  static const int init = sodium_init();  // idempotent, thread-safe in libsodium
  (void)init;
  randombytes_buf(out.data(), out.size());
}

SystemRandom& SystemRandom::instance() {
  static SystemRandom r;
  return r;
}

struct SeededRandom::State {
  crypto::Shake256 xof;
};

SeededRandom::SeededRandom(uint64_t seed) : state_(new State) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(seed >> (8 * i));
  state_->xof.absorb(as_bytes("hbp2p-seeded-random"));
  state_->xof.absorb(b);
}

SeededRandom::~SeededRandom() { delete state_; }

void SeededRandom::fill(MutableByteSpan out) { state_->xof.squeeze(out); }

}  // namespace hauptbuch::p2p

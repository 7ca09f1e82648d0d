// RandomSource implementations: libsodium for real use (OS CSPRNG, and a fast ChaCha20 stream
// keyed from it), a SHAKE256 stream for tests.
#include "util/random.h"

#include <sodium.h>

#include <algorithm>
#include <cassert>
#include <cstring>

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

FastRandom::FastRandom() { SystemRandom::instance().fill(key_); }

FastRandom::~FastRandom() {
  sodium_memzero(key_, sizeof key_);
  sodium_memzero(buf_, sizeof buf_);
}

// One ChaCha20 block run: the first 32 bytes become the next key (never output), the rest is
// handed out.
void FastRandom::refill() {
  randombytes_buf_deterministic(buf_, kBlock, key_);
  std::memcpy(key_, buf_, sizeof key_);
  sodium_memzero(buf_, sizeof key_);
  pos_ = sizeof key_;
}

void FastRandom::fill(MutableByteSpan out) {
  size_t done = 0;
  while (done < out.size()) {
    if (pos_ == kBlock) refill();
    const size_t n = std::min(out.size() - done, kBlock - pos_);
    std::memcpy(out.data() + done, buf_ + pos_, n);
    sodium_memzero(buf_ + pos_, n);
    pos_ += n;
    done += n;
  }
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

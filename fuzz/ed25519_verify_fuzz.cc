// Fuzz target: Ed25519 verification (src/crypto/ed25519_batch.h) on hostile keys, signatures
// and messages. Byte 0 picks the mode: raw (public key, signature and message straight from the
// input), or signed (a libsodium key from the next 32 bytes signs the rest, then one byte of the
// signature or key is changed as the input says). Invariants: no crash; a batch of the item and a
// valid signature agrees with the single verdict; whatever libsodium's stricter cofactorless
// check accepts, our own arithmetic accepts too (so verify_one's libsodium fast path never
// changes a verdict).
#include <sodium.h>

#include <array>
#include <cstdlib>
#include <cstring>

#include "crypto/ed25519_batch.h"

using namespace hauptbuch::p2p;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 + 96 || size > 4096 || sodium_init() < 0) return 0;
  std::array<uint8_t, 32> pk;
  std::array<uint8_t, 64> sig;
  std::array<uint8_t, 64> sk;
  const uint8_t mode = data[0];
  ByteSpan msg;
  if (mode % 2 == 0) {
    std::memcpy(pk.data(), data + 1, 32);
    std::memcpy(sig.data(), data + 33, 64);
    msg = ByteSpan(data + 97, size - 97);
  } else {
    crypto_sign_seed_keypair(pk.data(), sk.data(), data + 1);
    msg = ByteSpan(data + 33, size - 33);
    crypto_sign_detached(sig.data(), nullptr, msg.data(), msg.size(), sk.data());
    const uint8_t where = data[33], what = data[34];
    if (mode & 2) {
      if (where < 64) sig[where] ^= what;
      else if (where < 96) pk[where - 64u] ^= what;
    }
  }
  const crypto::Ed25519Item item{pk, msg, sig};
  const bool ours = crypto::ed25519_verify_one(item);
  const bool own = crypto::ed25519_verify_one_own(item);
  const bool sodium = crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), pk.data()) == 0;
  if ((sodium && !own) || ours != own) std::abort();
  // A known-good companion signature.
  static const auto good = [] {
    struct G {
      std::array<uint8_t, 32> pk;
      std::array<uint8_t, 64> sk, sig;
      uint8_t msg[3] = {1, 2, 3};
    } g;
    const uint8_t seed[32] = {9};
    crypto_sign_seed_keypair(g.pk.data(), g.sk.data(), seed);
    crypto_sign_detached(g.sig.data(), nullptr, g.msg, sizeof g.msg, g.sk.data());
    return g;
  }();
  const crypto::Ed25519Item pair[2] = {item, {good.pk, ByteSpan(good.msg, 3), good.sig}};
  const auto each = crypto::ed25519_verify_each(pair);
  if (each[0] != ours || !each[1]) std::abort();
  if (crypto::ed25519_verify_batch(pair) && !ours) std::abort();
  return 0;
}

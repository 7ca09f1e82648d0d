// Helpers for the kad unit tests: deterministic peer ids and addresses.
#pragma once

#include <cstdint>

#include "crypto/identity.h"
#include "peer/peer_id.h"
#include "util/multiaddr.h"
#include "util/random.h"

namespace hauptbuch::p2p::kad::testing {

// A PeerId from an Ed25519 public key made of the seeded random bytes (inlined identity multihash,
// as real Ed25519 peers).
inline PeerId peer_from_seed(uint64_t seed) {
  SeededRandom rng(seed);
  Bytes raw(32);
  rng.fill(raw);
  return PeerId::from_public_key(crypto::PublicKey::ed25519(raw));
}

inline Multiaddr addr_for(uint32_t n) {
  std::string s = "/ip4/10.0.";
  s.append(std::to_string((n >> 8) & 0xFF)).append(".").append(std::to_string(n & 0xFF)).append("/tcp/4001");
  return *Multiaddr::parse(s);
}

}  // namespace hauptbuch::p2p::kad::testing

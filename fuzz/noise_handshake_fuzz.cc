// Fuzz target: the /noise XX handshake (both roles) fed arbitrary bytes in arbitrary chunks.
// Invariants: no crash, no unbounded buffering; hostile bytes never complete a handshake.
#include <cstdlib>

#include "secure/noise_handshake.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::secure;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crypto::PrivateKey id = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 7));
  static SeededRandom key_rng(7);
  static const NoiseStaticKey sk = NoiseStaticKey::generate(id, key_rng);
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 64;
  ByteSpan in(data + 1, size - 1);
  SeededRandom rng(1);
  NoiseHandshake r(false, id, sk, NoiseOptions{}, rng);
  NoiseHandshake i(true, id, sk, NoiseOptions{}, rng);
  (void)i.start();
  for (size_t off = 0; off < in.size(); off += chunk) {
    ByteSpan part = in.subspan(off, std::min(chunk, in.size() - off));
    (void)r.feed(part);
    (void)i.feed(part);
    (void)r.take_output();
    (void)i.take_output();
  }
  // Completing requires a valid identity signature over a static key we never produced.
  if (r.done() || i.done()) std::abort();
  return 0;
}

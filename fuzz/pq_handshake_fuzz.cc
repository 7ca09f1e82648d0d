// Fuzz target: the /hauptbuch/pq-noise/1.0.0 handshake (both roles) fed arbitrary bytes.
// Invariants: no crash, no unbounded buffering; hostile bytes never complete a handshake.
#include <cstdlib>

#include "secure/pq_handshake.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::secure;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crypto::PrivateKey id = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 7));
  if (size == 0) return 0;
  // The first byte picks the role (the initiator's ML-KEM key generation is the slow part, so
  // only a quarter of the inputs pay for it) and the chunk size.
  const bool initiator = (data[0] & 3) == 0;
  const size_t chunk = 1 + (data[0] >> 2) * 4;
  ByteSpan in(data + 1, size - 1);
  SeededRandom rng(1);
  PqHandshake h(initiator, id, NoiseOptions{}, rng);
  (void)h.start();
  for (size_t off = 0; off < in.size(); off += chunk) {
    (void)h.feed(in.subspan(off, std::min(chunk, in.size() - off)));
    (void)h.take_output();
  }
  if (initiator && h.done()) std::abort();  // needs the responder's transcript signature
  return 0;
}

// Fuzz target: NoiseTransport::decrypt (the transport-phase parser of /noise and the PQ channel)
// on hostile bytes in hostile fragmentation, plus a round trip (encrypt, then decrypt in pieces
// chosen by the input) that must return exactly the plaintext. Must never crash, leak, or hold
// more than one partial frame.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "secure/noise_transport.h"

using namespace hauptbuch::p2p;

namespace {

secure::NoiseCipherState keyed(uint8_t v) {
  secure::NoiseCipherState cs;
  cs.initialize_key(Bytes(secure::kNoiseKeySize, v));
  return cs;
}

const crypto::PublicKey& identity() {
  static const crypto::PublicKey id = crypto::PrivateKey::ed25519_from_seed(Bytes(32, 7)).public_key();
  return id;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t step = 1 + data[0] % 64;  // fragment size for both parts
  ByteSpan in(data + 1, size - 1);

  // Hostile bytes.
  secure::NoiseTransport rx(keyed(1), keyed(2), identity(), "/noise");
  Bytes out;
  for (size_t off = 0; off < in.size(); off += step) {
    if (!rx.decrypt(in.subspan(off, std::min(step, in.size() - off)), out).ok()) break;
    if (rx.buffered() > secure::kNoiseMaxMessageSize + secure::kNoiseFrameHeaderSize) std::abort();
  }

  // Round trip of the input as plaintext.
  secure::NoiseTransport a(keyed(3), keyed(4), identity(), "/noise");
  secure::NoiseTransport b(keyed(4), keyed(3), identity(), "/noise");
  Bytes wire, plain;
  if (!a.encrypt(in, wire).ok()) std::abort();
  if (wire.size() != secure::noise_sealed_size(in.size())) std::abort();
  for (size_t off = 0; off < wire.size(); off += step * 37) {
    if (!b.decrypt(ByteSpan(wire).subspan(off, std::min(step * 37, wire.size() - off)), plain).ok()) std::abort();
  }
  if (plain != Bytes(in.begin(), in.end()) || b.buffered() != 0) std::abort();
  return 0;
}

// Fuzz target: ML-DSA public key decoder and verification with arbitrary public keys.
// Invariant: no crash, no UB; a signature over fuzz-chosen keys never makes verify misbehave.
#include <cstdlib>

#include "crypto/mldsa.h"

using namespace hauptbuch::p2p;
namespace mldsa = hauptbuch::p2p::crypto::mldsa;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto set = static_cast<mldsa::ParameterSet>(data[0] % 3);
  auto pk = mldsa::PublicKey::from_bytes(set, ByteSpan(data + 1, size - 1));
  if (!pk.ok()) return 0;
  if (to_bytes(pk->bytes()) != Bytes(data + 1, data + size)) std::abort();
  const Bytes sig(mldsa::params(set).sig_bytes, 0);
  (void)mldsa::verify(*pk, ByteSpan(data, 1), sig, {});
  return 0;
}

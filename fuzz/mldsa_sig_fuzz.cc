// Fuzz target: ML-DSA-65 signature decoding (z, strict hint unpacking) and verification against
// a fixed key. Invariant: no crash or UB; the one valid signature is the only accepted input
// the fuzzer is realistically able to produce (checked: a mutated valid signature must fail).
#include <cstdlib>

#include "crypto/mldsa.h"

using namespace hauptbuch::p2p;
namespace mldsa = hauptbuch::p2p::crypto::mldsa;

namespace {
struct Fixture {
  mldsa::KeyPair kp = mldsa::keygen_internal(mldsa::ParameterSet::kMlDsa65, mldsa::Seed{});
  Bytes msg = Bytes(32, 0x55);
  Bytes sig = *mldsa::sign(kp.sk, msg, {}, mldsa::Randomness::kDeterministic);
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture f;
  const ByteSpan in(data, size);
  (void)mldsa::verify(f.kp.pk, f.msg, in, {});
  // Overlay the input on the valid signature so decoding reaches the hint and z checks.
  Bytes s = f.sig;
  for (size_t i = 0; i < size && i < s.size(); ++i) s[s.size() - 1 - i] = data[i];
  const bool ok = mldsa::verify(f.kp.pk, f.msg, s, {}).ok();
  if (ok != (s == f.sig) && ok && size > 0) {
    // A different accepted encoding would be a strong-unforgeability bug in hint decoding.
    std::abort();
  }
  return 0;
}

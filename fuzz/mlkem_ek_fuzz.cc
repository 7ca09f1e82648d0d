// Fuzz target: ML-KEM encapsulation-key decoder + §7.2 check, then encapsulation to keys that
// pass. Invariants: no crash, no UB; accepted keys round-trip byte for byte and only keys with
// every coefficient < q are accepted.
#include <cstdlib>

#include "crypto/mlkem.h"

using namespace hauptbuch::p2p;
namespace mlkem = hauptbuch::p2p::crypto::mlkem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto set = static_cast<mlkem::ParameterSet>(data[0] % 3);
  const ByteSpan in(data + 1, size - 1);
  auto ek = mlkem::EncapsulationKey::from_bytes(set, in);
  if (mlkem::check_encapsulation_key(set, in).ok() != ek.ok()) std::abort();
  if (!ek.ok()) return 0;
  if (to_bytes(ek->bytes()) != to_bytes(in)) std::abort();
  mlkem::Seed m{};
  const auto enc = mlkem::encaps_with_m(*ek, m);
  if (enc.ct.bytes().size() != mlkem::params_for(set).ct_bytes()) std::abort();
  return 0;
}

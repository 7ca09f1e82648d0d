// Constant-time check for ML-KEM under valgrind memcheck: the secret inputs (d, z for keygen;
// the dk_PKE part and z of dk for decaps) are marked undefined, so any branch or memory index
// that depends on them is reported. Outputs that are public by design (ek, the returned key after
// the run) are marked defined before they are compared. See docs/crypto/constant-time.md.
#include <valgrind/memcheck.h>

#include <cstdio>

#include "crypto/mlkem.h"

using namespace hauptbuch::p2p;
namespace mlkem = hauptbuch::p2p::crypto::mlkem;

int main() {
  for (auto set : {mlkem::ParameterSet::kMlKem512, mlkem::ParameterSet::kMlKem768,
                   mlkem::ParameterSet::kMlKem1024}) {
    const auto p = mlkem::params_for(set);
    mlkem::Seed d{}, z{};
    d.fill(0x11);
    z.fill(0x22);
    VALGRIND_MAKE_MEM_UNDEFINED(d.data(), d.size());
    VALGRIND_MAKE_MEM_UNDEFINED(z.data(), z.size());
    auto kp = mlkem::keygen_from_seed(set, d, z);
    // Public by design: ek (also embedded in dk) and H(ek).
    VALGRIND_MAKE_MEM_DEFINED(kp.ek.bytes().data(), kp.ek.bytes().size());
    Bytes dk = to_bytes(kp.dk.bytes());
    VALGRIND_MAKE_MEM_DEFINED(dk.data() + p.dk_pke_bytes(), p.ek_bytes() + 32);
    VALGRIND_MAKE_MEM_DEFINED(dk.data() + p.dk_bytes() - 32, 32);
    auto dkey = mlkem::DecapsulationKey::from_bytes(set, dk);
    if (!dkey.ok()) return 2;
    mlkem::Seed m{};
    m.fill(0x33);
    VALGRIND_MAKE_MEM_UNDEFINED(m.data(), m.size());
    auto enc = mlkem::encaps_with_m(kp.ek, m);
    VALGRIND_MAKE_MEM_DEFINED(enc.ct.bytes().data(), enc.ct.bytes().size());
    // Secret parts of dk: dk_PKE and z.
    Bytes secret_dk = dk;
    VALGRIND_MAKE_MEM_UNDEFINED(secret_dk.data(), p.dk_pke_bytes());
    VALGRIND_MAKE_MEM_UNDEFINED(secret_dk.data() + p.dk_bytes() - 32, 32);
    auto sdk = mlkem::DecapsulationKey::from_bytes(set, secret_dk);  // hash check uses public parts
    if (!sdk.ok()) return 3;
    Bytes bad = to_bytes(enc.ct.bytes());
    bad[7] ^= 1;
    for (const Bytes& c : {to_bytes(enc.ct.bytes()), bad}) {
      auto ct = mlkem::Ciphertext::from_bytes(set, c);
      if (!ct.ok()) return 4;
      auto ss = mlkem::decaps(*sdk, *ct);
      if (!ss.ok()) return 5;
      auto k = ss.value();
      VALGRIND_MAKE_MEM_DEFINED(k.data(), k.size());
      VALGRIND_MAKE_MEM_DEFINED(enc.ss.data(), enc.ss.size());
      if ((k == enc.ss) != (&c != &bad && c != bad)) return 6;
    }
  }
  std::puts("mlkem ct check done");
  return 0;
}

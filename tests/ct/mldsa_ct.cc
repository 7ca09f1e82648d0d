// Constant-time check for ML-DSA signing under valgrind memcheck: the secret parts of the key
// (K, s1, s2, t0) and rnd are marked undefined, so any branch or memory index that depends on
// them is reported as "Conditional jump or move depends on uninitialised value(s)" / "Use of
// uninitialised value". The library must be compiled with -DHBP2P_CT_VALGRIND so that the values
// FIPS 204 allows to leak (each rejection decision, c~, and the accepted signature) are marked
// defined at exactly those points (HBP2P_DECLASSIFY in src/crypto/mldsa.cc).
// Run: valgrind --error-exitcode=1 ./mldsa_ct   (exit 0 = no secret-dependent branch found)
#include <valgrind/memcheck.h>

#include <cstdio>

#include "crypto/mldsa.h"

using namespace hauptbuch::p2p;
namespace mldsa = hauptbuch::p2p::crypto::mldsa;

int main() {
  for (auto set : {mldsa::ParameterSet::kMlDsa44, mldsa::ParameterSet::kMlDsa65, mldsa::ParameterSet::kMlDsa87}) {
    const auto& p = mldsa::params(set);
    mldsa::Seed xi{};
    xi[0] = 1;
    const auto kp = mldsa::keygen_internal(set, xi);
    // rho (bytes 0..31) and tr (64..127) are public (they are or derive from the public key).
    auto sk = mldsa::SecretKey::from_bytes(set, kp.sk.bytes());
    if (!sk.ok()) return 2;
    auto* raw = const_cast<uint8_t*>(sk->bytes().data());
    VALGRIND_MAKE_MEM_UNDEFINED(raw + 32, 32);
    VALGRIND_MAKE_MEM_UNDEFINED(raw + 128, p.sk_bytes - 128);
    for (int i = 0; i < 3; ++i) {
      mldsa::Seed rnd{};
      rnd[0] = static_cast<uint8_t>(i);
      VALGRIND_MAKE_MEM_UNDEFINED(rnd.data(), rnd.size());
      const uint8_t msg[3] = {1, 2, static_cast<uint8_t>(i)};
      const Bytes sig = mldsa::sign_internal(*sk, ByteSpan(msg, 3), rnd);
      VALGRIND_MAKE_MEM_DEFINED(sig.data(), sig.size());
      if (!mldsa::verify_internal(kp.pk, ByteSpan(msg, 3), sig)) return 3;
    }
    std::printf("%s: signed 3 messages\n", p.name);
  }
  return 0;
}

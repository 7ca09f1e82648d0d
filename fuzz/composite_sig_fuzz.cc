// Fuzz target: composite ML-DSA-65 + Ed25519 decoders and verification (src/crypto/composite_sig.h)
// on arbitrary bytes. The first byte picks the mode:
//   0: PublicKey::from_bytes (accepts exactly 1984 bytes), then verify a fixed signature under it;
//   1: XOR the input into the Ed25519 half of a fixed valid signature and verify it;
//   2: verify the input itself as a signature of a fixed message under a fixed key;
//   3: message_representative with an input-chosen context, PrivateKey::from_bytes length check.
// Every mode is cheap (length checks; Ed25519 is checked first and rejects), so the 20,000-run
// smoke test stays short. Tampering with the ML-DSA-65 half (a full ML-DSA verification, ~50 ms
// under ASan) is left to the unit tests and to fuzz_mldsa_sig, which fuzzes ML-DSA decoding.
// Invariants: no crash or UB; decoders accept exactly the right lengths; a signature that
// verifies is byte-identical to the one the signer produced (both components are strongly
// unforgeable: FIPS 204 ML-DSA, and libsodium's Ed25519 rejects non-canonical S).
#include <algorithm>
#include <cstdlib>

#include "crypto/composite_sig.h"

using namespace hauptbuch::p2p;
namespace cs = crypto::composite;

namespace {

struct Fixed {
  cs::PrivateKey sk;
  Bytes msg;
  Bytes sig;
};

const Fixed& fixed() {
  static const Fixed f = [] {
    cs::Seed a{};
    cs::Seed b{};
    a[0] = 1;
    b[0] = 2;
    Fixed x{cs::keygen_from_seeds(a, b), Bytes{'f', 'u', 'z', 'z'}, {}};
    x.sig = cs::sign(x.sk, x.msg, {}, crypto::mldsa::Randomness::kDeterministic).value();
    return x;
  }();
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Fixed& f = fixed();
  const uint8_t mode = data[0] % 4;
  const ByteSpan in(data + 1, size - 1);
  switch (mode) {
    case 0: {
      auto pk = cs::PublicKey::from_bytes(in);
      if (pk.ok() != (in.size() == cs::kPublicKeyBytes)) std::abort();
      if (pk.ok()) {
        const bool same = std::equal(in.begin(), in.end(), f.sk.public_key().bytes().begin());
        if (cs::verify(*pk, f.msg, f.sig, {}).ok() != same) std::abort();
      }
      break;
    }
    case 1: {
      if (in.size() < 1) break;
      const size_t offset = cs::kMlDsaSignatureBytes + in[0] % cs::kEd25519SignatureBytes;
      Bytes sig = f.sig;
      const ByteSpan mask = in.subspan(1);
      for (size_t i = 0; i < mask.size() && offset + i < sig.size(); ++i) sig[offset + i] ^= mask[i];
      if (sig == f.sig) break;  // nothing changed: the invariant below says nothing
      if (cs::verify(f.sk.public_key(), f.msg, sig, {}).ok()) std::abort();
      break;
    }
    case 2: {
      const bool ok = cs::verify(f.sk.public_key(), f.msg, in, {}).ok();
      if (ok && !std::equal(in.begin(), in.end(), f.sig.begin(), f.sig.end())) std::abort();
      break;
    }
    default: {
      const size_t ctx_len = in.empty() ? 0 : std::min<size_t>(in.size() - 1, in[0] * 2u);
      const ByteSpan ctx = in.empty() ? ByteSpan{} : in.subspan(1, ctx_len);
      auto m = cs::message_representative(in, ctx);
      if (m.ok() != (ctx.size() <= cs::kMaxContextBytes)) std::abort();
      if (m.ok() && m->size() != 32 + 30 + 1 + ctx.size() + 64) std::abort();
      // Only wrong lengths here: a 64-byte input would run ML-DSA-65 key generation (~20 ms
      // under ASan) on every mutation; the valid path is covered by the unit tests.
      if (in.size() != cs::kPrivateKeyBytes && cs::PrivateKey::from_bytes(in).ok()) std::abort();
      break;
    }
  }
  return 0;
}

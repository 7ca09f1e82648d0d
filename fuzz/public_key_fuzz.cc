// Fuzz target: PublicKey::from_protobuf and PrivateKey::from_protobuf on arbitrary bytes, for
// every supported key type (Ed25519 and the hybrid ML-DSA-65 + Ed25519, KeyType 0x4842). The
// seed corpus has Ed25519 keys and a hybrid public key; no hybrid private key, because decoding
// one runs ML-DSA-65 key generation (~20 ms under ASan) on every mutation, far too slow for the
// 20,000-run smoke test. Invariants: no crash or UB; whatever decodes re-encodes to
// exactly the input bytes; the PeerId of a decoded key matches it and is inlined (identity
// multihash) iff the encoding is at most 42 bytes; a decoded private key's public key
// verifies its own signature.
#include <algorithm>
#include <cstdlib>

#include "crypto/identity.h"
#include "peer/peer_id.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);
  if (auto pk = PublicKey::from_protobuf(in); pk.ok()) {
    const Bytes re = pk->to_protobuf();
    if (!std::equal(re.begin(), re.end(), in.begin(), in.end())) std::abort();
    const PeerId id = PeerId::from_public_key(*pk);
    if (!id.matches(*pk)) std::abort();
    if (id.extract_public_key().has_value() != (size <= kMaxInlineKeyLength)) std::abort();
    // A signature of the right length made of input bytes never verifies a fixed message
    // (cheap: the hybrid verifier rejects on the Ed25519 half first).
    const size_t sig_len = pk->type() == KeyType::HybridMlDsa65Ed25519 ? kHybridSignatureSize
                                                                       : kEd25519SignatureSize;
    Bytes sig(sig_len);
    for (size_t i = 0; i < sig_len; ++i) sig[i] = data[i % size];
    static const Bytes msg = {'f', 'u', 'z', 'z'};
    (void)pk->verify(msg, sig);
  }
  if (auto sk = PrivateKey::from_protobuf(in); sk.ok()) {
    Bytes re = sk->to_protobuf();
    if (!std::equal(re.begin(), re.end(), in.begin(), in.end())) std::abort();
    secure_wipe(re);
    if (sk->type() == KeyType::Ed25519) {
      // Hybrid signing costs a full ML-DSA-65 signature (~100 ms under ASan): Ed25519 only.
      static const Bytes msg = {'s'};
      if (!sk->public_key().verify(msg, sk->sign(msg))) std::abort();
    }
  }
  return 0;
}

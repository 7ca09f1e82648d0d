// Fuzz target: PublicKey::from_protobuf and PrivateKey::from_protobuf on arbitrary bytes.
// Invariants: no crash or UB; whatever decodes re-encodes to exactly the input bytes.
#include <algorithm>
#include <cstdlib>

#include "crypto/identity.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);
  if (auto pk = PublicKey::from_protobuf(in); pk.ok()) {
    const Bytes re = pk->to_protobuf();
    if (!std::equal(re.begin(), re.end(), in.begin(), in.end())) std::abort();
  }
  if (auto sk = PrivateKey::from_protobuf(in); sk.ok()) {
    Bytes re = sk->to_protobuf();
    if (!std::equal(re.begin(), re.end(), in.begin(), in.end())) std::abort();
    secure_wipe(re);
  }
  return 0;
}

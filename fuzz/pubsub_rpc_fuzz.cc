// Fuzz target: pubsub RPC decoder (src/protocols/gossipsub/rpc_codec.h) and message validation.
// Invariants: no crash; a decoded RPC re-encodes and decodes to the same value.
#include <cstdlib>

#include "protocols/gossipsub/message_auth.h"
#include "protocols/gossipsub/rpc_codec.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::gossipsub;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto rpc = decode_rpc(ByteSpan(data, size));
  if (!rpc.ok()) return 0;
  for (const auto& m : rpc->publish) {
    (void)validate_message(m, SignaturePolicy::StrictSign);
    (void)validate_message(m, SignaturePolicy::StrictNoSign);
    (void)content_message_id(m);
  }
  auto again = decode_rpc(encode_rpc(*rpc));
  if (!again.ok() || !(*again == *rpc)) std::abort();
  return 0;
}

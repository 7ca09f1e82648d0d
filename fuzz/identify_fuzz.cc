// Fuzz target: the identify message decoder. Invariants: no crash; decoded data re-encodes.
#include "protocols/identify/identify.h"

using namespace hauptbuch::p2p;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto info = identify::decode_identify(ByteSpan(data, size), std::nullopt);
  if (info.ok()) (void)identify::encode_identify(*info);
  return 0;
}

// Fuzz target: the cross-chain envelope and ack decoders on arbitrary bytes. Accepted input
// must re-encode to exactly the same bytes (strict, canonical codec). In the fuzzing build the
// id check still runs, so the fuzzer mostly explores the field parsing before it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "protocols/relay/envelope.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::relay;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);
  if (auto e = decode_envelope(in); e.ok()) {
    auto again = encode_envelope(*e);
    if (!again.ok() || *again != Bytes(in.begin(), in.end())) std::abort();
  }
  if (auto a = decode_ack(in); a.ok()) {
    if (encode_ack(*a) != Bytes(in.begin(), in.end())) std::abort();
  }
  return 0;
}

// Fuzz target: multistream-select initiator and responder fed arbitrary bytes in arbitrary
// chunks. Invariants: no crash; a finished negotiation selected a protocol from the list.
#include <cstdlib>

#include "negotiate/multistream.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::negotiate;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 16;
  ByteSpan in(data + 1, size - 1);
  Responder r(std::vector<std::string>{"/noise", "/yamux/1.0.0"});
  (void)r.start();
  Initiator i({"/hauptbuch/pq-noise/1.0.0", "/noise"});
  (void)i.start();
  for (size_t off = 0; off < in.size(); off += chunk) {
    ByteSpan part = in.subspan(off, std::min(chunk, in.size() - off));
    (void)r.feed(part);
    (void)i.feed(part);
    (void)r.take_output();
    (void)i.take_output();
  }
  if (r.done() && r.selected() != "/noise" && r.selected() != "/yamux/1.0.0") std::abort();
  if (i.done() && i.selected() != "/noise" && i.selected() != "/hauptbuch/pq-noise/1.0.0") std::abort();
  return 0;
}

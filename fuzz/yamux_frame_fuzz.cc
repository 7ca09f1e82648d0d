// Fuzz target: the yamux frame header codec (src/mux/yamux_frame.h) on arbitrary bytes.
// Invariants: decode never reads past the 12 bytes and never crashes; a header it accepts has
// version 0 and a known type, and re-encodes to exactly the same 12 bytes.
#include <cstdlib>
#include <cstring>

#include "mux/yamux_frame.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::mux;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (size_t off = 0; off + kYamuxHeaderSize <= size; off += kYamuxHeaderSize) {
    const ByteSpan in(data + off, kYamuxHeaderSize);
    auto h = decode_header(in);
    if (!h.ok()) {
      if (in[0] == kYamuxVersion && in[1] <= 3) std::abort();  // a valid header was refused
      continue;
    }
    if (in[0] != kYamuxVersion || in[1] > 3) std::abort();  // an invalid header was accepted
    Bytes again;
    append_header(again, *h);
    if (again.size() != kYamuxHeaderSize || std::memcmp(again.data(), in.data(), kYamuxHeaderSize) != 0)
      std::abort();
  }
  return 0;
}

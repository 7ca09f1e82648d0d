// Fuzz target: varint decoding, ByteReader prefixed fields and the frame decoder.
// Invariants: no crash or out-of-bounds read; whatever decodes re-encodes to the same bytes.
#include <cstdlib>

#include "util/byte_reader.h"
#include "util/length_prefixed.h"
#include "util/varint.h"

using namespace hauptbuch::p2p;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteSpan in(data, size);
  auto d = varint::decode(in);
  if (d.status == varint::DecodeStatus::Ok) {
    Bytes re;
    varint::append(re, d.value);
    if (re.size() != d.length || !std::equal(re.begin(), re.end(), data)) std::abort();
  }
  ByteReader r(in);
  ByteSpan field;
  while (r.read_uvarint_prefixed(field, 64)) {
  }
  FrameDecoder dec(128);
  for (size_t off = 0; off < size; off += 7) {
    if (!dec.push(in.subspan(off, std::min<size_t>(7, size - off))).ok()) break;
    for (int i = 0; i < 1000; ++i) {
      auto f = dec.next();
      if (!f.ok() || !f->has_value()) break;
      if ((*f)->size() > 128) std::abort();
    }
  }
  return 0;
}

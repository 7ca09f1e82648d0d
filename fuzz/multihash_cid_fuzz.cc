// Fuzz target: multihash reading from a cursor, CID binary and text parsing.
// Invariants: no crash, no UB, no out-of-bounds read; a failed read leaves the cursor where it
// was; a multihash or CID that parses re-encodes to exactly the input bytes; CID text that
// parses prints canonically to text that parses to the same CID.
#include <algorithm>
#include <cstdlib>
#include <string>

#include "util/byte_reader.h"
#include "util/cid.h"
#include "util/multihash.h"

using namespace hauptbuch::p2p;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

bool same(const Bytes& a, ByteSpan b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);

  // A sequence of multihashes read from one cursor.
  ByteReader r(in);
  while (!r.empty()) {
    const size_t before = r.remaining();
    const ByteSpan at = r.rest();
    auto mh = Multihash::read(r);
    if (!mh.ok()) {
      require(r.remaining() == before);
      break;
    }
    require(mh->digest.size() <= Multihash::kMaxDigestSize);
    require(same(mh->encode(), at.first(before - r.remaining())));
  }

  if (auto mh = Multihash::parse(in); mh.ok()) require(same(mh->encode(), in));

  if (auto c = Cid::from_bytes(in); c.ok()) {
    require(c->version <= 1);
    require(same(c->to_bytes(), in));
    auto t = Cid::parse(c->to_string());
    require(t.ok() && *t == *c);
  }

  if (auto c = Cid::parse(as_string_view(in)); c.ok()) {
    const std::string text = c->to_string();
    auto again = Cid::parse(text);
    require(again.ok() && *again == *c && again->to_string() == text);
    auto bin = Cid::from_bytes(c->to_bytes());
    require(bin.ok() && *bin == *c);
  }
  return 0;
}

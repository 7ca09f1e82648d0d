// Fuzz target: PeerId::from_bytes on binary input and PeerId::parse on the same bytes as text.
// Invariants: no crash or UB; an accepted PeerId keeps its bytes and round-trips through both
// text forms (base58btc and CIDv1).
#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "peer/peer_id.h"

using namespace hauptbuch::p2p;

namespace {
void check_round_trip(const PeerId& id) {
  auto b58 = PeerId::parse(id.to_base58());
  if (!b58.ok() || !(*b58 == id)) std::abort();
  auto cid = PeerId::parse(id.to_cid_string());
  if (!cid.ok() || !(*cid == id)) std::abort();
  (void)id.extract_public_key();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);
  if (auto id = PeerId::from_bytes(in); id.ok()) {
    const Bytes& b = id->bytes();
    if (!std::equal(b.begin(), b.end(), in.begin(), in.end())) std::abort();
    check_round_trip(*id);
  }
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto id = PeerId::parse(text); id.ok()) check_round_trip(*id);
  return 0;
}

// Fuzz target: the address-store loader (src/peer/addr_store.h) fed arbitrary database images.
// Invariants: no crash, no unbounded allocation; whatever loads restores into an AddrMan.
#include <chrono>

#include "peer/addr_store.h"

using namespace hauptbuch::p2p;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 20)) return 0;  // images larger than 1 MiB add nothing but time
  auto store = peer::AddrStore::from_image(ByteSpan(data, size));
  if (!store.ok()) return 0;
  const Time now = Time{} + std::chrono::hours(100);
  auto snap = (*store)->load(now, peer::WallTime{} + std::chrono::hours(24 * 365 * 50));
  if (!snap.ok()) return 0;
  peer::AddrMan am(snap->secret);
  for (const auto& a : snap->addrs) (void)am.restore(a);
  return 0;
}

// Fuzz target: the kad-dht message codec (src/protocols/kad/kad_message.h) and the server handler
// fed whatever decodes. Invariants: no crash, no UB, no unbounded allocation; every accepted
// message re-encodes to bytes that decode to the same message; the handler answers or refuses
// without crashing and its response fits kMaxKadMessageBytes.
#include <cstdlib>

#include "crypto/identity.h"
#include "protocols/kad/kad_handler.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::kad;

namespace {
PeerId fixed_peer(uint8_t b) { return PeerId::from_public_key(crypto::PublicKey::ed25519(Bytes(32, b))); }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = decode(ByteSpan(data, size));
  if (!m.ok()) return 0;
  auto again = decode(encode(*m));
  if (!again.ok() || !(*again == *m)) std::abort();
  static const Time t0 = Time{} + std::chrono::hours(1);
  static RoutingTable table(fixed_peer(1), {}, t0);
  static ProviderStore providers;
  static RecordStore records;
  static KadHandler handler(table, providers, records);
  for (const auto& p : m->closer_peers) table.on_peer_seen(p.id, p.addrs, true, t0);
  auto r = handler.handle(*m, fixed_peer(2), t0);
  if (r.ok() && r->has_value() && !encoded_size_ok(**r)) std::abort();
  providers.expire(t0 + std::chrono::hours(49));
  records.expire(t0 + std::chrono::hours(49));
  return 0;
}

// Iterative Kademlia lookup (see lookup.h). STUB: filled in next.
#include "protocols/kad/lookup.h"

namespace hauptbuch::p2p::kad {

Lookup::Lookup(LookupKind kind, PeerId self, LookupConfig cfg) : kind_(kind), self_(std::move(self)), cfg_(std::move(cfg)) {}
std::vector<OutboundRequest> Lookup::start(Bytes target, std::vector<KadPeer>, Time) {
  target_ = std::move(target);
  target_key_ = key_of_bytes(target_);
  started_ = true;
  done_ = true;
  return {};
}
std::vector<OutboundRequest> Lookup::on_response(const PeerId&, const KadMessage&, Time) { return {}; }
std::vector<OutboundRequest> Lookup::on_failure(const PeerId&, Time) { return {}; }
std::optional<Time> Lookup::next_deadline() const { return std::nullopt; }
std::vector<OutboundRequest> Lookup::tick(Time) { return {}; }
size_t Lookup::in_flight() const noexcept { return 0; }

}  // namespace hauptbuch::p2p::kad

// Kademlia routing table (see routing_table.h). STUB: filled in next.
#include "protocols/kad/routing_table.h"

namespace hauptbuch::p2p::kad {

RoutingTable::RoutingTable(PeerId self, RoutingTableConfig cfg, Time now)
    : self_(std::move(self)), self_key_(key_of_peer(self_)), cfg_(cfg) {
  for (auto& b : buckets_) b.last_refresh = now;
}
InsertResult RoutingTable::on_peer_seen(const PeerId&, std::vector<Multiaddr>, bool, Time) { return {}; }
void RoutingTable::on_ping_result(const PeerId&, bool, Time) {}
void RoutingTable::remove(const PeerId&) {}
std::vector<RoutingEntry> RoutingTable::closest(const KadKey&, size_t) const { return {}; }
const RoutingEntry* RoutingTable::find(const PeerId&) const { return nullptr; }
std::vector<RoutingEntry> RoutingTable::all() const { return {}; }
void RoutingTable::mark_refreshed(const KadKey&, Time) {}
Time RoutingTable::next_deadline() const { return Time::max(); }
std::vector<KadKey> RoutingTable::tick(Time, RandomSource&) { return {}; }
void RoutingTable::promote_replacement(Bucket&, Time) {}

}  // namespace hauptbuch::p2p::kad

// kad-dht server handler (see kad_handler.h). STUB: filled in next.
#include "protocols/kad/kad_handler.h"

namespace hauptbuch::p2p::kad {

KadHandler::KadHandler(RoutingTable& table, ProviderStore& providers, RecordStore& records, KadHandlerConfig cfg)
    : table_(table), providers_(providers), records_(records), cfg_(std::move(cfg)) {}
Result<std::optional<KadMessage>> KadHandler::handle(const KadMessage&, const PeerId&, Time) {
  return Error(P2PNetworkError::Unsupported, "kad: not implemented yet");
}
std::vector<KadPeer> KadHandler::closer_peers(const KadKey&, const PeerId&) const { return {}; }

}  // namespace hauptbuch::p2p::kad

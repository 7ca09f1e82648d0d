// Provider records (see provider_store.h). STUB: filled in next.
#include "protocols/kad/provider_store.h"

namespace hauptbuch::p2p::kad {

Status ProviderStore::add(ByteSpan, const KadPeer&, Time) { return Error(P2PNetworkError::Unsupported, "kad: not implemented yet"); }
std::vector<KadPeer> ProviderStore::get(ByteSpan, Time, size_t) const { return {}; }
size_t ProviderStore::expire(Time) { return 0; }
std::optional<Time> ProviderStore::next_expiry() const { return std::nullopt; }

}  // namespace hauptbuch::p2p::kad

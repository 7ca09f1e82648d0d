// kad-dht server handler (see kad_handler.h).
#include "protocols/kad/kad_handler.h"

namespace hauptbuch::p2p::kad {

KadHandler::KadHandler(RoutingTable& table, ProviderStore& providers, RecordStore& records, KadHandlerConfig cfg)
    : table_(table), providers_(providers), records_(records), cfg_(std::move(cfg)) {}

std::vector<KadPeer> KadHandler::closer_peers(const KadKey& key, const PeerId& exclude) const {
  std::vector<KadPeer> out;
  for (auto& e : table_.closest(key, cfg_.k + 1)) {
    if (e.id == exclude || out.size() >= cfg_.k) continue;
    const ConnectionType c = cfg_.connection_of ? cfg_.connection_of(e.id) : ConnectionType::NotConnected;
    out.push_back(KadPeer{std::move(e.id), std::move(e.addrs), c});
  }
  return out;
}

Result<std::optional<KadMessage>> KadHandler::handle(const KadMessage& req, const PeerId& from, Time now) {
  KadMessage resp;
  resp.type = req.type;
  resp.cluster_level_raw = req.cluster_level_raw;
  if (req.type == MessageType::Ping) return std::optional<KadMessage>(std::move(resp));
  if (req.key.empty()) return Error(P2PNetworkError::InvalidMessage, "kad request: missing key");
  resp.key = req.key;
  const KadKey target = key_of_bytes(req.key);
  switch (req.type) {
    case MessageType::FindNode:
      resp.closer_peers = closer_peers(target, from);
      break;
    case MessageType::GetProviders:
      resp.provider_peers = providers_.get(req.key, now, cfg_.k);
      resp.closer_peers = closer_peers(target, from);
      break;
    case MessageType::AddProvider: {
      bool any = false;
      for (const auto& p : req.provider_peers) {
        if (p.id != from) continue;  // nobody may announce someone else
        HBP2P_TRY(providers_.add(req.key, p, now));
        any = true;
      }
      if (!any) return Error(P2PNetworkError::SecurityValidationFailed, "kad ADD_PROVIDER: no provider entry for the sender");
      return std::optional<KadMessage>();
    }
    case MessageType::GetValue:
      if (auto rec = records_.get(req.key, now)) resp.record = std::move(*rec);
      resp.closer_peers = closer_peers(target, from);
      break;
    case MessageType::PutValue: {
      if (!req.record) return Error(P2PNetworkError::InvalidMessage, "kad PUT_VALUE: missing record");
      if (req.record->key != req.key) return Error(P2PNetworkError::InvalidMessage, "kad PUT_VALUE: record key differs from key");
      HBP2P_TRY(records_.put(*req.record, now));
      return std::optional<KadMessage>(req);  // spec: the request is echoed back
    }
    case MessageType::Ping:
      break;
  }
  return std::optional<KadMessage>(std::move(resp));
}

}  // namespace hauptbuch::p2p::kad

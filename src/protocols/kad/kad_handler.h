// Server side of kad-dht: given one decoded request from a peer, the local routing table and the
// stores, produce the response (spec "RPC messages"): FIND_NODE -> closerPeers; GET_PROVIDERS ->
// providerPeers + closerPeers; ADD_PROVIDER -> stores the providerPeers entries whose id is the
// sender (no response); PUT_VALUE -> validates, stores, echoes the request; GET_VALUE -> record +
// closerPeers; PING -> PING. Closer peers never include the requester.
// Sans-I/O; must never trust a provider record for anyone but the sender. Not thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include "hauptbuch/p2p/result.h"
#include "peer/peer_id.h"
#include "protocols/kad/kad_message.h"
#include "protocols/kad/provider_store.h"
#include "protocols/kad/record_store.h"
#include "protocols/kad/routing_table.h"
#include "util/clock.h"

namespace hauptbuch::p2p::kad {

struct KadHandlerConfig {
  size_t k = 20;  // closer peers per response (spec: k)
  // Connection state reported for a peer in responses (nullptr: NotConnected for all).
  std::function<ConnectionType(const PeerId&)> connection_of;
};

class KadHandler {
 public:
  // The referenced table and stores must outlive the handler.
  KadHandler(RoutingTable& table, ProviderStore& providers, RecordStore& records, KadHandlerConfig cfg = {});

  // Handles `request` from `from`. Returns the response (nullopt: none, for ADD_PROVIDER) or an
  // error the driver answers by resetting the stream: InvalidMessage (missing/ill-sized key,
  // PUT_VALUE record key differs from the message key), SecurityValidationFailed (ADD_PROVIDER
  // with no provider entry for the sender), the record validator's error, ResourceLimitExceeded
  // (store full).
  Result<std::optional<KadMessage>> handle(const KadMessage& request, const PeerId& from, Time now);

  // The up-to-k peers of the table closest to `key` as wire peers, excluding `exclude`.
  std::vector<KadPeer> closer_peers(const KadKey& key, const PeerId& exclude) const;

 private:
  RoutingTable& table_;
  ProviderStore& providers_;
  RecordStore& records_;
  KadHandlerConfig cfg_;
};

}  // namespace hauptbuch::p2p::kad

// The pubsub RPC as plain C++ values (what travels in one length-prefixed frame on a
// /meshsub/1.x.0 or /floodsub/1.0.0 stream), independent of protobuf so the router core and its
// tests stay simple. Encoding/decoding with limits: rpc_codec.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/bytes.h"

namespace hauptbuch::p2p::gossipsub {

using MessageId = Bytes;

struct PubsubMessage {
  Bytes from;       // PeerId bytes of the author (empty under StrictNoSign)
  Bytes data;
  Bytes seqno;      // 8 bytes big-endian under StrictSign (empty under StrictNoSign)
  std::string topic;
  Bytes signature;  // over "libp2p-pubsub:" + encoding without signature and key
  Bytes key;        // author's public key, when the PeerId does not embed it
  friend bool operator==(const PubsubMessage&, const PubsubMessage&) = default;
};

struct SubOpt {
  bool subscribe = false;
  std::string topic;
  friend bool operator==(const SubOpt&, const SubOpt&) = default;
};

struct IHave {
  std::string topic;
  std::vector<MessageId> ids;
  friend bool operator==(const IHave&, const IHave&) = default;
};

struct PrunePeer {
  Bytes peer_id;
  Bytes signed_peer_record;
  friend bool operator==(const PrunePeer&, const PrunePeer&) = default;
};

struct Prune {
  std::string topic;
  std::vector<PrunePeer> peers;     // peer exchange (v1.1)
  std::optional<uint64_t> backoff_s;
  friend bool operator==(const Prune&, const Prune&) = default;
};

struct Rpc {
  std::vector<SubOpt> subscriptions;
  std::vector<PubsubMessage> publish;
  std::vector<IHave> ihave;
  std::vector<MessageId> iwant;      // all IWANT ids, flattened
  std::vector<std::string> graft;    // topics
  std::vector<Prune> prune;
  std::vector<MessageId> idontwant;  // all IDONTWANT ids, flattened (v1.2)
  bool empty() const {
    return subscriptions.empty() && publish.empty() && ihave.empty() && iwant.empty() &&
           graft.empty() && prune.empty() && idontwant.empty();
  }
  friend bool operator==(const Rpc&, const Rpc&) = default;
};

}  // namespace hauptbuch::p2p::gossipsub

// Encoding and hostile-input decoding of pubsub RPC frames (proto/pubsub.proto).
//
// decode_rpc checks the frame size before parsing (libprotobuf then parses within that bound)
// and every count and length afterwards against RpcLimits, so one frame can cost at most about
// `max_rpc_bytes` of memory. Errors: InvalidMessage with a detail naming the violated rule.
// Thread-safe (pure functions).
#pragma once

#include <cstddef>

#include "hauptbuch/p2p/result.h"
#include "protocols/gossipsub/rpc.h"

namespace hauptbuch::p2p::gossipsub {

struct RpcLimits {
  // Whole frame. go-libp2p and js-libp2p default to 1 MiB; blockchains raise it (Ethereum uses
  // 10 MiB) through config.
  size_t max_rpc_bytes = 1 << 20;
  size_t max_subscriptions = 1000;   // per frame
  size_t max_messages = 1000;        // published messages per frame
  size_t max_topic_length = 256;     // bytes
  size_t max_control_ids = 5000;     // IHAVE + IWANT + IDONTWANT ids per frame (go's max IHAVE length)
  size_t max_message_id_bytes = 128;
  size_t max_control_entries = 1000; // IHAVE/GRAFT/PRUNE entries per frame
  size_t max_prune_peers = 64;       // peer-exchange entries per PRUNE
  size_t max_signed_record_bytes = 4096;
};

Result<Rpc> decode_rpc(ByteSpan frame, const RpcLimits& limits = {});
Bytes encode_rpc(const Rpc& rpc);

// Protobuf encoding of a Message with only from, data, seqno and topic (fields 1-4, in order):
// the bytes that StrictSign signatures cover, after the "libp2p-pubsub:" prefix.
Bytes encode_message_for_signing(const PubsubMessage& m);

}  // namespace hauptbuch::p2p::gossipsub

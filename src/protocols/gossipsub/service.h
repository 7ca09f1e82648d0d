// GossipService: gossipsub (and floodsub) on a real Host — drives the sans-I/O Router over
// Host streams (spec: pubsub/README.md "The RPC", gossipsub-v1.0..v1.2).
//
// Wire behaviour: handlers for /meshsub/1.2.0, /meshsub/1.1.0, /meshsub/1.0.0 and
// /floodsub/1.0.0. When identify shows that a peer speaks one of them, or the peer opens a
// pubsub stream to us, we open ONE outbound stream to it (protocols in that preference order)
// and only write on it; we only read from the inbound stream the peer opened. Every RPC is one
// uvarint-length-prefixed protobuf frame bounded by RpcLimits::max_rpc_bytes.
// Per peer, one writer coroutine drains the Router's bounded per-peer queue (woken when the
// router queues something); per inbound stream, one reader decodes frames and hands them to
// the router. A heartbeat timer follows Router::next_heartbeat().
//
// Threading: everything runs on the Host's strand (host.executor()); call every method there.
// Nothing throws. Memory is bounded by the Router's per-peer queue bound, one inbound stream per
// peer and one frame in flight per stream. Destroying the service (on the strand, or after the
// io_context stopped) stops it: handlers are removed and its streams reset.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "node/host.h"
#include "protocols/gossipsub/params.h"
#include "protocols/gossipsub/router.h"
#include "protocols/gossipsub/rpc_codec.h"

namespace hauptbuch::p2p::gossipsub {

// A message delivered to the application (validated, first copy only).
struct ReceivedMessage {
  std::string topic;
  Bytes author;         // PeerId bytes of the author (empty under StrictNoSign)
  Bytes received_from;  // PeerId bytes of the neighbour it came from (empty: our own publication)
  MessageId id;
  Bytes data;
};

struct GossipServiceStats {
  RouterStats router;
  uint64_t rpcs_in = 0, rpcs_out = 0, bytes_in = 0, bytes_out = 0;
  uint64_t bad_frames = 0;       // undecodable or oversized inbound frames (the stream is reset)
  uint64_t oversize_frames_dropped = 0;  // outbound frames above the RPC limit (not sent)
  uint64_t streams_opened = 0, stream_open_failures = 0;
  size_t peers = 0;
};

class GossipService {
 public:
  // Calls `done` exactly once (later, or at once) with the verdict. May be called on any
  // thread; the verdict is applied on the strand. Verdicts for a stopped service are ignored.
  using ValidationDone = std::function<void(ValidationResult)>;
  using Validator = std::function<void(const ReceivedMessage&, ValidationDone done)>;
  using MessageCallback = std::function<void(const ReceivedMessage&)>;
  // Called with a peer that sent an undecodable or oversized RPC frame (its stream is reset).
  using BadFrameCallback = std::function<void(const PeerId&)>;

  // `signer` for StrictSign topics is the host's identity. Does not start anything.
  GossipService(node::Host& host, GossipsubConfig cfg = {}, RpcLimits limits = {});
  ~GossipService();
  GossipService(const GossipService&) = delete;
  GossipService& operator=(const GossipService&) = delete;

  // Registers the protocol handlers and the host event listener, adds peers that are already
  // connected and identified, and starts the heartbeat. Idempotent.
  void start();
  // Removes the handlers, resets all pubsub streams, stops timers. Idempotent.
  void stop();

  // Subscribes/unsubscribes (announced to every pubsub peer). Errors: InvalidMessage (empty or
  // over-long topic).
  Status subscribe(const std::string& topic);
  void unsubscribe(const std::string& topic);
  // Publishes; returns the number of peers the message was queued for. Errors as
  // Router::publish (InvalidMessage, SecurityValidationFailed, MessageRoutingFailed).
  Result<size_t> publish(const std::string& topic, Bytes data);

  // Application validator for `topic` (replaces an earlier one). Messages on topics without a
  // validator are accepted once their signature policy checks pass.
  void set_validator(const std::string& topic, Validator v);
  void set_message_callback(MessageCallback cb);
  void set_bad_frame_callback(BadFrameCallback cb);
  // On (the default): the StrictSign signatures of an RPC are verified as Ed25519 batches
  // (validate_signed_messages). Off: one at a time (validate_message). The verdicts are the
  // same; batches cost about a third per message. The node sets it from
  // P2PNetworkConfig::enable_security_optimization.
  void set_batch_signature_checks(bool on);

  GossipServiceStats stats() const;
  // The gossipsub score of every peer we have a gossip stream with (for metrics).
  std::vector<double> peer_scores() const;
  // Introspection for tests and status output.
  std::vector<PeerId> peers() const;
  std::vector<PeerId> mesh(const std::string& topic) const;
  const Router& router() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace hauptbuch::p2p::gossipsub

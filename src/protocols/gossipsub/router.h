// The gossipsub router core (specs: pubsub/gossipsub v1.0, v1.1, v1.2), sans-I/O.
//
// Inputs: peers coming and going (with the protocol they negotiated), decoded RPCs from peers,
// local publish/subscribe calls, validation verdicts, and heartbeats — each with `now`.
// Outputs: an RPC queue per peer (bounded, with priorities control > own publish > forward; a
// slow peer loses forwards first, never grows memory past its bound), messages delivered to the
// application, messages waiting for application validation, and peer-exchange candidates.
// The same core runs over real streams (node/) and in the virtual-time simulator (tests).
// Not thread-safe: one owner (one strand) drives it.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "crypto/identity.h"
#include "protocols/gossipsub/caches.h"
#include "protocols/gossipsub/params.h"
#include "protocols/gossipsub/score.h"
#include "util/random.h"

namespace hauptbuch::p2p::gossipsub {

using PeerKey = std::string;  // PeerId bytes

enum class PeerProtocol { Floodsub, Meshsub10, Meshsub11, Meshsub12 };
enum class ValidationResult { Accept, Reject, Ignore };

// Maps a negotiated protocol id to PeerProtocol; nullopt if not a pubsub protocol.
std::optional<PeerProtocol> peer_protocol_from_id(std::string_view id);

// A signature check done outside the router (see Router::handle_rpc).
enum class SignatureCheck : uint8_t { None, Valid, Invalid };

struct Delivery {
  MessageId id;
  PubsubMessage message;
  PeerKey received_from;  // empty for our own publications
};

struct PendingValidation {
  MessageId id;
  PubsubMessage message;
  PeerKey received_from;
};

struct RouterStats {
  uint64_t published = 0, delivered = 0, forwarded = 0, duplicates = 0, invalid = 0;
  uint64_t queue_drops = 0, validation_drops = 0, graylisted_rpcs = 0;
  uint64_t ihave_sent = 0, iwant_sent = 0, idontwant_sent = 0;
};

class Router {
 public:
  // `signer` (may be null) signs StrictSign publications and must outlive the router.
  Router(GossipsubConfig cfg, PeerKey self, const crypto::PrivateKey* signer, RandomSource& rng);

  void add_peer(const PeerKey& peer, PeerProtocol proto, bool outbound, const std::string& ip, Time now);
  void remove_peer(const PeerKey& peer);
  // An RPC from `peer` (already decoded with limits). Never fails: bad parts are dropped and
  // scored. `checked[i]`, when given and not None, is the outcome of
  // validate_message(rpc.publish[i], StrictSign) computed beforehand (on worker threads), so
  // the router does not check that signature again.
  void handle_rpc(const PeerKey& peer, Rpc rpc, Time now, const std::vector<SignatureCheck>& checked = {});
  // Whether handle_rpc would check this message's signature: a StrictSign topic and an id not
  // seen yet (duplicates are dropped before any check).
  bool needs_signature_check(const PubsubMessage& msg) const;

  void subscribe(const std::string& topic, Time now);
  void unsubscribe(const std::string& topic, Time now);
  bool subscribed(const std::string& topic) const { return my_topics_.count(topic) != 0; }
  // Publishes `data` on `topic`; returns the number of peers it was queued for. Errors:
  // InvalidMessage (bad topic), SecurityValidationFailed (StrictSign topic but no signer),
  // MessageRoutingFailed (duplicate of a recent message).
  Result<size_t> publish(const std::string& topic, Bytes data, Time now);

  // When set, received messages wait in take_validations() for report_validation().
  void set_async_validation(bool on) { async_validation_ = on; }
  void report_validation(const MessageId& id, ValidationResult r, Time now);

  void heartbeat(Time now);
  Time next_heartbeat() const { return next_heartbeat_; }

  // Output side.
  std::vector<PeerKey> peers_with_output() const;
  // Everything queued for `peer` as one RPC (nullopt if nothing).
  std::optional<Rpc> take_rpc(const PeerKey& peer);
  std::vector<Delivery> take_deliveries() { return std::exchange(deliveries_, {}); }
  std::vector<PendingValidation> take_validations() { return std::exchange(validations_out_, {}); }
  std::vector<PrunePeer> take_px_candidates() { return std::exchange(px_out_, {}); }

  // Introspection.
  double score(const PeerKey& peer, Time now) const { return scores_.score(peer, now); }
  std::vector<PeerKey> mesh(const std::string& topic) const;
  std::vector<PeerKey> topic_peers(const std::string& topic) const;
  const RouterStats& stats() const { return stats_; }
  size_t queued_bytes(const PeerKey& peer) const;
  size_t cached_messages() const { return mcache_.size(); }
  size_t cached_bytes() const { return mcache_.bytes(); }
  size_t pending_validations() const { return pending_validation_.size(); }

 private:
  struct PeerState {
    PeerProtocol proto;
    bool outbound = false;
    std::set<std::string> topics;
    // Send queue, by priority.
    Rpc control;                                  // merged control + subscriptions
    std::deque<PubsubMessage> own, forward;
    size_t queued_bytes = 0;
    // Per-heartbeat counters.
    size_t ihave_received = 0, iwant_asked = 0, iwant_received = 0;
    // IDONTWANT ids from this peer (v1.2), bounded, FIFO.
    std::deque<std::string> dont_want_order;
    std::set<std::string, std::less<>> dont_want;  // transparent: looked up by id_view
  };
  struct Promise {  // IWANT we sent: the peer must deliver before `deadline`
    PeerKey peer;
    Time deadline;
  };
  struct Pending {
    PubsubMessage msg;
    PeerKey from;
  };

  SignaturePolicy policy(const std::string& topic) const { return cfg_.policy_for(topic); }
  bool is_meshsub(const PeerState& p) const { return p.proto != PeerProtocol::Floodsub; }
  void accept_message(const MessageId& id, PubsubMessage msg, const PeerKey& from, Time now);
  void forward(const MessageId& id, const PubsubMessage& msg, const PeerKey& from, Time now);
  void enqueue_message(const PeerKey& to, const PubsubMessage& msg, bool own);
  void enqueue_subscription(const PeerKey& to, const std::string& topic, bool sub);
  void graft_peer(const std::string& topic, const PeerKey& peer, Time now, bool send);
  void prune_peer(const std::string& topic, const PeerKey& peer, Time now, Duration backoff, bool send);
  void handle_control(const PeerKey& from, PeerState& ps, Rpc& rpc, Time now);
  bool in_backoff(const std::string& topic, const PeerKey& peer, Time now) const;
  std::vector<PeerKey> pick(const std::vector<PeerKey>& from, size_t n);
  std::vector<PrunePeer> px_for(const std::string& topic, const PeerKey& exclude, Time now);
  void emit_gossip(Time now);
  void maintain_mesh(const std::string& topic, Time now);
  bool add_dont_want(PeerState& ps, const MessageId& id);

  GossipsubConfig cfg_;
  PeerKey self_;
  const crypto::PrivateKey* signer_;
  RandomSource& rng_;
  uint64_t seqno_;

  std::unordered_map<PeerKey, PeerState> peers_;
  std::map<std::string, std::set<PeerKey>> topic_peers_;
  std::set<std::string> my_topics_;
  std::map<std::string, std::set<PeerKey>> mesh_;
  std::map<std::string, std::set<PeerKey>> fanout_;
  std::map<std::string, Time> fanout_last_pub_;
  std::map<std::pair<std::string, PeerKey>, Time> backoff_;
  SeenCache seen_;
  MessageCache mcache_;
  PeerScoreTracker scores_;
  std::unordered_map<std::string, Promise, IdHash, std::equal_to<>> promises_;  // message id -> promise
  std::unordered_map<std::string, Pending, IdHash, std::equal_to<>> pending_validation_;
  bool async_validation_ = false;
  std::vector<Delivery> deliveries_;
  std::vector<PendingValidation> validations_out_;
  std::vector<PrunePeer> px_out_;
  Time next_heartbeat_{};
  uint64_t heartbeat_ticks_ = 0;
  RouterStats stats_;
};

}  // namespace hauptbuch::p2p::gossipsub

// Iterative Kademlia lookup as a sans-I/O state machine (paper section 2.3; libp2p kad-dht spec
// "Peer routing"; S/Kademlia disjoint paths, Baumgart & Mies section 4.4): FIND_NODE,
// GET_PROVIDERS or GET_VALUE towards a key, at most alpha requests in flight per path, each with
// a timeout, terminating when the k closest peers seen have all answered or failed.
//
// Driving it: start() returns the first requests; for each request the driver sends the message
// to the peer and later calls on_response() or on_failure() with the current time; tick(now) at
// next_deadline() times out requests. Every call returns further requests to send. Once done(),
// result() holds the k closest answering peers, the providers or records found, and statistics.
// Rounds (hops): a seed's request is hop 1; a peer learned from a hop-h answer is queried at hop
// h+1; `rounds` is the largest hop of any answer received.
//
// Must never: query a peer twice, query ourselves, keep more than a bounded number of candidates
// (kMaxCandidates), block or read a clock. Not thread-safe (one owner).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "peer/peer_id.h"
#include "protocols/kad/kad_key.h"
#include "protocols/kad/kad_message.h"
#include "util/clock.h"

namespace hauptbuch::p2p::kad {

enum class LookupKind { FindNode, GetProviders, GetValue };

// Candidates one lookup keeps (closest first; farther ones are dropped): each answer adds at most
// k peers, and only the closest k per path matter for termination; 16 x k per path is ample.
inline constexpr size_t kMaxCandidatesPerPath = 16 * 20;

struct LookupConfig {
  size_t k = 20;      // result size (spec: k = 20)
  size_t alpha = 3;   // requests in flight per path (spec: alpha = 3)
  // S/Kademlia disjoint paths: seeds are split over `paths` paths, a peer is queried on one path
  // only, and each path terminates on its own k closest. 1 = classic Kademlia.
  size_t paths = 1;
  Duration request_timeout = std::chrono::seconds(10);
  // GET_PROVIDERS: stop once this many distinct providers are known (0: run to completion).
  size_t max_providers = 20;
  // GET_VALUE: stop once this many valid records were received (0: run to completion).
  size_t value_quorum = 1;
  // GET_VALUE: records failing this check are ignored (nullptr: accept all).
  std::function<bool(const Record&)> validator;
};

struct OutboundRequest {
  PeerId peer;
  std::vector<Multiaddr> addrs;  // as learned (seed or closerPeers); the driver may know more
  KadMessage message;
};

struct LookupStats {
  size_t rounds = 0;         // largest hop of an answer (see above)
  size_t requests = 0;       // requests sent
  size_t responses = 0;      // answers received
  size_t failures = 0;       // on_failure calls (incl. bad answers)
  size_t timeouts = 0;       // requests timed out by tick()
};

struct LookupResult {
  std::vector<KadPeer> closest;     // k closest peers that answered, closest first
  std::vector<KadPeer> providers;   // GET_PROVIDERS, distinct, in order received
  std::vector<Record> records;      // GET_VALUE, valid records received
  std::vector<PeerId> peers_with_record;  // who sent each record (same order)
  LookupStats stats;
};

class Lookup {
 public:
  // `self` is never queried and never in results.
  Lookup(LookupKind kind, PeerId self, LookupConfig cfg);

  // Starts towards `target` (the raw message key: a peer id's bytes for FIND_NODE, a provider or
  // record key otherwise) from `seeds` (typically the table's closest). Returns the first
  // requests. With no seeds the lookup is done at once with an empty result.
  std::vector<OutboundRequest> start(Bytes target, std::vector<KadPeer> seeds, Time now);
  // `msg` answered the request to `from`. Answers from peers with no outstanding request, or of
  // the wrong type, count as failures of that peer.
  std::vector<OutboundRequest> on_response(const PeerId& from, const KadMessage& msg, Time now);
  // The request to `from` failed (stream error, malformed answer).
  std::vector<OutboundRequest> on_failure(const PeerId& from, Time now);
  // When tick() must next be called (none if nothing is in flight).
  std::optional<Time> next_deadline() const;
  // Times out requests whose deadline has passed (counted as failures).
  std::vector<OutboundRequest> tick(Time now);

  bool done() const noexcept { return done_; }
  const LookupResult& result() const noexcept { return result_; }
  const KadKey& target_key() const noexcept { return target_key_; }
  const Bytes& target() const noexcept { return target_; }
  LookupKind kind() const noexcept { return kind_; }
  // Requests currently in flight.
  size_t in_flight() const noexcept;

 private:
  enum class State { NotQueried, Waiting, Succeeded, Failed };
  struct Candidate {
    KadPeer peer;
    KadKey key;
    State state = State::NotQueried;
    size_t path = 0;
    size_t hop = 1;
    Time deadline{};
  };
  struct Path {
    std::vector<Candidate> cands;  // sorted by distance to the target, closest first
    size_t in_flight = 0;
    bool done = false;
  };
  void add_candidate(size_t path, const KadPeer& p, size_t hop);
  void fail(Candidate& c);
  std::vector<OutboundRequest> advance(Time now);
  Candidate* find(const PeerId& peer);
  void finish();
  KadMessage request_message() const;

  LookupKind kind_;
  PeerId self_;
  LookupConfig cfg_;
  Bytes target_;
  KadKey target_key_{};
  std::vector<Path> paths_;
  std::unordered_map<PeerId, size_t> seen_;  // peer -> path (queried or candidate, never twice)
  bool started_ = false;
  bool done_ = false;
  LookupResult result_;
};

}  // namespace hauptbuch::p2p::kad

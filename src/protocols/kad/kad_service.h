// KadService: the Kademlia DHT (libp2p kad-dht) on a real Host. Drives the sans-I/O core
// (routing table, iterative lookups, provider and record stores, server handler) over Host
// streams: one request per outbound stream (uvarint-length-prefixed message, response likewise),
// a bounded number of requests per inbound stream. One KadService per protocol id:
// `/ipfs/kad/1.0.0` (interop with other libp2p DHTs) and `/hauptbuch/<chain>/kad/1.0.0` per chain.
//
// Threading: everything runs on the Host's strand (host.executor()): construct, call and destroy
// the service there; its awaitables must be awaited there. Nothing throws; every await is bounded
// by a timeout (request_timeout per request, lookup_timeout per lookup).
// Lifetime: the Host must outlive the service; call stop() (or destroy the service) before the
// Host is destroyed. After stop() no coroutine of the service touches the Host again.
// Must never: let a peer make it allocate without bound (inbound streams per peer, requests per
// stream, message size, learned addresses and outstanding requests are all capped).
#pragma once

#include <asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "node/host.h"
#include "peer/peer_id.h"
#include "util/bytes.h"
#include "util/multiaddr.h"

namespace hauptbuch::p2p::kad {

inline constexpr std::string_view kIpfsKadProtocol = "/ipfs/kad/1.0.0";

// The protocol id of a chain's DHT: /hauptbuch/<chain>/kad/1.0.0.
std::string chain_kad_protocol(std::string_view chain);

struct KadServiceConfig {
  std::string protocol = std::string(kIpfsKadProtocol);
  // Server mode: register the inbound handler (and so announce the protocol in identify).
  // A client only sends requests; it still keeps a routing table of server peers.
  bool server_mode = true;
  size_t k = 20;     // bucket size and result size (spec value)
  size_t alpha = 3;  // concurrent requests per lookup (spec value)
  // One request: stream open + request + response. libp2p implementations use ~10 s.
  Duration request_timeout = std::chrono::seconds(10);
  // A whole lookup (all its rounds); a lookup that has not converged by then returns what it has.
  Duration lookup_timeout = std::chrono::seconds(60);
  // Bucket refresh (random-key lookups for stale buckets, then a self-lookup).
  Duration refresh_interval = std::chrono::minutes(10);
  // Our provider records and stored values are re-announced this often (spec: providers 22 h).
  Duration republish_interval = std::chrono::hours(22);
  // Inbound streams one peer may have open at once: js-libp2p opens up to 32 in parallel per
  // connection; more than that is abuse, and each costs a coroutine and a buffer.
  size_t max_inbound_streams_per_peer = 32;
  // Requests served on one inbound stream before we close it (js-libp2p may reuse streams).
  size_t max_requests_per_stream = 16;
  // Largest message read or written (request or response). 0: the core's kMaxKadMessageBytes.
  size_t max_message_size = 0;
};

// A peer and the addresses we know for it.
struct FoundPeer {
  PeerId peer;
  std::vector<Multiaddr> addrs;
};

// DiscoveryMonitor counters (read on the strand).
struct KadStats {
  uint64_t lookups = 0;           // lookups started
  uint64_t lookup_failures = 0;   // lookups that ended without any answering peer / value
  uint64_t rounds = 0;            // sum of rounds (hops) over finished lookups
  uint64_t requests_sent = 0, request_failures = 0, requests_served = 0, inbound_refused = 0;
  uint64_t dials = 0, dial_failures = 0;
  std::chrono::microseconds latency_sum{0};  // of finished lookups
  uint64_t latency_count = 0;
};

class KadService {
 public:
  KadService(node::Host& host, KadServiceConfig cfg);
  ~KadService();
  KadService(const KadService&) = delete;
  KadService& operator=(const KadService&) = delete;

  // Registers the stream handler (server mode), subscribes to Host events (peers that announce
  // the protocol in identify enter the routing table) and starts the refresh/republish loop.
  // Errors: InvalidConfig (k or alpha 0, empty protocol).
  Status start();
  // Removes the handler, stops the loop and abandons running work (their awaiters get Cancelled).
  void stop();
  // Called with a peer whose request did not decode as a Kademlia message (the stream is reset).
  void set_invalid_request_callback(std::function<void(const PeerId&)> cb);

  // Dials each address (with /p2p/<id>), then a self-lookup, then refreshes the buckets.
  // Errors: PeerDiscoveryFailed when no address could be dialled.
  asio::awaitable<Status> bootstrap(std::vector<Multiaddr> addrs);
  // The addresses of `peer`: answered at once if connected, else by a lookup for its key.
  // Errors: PeerDiscoveryFailed (not found), Timeout.
  asio::awaitable<Result<std::vector<Multiaddr>>> find_peer(PeerId peer);
  // The k closest peers to `key` in the network (FIND_NODE lookup).
  asio::awaitable<Result<std::vector<FoundPeer>>> closest_peers(Bytes key);
  // Announces us as a provider of `key`: ADD_PROVIDER to the k closest peers (stored locally
  // too). Errors: PeerDiscoveryFailed if no peer accepted the record.
  asio::awaitable<Status> provide(Bytes key);
  // Up to `max` providers of `key` (local store first, then a GET_PROVIDERS lookup).
  asio::awaitable<Result<std::vector<FoundPeer>>> find_providers(Bytes key, size_t max);
  // Stores the record locally and at the k closest peers (PUT_VALUE).
  asio::awaitable<Status> put_value(Bytes key, Bytes value);
  // The value of `key` (local store, else GET_VALUE lookup). Errors: PeerDiscoveryFailed (no record found).
  asio::awaitable<Result<Bytes>> get_value(Bytes key);

  size_t routing_table_size() const;
  // The routing table's peers with their addresses (for the `peers` command).
  std::vector<FoundPeer> routing_table_snapshot() const;
  const KadStats& stats() const;
  const KadServiceConfig& config() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;  // shared with the service's coroutines (they outlive calls)
};

}  // namespace hauptbuch::p2p::kad

// KadService (see kad_service.h): Kademlia driven over Host streams.
#include "protocols/kad/kad_service.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "protocols/kad/kad_handler.h"
#include "protocols/kad/kad_key.h"
#include "protocols/kad/kad_message.h"
#include "protocols/kad/kad_stream.h"
#include "protocols/kad/lookup.h"
#include "protocols/kad/provider_store.h"
#include "protocols/kad/record_store.h"
#include "protocols/kad/routing_table.h"
#include "util/random.h"

namespace hauptbuch::p2p::kad {
namespace {

constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);

// Peers whose addresses we remember from answers (closerPeers, providers) and identify. A lookup
// needs the addresses of at most a few hundred peers; 4,096 entries bound what hostile answers
// can make us store (4,096 x 8 addresses x ~40 bytes: about 1.3 MB at most).
constexpr size_t kMaxAddrBookPeers = 4096;
// Addresses kept per peer: a node listens on a handful (IPv4, IPv6, a few interfaces).
constexpr size_t kMaxBookAddrsPerPeer = 8;
// Addresses tried when dialling a peer for a lookup (each bounded by request_timeout).
constexpr size_t kMaxDialAddrs = 3;
// Outbound exchanges still running, abandoned ones included (an abandoned exchange waits for
// the peer's stream negotiation until its connection ends). Beyond this new requests are
// refused, so peers that never answer cannot make us pile up coroutines.
constexpr size_t kMaxRunningRequests = 1024;
// Liveness checks of full buckets' oldest entries running at once.
constexpr size_t kMaxLivenessChecks = 16;
// Keys we provide / records we put ourselves (republished): what a node announces, not what it
// stores for others.
constexpr size_t kMaxOwnKeys = 1024;
// Buckets refreshed: 0..min(highest non-empty, this). Finding a key with a given common prefix
// length costs about 2^(cpl+1) hashes; beyond 15 bits the buckets are empty in any network
// smaller than ~2^15 peers anyway (go-libp2p uses the same limit).
constexpr int kMaxRefreshCpl = 15;

Time now() { return Clock::now(); }

}  // namespace

std::string chain_kad_protocol(std::string_view chain) {
  std::string p = "/hauptbuch/";
  p.append(chain);
  p.append("/kad/1.0.0");
  return p;
}

struct KadService::Impl : std::enable_shared_from_this<Impl> {
  Impl(node::Host& h, KadServiceConfig c)
      : host(h),
        cfg(std::move(c)),
        table(h.peer_id(), table_config(cfg), now()),
        handler(table, providers, records, handler_config(h, cfg)),
        refresh_timer(h.executor()) {
    if (cfg.max_message_size == 0 || cfg.max_message_size > kMaxKadMessageBytes) cfg.max_message_size = kMaxKadMessageBytes;
  }

  static RoutingTableConfig table_config(const KadServiceConfig& c) {
    RoutingTableConfig t;
    t.k = c.k;
    t.refresh_interval = c.refresh_interval;
    t.ping_timeout = c.request_timeout;
    return t;
  }
  static KadHandlerConfig handler_config(node::Host& h, const KadServiceConfig& c) {
    KadHandlerConfig k;
    k.k = c.k;
    k.connection_of = [&h](const PeerId& p) { return h.connection(p) ? ConnectionType::Connected : ConnectionType::NotConnected; };
    return k;
  }

  node::Host& host;
  KadServiceConfig cfg;
  std::function<void(const PeerId&)> on_invalid_request;
  FastRandom rng;  // refresh keys and table maintenance (strand only)
  RoutingTable table;
  ProviderStore providers;
  RecordStore records;
  KadHandler handler;
  std::map<PeerId, std::vector<Multiaddr>> addr_book;
  std::map<PeerId, size_t> inbound;  // open inbound streams per peer
  std::set<PeerId> checking;         // liveness checks running
  std::set<Bytes, BytesLess> own_provided;
  std::map<Bytes, Bytes, BytesLess> own_records;
  std::shared_ptr<size_t> running = std::make_shared<size_t>(0);
  KadStats stats;
  bool started = false, stopped = false;
  asio::steady_timer refresh_timer;

  // ---- addresses --------------------------------------------------------------------------
  void remember(const PeerId& peer, const std::vector<Multiaddr>& addrs) {
    if (peer == host.peer_id() || addrs.empty()) return;
    auto it = addr_book.find(peer);
    if (it == addr_book.end()) {
      if (addr_book.size() >= kMaxAddrBookPeers) {
        // Evict a peer that is not in the routing table (the table keeps its own addresses).
        auto victim = std::find_if(addr_book.begin(), addr_book.end(), [&](const auto& e) { return !table.contains(e.first); });
        if (victim == addr_book.end()) victim = addr_book.begin();
        addr_book.erase(victim);
      }
      it = addr_book.emplace(peer, std::vector<Multiaddr>{}).first;
    }
    for (const auto& a : addrs) {
      Multiaddr plain = a.without_p2p();
      if (plain.empty() || !plain.tcp_endpoint()) continue;  // only addresses our Host can dial
      auto& v = it->second;
      if (std::find(v.begin(), v.end(), plain) != v.end()) continue;
      if (v.size() >= kMaxBookAddrsPerPeer) v.erase(v.begin());
      v.push_back(std::move(plain));
    }
    if (it->second.empty()) addr_book.erase(it);
  }

  std::vector<Multiaddr> addrs_of(const PeerId& peer) const {
    if (peer == host.peer_id()) return host.listen_addrs();
    auto c = host.connection(peer);
    if (c && !c->info().listen_addrs.empty()) return c->info().listen_addrs;
    if (const RoutingEntry* e = table.find(peer); e && !e->addrs.empty()) return e->addrs;
    if (auto it = addr_book.find(peer); it != addr_book.end()) return it->second;
    if (c) return {c->info().remote_addr};
    return {};
  }

  KadPeer kad_peer(const PeerId& peer) const {
    KadPeer w{peer, addrs_of(peer), host.connection(peer) ? ConnectionType::Connected : ConnectionType::NotConnected};
    if (w.addrs.size() > kMaxBookAddrsPerPeer) w.addrs.resize(kMaxBookAddrsPerPeer);
    return w;
  }

  FoundPeer found(const PeerId& peer) const { return FoundPeer{peer, addrs_of(peer)}; }

  // ---- routing table admission --------------------------------------------------------------
  void on_event(const node::HostEvent& e) {
    if (e.type != node::HostEvent::Type::Identified) return;
    const auto& protos = e.info.protocols;
    const bool server = std::find(protos.begin(), protos.end(), cfg.protocol) != protos.end();
    if (server) remember(e.info.peer, e.info.listen_addrs);
    // A client (or a peer whose identify push withdrew the protocol) is rejected / removed.
    seen(e.info.peer, e.info.listen_addrs, server);
  }

  void seen(const PeerId& peer, std::vector<Multiaddr> addrs, bool server) {
    auto r = table.on_peer_seen(peer, std::move(addrs), server, now());
    if (!r.ping) return;
    if (checking.size() >= kMaxLivenessChecks || checking.count(*r.ping)) return;  // the table times it out
    checking.insert(*r.ping);
    asio::co_spawn(host.executor(), check_liveness(shared_from_this(), *r.ping), asio::detached);
  }

  // Host::ping takes its peer by reference: this frame owns the copy for as long as ping runs
  // (with_deadline may abandon it).
  static asio::awaitable<Result<Duration>> ping_peer(node::Host& host, PeerId peer) { co_return co_await host.ping(peer); }

  // Liveness check the table asked for (a full bucket's least-recently-seen entry): dial if
  // needed, then one /ipfs/ping/1.0.0 exchange; the table keeps or replaces the entry.
  static asio::awaitable<void> check_liveness(std::shared_ptr<Impl> self, PeerId peer) {
    std::vector<Multiaddr> none;
    auto st = co_await self->ensure_connected(peer, std::move(none));
    bool alive = st.ok();
    if (alive && !self->stopped) {
      auto op = ping_peer(self->host, peer);
      auto rtt = co_await with_deadline<Duration>(self->host.executor(), self->cfg.request_timeout, std::move(op));
      alive = rtt.ok();
    }
    self->checking.erase(peer);
    if (self->stopped) co_return;
    self->table.on_ping_result(peer, alive, now());
  }

  // ---- outbound requests ------------------------------------------------------------------
  // Connects to `peer` unless connected, trying the addresses the caller learned (`hint`, e.g.
  // from a closerPeers entry) and then those we remember, at most kMaxDialAddrs of them.
  asio::awaitable<Status> ensure_connected(PeerId peer, std::vector<Multiaddr> hint) {
    if (host.connection(peer)) co_return ok_status();
    auto self = shared_from_this();  // keeps the state alive across the awaits
    std::vector<Multiaddr> addrs;
    auto add = [&addrs](const Multiaddr& a) {
      Multiaddr plain = a.without_p2p();
      if (!plain.empty() && plain.tcp_endpoint() && std::find(addrs.begin(), addrs.end(), plain) == addrs.end())
        addrs.push_back(std::move(plain));
    };
    for (const auto& a : hint) add(a);
    for (const auto& a : addrs_of(peer)) add(a);
    if (addrs.empty()) co_return Error(P2PNetworkError::PeerConnectionFailed, "no address known for " + peer.to_base58());
    Error last(P2PNetworkError::PeerConnectionFailed, "not dialled");
    for (size_t i = 0; i < addrs.size() && i < kMaxDialAddrs; ++i) {
      auto full = addrs[i].with_component(Proto::P2p, peer.bytes());
      if (!full.ok()) continue;
      ++stats.dials;
      auto op = host.dial(*full);
      auto c = co_await with_deadline<node::ConnectionPtr>(host.executor(), cfg.request_timeout, std::move(op));
      if (stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
      if (c.ok()) co_return ok_status();
      ++stats.dial_failures;
      last = std::move(c).error();
    }
    co_return last;
  }

  // Sends `msg` to `peer` (dialling it first if needed) and decodes the answer.
  asio::awaitable<Result<KadMessage>> request(PeerId peer, std::vector<Multiaddr> hint, KadMessage msg, bool expect_response) {
    auto self = shared_from_this();
    if (stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
    if (*running >= kMaxRunningRequests) co_return Error(P2PNetworkError::ResourceLimitExceeded, "too many kad requests running");
    HBP2P_CO_TRY(co_await ensure_connected(peer, std::move(hint)));
    if (stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
    ++stats.requests_sent;
    RequestOptions o;
    o.protocol = cfg.protocol;
    o.timeout = cfg.request_timeout;
    o.max_response_size = cfg.max_message_size;
    o.expect_response = expect_response;
    o.running = running;
    Bytes wire = encode(msg);
    auto bytes = co_await send_request(host, peer, std::move(wire), std::move(o));
    if (stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
    if (!bytes.ok()) co_return std::move(bytes).error();
    if (!expect_response) co_return KadMessage{};
    auto resp = decode(*bytes);
    if (!resp.ok()) co_return std::move(resp).error();
    if (resp->type != msg.type) co_return Error(P2PNetworkError::InvalidMessage, "kad answer of another type");
    co_return resp;
  }

  // ---- lookups ----------------------------------------------------------------------------
  // Called with every answer; returns true to end the lookup early (found what it looked for).
  using AnswerFn = std::function<bool(const PeerId& from, const KadMessage& answer)>;

  struct LookupRun {
    LookupRun(LookupKind kind, PeerId self, LookupConfig c, node::Executor ex) : lk(kind, std::move(self), std::move(c)), wake(ex) {}
    Lookup lk;
    asio::steady_timer wake;
    bool finished = false, stop = false;
  };

  void send_all(const std::shared_ptr<LookupRun>& run, std::vector<OutboundRequest> reqs, const AnswerFn& on_answer) {
    if (run->stop || stopped) return;
    for (auto& r : reqs) asio::co_spawn(host.executor(), query(shared_from_this(), run, std::move(r), on_answer), asio::detached);
  }

  static asio::awaitable<void> query(std::shared_ptr<Impl> self, std::shared_ptr<LookupRun> run, OutboundRequest req,
                                     AnswerFn on_answer) {
    const PeerId peer = req.peer;
    auto resp = co_await self->request(peer, std::move(req.addrs), std::move(req.message), true);
    if (run->finished || self->stopped) co_return;
    std::vector<OutboundRequest> more;
    if (!resp.ok()) {
      ++self->stats.request_failures;
      more = run->lk.on_failure(peer, now());
      // Unreachable or silent peers leave the table (the core promotes a replacement).
      if (resp.error().is(P2PNetworkError::Timeout) || resp.error().is(P2PNetworkError::PeerConnectionFailed))
        self->table.remove(peer);
    } else {
      for (const auto& p : resp->closer_peers) self->remember(p.id, p.addrs);
      for (const auto& p : resp->provider_peers) self->remember(p.id, p.addrs);
      more = run->lk.on_response(peer, *resp, now());
      if (on_answer && on_answer(peer, *resp)) run->stop = true;
    }
    self->send_all(run, std::move(more), on_answer);
    run->wake.cancel();
  }

  struct LookupSpec {
    LookupKind kind = LookupKind::FindNode;
    Bytes target;                     // the raw message key
    std::vector<KadPeer> extra_seeds;  // besides the table's closest (e.g. bootstrap peers)
    AnswerFn on_answer;                // may be empty
    size_t max_providers = 0;          // GET_PROVIDERS: stop after this many (0: run to the end)
  };
  // Builds a spec as a named object: GCC 12 mis-handles temporaries with destructors (braced
  // lists, lambdas) inside co_await expressions, so callers always pass std::move(spec).
  static LookupSpec spec(LookupKind kind, Bytes target, std::vector<KadPeer> seeds = {}, AnswerFn on_answer = {}, size_t max = 0) {
    return LookupSpec{kind, std::move(target), std::move(seeds), std::move(on_answer), max};
  }

  // Runs one lookup to completion (or early stop, or lookup_timeout) and returns its result.
  asio::awaitable<LookupResult> lookup(LookupSpec sp) {
    auto self = shared_from_this();
    const LookupKind kind = sp.kind;
    Bytes target = std::move(sp.target);
    std::vector<KadPeer> extra_seeds = std::move(sp.extra_seeds);
    AnswerFn on_answer = std::move(sp.on_answer);
    const size_t max_providers = sp.max_providers;
    ++stats.lookups;
    const Time start = now();
    LookupConfig lc;
    lc.k = cfg.k;
    lc.alpha = cfg.alpha;
    // The core's per-request deadline is a backstop: our own request (dials included) is bounded
    // by request_timeout per dial attempt plus one for the exchange.
    lc.request_timeout = cfg.request_timeout * static_cast<int>(kMaxDialAddrs + 1);
    lc.max_providers = max_providers;
    lc.value_quorum = 1;
    auto run = std::make_shared<LookupRun>(kind, host.peer_id(), std::move(lc), host.executor());
    const KadKey key = key_of_bytes(target);
    std::vector<KadPeer> seeds;
    for (auto& e : table.closest(key, cfg.k)) seeds.push_back(KadPeer{std::move(e.id), std::move(e.addrs), ConnectionType::NotConnected});
    for (auto& p : extra_seeds) {
      const bool dup = std::any_of(seeds.begin(), seeds.end(), [&](const KadPeer& s) { return s.id == p.id; });
      if (!dup) seeds.push_back(std::move(p));
    }
    table.mark_refreshed(key, start);
    send_all(run, run->lk.start(std::move(target), std::move(seeds), start), on_answer);
    const Time deadline = start + cfg.lookup_timeout;
    while (!stopped && !run->stop && !run->lk.done() && now() < deadline) {
      auto next = run->lk.next_deadline();
      if (!next) break;  // nothing in flight and not done: nothing left to ask
      run->wake.expires_at(std::min(*next, deadline));
      co_await run->wake.async_wait(kNoThrow);
      if (!stopped && !run->stop && now() >= *next) send_all(run, run->lk.tick(now()), on_answer);
    }
    run->finished = true;
    LookupResult res = run->lk.result();
    stats.rounds += res.stats.rounds;
    stats.latency_sum += std::chrono::duration_cast<std::chrono::microseconds>(now() - start);
    ++stats.latency_count;
    if (res.stats.responses == 0) ++stats.lookup_failures;
    co_return res;
  }

  static KadMessage make_request(MessageType t, Bytes key) {
    KadMessage m;
    m.type = t;
    m.key = std::move(key);
    return m;
  }

  // Sends `msg` to each of `peers` at once; the number that succeeded.
  asio::awaitable<size_t> fan_out(std::vector<KadPeer> peers, KadMessage msg, bool expect_response) {
    auto self = shared_from_this();
    struct Fan {
      explicit Fan(node::Executor ex) : wake(ex) {}
      size_t pending = 0, ok = 0;
      asio::steady_timer wake;
    };
    auto fan = std::make_shared<Fan>(host.executor());
    fan->pending = peers.size();
    for (auto& p : peers) {
      asio::co_spawn(host.executor(), [self, fan, p, msg, expect_response]() -> asio::awaitable<void> {
        auto r = co_await self->request(p.id, p.addrs, msg, expect_response);
        if (r.ok()) ++fan->ok;
        --fan->pending;
        fan->wake.cancel();
      }, asio::detached);
    }
    // Each request is bounded (dials + exchange), so this ends; the outer bound is a backstop.
    const Time deadline = now() + cfg.request_timeout * static_cast<int>(kMaxDialAddrs + 2);
    while (fan->pending > 0 && !stopped && now() < deadline) {
      fan->wake.expires_at(deadline);
      co_await fan->wake.async_wait(kNoThrow);
    }
    co_return fan->ok;
  }

  // ---- server side ----------------------------------------------------------------------------
  Result<std::optional<Bytes>> handle_request(const PeerId& from, ByteSpan bytes) {
    if (stopped) return Error(P2PNetworkError::Cancelled, "kad service stopped");
    auto req = decode(bytes);
    if (!req.ok()) {
      if (on_invalid_request) on_invalid_request(from);
      return std::move(req).error();
    }
    ++stats.requests_served;
    // A provider that announces itself without addresses: use what identify told us.
    if (req->type == MessageType::AddProvider)
      for (auto& p : req->provider_peers)
        if (p.id == from && p.addrs.empty()) p.addrs = addrs_of(from);
    auto resp = handler.handle(*req, from, now());
    if (!resp.ok()) return std::move(resp).error();
    if (!resp->has_value()) return std::optional<Bytes>{};
    // FIND_NODE for our own id: include ourselves (as js-libp2p and go-libp2p do), so that a
    // find_peer that reaches us learns our addresses.
    if (req->type == MessageType::FindNode && req->key == host.peer_id().bytes() && (*resp)->closer_peers.size() < kMaxPeersPerList)
      (*resp)->closer_peers.push_back(kad_peer(host.peer_id()));
    return std::optional<Bytes>(encode(**resp));
  }

  static asio::awaitable<void> serve_inbound(std::weak_ptr<Impl> weak, node::StreamPtr s) {
    auto self = weak.lock();
    if (!self || self->stopped) {
      s->reset();
      co_return;
    }
    const PeerId peer = s->connection()->info().peer;
    size_t& open = self->inbound[peer];
    if (open >= self->cfg.max_inbound_streams_per_peer) {
      ++self->stats.inbound_refused;
      s->reset();
      co_return;
    }
    ++open;
    RequestHandler handle = [self, peer](ByteSpan req) { return self->handle_request(peer, req); };
    co_await serve_stream(s, std::move(handle), self->cfg.max_requests_per_stream, self->cfg.max_message_size,
                          self->cfg.request_timeout);
    if (auto it = self->inbound.find(peer); it != self->inbound.end() && --it->second == 0) self->inbound.erase(it);
  }

  // ---- refresh and republish ----------------------------------------------------------------
  // A random record key whose kad key shares exactly `cpl` leading bits with ours (about
  // 2^(cpl+1) tries; cpl <= kMaxRefreshCpl).
  Bytes key_in_bucket(size_t cpl) {
    Bytes key(32);
    for (;;) {
      rng.fill(key);
      if (common_prefix_length(table.self_key(), key_of_bytes(key)) == cpl) return key;
    }
  }

  size_t deepest_bucket() const {
    for (size_t cpl = kKeyBits; cpl-- > 0;)
      if (!table.bucket(cpl).empty()) return cpl;
    return 0;
  }

  // Lookups for random keys in buckets 0..min(deepest non-empty, kMaxRefreshCpl), then a
  // self-lookup: what bootstrap does after its first self-lookup.
  asio::awaitable<void> refresh_all(std::vector<KadPeer> seeds) {
    auto self = shared_from_this();
    const size_t top = std::min<size_t>(deepest_bucket(), kMaxRefreshCpl);
    for (size_t cpl = 0; cpl <= top && !stopped; ++cpl) {
      LookupSpec sp = spec(LookupKind::FindNode, key_in_bucket(cpl), seeds);
      (void)co_await lookup(std::move(sp));
    }
    if (!stopped) {
      LookupSpec sp = spec(LookupKind::FindNode, host.peer_id().bytes(), seeds);
      (void)co_await lookup(std::move(sp));
    }
  }

  asio::awaitable<void> republish() {
    auto self = shared_from_this();
    std::vector<Bytes> keys(own_provided.begin(), own_provided.end());
    for (auto& k : keys) {
      if (stopped) co_return;
      (void)co_await announce_provider(k);
    }
    std::vector<std::pair<Bytes, Bytes>> recs(own_records.begin(), own_records.end());
    for (auto& [k, v] : recs) {
      if (stopped) co_return;
      (void)co_await store_value(k, v);
    }
  }

  // Wakes at the table's deadlines (bucket refresh due, liveness ping timed out) and at least
  // every refresh_interval: refreshes due buckets, expires stores, republishes when due.
  static asio::awaitable<void> maintenance_loop(std::shared_ptr<Impl> self) {
    Time next_republish = now() + self->cfg.republish_interval;
    while (!self->stopped) {
      const Time wake = std::min(self->table.next_deadline(), now() + self->cfg.refresh_interval);
      self->refresh_timer.expires_at(std::max(wake, now() + std::chrono::seconds(1)));
      co_await self->refresh_timer.async_wait(kNoThrow);
      if (self->stopped) break;
      self->providers.expire(now());
      self->records.expire(now());
      for (const KadKey& target : self->table.tick(now(), self->rng)) {
        if (self->stopped) break;
        const size_t cpl = common_prefix_length(self->table.self_key(), target);
        if (cpl > static_cast<size_t>(kMaxRefreshCpl)) continue;
        LookupSpec sp = spec(LookupKind::FindNode, self->key_in_bucket(cpl));
        (void)co_await self->lookup(std::move(sp));
      }
      if (!self->stopped && now() >= next_republish) {
        co_await self->republish();
        next_republish = now() + self->cfg.republish_interval;
      }
    }
  }

  // ---- operations ---------------------------------------------------------------------------
  asio::awaitable<Result<size_t>> announce_provider(Bytes key) {
    auto self = shared_from_this();
    LookupSpec sp = spec(LookupKind::FindNode, key);
    auto res = co_await lookup(std::move(sp));
    if (stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
    KadMessage msg = make_request(MessageType::AddProvider, key);
    msg.provider_peers.push_back(kad_peer(host.peer_id()));
    const size_t n = co_await fan_out(res.closest, std::move(msg), false);
    if (n == 0) co_return Error(P2PNetworkError::PeerDiscoveryFailed, "no peer took the provider record");
    co_return n;
  }

  asio::awaitable<Result<size_t>> store_value(Bytes key, Bytes value) {
    auto self = shared_from_this();
    LookupSpec sp = spec(LookupKind::FindNode, key);
    auto res = co_await lookup(std::move(sp));
    if (stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
    KadMessage msg = make_request(MessageType::PutValue, key);
    msg.record = Record{key, value, {}};
    const size_t n = co_await fan_out(res.closest, std::move(msg), true);
    if (n == 0) co_return Error(P2PNetworkError::PeerDiscoveryFailed, "no peer stored the record");
    co_return n;
  }
};

// ---- KadService -------------------------------------------------------------------------------
KadService::KadService(node::Host& host, KadServiceConfig cfg) : impl_(std::make_shared<Impl>(host, std::move(cfg))) {}

KadService::~KadService() { stop(); }

Status KadService::start() {
  auto& s = *impl_;
  if (s.cfg.k == 0 || s.cfg.alpha == 0 || s.cfg.protocol.empty() || s.cfg.max_requests_per_stream == 0)
    return Error(P2PNetworkError::InvalidConfig, "kad: k, alpha, max_requests_per_stream must be > 0 and the protocol set");
  if (s.started || s.stopped) return ok_status();
  s.started = true;
  std::weak_ptr<Impl> weak = impl_;
  if (s.cfg.server_mode)
    s.host.set_handler(s.cfg.protocol, [weak](node::StreamPtr st) { return Impl::serve_inbound(weak, std::move(st)); });
  s.host.add_event_listener([weak](const node::HostEvent& e) {
    if (auto self = weak.lock(); self && !self->stopped) self->on_event(e);
  });
  // Peers already connected and identified before we started.
  for (const auto& c : s.host.connections())
    if (!c->info().protocols.empty()) s.on_event({node::HostEvent::Type::Identified, c->info(), {}});
  asio::co_spawn(s.host.executor(), Impl::maintenance_loop(impl_), asio::detached);
  return ok_status();
}

void KadService::stop() {
  auto& s = *impl_;
  if (s.stopped) return;
  s.stopped = true;
  if (s.started && s.cfg.server_mode && !s.host.closed()) s.host.remove_handler(s.cfg.protocol);
  s.refresh_timer.cancel();
}

void KadService::set_invalid_request_callback(std::function<void(const PeerId&)> cb) {
  impl_->on_invalid_request = std::move(cb);
}

asio::awaitable<Status> KadService::bootstrap(std::vector<Multiaddr> addrs) {
  auto self = impl_;
  std::vector<KadPeer> seeds;
  Error last(P2PNetworkError::PeerDiscoveryFailed, "no bootstrap address");
  for (const auto& a : addrs) {
    if (!a.last_value(Proto::P2p)) {
      last = Error(P2PNetworkError::InvalidPeerAddress, "bootstrap address without /p2p: " + a.to_string());
      continue;
    }
    ++self->stats.dials;
    auto op = self->host.dial(a);
    auto c = co_await with_deadline<node::ConnectionPtr>(self->host.executor(), self->cfg.request_timeout, std::move(op));
    if (self->stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
    if (!c.ok()) {
      ++self->stats.dial_failures;
      last = std::move(c).error();
      continue;
    }
    const PeerId peer = (*c)->info().peer;
    std::vector<Multiaddr> one{a.without_p2p()};
    self->remember(peer, one);
    seeds.push_back(KadPeer{peer, std::move(one), ConnectionType::Connected});
  }
  if (seeds.empty()) co_return Error(P2PNetworkError::PeerDiscoveryFailed, "no bootstrap peer reachable: " + last.message());
  // Self-lookup (fills the buckets near us), then the farther buckets.
  Impl::LookupSpec sp = Impl::spec(LookupKind::FindNode, self->host.peer_id().bytes(), seeds);
  auto res = co_await self->lookup(std::move(sp));
  if (self->stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
  if (res.stats.responses == 0) co_return Error(P2PNetworkError::PeerDiscoveryFailed, "no bootstrap peer answered FIND_NODE");
  co_await self->refresh_all(std::move(seeds));
  co_return ok_status();
}

asio::awaitable<Result<std::vector<Multiaddr>>> KadService::find_peer(PeerId peer) {
  auto self = impl_;
  if (peer == self->host.peer_id()) co_return self->host.listen_addrs();
  if (self->host.connection(peer)) co_return self->addrs_of(peer);
  auto addrs = std::make_shared<std::vector<Multiaddr>>();
  auto found = std::make_shared<bool>(false);
  Impl::AnswerFn on_answer = [addrs, found, peer](const PeerId& from, const KadMessage& m) {
    if (from == peer) *found = true;
    for (const auto& p : m.closer_peers)
      if (p.id == peer && !p.addrs.empty()) {
        *addrs = p.addrs;
        *found = true;
      }
    return *found;
  };
  Impl::LookupSpec sp = Impl::spec(LookupKind::FindNode, peer.bytes(), {}, std::move(on_answer));
  auto res = co_await self->lookup(std::move(sp));
  if (self->stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
  if (!*found) {
    std::string detail = "peer ";
    detail.append(peer.to_base58()).append(" not found (").append(std::to_string(res.stats.responses)).append(" answers)");
    co_return Error(P2PNetworkError::PeerDiscoveryFailed, detail);
  }
  if (addrs->empty()) *addrs = self->addrs_of(peer);
  co_return *addrs;
}

asio::awaitable<Result<std::vector<FoundPeer>>> KadService::closest_peers(Bytes key) {
  auto self = impl_;
  if (key.empty() || key.size() > kMaxKeyBytes) co_return Error(P2PNetworkError::InvalidKey, "kad: key of invalid length");
  Impl::LookupSpec sp = Impl::spec(LookupKind::FindNode, std::move(key));
  auto res = co_await self->lookup(std::move(sp));
  if (self->stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
  if (res.stats.responses == 0) co_return Error(P2PNetworkError::PeerDiscoveryFailed, "no peer answered FIND_NODE");
  std::vector<FoundPeer> out;
  for (const auto& p : res.closest) out.push_back(FoundPeer{p.id, p.addrs.empty() ? self->addrs_of(p.id) : p.addrs});
  co_return out;
}

asio::awaitable<Status> KadService::provide(Bytes key) {
  auto self = impl_;
  if (key.empty() || key.size() > kMaxKeyBytes) co_return Error(P2PNetworkError::InvalidKey, "kad: key of invalid length");
  (void)self->providers.add(key, self->kad_peer(self->host.peer_id()), now());
  if (self->own_provided.size() < kMaxOwnKeys) self->own_provided.insert(key);
  auto n = co_await self->announce_provider(std::move(key));
  if (!n.ok()) co_return std::move(n).error();
  co_return ok_status();
}

asio::awaitable<Result<std::vector<FoundPeer>>> KadService::find_providers(Bytes key, size_t max) {
  auto self = impl_;
  if (key.empty() || key.size() > kMaxKeyBytes) co_return Error(P2PNetworkError::InvalidKey, "kad: key of invalid length");
  max = std::clamp<size_t>(max, 1, kMaxPeersPerList);
  auto out = std::make_shared<std::vector<FoundPeer>>();
  auto add = [out, self](const KadPeer& p) {
    for (const auto& r : *out)
      if (r.peer == p.id) return;
    out->push_back(FoundPeer{p.id, p.addrs.empty() ? self->addrs_of(p.id) : p.addrs});
  };
  for (const auto& p : self->providers.get(key, now(), max)) add(p);
  if (out->size() >= max) co_return *out;
  Impl::AnswerFn on_answer = [out, add, max](const PeerId&, const KadMessage& m) {
    for (const auto& p : m.provider_peers)
      if (out->size() < max) add(p);
    return out->size() >= max;
  };
  Impl::LookupSpec sp = Impl::spec(LookupKind::GetProviders, std::move(key), {}, std::move(on_answer), max);
  auto res = co_await self->lookup(std::move(sp));
  if (self->stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
  if (out->empty() && res.stats.responses == 0) co_return Error(P2PNetworkError::PeerDiscoveryFailed, "no peer answered GET_PROVIDERS");
  co_return *out;
}

asio::awaitable<Status> KadService::put_value(Bytes key, Bytes value) {
  auto self = impl_;
  if (key.empty() || key.size() > kMaxKeyBytes) co_return Error(P2PNetworkError::InvalidKey, "kad: key of invalid length");
  if (value.size() > kMaxRecordValueBytes) co_return Error(P2PNetworkError::ResourceLimitExceeded, "kad: value too large");
  HBP2P_CO_TRY(self->records.put(Record{key, value, {}}, now()));
  if (self->own_records.size() < kMaxOwnKeys || self->own_records.count(key)) self->own_records[key] = value;
  auto n = co_await self->store_value(std::move(key), std::move(value));
  if (!n.ok()) co_return std::move(n).error();
  co_return ok_status();
}

asio::awaitable<Result<Bytes>> KadService::get_value(Bytes key) {
  auto self = impl_;
  if (key.empty() || key.size() > kMaxKeyBytes) co_return Error(P2PNetworkError::InvalidKey, "kad: key of invalid length");
  if (auto r = self->records.get(key, now())) co_return r->value;
  auto value = std::make_shared<std::optional<Bytes>>();
  Impl::AnswerFn on_answer = [value, key](const PeerId&, const KadMessage& m) {
    if (m.record && m.record->key == key) *value = m.record->value;
    return value->has_value();
  };
  Impl::LookupSpec sp = Impl::spec(LookupKind::GetValue, key, {}, std::move(on_answer));
  (void)co_await self->lookup(std::move(sp));
  if (self->stopped) co_return Error(P2PNetworkError::Cancelled, "kad service stopped");
  if (!*value) co_return Error(P2PNetworkError::PeerDiscoveryFailed, "no record found for the key");
  co_return **value;
}

size_t KadService::routing_table_size() const { return impl_->table.size(); }

std::vector<FoundPeer> KadService::routing_table_snapshot() const {
  std::vector<FoundPeer> out;
  for (const auto& e : impl_->table.all()) out.push_back(FoundPeer{e.id, e.addrs.empty() ? impl_->addrs_of(e.id) : e.addrs});
  return out;
}

const KadStats& KadService::stats() const { return impl_->stats; }
const KadServiceConfig& KadService::config() const { return impl_->cfg; }

}  // namespace hauptbuch::p2p::kad

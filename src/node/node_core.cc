// NodeCore: see node_core.h. Connection events feed the PeerBook; a maintenance loop keeps the
// outbound target (dialling what the PeerBook proposes, with backoff) and saves the store.
#include "node/node_core.h"

#include <mutex>

#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "node/node_services.h"

namespace hauptbuch::p2p::node {

namespace {
using namespace std::chrono_literals;
// How often outbound slots are checked and the store may be saved. Short enough that a lost
// peer is replaced within about a second, long enough to cost nothing when idle.
constexpr Duration kMaintenanceInterval = 1s;
// Store saves at most this often (SQLite write of up to ~80k rows).
constexpr Duration kSaveInterval = 60s;
// Outbound dials started per maintenance tick (a burst of failures cannot spin).
constexpr size_t kDialsPerTick = 4;
constexpr Duration kSelectRetry = 10s;
// Bitcoin Core's feeler interval: one test connection to a "new" address every 2 minutes.
constexpr Duration kFeelerInterval = 120s;
// The DHT's routing table is copied into the address store every this many ticks.
constexpr uint64_t kLearnEveryTicks = 2;

PeerBookConfig book_config(const P2PNetworkConfig& cfg) {
  PeerBookConfig b;
  b.outbound_target = cfg.outbound_target;
  if (!cfg.data_dir.empty()) b.db_path = cfg.data_dir + "/peers.sqlite";
  return b;
}
}  // namespace

NodeCore::NodeCore(P2PNetworkConfig cfg, crypto::PrivateKey key, asio::io_context* io)
    : cfg_(std::move(cfg)),
      own_io_(io ? nullptr : std::make_unique<asio::io_context>()),
      io_(io ? io : own_io_.get()),
      pool_(own_io_ && cfg_.enable_parallel_processing ? std::make_unique<util::WorkPool>(util::WorkPool::default_threads())
                                                       : nullptr),
      host_(std::make_unique<Host>(*io_, std::move(key), cfg_)),
      book_(book_config(cfg_), rng_) {
  host_->set_work_pool(pool_.get());
  services_ = std::make_unique<NodeServices>(*this);
  registry_.add_collector([this] { return node_metrics_.snapshot(); });
  host_->add_event_listener([this](const HostEvent& e) { on_host_event(e); });
  host_->set_gate([this](const PeerId* peer, const asio::ip::address& ip) -> Status {
    if (book_.banned_ip(ip.to_string(), now()))
      return Error(P2PNetworkError::PeerSecurityValidationFailed, "address " + ip.to_string() + " is banned");
    if (peer && book_.banned_peer(*peer, now()))
      return Error(P2PNetworkError::PeerSecurityValidationFailed, "peer " + peer->to_base58() + " is banned");
    return ok_status();
  });
}

NodeCore::~NodeCore() { stop(); }

bool NodeCore::on_network_thread() const {
  const auto me = std::this_thread::get_id();
  return std::find(thread_ids_.begin(), thread_ids_.end(), me) != thread_ids_.end() ||
         (!own_io_ && executor().running_in_this_thread());
}

void NodeCore::start_threads() {
  if (!own_io_ || !threads_.empty()) return;
  work_.emplace(asio::make_work_guard(*own_io_));
  // One network thread: every piece of a node's state lives on one strand, so a second thread
  // could only run the (rare) handlers that are not on it concurrently with the strand, which
  // buys nothing and makes every such handler a race. Parallelism comes from concurrency on
  // this thread (alpha-parallel lookups, parallel dials) and from running many nodes per process.
  threads_.emplace_back([this] { own_io_->run(); });
  for (auto& t : threads_) thread_ids_.push_back(t.get_id());
}

asio::awaitable<Status> NodeCore::co_start() {
  if (started_) co_return ok_status();
  std::vector<Multiaddr> listen;
  for (const auto& a : cfg_.listen_addrs.empty() ? std::vector<std::string>{"/ip4/127.0.0.1/tcp/0"} : cfg_.listen_addrs) {
    auto m = Multiaddr::parse(a);
    if (!m.ok()) co_return std::move(m).error();
    listen.push_back(std::move(*m));
  }
  auto bound = host_->listen(listen);
  if (!bound.ok()) co_return std::move(bound).error();
  HBP2P_CO_TRY(book_.open(now()));
  HBP2P_CO_TRY(services_->start());
  if (!cfg_.metrics_addr.empty()) {
    metrics_http_ = std::make_unique<metrics::MetricsHttpServer>(registry_);
    HBP2P_CO_TRY(metrics_http_->start(cfg_.metrics_addr));
    auto hp = metrics::parse_metrics_addr(cfg_.metrics_addr);
    metrics_endpoint_ = hp.ok() ? hp->first + ":" + std::to_string(metrics_http_->port()) : cfg_.metrics_addr;
  }
  started_ = true;
  started_at_ = now();
  node_metrics_.refresh(*this);
  // Anchors first (the last good outbound peers), then bootstrap peers.
  for (const auto& a : book_.anchors()) asio::co_spawn(executor(), dial_outbound(a), asio::detached);
  if (!cfg_.bootstrap_peers.empty()) {
    auto addrs = cfg_.bootstrap_peers;
    asio::co_spawn(executor(), [this, addrs]() mutable -> asio::awaitable<void> {
      auto st = co_await services_->co_bootstrap(std::move(addrs));
      if (!st.ok()) {
        // Cancelled: the node stopped while bootstrapping, nothing to warn about.
        if (st.error().is(P2PNetworkError::Cancelled)) spdlog::debug("bootstrap: {}", st.error().message());
        else spdlog::warn("bootstrap: {}", st.error().message());
      }
    }, asio::detached);
  }
  maintenance_timer_ = std::make_unique<asio::steady_timer>(executor());
  asio::co_spawn(executor(), maintenance_loop(), asio::detached);
  co_return ok_status();
}

void NodeCore::stop() {
  if (stopped_.exchange(true)) return;
  auto shutdown = [this] {
    if (maintenance_timer_) maintenance_timer_->cancel();
    services_->stop();
    if (metrics_http_) metrics_http_->stop();
    if (started_) {
      if (auto st = book_.save(now()); !st.ok()) spdlog::warn("peer store: {}", st.error().message());
    }
    host_->close();
  };
  if (own_io_ && !threads_.empty() && !on_network_thread()) {
    std::promise<void> done;
    asio::post(executor(), [&] {
      shutdown();
      done.set_value();
    });
    done.get_future().wait_for(10s);
    work_.reset();
    // Let GoAways flush (the Host bounds each close by a 1 s watchdog): the threads end when
    // the last connection is gone, or after 1.2 s at most.
    asio::co_spawn(executor(), [this]() -> asio::awaitable<void> {
      asio::steady_timer t(executor());
      const Time deadline = now() + 1200ms;
      while (!host_->connections().empty() && now() < deadline) {
        t.expires_after(10ms);
        co_await t.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
      }
      own_io_->stop();
    }, asio::detached);
    for (auto& t : threads_) t.join();
    threads_.clear();
  } else if (executor().running_in_this_thread() || (own_io_ && threads_.empty())) {
    // On the strand, or nothing runs our own io_context: shut down in place.
    shutdown();
  } else {
    // Borrowed io_context run by another thread: shut down on the strand and wait for it
    // (bounded). If it does not run in time (the caller stopped the io_context), the posted
    // work is disarmed and the shutdown happens here, where nothing else touches the node.
    struct Handoff {
      std::mutex m;
      bool taken = false;  // the shutdown ran (or runs) on one side only
      std::promise<void> done;
    };
    auto h = std::make_shared<Handoff>();
    asio::post(executor(), [h, shutdown] {
      std::lock_guard<std::mutex> l(h->m);
      if (h->taken) return;
      h->taken = true;
      shutdown();
      h->done.set_value();
    });
    if (h->done.get_future().wait_for(10s) != std::future_status::ready) {
      std::lock_guard<std::mutex> l(h->m);
      if (!h->taken) {
        h->taken = true;
        shutdown();
      }
    }
  }
}

PeerInfo NodeCore::peer_info(const Connection& c) const {
  const auto& i = c.info();
  PeerInfo p;
  p.peer_id = i.peer.to_base58();
  p.addrs.push_back(i.remote_addr.to_string());
  for (const auto& a : i.listen_addrs)
    if (a != i.remote_addr) p.addrs.push_back(a.to_string());
  p.direction = i.direction == Direction::Inbound ? ConnectionDirection::Inbound : ConnectionDirection::Outbound;
  p.security = i.security;
  p.agent = i.agent;
  p.protocols = i.protocols;
  p.score = book_.score(i.peer, now());
  return p;
}

void NodeCore::on_host_event(const HostEvent& e) {
  const Time t = now();
  switch (e.type) {
    case HostEvent::Type::Connected:
      if (e.info.direction == Direction::Outbound) book_.learn({e.info.remote_addr}, e.info.remote_addr, t);
      break;
    case HostEvent::Type::Identified: {
      // Listen addresses a peer claims: learned with the peer's own address as the source, so
      // one peer's claims land in the buckets of its own network group only.
      std::vector<Multiaddr> addrs;
      for (const auto& a : e.info.listen_addrs) {
        auto with = a.without_p2p().with_component(Proto::P2p, e.info.peer.bytes());
        if (with.ok()) addrs.push_back(std::move(*with));
      }
      book_.learn(addrs, e.info.remote_addr, t);
      break;
    }
    case HostEvent::Type::Disconnected:
      if (e.info.direction == Direction::Outbound) book_.outbound_closed(e.info.remote_addr);
      select_retry_at_ = {};  // its peer may be a candidate again
      break;
  }
}

asio::awaitable<void> NodeCore::dial_outbound(Multiaddr addr) {
  ++pending_outbound_;
  auto c = co_await host_->dial(addr);
  --pending_outbound_;
  if (stopped_) co_return;
  book_.dial_result(addr, c.ok() ? &(*c)->info().peer : nullptr, c.ok(), now());
  if (!c.ok()) spdlog::debug("outbound dial {}: {}", addr.to_string(), c.error().message());
}

asio::awaitable<void> NodeCore::feeler(Multiaddr addr) {
  auto c = co_await host_->dial(addr);
  if (stopped_) co_return;
  book_.feeler_result(addr, c.ok(), now());
  spdlog::debug("feeler {}: {}", addr.to_string(), c.ok() ? "reachable" : c.error().message());
  // Only a test: the connection is closed again. next_feeler skipped connected peers; if the
  // peer connected to us while we dialled, dial() returned that inbound connection: kept.
  if (c.ok() && (*c)->info().direction == Direction::Outbound) (*c)->go_away_and_close("feeler");
}

asio::awaitable<void> NodeCore::maintenance_loop() {
  Time last_save = now();
  while (!stopped_ && !host_->closed()) {
    maintenance_timer_->expires_after(kMaintenanceInterval);
    auto [ec] = co_await maintenance_timer_->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec || stopped_ || host_->closed()) co_return;
    const Time t = now();
    if (++ticks_ % kLearnEveryTicks == 0) services_->learn_from_dht();
    node_metrics_.refresh(*this);
    std::set<std::string> connected;
    for (const auto& c : host_->connections()) {
      // No stream open for idle_timeout: nothing of ours or the peer's uses the connection.
      if (auto idle = c->idle_since(); idle && t - *idle >= cfg_.idle_timeout) {
        c->go_away_and_close("idle");
        continue;
      }
      const auto& b = c->info().peer.bytes();
      connected.emplace(b.begin(), b.end());
    }
    auto is_connected = [&](const std::string& p) { return connected.count(p) != 0; };
    if (book_.learned() != learned_seen_) {
      learned_seen_ = book_.learned();
      select_retry_at_ = {};
    }
    for (size_t i = 0; i < kDialsPerTick && t >= select_retry_at_ &&
                       book_.outbound_count() + pending_outbound_ < book_.outbound_target();
         ++i) {
      auto next = book_.next_outbound(t, is_connected);
      if (!next) {
        select_retry_at_ = t + kSelectRetry;
        break;
      }
      asio::co_spawn(executor(), dial_outbound(std::move(*next)), asio::detached);
    }
    // Feelers: with the outbound slots full, test one "new" address every kFeelerInterval.
    if (next_feeler_at_ == Time{}) next_feeler_at_ = t + kFeelerInterval;
    if (t >= next_feeler_at_) {
      next_feeler_at_ = t + kFeelerInterval;
      if (book_.outbound_target() > 0 && book_.outbound_count() >= book_.outbound_target())
        if (auto f = book_.next_feeler(t, is_connected))
          asio::co_spawn(executor(), feeler(std::move(*f)), asio::detached);
    }
    if (t - last_save >= kSaveInterval) {
      last_save = t;
      if (auto st = book_.save(t); !st.ok()) spdlog::warn("peer store: {}", st.error().message());
    }
  }
}

asio::awaitable<Result<PeerInfo>> NodeCore::co_connect(std::string text, bool secure) {
  auto addr = Multiaddr::parse(text);
  if (!addr.ok()) co_return std::move(addr).error();
  std::optional<PeerId> expected;
  if (auto v = addr->last_value(Proto::P2p)) {
    auto id = PeerId::from_bytes(*v);
    if (!id.ok()) co_return Error(P2PNetworkError::InvalidPeerAddress, "bad /p2p/ value in " + text);
    expected = std::move(*id);
  }
  if (secure) {
    // The specification's validation path: address, limits, ban, then identity (the dial
    // checks the authenticated key against /p2p).
    if (!addr->tcp_endpoint()) co_return Error(P2PNetworkError::InvalidPeerAddress, "not a TCP address: " + text);
    if (!expected) co_return Error(P2PNetworkError::InvalidPeerAddress, "secure connect needs /p2p/<peer id> in " + text);
    if (!host_->connection(*expected)) {
      size_t outbound = 0;
      for (const auto& c : host_->connections())
        if (c->info().direction == Direction::Outbound) ++outbound;
      if (host_->connections().size() >= cfg_.max_peers || outbound >= cfg_.max_outbound)
        co_return Error(P2PNetworkError::ConnectionLimitsExceeded, "outbound connection limit reached");
    }
  }
  HBP2P_CO_TRY(book_.check_dial(expected, *addr, now(), false));
  auto c = co_await host_->dial(*addr);
  book_.dial_result(*addr, c.ok() ? &(*c)->info().peer : nullptr, c.ok(), now());
  if (!c.ok()) co_return std::move(c).error();
  co_return peer_info(**c);
}

asio::awaitable<std::vector<PeerInfo>> NodeCore::co_peers() {
  std::vector<PeerInfo> out;
  for (const auto& c : host_->connections()) out.push_back(peer_info(*c));
  co_return out;
}

asio::awaitable<Status> NodeCore::co_disconnect(std::string peer_id) {
  auto id = PeerId::parse(peer_id);
  if (!id.ok()) co_return std::move(id).error();
  if (!host_->connection(*id)) co_return Error(P2PNetworkError::InvalidConnection, "not connected to " + peer_id);
  host_->disconnect(*id);
  co_return ok_status();
}

asio::awaitable<Result<std::chrono::microseconds>> NodeCore::co_ping(std::string peer_id) {
  auto id = PeerId::parse(peer_id);
  if (!id.ok()) co_return std::move(id).error();
  auto rtt = co_await host_->ping(*id);
  if (!rtt.ok()) co_return std::move(rtt).error();
  co_return std::chrono::duration_cast<std::chrono::microseconds>(*rtt);
}

asio::awaitable<Status> NodeCore::co_ban(std::string peer_id, std::chrono::seconds d, std::string reason) {
  auto id = PeerId::parse(peer_id);
  if (!id.ok()) co_return std::move(id).error();
  const auto& b = id->bytes();
  book_.ban(peer::BanList::peer_key(std::string(b.begin(), b.end())), now() + d, std::move(reason));
  if (host_->connection(*id)) host_->disconnect(*id, "banned");
  co_return ok_status();
}

void NodeCore::report_peer(const PeerId& peer, peer::Behaviour b) {
  const Time t = now();
  if (b == peer::Behaviour::UsefulMessage)
    if (auto c = host_->connection(peer)) c->mark_useful(t);
  if (auto ban = book_.report(peer, b, t)) {
    spdlog::info("peer {} banned for {} s: score fell below the ban threshold", peer.to_base58(),
                 std::chrono::duration_cast<std::chrono::seconds>(*ban).count());
    if (host_->connection(peer)) host_->disconnect(peer, "banned");
  }
}

asio::awaitable<Status> NodeCore::co_unban(std::string key) {
  if (auto id = PeerId::parse(key); id.ok()) {
    const auto& b = id->bytes();
    book_.unban(peer::BanList::peer_key(std::string(b.begin(), b.end())));
  } else {
    book_.unban(key.rfind("ip:", 0) == 0 ? key : peer::BanList::ip_key(key));
  }
  co_return ok_status();
}

asio::awaitable<std::vector<BanInfo>> NodeCore::co_bans() {
  std::vector<BanInfo> out;
  const Time t = now();
  for (const auto& b : book_.bans(t)) {
    BanInfo i;
    if (b.key.rfind("peer:", 0) == 0) {
      auto id = PeerId::from_bytes(Bytes(b.key.begin() + 5, b.key.end()));
      i.key = id.ok() ? "peer:" + id->to_base58() : b.key;
    } else {
      i.key = b.key;
    }
    i.remaining = std::chrono::duration_cast<std::chrono::seconds>(b.until - t);
    i.reason = b.reason;
    out.push_back(std::move(i));
  }
  co_return out;
}

NetworkMetrics NodeCore::metrics_now() const {
  NetworkMetrics m;
  for (const auto& c : host_->connections()) {
    ++m.connected_peers;
    (c->info().direction == Direction::Inbound ? m.inbound_peers : m.outbound_peers)++;
    (c->info().security == "/noise" ? m.noise_connections : m.pq_connections)++;
  }
  const auto& hs = host_->stats();
  m.dials = hs.dials;
  m.inbound_accepted = hs.inbound_accepted;
  m.inbound_refused = hs.inbound_refused;
  for (const auto& [reason, n] : hs.handshake_failures) m.handshake_failures += n;
  m.known_addresses = book_.known_addresses();
  const auto r = services_->router_metrics();
  m.messages_published = r.published;
  m.messages_delivered = r.delivered;
  m.messages_forwarded = r.forwarded;
  m.duplicates = r.duplicates;
  m.gossip_queue_drops = r.queue_drops;
  m.messages_routed = r.routed;
  m.routing_failures = r.routing_failures;
  m.requests_sent = r.requests_sent;
  m.requests_received = r.requests_received;
  const auto d = services_->discovery_metrics();
  m.dht_lookups = d.lookups;
  m.dht_lookup_failures = d.failures;
  m.routing_table_size = services_->routing_table_size();
  if (started_) m.uptime = std::chrono::duration_cast<std::chrono::milliseconds>(now() - started_at_);
  return m;
}

asio::awaitable<NetworkState> NodeCore::co_state() {
  NetworkState s;
  s.peer_id = host_->peer_id().to_base58();
  for (const auto& a : host_->listen_addrs()) {
    auto with = a.with_component(Proto::P2p, host_->peer_id().bytes());
    s.listen_addrs.push_back(with.ok() ? with->to_string() : a.to_string());
  }
  s.connected_peers = co_await co_peers();
  s.network_metrics = metrics_now();
  s.network_metrics.banned = book_.bans(now()).size();
  s.config = cfg_;
  co_return s;
}

std::string NodeCore::metrics_text() const { return registry_.expose(); }

}  // namespace hauptbuch::p2p::node

// Host: listening, dialling, upgrades, connection bookkeeping, ping and identify (see host.h).
#include "node/host.h"

#include <asio/experimental/as_tuple.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>

#include "hauptbuch/p2p/version.h"
#include "peer/inbound_eviction.h"
#include "peer/network_group.h"
#include "protocols/identify/identify.h"
#include "protocols/ping/ping.h"
#include "secure/pq_handshake.h"
#include "transport/tcp.h"
#include <spdlog/spdlog.h>

namespace hauptbuch::p2p::node {
namespace {

using asio::use_awaitable;
constexpr auto kNoThrow = asio::experimental::as_tuple(use_awaitable);
// Upgrades in progress at once (accepted sockets still handshaking): bounds what slow-loris
// connections can hold; honest peers finish in milliseconds.
constexpr size_t kMaxPendingUpgrades = 256;
constexpr auto kStreamNegotiationTimeout = std::chrono::seconds(10);

// Closes a socket when a deadline passes, unless disarmed first. Safe against the timer firing
// after the coroutine that armed it has finished (the state is shared, the socket pointer is
// only used while armed).
class Watchdog {
 public:
  Watchdog(Executor ex, Duration d, asio::ip::tcp::socket* s) : state_(std::make_shared<State>()) {
    state_->socket = s;
    auto timer = std::make_shared<asio::steady_timer>(ex, d);
    state_->timer = timer;
    timer->async_wait([st = state_, timer](std::error_code ec) {
      if (ec || st->socket == nullptr) return;
      st->fired = true;
      std::error_code ignored;
      st->socket->close(ignored);
    });
  }
  ~Watchdog() { disarm(); }
  void disarm() {
    state_->socket = nullptr;
    if (auto t = state_->timer.lock()) t->cancel();
  }
  bool fired() const { return state_->fired; }

 private:
  struct State {
    asio::ip::tcp::socket* socket = nullptr;
    bool fired = false;
    std::weak_ptr<asio::steady_timer> timer;
  };
  std::shared_ptr<State> state_;
};

ConnectionLimits limits_from(const P2PNetworkConfig& c) {
  ConnectionLimits l;
  l.max_peers = c.max_peers;
  l.max_inbound = c.max_inbound;
  l.max_outbound = c.max_outbound;
  l.max_inbound_per_ip = c.max_inbound_per_ip;
  l.max_inbound_per_subnet = c.max_inbound_per_subnet;
  return l;
}

std::string key_of(const PeerId& p) { return std::string(p.bytes().begin(), p.bytes().end()); }

}  // namespace

std::string agent_version() { return std::string("hbp2p/") + HBP2P_VERSION_STRING; }

Host::Host(asio::io_context& io, crypto::PrivateKey identity, P2PNetworkConfig cfg)
    : ex_(asio::make_strand(io)),
      identity_(std::move(identity)),
      peer_id_(PeerId::from_public_key(identity_.public_key())),
      cfg_(std::move(cfg)),
      noise_key_(secure::NoiseStaticKey::generate(identity_, SystemRandom::instance())),
      conn_mgr_(limits_from(cfg_)),
      eviction_salt_(SystemRandom::instance().next_u64()) {
  SecurityProtocol noise;
  noise.id = std::string(secure::kNoiseProtocolId);
  noise.make = [this](bool initiator, std::optional<PeerId> expected, bool pq) -> std::unique_ptr<secure::SecureHandshake> {
    secure::NoiseOptions o;
    o.stream_muxers = {std::string(kYamuxProtocol)};
    o.pq_capable = pq;
    o.expected_peer = std::move(expected);
    return std::make_unique<secure::NoiseHandshake>(initiator, identity_, noise_key_, std::move(o), SystemRandom::instance());
  };
  noise.peer_pq_capable = [](const secure::SecureHandshake& h) {
    return static_cast<const secure::NoiseHandshake&>(h).peer_info().pq_capable;
  };
  security_.push_back(std::move(noise));
  SecurityProtocol pq;
  pq.id = std::string(secure::kPqProtocolId);
  pq.post_quantum = true;
  pq.make = [this](bool initiator, std::optional<PeerId> expected, bool) -> std::unique_ptr<secure::SecureHandshake> {
    secure::NoiseOptions o;
    o.stream_muxers = {std::string(kYamuxProtocol)};
    o.expected_peer = std::move(expected);
    return std::make_unique<secure::PqHandshake>(initiator, identity_, std::move(o), SystemRandom::instance());
  };
  security_.push_back(std::move(pq));

  set_handler(std::string(ping::kPingProtocol), [](StreamPtr s) { return ping::serve(std::move(s)); });
  set_handler(std::string(identify::kIdentifyProtocol), [this](StreamPtr s) { return serve_identify(std::move(s)); });
  set_handler(std::string(identify::kIdentifyPushProtocol), [this](StreamPtr s) -> asio::awaitable<void> {
    auto msg = co_await s->read_message(identify::kMaxIdentifyBytes);
    if (!msg.ok() || closed_) co_return;
    apply_identify(s->connection(), *msg);
  });
}

Host::~Host() {
  closed_ = true;
  for (auto& a : acceptors_) {
    std::error_code ec;
    a->close(ec);
  }
  // Connections may outlive us in pending handlers: close them now so none calls back here.
  on_event_ = nullptr;
  listeners_.clear();
  auto conns = conns_;
  for (auto& [id, c] : conns) c->close("host destroyed");
  *alive_ = false;
  alive_.reset();
}

bool Host::pq_available() const {
  for (const auto& p : security_)
    if (p.post_quantum) return true;
  return false;
}

void Host::set_handler(const std::string& protocol, Handler h) {
  const bool is_new = handlers_.count(protocol) == 0;
  handlers_[protocol] = std::move(h);
  if (is_new) schedule_identify_push();
}

void Host::remove_handler(const std::string& protocol) {
  if (handlers_.erase(protocol) != 0) schedule_identify_push();
}

void Host::emit(const HostEvent& e) {
  if (on_event_) on_event_(e);
  // Index loop: a listener may add another listener.
  for (size_t i = 0; i < listeners_.size(); ++i) listeners_[i](e);
}

// One push per batch of handler changes: registering several protocols in a row (a service
// starting) costs one stream per connection, not one per protocol.
void Host::schedule_identify_push() {
  if (push_scheduled_ || conns_.empty() || closed_) return;
  push_scheduled_ = true;
  asio::co_spawn(ex_, push_identify_to_all(), asio::detached);
}

asio::awaitable<void> Host::push_identify_to_all() {
  auto alive = std::weak_ptr<bool>(alive_);
  co_await asio::post(ex_, asio::use_awaitable);  // let the caller finish its registrations
  if (!alive.lock() || closed_) co_return;
  push_scheduled_ = false;
  std::vector<ConnectionPtr> targets;
  for (const auto& [id, c] : conns_)
    if (!c->closed()) targets.push_back(c);
  for (auto& c : targets) {
    asio::co_spawn(ex_, [this, c, alive]() -> asio::awaitable<void> {
      std::vector<std::string> protos{std::string(identify::kIdentifyPushProtocol)};
      auto s = co_await c->open_stream(std::move(protos));
      if (!s.ok() || !alive.lock()) co_return;
      const Bytes msg = identify_message(c->info().remote_addr);
      (void)co_await (*s)->write_message(msg);
      (void)(*s)->close_write();
    }, asio::detached);
  }
}

Bytes Host::identify_message(const Multiaddr& observed) const {
  identify::IdentifyInfo info;
  info.protocol_version = std::string(identify::kProtocolVersion);
  info.agent_version = agent_version();
  info.public_key = identity_.public_key();
  info.listen_addrs = listen_addrs_;
  info.observed_addr = observed;
  info.protocols = protocols();
  return identify::encode_identify(info);
}

void Host::apply_identify(const ConnectionPtr& conn, ByteSpan msg) {
  auto info = identify::decode_identify(msg, conn->info().peer);
  if (!info.ok()) {
    spdlog::debug("identify from {} rejected: {}", conn->info().peer.to_base58(), info.error().message());
    return;
  }
  conn->mutable_info().protocols = info->protocols;
  conn->mutable_info().listen_addrs = info->listen_addrs;
  if (!info->agent_version.empty()) conn->mutable_info().agent = info->agent_version;
  if (!conn->closed() && conns_.count(conn->id())) emit({HostEvent::Type::Identified, conn->info(), {}});
}

std::vector<std::string> Host::protocols() const {
  std::vector<std::string> out;
  for (const auto& [p, h] : handlers_) out.push_back(p);
  return out;
}

std::vector<ConnectionPtr> Host::connections() const {
  std::vector<ConnectionPtr> out;
  for (const auto& [id, c] : conns_)
    if (!c->closed()) out.push_back(c);
  return out;
}

ConnectionPtr Host::connection(const PeerId& peer) const {
  if (auto id = conn_mgr_.connection_for(key_of(peer)))
    if (auto it = conns_.find(*id); it != conns_.end() && !it->second->closed()) return it->second;
  return nullptr;
}

Result<std::vector<Multiaddr>> Host::listen(const std::vector<Multiaddr>& addrs) {
  std::vector<Multiaddr> bound;
  for (const auto& a : addrs) {
    auto ep = transport::tcp_endpoint_of(a);
    if (!ep.ok()) return std::move(ep).error();
    auto acc = std::make_shared<asio::ip::tcp::acceptor>(ex_);
    std::error_code ec;
    acc->open(ep->protocol(), ec);
    if (!ec) acc->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec && ep->address().is_v6()) acc->set_option(asio::ip::v6_only(true), ec);
    if (!ec) acc->bind(*ep, ec);
    if (!ec) acc->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Error(P2PNetworkError::IoFailed, "cannot listen on " + a.to_string() + ": " + ec.message());
    const auto local = acc->local_endpoint(ec);
    if (ec) return Error(P2PNetworkError::IoFailed, "cannot read the bound address: " + ec.message());
    bound.push_back(transport::multiaddr_of(local));
    listen_addrs_.push_back(bound.back());
    acceptors_.push_back(acc);
    asio::co_spawn(ex_, accept_loop(acc), asio::detached);
  }
  return bound;
}

asio::awaitable<void> Host::accept_loop(std::shared_ptr<asio::ip::tcp::acceptor> acceptor) {
  while (!closed_) {
    auto [ec, socket] = co_await acceptor->async_accept(kNoThrow);
    if (closed_ || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // E.g. out of file descriptors: back off briefly instead of spinning.
      asio::steady_timer t(ex_, std::chrono::milliseconds(100));
      co_await t.async_wait(kNoThrow);
      continue;
    }
    asio::co_spawn(ex_, handle_inbound(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> Host::handle_inbound(asio::ip::tcp::socket socket) {
  std::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) co_return;
  const auto ip = remote.address();
  bool refuse = pending_upgrades_ >= kMaxPendingUpgrades || (gate_ && !gate_(nullptr, ip).ok());
  // No free slot: a newcomer that passed the other checks may take an evicted peer's place.
  if (!refuse && !conn_mgr_.check_inbound(ip).ok())
    refuse = !(conn_mgr_.inbound_full() && evict_one_inbound() && conn_mgr_.check_inbound(ip).ok());
  if (refuse) {
    ++stats_.inbound_refused;
    socket.close(ec);
    co_return;
  }
  ++stats_.inbound_accepted;
  auto r = co_await finish_upgrade(std::move(socket), false, std::nullopt, transport::multiaddr_of(remote));
  if (!r.ok()) spdlog::debug("inbound connection from {} failed: {}", remote.address().to_string(), r.error().message());
}

asio::awaitable<Result<ConnectionPtr>> Host::dial(Multiaddr addr) {
  if (closed_) co_return Error(P2PNetworkError::InvalidConnection, "host is closed");
  auto ep = transport::tcp_endpoint_of(addr);
  if (!ep.ok()) co_return std::move(ep).error();
  std::optional<PeerId> expected;
  if (auto v = addr.last_value(Proto::P2p)) {
    auto id = PeerId::from_bytes(*v);
    if (!id.ok()) co_return Error(P2PNetworkError::InvalidPeerAddress, "bad /p2p/ value in " + addr.to_string());
    if (*id == peer_id_) co_return Error(P2PNetworkError::InvalidPeerAddress, "refusing to dial ourselves");
    if (auto c = connection(*id)) co_return c;  // cached connect
    expected = std::move(*id);
  }
  if (auto st = conn_mgr_.check_outbound(); !st) co_return std::move(st).error();
  ++stats_.dials;
  asio::ip::tcp::socket socket(ex_);
  {
    Watchdog wd(ex_, cfg_.connection_timeout, &socket);
    auto [ec] = co_await socket.async_connect(*ep, kNoThrow);
    wd.disarm();
    if (wd.fired()) co_return Error(P2PNetworkError::Timeout, "connect to " + addr.to_string() + " timed out");
    if (ec) co_return Error(P2PNetworkError::PeerConnectionFailed, "connect to " + addr.to_string() + ": " + ec.message());
  }
  co_return co_await finish_upgrade(std::move(socket), true, std::move(expected), addr.without_p2p());
}

asio::awaitable<Result<ConnectionPtr>> Host::finish_upgrade(asio::ip::tcp::socket socket, bool initiator,
                                                            std::optional<PeerId> expected, Multiaddr remote) {
  ++pending_upgrades_;
  // Decrements on every exit, including destruction of the suspended frame after the Host is
  // gone (io_context teardown): then the counter is not touched.
  struct Dec {
    size_t* n;
    std::weak_ptr<bool> alive;
    ~Dec() {
      if (alive.lock()) --*n;
    }
  } dec{&pending_upgrades_, alive_};
  transport::tune_socket(socket);
  std::error_code ec;
  const auto remote_ep = socket.remote_endpoint(ec);
  Watchdog wd(ex_, cfg_.handshake_timeout, &socket);
  const bool pq_capable = pq_available() && cfg_.security != SecurityMode::Noise;
  auto up = co_await upgrade_connection(socket, initiator, security_for_mode(security_, cfg_.security), expected, pq_capable, pool_);
  wd.disarm();
  if (wd.fired()) {
    ++stats_.handshake_failures["Timeout"];
    co_return Error(P2PNetworkError::Timeout, "connection upgrade timed out");
  }
  if (!up.ok()) {
    ++stats_.handshake_failures[std::string(error_name(static_cast<P2PNetworkError>(up.error().code().value())))];
    socket.close(ec);
    co_return std::move(up).error();
  }
  if (closed_) co_return Error(P2PNetworkError::InvalidConnection, "host is closed");
  if (gate_) {
    const PeerId remote_peer = up->transport->remote_peer();
    if (auto st = gate_(&remote_peer, remote_ep.address()); !st.ok()) {
      ++stats_.handshake_failures["Refused"];
      socket.close(ec);
      co_return std::move(st).error();
    }
  }
  ConnectionInfo info{up->transport->remote_peer(), remote, initiator ? Direction::Outbound : Direction::Inbound,
                      up->security, {}, {}, {}};
  auto conn = std::make_shared<Connection>(std::move(socket), std::move(up->transport), std::move(info), ex_, mux::YamuxConfig{});
  auto admit = conn_mgr_.add(conn->id(), key_of(conn->info().peer), key_of(peer_id_), conn->info().direction, remote_ep.address());
  if (!admit.ok()) co_return std::move(admit).error();
  if (!admit->keep_new) {
    conn_mgr_.remove(conn->id());
    auto existing = connection(conn->info().peer);
    conn->start({}, nullptr, nullptr);
    conn->go_away_and_close("duplicate connection");
    if (existing) co_return existing;
    co_return Error(P2PNetworkError::PeerConnectionFailed, "duplicate connection closed");
  }
  if (admit->close_old) {
    if (auto it = conns_.find(*admit->close_old); it != conns_.end()) it->second->go_away_and_close("replaced by a newer connection");
  }
  conns_[conn->id()] = conn;
  conn->start(std::move(up->plaintext), [this](StreamPtr s) { on_inbound_stream(std::move(s)); },
              [this](Connection& c, const std::string& reason) { on_connection_closed(c, reason); });
  emit({HostEvent::Type::Connected, conn->info(), {}});
  asio::co_spawn(ex_, run_identify(conn), asio::detached);
  co_return conn;
}

bool Host::evict_one_inbound() {
  std::vector<peer::EvictionCandidate> candidates;
  const Time now = Clock::now();
  for (const auto& [id, c] : conns_) {
    if (c->closed() || c->info().direction != Direction::Inbound || !conn_mgr_.tracks(id)) continue;
    peer::EvictionCandidate e;
    e.id = id;
    e.group = peer::network_group(c->info().remote_addr).key;
    e.connected_at = c->connected_at();
    e.last_useful = c->last_useful();
    e.min_rtt = c->min_rtt();
    candidates.push_back(std::move(e));
  }
  const auto victim = peer::select_inbound_to_evict(std::move(candidates), eviction_salt_);
  if (!victim) return false;
  auto it = conns_.find(*victim);
  if (it == conns_.end()) return false;
  spdlog::debug("evicting inbound peer {} to make room ({} s connected)", it->second->info().peer.to_base58(),
                std::chrono::duration_cast<std::chrono::seconds>(now - it->second->connected_at()).count());
  ++stats_.inbound_evicted;
  conn_mgr_.remove(*victim);  // the slot is free now; the close below reports the disconnect
  it->second->go_away_and_close("evicted: inbound slots full");
  return true;
}

void Host::on_connection_closed(Connection& c, const std::string& reason) {
  const ConnectionId id = c.id();
  // Only connections the manager still tracks were "connected" (duplicates never were).
  if (conns_.count(id)) emit({HostEvent::Type::Disconnected, c.info(), reason});
  conn_mgr_.remove(id);
  // Erase later: we are inside the connection's own member function.
  asio::post(ex_, [this, id, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.lock()) conns_.erase(id);
  });
}

void Host::on_inbound_stream(StreamPtr s) {
  asio::co_spawn(ex_, [this, s]() -> asio::awaitable<void> {
    auto timer = std::make_shared<asio::steady_timer>(ex_, kStreamNegotiationTimeout);
    timer->async_wait([w = std::weak_ptr<Stream>(s)](std::error_code ec) {
      if (!ec)
        if (auto st = w.lock()) st->reset();
    });
    auto st = co_await Connection::negotiate_inbound(s, [this](std::string_view p) {
      return handlers_.count(std::string(p)) != 0;
    });
    timer->cancel();
    if (!st.ok()) {
      spdlog::debug("inbound stream negotiation with {} failed: {}", s->connection()->info().peer.to_base58(),
                    st.error().message());
      s->reset();
      co_return;
    }
    auto it = handlers_.find(s->protocol());
    if (it == handlers_.end()) co_return;
    Handler h = it->second;  // copy: the table may change while the handler runs
    co_await h(s);
  }, asio::detached);
}

asio::awaitable<Result<StreamPtr>> Host::new_stream(const PeerId& peer, std::vector<std::string> protocols) {
  auto conn = connection(peer);
  if (!conn) co_return Error(P2PNetworkError::InvalidConnection, "not connected to " + peer.to_base58());
  co_return co_await conn->open_stream(std::move(protocols));
}

asio::awaitable<Result<Duration>> Host::ping(const PeerId& peer) {
  std::vector<std::string> protos{std::string(ping::kPingProtocol)};  // (GCC 12: no braced lists in co_await calls)
  auto s = co_await new_stream(peer, std::move(protos));
  if (!s.ok()) co_return std::move(s).error();
  auto rtt = co_await ping::ping_once(**s, SystemRandom::instance());
  (void)(*s)->close_write();
  if (rtt.ok())
    if (auto conn = (*s)->connection()) conn->note_rtt(*rtt);
  co_return rtt;
}

asio::awaitable<void> Host::serve_identify(StreamPtr s) {
  const Bytes msg = identify_message(s->connection()->info().remote_addr);
  (void)co_await s->write_message(msg);
  (void)s->close_write();
}

asio::awaitable<void> Host::run_identify(ConnectionPtr conn) {
  std::vector<std::string> protos{std::string(identify::kIdentifyProtocol)};
  auto s = co_await conn->open_stream(std::move(protos));
  if (!s.ok()) co_return;
  auto msg = co_await (*s)->read_message(identify::kMaxIdentifyBytes);
  if (!msg.ok() || closed_) co_return;
  apply_identify(conn, *msg);
}

void Host::disconnect(const PeerId& peer, const std::string& reason) {
  if (auto c = connection(peer)) c->go_away_and_close(reason);
}

void Host::close() {
  if (closed_) return;
  closed_ = true;
  for (auto& a : acceptors_) {
    std::error_code ec;
    a->close(ec);
  }
  for (auto& [id, c] : conns_) c->go_away_and_close("host shutting down");
}

}  // namespace hauptbuch::p2p::node

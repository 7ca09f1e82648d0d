// GossipService implementation: stream plumbing between the Host and the gossipsub Router.
// Never touches service state off the Host strand; every coroutine holds the Impl alive and
// re-checks `stopped` (and its peer's generation) after each await.
#include "protocols/gossipsub/service.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <optional>

namespace hauptbuch::p2p::gossipsub {

namespace {

// Protocols we speak, in preference order (also the order offered on outbound streams).
const std::vector<std::string>& pubsub_protocols() {
  static const std::vector<std::string> k{std::string(kMeshsub12), std::string(kMeshsub11),
                                          std::string(kMeshsub10), std::string(kFloodsub)};
  return k;
}

// How often we re-open our outbound stream to a still-connected peer after it failed, before
// giving up on the peer until it reconnects: a peer that keeps resetting our stream must not
// make us loop.
constexpr int kMaxOutboundReopens = 3;

}  // namespace

struct GossipService::Impl : std::enable_shared_from_this<Impl> {
  struct PeerConn {
    uint64_t generation = 0;
    PeerProtocol proto = PeerProtocol::Meshsub12;
    node::StreamPtr out;                        // our outbound stream (write only)
    node::StreamPtr in;                         // the peer's stream (read only)
    std::unique_ptr<asio::steady_timer> wake;   // the writer waits on it; cancel() wakes it
    bool writer_waiting = false;
    int reopens = 0;
  };

  Impl(node::Host& h, GossipsubConfig c, RpcLimits l)
      : host(h),
        limits(l),
        router(std::move(c), PeerKey(h.peer_id().bytes().begin(), h.peer_id().bytes().end()), &h.identity(), rng),
        heartbeat_timer(h.executor()) {}

  node::Host& host;
  RpcLimits limits;
  FastRandom rng;  // the router's peer picks (strand only); before the router, which keeps it
  Router router;
  asio::steady_timer heartbeat_timer;
  bool started = false, stopped = false;
  uint64_t next_generation = 1;
  std::map<PeerKey, PeerConn> peers;
  std::map<std::string, Validator> validators;
  MessageCallback on_message;
  BadFrameCallback on_bad_frame;
  bool batch_signatures = true;
  GossipServiceStats counters;

  static PeerKey key_of(const PeerId& p) { return PeerKey(p.bytes().begin(), p.bytes().end()); }
  static std::optional<PeerId> id_of(const PeerKey& k) {
    auto r = PeerId::from_bytes(ByteSpan(reinterpret_cast<const uint8_t*>(k.data()), k.size()));
    if (!r.ok()) return std::nullopt;
    return *r;
  }

  // Adds `peer` to the router (if new) and opens our outbound stream to it.
  void ensure_peer(const PeerId& peer, PeerProtocol proto) {
    if (stopped || peer == host.peer_id()) return;
    const PeerKey key = key_of(peer);
    if (peers.count(key)) return;
    auto conn = host.connection(peer);
    if (!conn) return;
    const auto& info = conn->info();
    std::string ip;
    if (auto ep = info.remote_addr.tcp_endpoint()) ip = ep->host;
    PeerConn pc;
    pc.generation = next_generation++;
    pc.proto = proto;
    pc.wake = std::make_unique<asio::steady_timer>(host.executor());
    const uint64_t gen = pc.generation;
    peers.emplace(key, std::move(pc));
    router.add_peer(key, proto, info.direction == node::Direction::Outbound, ip, Clock::now());
    asio::co_spawn(host.executor(), open_outbound(shared_from_this(), peer, gen), asio::detached);
  }

  void drop_peer(const PeerKey& key) {
    auto it = peers.find(key);
    if (it == peers.end()) return;
    if (it->second.out) it->second.out->reset();
    if (it->second.in) it->second.in->reset();
    if (it->second.wake) it->second.wake->cancel();
    peers.erase(it);
    router.remove_peer(key);
  }

  static asio::awaitable<void> open_outbound(std::shared_ptr<Impl> self, PeerId peer, uint64_t gen) {
    std::vector<std::string> protos = pubsub_protocols();
    auto s = co_await self->host.new_stream(peer, std::move(protos));
    const PeerKey key = key_of(peer);
    auto it = self->peers.find(key);
    if (self->stopped || it == self->peers.end() || it->second.generation != gen) {
      if (s.ok()) (*s)->reset();
      co_return;
    }
    if (!s.ok()) {
      ++self->counters.stream_open_failures;
      self->drop_peer(key);
      co_return;
    }
    ++self->counters.streams_opened;
    it->second.out = *s;
    auto negotiated = peer_protocol_from_id((*s)->protocol());
    if (negotiated && *negotiated != it->second.proto) {
      // The negotiated protocol is authoritative (a peer may have announced more than it speaks).
      it->second.proto = *negotiated;
      auto conn = self->host.connection(peer);
      const bool outbound = conn && conn->info().direction == node::Direction::Outbound;
      self->router.add_peer(key, *negotiated, outbound, ip_of(self->host, peer), Clock::now());
    }
    co_await writer(self, key, gen);
  }

  static std::string ip_of(node::Host& host, const PeerId& peer) {
    auto c = host.connection(peer);
    if (!c) return {};
    auto ep = c->info().remote_addr.tcp_endpoint();
    return ep ? ep->host : std::string();
  }

  static asio::awaitable<void> writer(std::shared_ptr<Impl> self, PeerKey key, uint64_t gen) {
    for (;;) {
      auto it = self->peers.find(key);
      if (self->stopped || it == self->peers.end() || it->second.generation != gen) co_return;
      auto rpc = self->router.take_rpc(key);
      if (!rpc) {
        it->second.wake->expires_at(asio::steady_timer::time_point::max());
        it->second.writer_waiting = true;
        std::error_code ec;
        co_await it->second.wake->async_wait(asio::redirect_error(asio::use_awaitable, ec));
        auto again = self->peers.find(key);
        if (again != self->peers.end() && again->second.generation == gen) again->second.writer_waiting = false;
        continue;
      }
      Bytes frame = encode_rpc(*rpc);
      if (frame.size() > self->limits.max_rpc_bytes) {
        ++self->counters.oversize_frames_dropped;
        continue;
      }
      node::StreamPtr out = it->second.out;
      auto st = co_await out->write_message(frame);
      if (!st.ok()) {
        self->on_outbound_failed(key, gen);
        co_return;
      }
      ++self->counters.rpcs_out;
      self->counters.bytes_out += frame.size();
    }
  }

  // Our outbound stream broke: forget the peer; if the connection survives (e.g. the stream was
  // reset, or a duplicate connection was closed), start over a bounded number of times.
  void on_outbound_failed(const PeerKey& key, uint64_t gen) {
    auto it = peers.find(key);
    if (it == peers.end() || it->second.generation != gen) return;
    const int reopens = it->second.reopens;
    const PeerProtocol proto = it->second.proto;
    drop_peer(key);
    if (stopped || reopens >= kMaxOutboundReopens) return;
    auto peer = id_of(key);
    if (peer && host.connection(*peer)) {
      ensure_peer(*peer, proto);
      if (auto again = peers.find(key); again != peers.end()) again->second.reopens = reopens + 1;
    }
  }

  // Checks the signatures the router would check (StrictSign, not seen yet) as batches
  // (validate_signed_messages; one by one if batch_signatures is off): on the work pool, one
  // share per worker, or inline on the strand when the node has no pool. The RPC is moved out
  // and back so the jobs own what they read.
  static asio::awaitable<std::vector<SignatureCheck>> check_signatures(Impl& self, util::WorkPool* pool, Rpc& rpc) {
    auto idx = std::make_shared<std::vector<size_t>>();
    for (size_t i = 0; i < rpc.publish.size(); ++i)
      if (self.router.needs_signature_check(rpc.publish[i])) idx->push_back(i);
    if (idx->empty()) co_return std::vector<SignatureCheck>{};
    auto shared = std::make_shared<Rpc>(std::move(rpc));
    auto out = std::make_shared<std::vector<SignatureCheck>>(shared->publish.size(), SignatureCheck::None);
    const size_t parts = pool ? std::min(pool->threads(), idx->size()) : 1;
    std::vector<std::function<void()>> jobs;
    for (size_t p = 0; p < parts; ++p)
      jobs.push_back([shared, out, idx, p, parts, batch = self.batch_signatures] {
        std::vector<const PubsubMessage*> msgs;
        for (size_t k = p; k < idx->size(); k += parts) msgs.push_back(&shared->publish[(*idx)[k]]);
        std::vector<Status> verdicts;
        if (batch) {
          verdicts = validate_signed_messages(msgs);
        } else {
          for (const PubsubMessage* m : msgs) verdicts.push_back(validate_message(*m, SignaturePolicy::StrictSign));
        }
        for (size_t j = 0; j < verdicts.size(); ++j)
          (*out)[(*idx)[p + j * parts]] = verdicts[j].ok() ? SignatureCheck::Valid : SignatureCheck::Invalid;
      });
    if (pool)
      co_await pool->run_all(std::move(jobs));
    else
      jobs.front()();
    rpc = std::move(*shared);
    co_return std::move(*out);
  }

  static asio::awaitable<void> reader(std::shared_ptr<Impl> self, node::StreamPtr s) {
    auto conn = s->connection();
    if (!conn) co_return;
    const PeerId peer = conn->info().peer;
    const PeerKey key = key_of(peer);
    auto proto = peer_protocol_from_id(s->protocol());
    if (!proto || self->stopped) {
      s->reset();
      co_return;
    }
    self->ensure_peer(peer, *proto);
    auto it = self->peers.find(key);
    if (it == self->peers.end()) {
      s->reset();
      co_return;
    }
    // One inbound stream per peer: a newer one replaces the older (the peer re-opened it).
    if (it->second.in) it->second.in->reset();
    it->second.in = s;
    const uint64_t gen = it->second.generation;
    for (;;) {
      auto frame = co_await s->read_message(self->limits.max_rpc_bytes);
      auto cur = self->peers.find(key);
      const bool current = !self->stopped && cur != self->peers.end() && cur->second.generation == gen &&
                           cur->second.in == s;
      if (!current) co_return;
      if (!frame.ok()) {
        // EOF or reset ends the stream quietly; an oversized frame is the peer's fault.
        if (frame.error().is(P2PNetworkError::InvalidMessage) || frame.error().is(P2PNetworkError::ResourceLimitExceeded)) {
          ++self->counters.bad_frames;
          if (self->on_bad_frame) self->on_bad_frame(peer);
        }
        cur->second.in.reset();
        co_return;
      }
      ++self->counters.rpcs_in;
      self->counters.bytes_in += frame->size();
      auto rpc = decode_rpc(*frame, self->limits);
      if (!rpc.ok()) {
        ++self->counters.bad_frames;
        if (self->on_bad_frame) self->on_bad_frame(peer);
        s->reset();
        cur->second.in.reset();
        co_return;
      }
      util::WorkPool* pool = self->host.work_pool();
      std::vector<SignatureCheck> checked = co_await check_signatures(*self, pool, *rpc);
      if (pool) {
        // The node may have stopped, or the peer gone, while the workers ran.
        auto again = self->peers.find(key);
        if (self->stopped || again == self->peers.end() || again->second.generation != gen || again->second.in != s)
          co_return;
      }
      self->router.handle_rpc(key, std::move(*rpc), Clock::now(), checked);
      self->flush();
    }
  }

  // Hands router output to the writers, the validators and the application.
  void flush() {
    if (stopped) return;
    for (auto& v : router.take_validations()) {
      ReceivedMessage m = to_received(v.id, v.message, v.received_from);
      auto vit = validators.find(m.topic);
      if (vit == validators.end()) {
        router.report_validation(v.id, ValidationResult::Accept, Clock::now());
        continue;
      }
      std::weak_ptr<Impl> weak = weak_from_this();
      auto ex = host.executor();
      auto called = std::make_shared<bool>(false);
      vit->second(m, [weak, ex, id = v.id, called](ValidationResult r) {
        asio::post(ex, [weak, id, r, called] {
          auto self = weak.lock();
          if (!self || self->stopped || *called) return;
          *called = true;
          self->router.report_validation(id, r, Clock::now());
          self->flush();
        });
      });
    }
    auto deliveries = router.take_deliveries();
    (void)router.take_px_candidates();  // no signed peer records yet: PX candidates are not dialled
    for (const auto& peer : router.peers_with_output()) {
      auto it = peers.find(peer);
      if (it != peers.end() && it->second.writer_waiting) it->second.wake->cancel();
    }
    if (on_message)
      for (auto& d : deliveries) on_message(to_received(std::move(d)));
  }

  // A delivery is handed over once: its fields move into the application's message.
  static ReceivedMessage to_received(Delivery&& d) {
    ReceivedMessage m;
    m.topic = std::move(d.message.topic);
    m.author = std::move(d.message.from);
    m.received_from.assign(d.received_from.begin(), d.received_from.end());
    m.id = std::move(d.id);
    m.data = std::move(d.message.data);
    return m;
  }

  static ReceivedMessage to_received(const MessageId& id, const PubsubMessage& msg, const PeerKey& from) {
    return to_received(Delivery{id, msg, from});
  }

  static asio::awaitable<void> heartbeat_loop(std::shared_ptr<Impl> self) {
    while (!self->stopped) {
      Time next = self->router.next_heartbeat();
      if (next == Time{}) next = Clock::now() + std::chrono::seconds(1);
      self->heartbeat_timer.expires_at(next);
      std::error_code ec;
      co_await self->heartbeat_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (self->stopped) co_return;
      const Time now = Clock::now();
      if (self->router.next_heartbeat() != Time{} && now >= self->router.next_heartbeat()) {
        self->router.heartbeat(now);
        self->flush();
      }
    }
  }

  void on_event(const node::HostEvent& e) {
    if (stopped) return;
    const PeerKey key = key_of(e.info.peer);
    switch (e.type) {
      case node::HostEvent::Type::Connected:
        break;
      case node::HostEvent::Type::Identified: {
        if (peers.count(key)) break;
        for (const auto& p : pubsub_protocols()) {
          if (std::find(e.info.protocols.begin(), e.info.protocols.end(), p) != e.info.protocols.end()) {
            ensure_peer(e.info.peer, *peer_protocol_from_id(p));
            flush();
            break;
          }
        }
        break;
      }
      case node::HostEvent::Type::Disconnected:
        // The Host keeps one connection per peer; if another one survives, keep the peer.
        if (host.connection(e.info.peer)) break;
        drop_peer(key);
        break;
    }
  }
};

GossipService::GossipService(node::Host& host, GossipsubConfig cfg, RpcLimits limits)
    : impl_(std::make_shared<Impl>(host, std::move(cfg), limits)) {}

GossipService::~GossipService() { stop(); }

void GossipService::start() {
  auto& s = *impl_;
  if (s.started || s.stopped) return;
  s.started = true;
  std::weak_ptr<Impl> weak = impl_;
  for (const auto& p : pubsub_protocols()) {
    s.host.set_handler(p, [weak](node::StreamPtr stream) -> asio::awaitable<void> {
      auto self = weak.lock();
      if (!self) {
        stream->reset();
        co_return;
      }
      co_await Impl::reader(std::move(self), std::move(stream));
    });
  }
  s.host.add_event_listener([weak](const node::HostEvent& e) {
    if (auto self = weak.lock()) self->on_event(e);
  });
  for (const auto& c : s.host.connections()) {
    node::HostEvent e{node::HostEvent::Type::Identified, c->info(), {}};
    s.on_event(e);
  }
  asio::co_spawn(s.host.executor(), Impl::heartbeat_loop(impl_), asio::detached);
}

void GossipService::stop() {
  auto& s = *impl_;
  if (s.stopped) return;
  s.stopped = true;
  if (s.started && !s.host.closed())
    for (const auto& p : pubsub_protocols()) s.host.remove_handler(p);
  s.heartbeat_timer.cancel();
  std::vector<PeerKey> keys;
  for (const auto& [k, _] : s.peers) keys.push_back(k);
  for (const auto& k : keys) s.drop_peer(k);
}

Status GossipService::subscribe(const std::string& topic) {
  if (topic.empty() || topic.size() > impl_->limits.max_topic_length)
    return Error(P2PNetworkError::InvalidMessage, "topic must be 1-256 bytes");
  impl_->router.subscribe(topic, Clock::now());
  impl_->flush();
  return {};
}

void GossipService::unsubscribe(const std::string& topic) {
  impl_->router.unsubscribe(topic, Clock::now());
  impl_->flush();
}

Result<size_t> GossipService::publish(const std::string& topic, Bytes data) {
  auto r = impl_->router.publish(topic, std::move(data), Clock::now());
  impl_->flush();
  return r;
}

void GossipService::set_validator(const std::string& topic, Validator v) {
  impl_->validators[topic] = std::move(v);
  impl_->router.set_async_validation(true);
}

void GossipService::set_message_callback(MessageCallback cb) { impl_->on_message = std::move(cb); }
void GossipService::set_bad_frame_callback(BadFrameCallback cb) { impl_->on_bad_frame = std::move(cb); }

void GossipService::set_batch_signature_checks(bool on) { impl_->batch_signatures = on; }

GossipServiceStats GossipService::stats() const {
  GossipServiceStats s = impl_->counters;
  s.router = impl_->router.stats();
  s.peers = impl_->peers.size();
  return s;
}

std::vector<double> GossipService::peer_scores() const {
  std::vector<double> out;
  const Time now = Clock::now();
  for (const auto& [k, pc] : impl_->peers) out.push_back(impl_->router.score(k, now));
  return out;
}

std::vector<PeerId> GossipService::peers() const {
  std::vector<PeerId> out;
  for (const auto& [k, pc] : impl_->peers)
    if (auto id = Impl::id_of(k); id && pc.out) out.push_back(*id);
  return out;
}

std::vector<PeerId> GossipService::mesh(const std::string& topic) const {
  std::vector<PeerId> out;
  for (const auto& k : impl_->router.mesh(topic))
    if (auto id = Impl::id_of(k)) out.push_back(*id);
  return out;
}

const Router& GossipService::router() const { return impl_->router; }

}  // namespace hauptbuch::p2p::gossipsub

// NodeServices: see node_services.h. The DHTs: one KadService on /ipfs/kad/1.0.0 (shared by all
// chains; every node announces itself there as a provider of each chain it serves, so a node of
// chain A can find nodes of chain B) and one per served chain on /hauptbuch/<chain>/kad/1.0.0.
#include "node/node_services.h"

#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <set>

#include "node/node_core.h"
#include "protocols/gossipsub/service.h"
#include "protocols/kad/kad_service.h"
#include "protocols/relay/cross_chain_relay.h"
#include "protocols/reqresp/request_response.h"
#include "util/random.h"

namespace hauptbuch::p2p::node {

namespace {
Error not_yet(const char* what) { return Error(P2PNetworkError::Unsupported, std::string(what) + " is not available on this node"); }

// Lookups the discovery engine runs per discover() call (random keys spread over the space).
constexpr int kDiscoverLookups = 2;

// Base58 of PeerId bytes ("" for none or unparsable).
std::string peer_text(const Bytes& id) {
  if (id.empty()) return {};
  auto p = PeerId::from_bytes(id);
  return p.ok() ? p->to_base58() : std::string();
}

std::vector<DiscoveredPeer> to_public(const std::vector<kad::FoundPeer>& found) {
  std::vector<DiscoveredPeer> out;
  for (const auto& f : found) {
    DiscoveredPeer d;
    d.peer_id = f.peer.to_base58();
    for (const auto& a : f.addrs) d.addrs.push_back(a.to_string());
    out.push_back(std::move(d));
  }
  return out;
}
}  // namespace

// Where route_message() delivers to a peer: a request on this protocol, answered by the
// destination's routed-message handler.
constexpr std::string_view kRouteProtocol = "/hauptbuch/route/1.0.0";

struct NodeServices::Impl {
  std::unique_ptr<kad::KadService> dht;                            // /ipfs/kad/1.0.0
  std::map<std::string, std::unique_ptr<kad::KadService>> chain_dht;  // per served chain
  std::unique_ptr<reqresp::RequestResponse> rr;
  std::unique_ptr<gossipsub::GossipService> gossip;
  std::unique_ptr<relay::CrossChainRelay> relay;
  std::map<std::string, MessageRouter::MessageHandler> handlers;     // topic → application
  std::map<std::string, MessageRouter::MessageValidator> validators;
  MessageRouter::RequestHandler routed_handler;
  uint64_t routed = 0, routing_failures = 0;
  bool started = false;
  // Bootstraps in progress; lookups started meanwhile wait for them (bounded), so that
  // discover_peers() right after start_network() sees the bootstrap peers' tables.
  int bootstrapping = 0;
  std::unique_ptr<asio::steady_timer> bootstrap_done;
};

NodeServices::NodeServices(NodeCore& core) : core_(core), impl_(std::make_shared<Impl>()) {}
NodeServices::~NodeServices() { stop(); }

Status NodeServices::start() {
  if (impl_->started) return ok_status();
  const auto& cfg = core_.config();
  kad::KadServiceConfig kc;
  kc.request_timeout = std::min<Duration>(cfg.connection_timeout, std::chrono::seconds(10));
  kc.lookup_timeout = cfg.discovery_timeout;
  // A Kademlia request or request/response frame that does not decode is an invalid message
  // (peer score -10).
  auto report_invalid = [core = &core_](const PeerId& p) { core->report_peer(p, peer::Behaviour::InvalidMessage); };
  impl_->dht = std::make_unique<kad::KadService>(core_.host(), kc);
  impl_->dht->set_invalid_request_callback(report_invalid);
  HBP2P_TRY(impl_->dht->start());
  for (const auto& chain : cfg.chains) {
    auto cc = kc;
    cc.protocol = kad::chain_kad_protocol(chain);
    auto svc = std::make_unique<kad::KadService>(core_.host(), cc);
    svc->set_invalid_request_callback(report_invalid);
    HBP2P_TRY(svc->start());
    impl_->chain_dht.emplace(chain, std::move(svc));
  }
  impl_->gossip = std::make_unique<gossipsub::GossipService>(core_.host());
  impl_->gossip->set_batch_signature_checks(core_.config().enable_security_optimization);
  impl_->gossip->set_bad_frame_callback([core = &core_](const PeerId& p) { core->report_peer(p, peer::Behaviour::ProtocolViolation); });
  impl_->gossip->set_message_callback([impl = impl_.get(), core = &core_](const gossipsub::ReceivedMessage& m) {
    // Our own publications are not handed back to the application (libp2p's emitSelf=false).
    if (m.received_from.empty()) return;
    // A valid new message from that neighbour: it was useful.
    if (auto from = PeerId::from_bytes(m.received_from); from.ok()) core->report_peer(*from, peer::Behaviour::UsefulMessage);
    auto it = impl->handlers.find(m.topic);
    if (it == impl->handlers.end() || !it->second) return;
    Message out;
    out.topic = m.topic;
    out.from = peer_text(m.received_from);
    out.id = to_hex(m.id);
    out.data.assign(m.data.begin(), m.data.end());
    it->second(out);
  });
  impl_->gossip->start();
  impl_->rr = std::make_unique<reqresp::RequestResponse>(core_.host(), reqresp::RequestResponseConfig::from(cfg));
  impl_->rr->set_misbehaviour_callback(report_invalid);  // same report: a message that does not parse
  HBP2P_TRY(impl_->rr->register_protocol(std::string(kRouteProtocol), [this](PeerId from, Bytes req) -> asio::awaitable<Result<Bytes>> {
    if (!impl_->routed_handler) co_return Error(P2PNetworkError::MessageRoutingFailed, "this node accepts no routed messages");
    auto r = impl_->routed_handler(from.to_base58(), std::vector<uint8_t>(req.begin(), req.end()));
    if (!r.ok()) co_return std::move(r).error();
    co_return Bytes(r->begin(), r->end());
  }));
  relay::CrossChainRelay::Callbacks cb;
  cb.find_chain_peers = [this](std::string chain) -> asio::awaitable<Result<std::vector<relay::PeerInfo>>> {
    auto found = co_await co_find_chain_peers(std::move(chain));
    if (!found.ok()) co_return std::move(found).error();
    std::vector<relay::PeerInfo> out;
    for (const auto& d : *found) {
      auto id = PeerId::parse(d.peer_id);
      if (!id.ok()) continue;
      relay::PeerInfo pi{std::move(*id), {}};
      for (const auto& a : d.addrs)
        if (auto m = Multiaddr::parse(a); m.ok()) pi.addrs.push_back(std::move(*m));
      out.push_back(std::move(pi));
    }
    co_return out;
  };
  cb.deliver_to_chain = [this](const std::string& chain, const std::string& topic, const Bytes& payload) -> Status {
    const std::string full = MessageRouter::chain_topic(chain, topic);
    auto n = publish(full, std::vector<uint8_t>(payload.begin(), payload.end()));
    if (!n.ok()) return std::move(n).error();
    // The message entered the chain here on another chain's behalf: unlike our own publications,
    // our application receives it too (with an empty `from`).
    if (auto it = impl_->handlers.find(full); it != impl_->handlers.end() && it->second) {
      Message m;
      m.topic = full;
      m.data.assign(payload.begin(), payload.end());
      it->second(m);
    }
    return ok_status();
  };
  cb.deliver_to_peer = [this](const PeerId& peer, const Bytes& payload) -> Status {
    if (!impl_->routed_handler) return Error(P2PNetworkError::MessageRoutingFailed, "this node accepts no routed messages");
    auto r = impl_->routed_handler(peer.to_base58(), std::vector<uint8_t>(payload.begin(), payload.end()));
    if (!r.ok()) return std::move(r).error();
    return ok_status();
  };
  // The relay needs an origin chain: a node that serves no chain routes to peers only.
  if (!cfg.chains.empty()) {
    impl_->relay = std::make_unique<relay::CrossChainRelay>(core_.host(), *impl_->rr, std::set<std::string>(cfg.chains.begin(), cfg.chains.end()),
                                                             std::move(cb), relay::RelayConfig{}, SystemRandom::instance(), SystemClock::instance());
    HBP2P_TRY(impl_->relay->start());
  }
  impl_->started = true;
  return ok_status();
}

void NodeServices::stop() {
  if (!impl_->started) return;
  impl_->started = false;
  for (auto& [c, s] : impl_->chain_dht) s->stop();
  if (impl_->dht) impl_->dht->stop();
  impl_->relay.reset();
  impl_->rr.reset();
  if (impl_->gossip) impl_->gossip->stop();
}

// Routing-table peers enter the address store (so the outbound maintenance can dial them).
void NodeServices::learn_from_dht() {
  if (!impl_->dht) return;
  const Time now = core_.now();
  for (const auto& f : impl_->dht->routing_table_snapshot()) {
    std::vector<Multiaddr> addrs;
    for (const auto& a : f.addrs) {
      auto with = a.without_p2p().with_component(Proto::P2p, f.peer.bytes());
      if (with.ok()) addrs.push_back(std::move(*with));
    }
    if (!addrs.empty()) core_.book().learn(addrs, addrs.front().without_p2p(), now);
  }
}

asio::awaitable<Status> NodeServices::co_bootstrap(std::vector<std::string> addrs) {
  std::vector<Multiaddr> parsed;
  for (const auto& a : addrs) {
    auto m = Multiaddr::parse(a);
    if (!m.ok()) co_return std::move(m).error();
    core_.book().learn({*m}, *m, core_.now());
    parsed.push_back(std::move(*m));
  }
  if (!impl_->dht) co_return not_yet("discovery");
  ++impl_->bootstrapping;
  // (weak: if the io_context is torn down with this coroutine pending, the node may be gone)
  struct Done {
    std::weak_ptr<Impl> w;
    ~Done() {
      if (auto impl = w.lock())
        if (--impl->bootstrapping == 0 && impl->bootstrap_done) impl->bootstrap_done->cancel();
    }
  } done{impl_};
  auto st = co_await impl_->dht->bootstrap(parsed);
  for (auto& [chain, svc] : impl_->chain_dht) {
    auto cs = co_await svc->bootstrap(parsed);
    if (!cs.ok()) spdlog::debug("bootstrap of chain {}: {}", chain, cs.error().message());
  }
  learn_from_dht();
  // Announce the chains we serve (provider records in the shared DHT).
  for (const auto& chain : core_.config().chains) {
    auto ps = co_await impl_->dht->provide(DiscoveryEngine::chain_key(chain));
    if (!ps.ok()) spdlog::debug("announcing chain {}: {}", chain, ps.error().message());
  }
  co_return st;
}

asio::awaitable<void> NodeServices::wait_for_bootstrap() {
  if (impl_->bootstrapping == 0) co_return;
  if (!impl_->bootstrap_done) impl_->bootstrap_done = std::make_unique<asio::steady_timer>(core_.executor());
  impl_->bootstrap_done->expires_after(core_.config().discovery_timeout);
  (void)co_await impl_->bootstrap_done->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
}

asio::awaitable<Result<std::vector<DiscoveredPeer>>> NodeServices::co_discover() {
  if (!impl_->dht) co_return not_yet("discovery");
  co_await wait_for_bootstrap();
  std::set<std::string> before;
  for (const auto& f : impl_->dht->routing_table_snapshot()) before.insert(f.peer.to_base58());
  auto& rng = SystemRandom::instance();
  std::vector<kad::FoundPeer> fresh;
  for (int i = 0; i < kDiscoverLookups; ++i) {
    Bytes key(32);
    rng.fill(key);
    auto found = co_await impl_->dht->closest_peers(key);
    if (!found.ok()) co_return std::move(found).error();
    for (auto& f : *found)
      if (before.insert(f.peer.to_base58()).second && f.peer != core_.host().peer_id()) fresh.push_back(std::move(f));
  }
  learn_from_dht();
  co_return to_public(fresh);
}

asio::awaitable<Result<std::vector<std::string>>> NodeServices::co_find_peer(std::string peer_id) {
  if (!impl_->dht) co_return not_yet("find_peer");
  co_await wait_for_bootstrap();
  auto id = PeerId::parse(peer_id);
  if (!id.ok()) co_return std::move(id).error();
  auto addrs = co_await impl_->dht->find_peer(*id);
  if (!addrs.ok()) co_return std::move(addrs).error();
  std::vector<std::string> out;
  for (const auto& a : *addrs) out.push_back(a.to_string());
  co_return out;
}

kad::KadService* NodeServices::dht_for(const std::string& chain) {
  if (chain.empty()) return impl_->dht.get();
  auto it = impl_->chain_dht.find(chain);
  return it == impl_->chain_dht.end() ? nullptr : it->second.get();
}

namespace {
Error no_dht(const std::string& chain) {
  return Error(P2PNetworkError::PeerDiscoveryFailed, "this node does not serve chain '" + chain.substr(0, 64) + "'");
}
}  // namespace

asio::awaitable<Result<std::vector<DiscoveredPeer>>> NodeServices::co_closest_peers(std::vector<uint8_t> key, std::string chain) {
  co_await wait_for_bootstrap();
  auto* d = dht_for(chain);
  if (!d) co_return no_dht(chain);
  auto r = co_await d->closest_peers(Bytes(key.begin(), key.end()));
  if (!r.ok()) co_return std::move(r).error();
  co_return to_public(*r);
}

asio::awaitable<Status> NodeServices::co_provide(std::vector<uint8_t> key, std::string chain) {
  auto* d = dht_for(chain);
  if (!d) co_return no_dht(chain);
  co_return co_await d->provide(Bytes(key.begin(), key.end()));
}

asio::awaitable<Result<std::vector<DiscoveredPeer>>> NodeServices::co_find_providers(std::vector<uint8_t> key, std::string chain) {
  co_await wait_for_bootstrap();
  auto* d = dht_for(chain);
  if (!d) co_return no_dht(chain);
  auto r = co_await d->find_providers(Bytes(key.begin(), key.end()), 20);
  if (!r.ok()) co_return std::move(r).error();
  co_return to_public(*r);
}

asio::awaitable<Status> NodeServices::co_put_value(std::vector<uint8_t> key, std::vector<uint8_t> value, std::string chain) {
  auto* d = dht_for(chain);
  if (!d) co_return no_dht(chain);
  co_return co_await d->put_value(Bytes(key.begin(), key.end()), Bytes(value.begin(), value.end()));
}

asio::awaitable<Result<std::vector<uint8_t>>> NodeServices::co_get_value(std::vector<uint8_t> key, std::string chain) {
  auto* d = dht_for(chain);
  if (!d) co_return no_dht(chain);
  auto r = co_await d->get_value(Bytes(key.begin(), key.end()));
  if (!r.ok()) co_return std::move(r).error();
  co_return std::vector<uint8_t>(r->begin(), r->end());
}

asio::awaitable<Result<std::vector<DiscoveredPeer>>> NodeServices::co_find_chain_peers(std::string chain) {
  co_await wait_for_bootstrap();
  if (!impl_->dht) co_return not_yet("discovery");
  auto r = co_await impl_->dht->find_providers(DiscoveryEngine::chain_key(chain), 20);
  if (!r.ok()) co_return std::move(r).error();
  std::vector<kad::FoundPeer> others;
  for (auto& f : *r)
    if (f.peer != core_.host().peer_id()) others.push_back(std::move(f));
  if (others.empty()) co_return Error(P2PNetworkError::PeerDiscoveryFailed, "no peer serves chain '" + chain.substr(0, 64) + "'");
  co_return to_public(others);
}

DiscoveryMetrics NodeServices::discovery_metrics() const {
  DiscoveryMetrics m;
  auto add = [&m](const kad::KadStats& s) {
    m.lookups += s.lookups;
    m.failures += s.lookup_failures;
    m.hops += s.rounds;
    m.total_latency += s.latency_sum;
  };
  if (impl_->dht) add(impl_->dht->stats());
  for (const auto& [c, s] : impl_->chain_dht) add(s->stats());
  return m;
}

size_t NodeServices::routing_table_size() const { return impl_->dht ? impl_->dht->routing_table_size() : 0; }

Status NodeServices::subscribe(const std::string& topic, MessageRouter::MessageHandler handler) {
  if (!impl_->gossip) return not_yet("gossip");
  HBP2P_TRY(impl_->gossip->subscribe(topic));
  impl_->handlers[topic] = std::move(handler);
  return ok_status();
}

Status NodeServices::unsubscribe(const std::string& topic) {
  if (!impl_->gossip) return not_yet("gossip");
  impl_->gossip->unsubscribe(topic);
  impl_->handlers.erase(topic);
  return ok_status();
}

void NodeServices::set_validator(const std::string& topic, MessageRouter::MessageValidator v) {
  if (!impl_->gossip) return;
  if (!v) {
    impl_->gossip->set_validator(topic, nullptr);
    return;
  }
  impl_->gossip->set_validator(topic, [v = std::move(v)](const gossipsub::ReceivedMessage& m, gossipsub::GossipService::ValidationDone done) {
    Message msg;
    msg.topic = m.topic;
    msg.from = peer_text(m.received_from);
    msg.id = to_hex(m.id);
    msg.data.assign(m.data.begin(), m.data.end());
    switch (v(msg)) {
      case Validation::Accept: done(gossipsub::ValidationResult::Accept); break;
      case Validation::Reject: done(gossipsub::ValidationResult::Reject); break;
      case Validation::Ignore: done(gossipsub::ValidationResult::Ignore); break;
    }
  });
}

Result<size_t> NodeServices::publish(const std::string& topic, std::vector<uint8_t> data) {
  if (!impl_->gossip) return not_yet("gossip");
  return impl_->gossip->publish(topic, Bytes(data.begin(), data.end()));
}

std::vector<std::string> NodeServices::topics() const {
  std::vector<std::string> out;
  for (const auto& [t, h] : impl_->handlers) out.push_back(t);
  return out;
}

size_t NodeServices::mesh_size(const std::string& topic) const { return impl_->gossip ? impl_->gossip->mesh(topic).size() : 0; }

bool NodeServices::bootstrapping() const { return impl_->bootstrapping > 0; }

Status NodeServices::register_protocol(const std::string& protocol, MessageRouter::RequestHandler handler) {
  if (!impl_->rr) return not_yet("request/response");
  return impl_->rr->register_protocol(protocol, [h = std::move(handler)](PeerId from, Bytes req) -> asio::awaitable<Result<Bytes>> {
    auto r = h(from.to_base58(), std::vector<uint8_t>(req.begin(), req.end()));
    if (!r.ok()) co_return std::move(r).error();
    co_return Bytes(r->begin(), r->end());
  });
}

// Connected → nothing to do; else the DHT finds the peer's addresses and we dial them in turn.
asio::awaitable<Result<std::string>> NodeServices::co_reach(PeerId peer) {
  if (core_.host().connection(peer)) co_return std::string("direct");
  if (!impl_->dht) co_return Error(P2PNetworkError::PeerConnectionFailed, "not connected and no DHT");
  auto addrs = co_await impl_->dht->find_peer(peer);
  if (!addrs.ok()) co_return std::move(addrs).error();
  Error last(P2PNetworkError::PeerConnectionFailed, "no address found for " + peer.to_base58());
  for (const auto& a : *addrs) {
    auto with = a.without_p2p().with_component(Proto::P2p, peer.bytes());
    if (!with.ok()) continue;
    auto c = co_await core_.co_connect(with->to_string(), false);
    if (c.ok()) co_return std::string("dht+dial");
    last = std::move(c).error();
  }
  co_return last;
}

asio::awaitable<Result<Response>> NodeServices::co_send(std::string peer_id, std::string protocol, std::vector<uint8_t> data) {
  if (!impl_->rr) co_return not_yet("request/response");
  auto id = PeerId::parse(peer_id);
  if (!id.ok()) co_return std::move(id).error();
  auto how = co_await co_reach(*id);
  if (!how.ok()) co_return std::move(how).error();
  auto r = co_await impl_->rr->request(*id, std::move(protocol), Bytes(data.begin(), data.end()));
  if (!r.ok()) co_return std::move(r).error();
  Response out;
  out.data.assign(r->data.begin(), r->data.end());
  out.rtt = std::chrono::duration_cast<std::chrono::microseconds>(r->rtt);
  co_return out;
}

asio::awaitable<Result<RoutingResult>> NodeServices::co_route(std::vector<uint8_t> message, Destination dest) {
  const Time t0 = core_.now();
  auto finish = [&](Result<RoutingResult> r) {
    if (r.ok() && r->delivered) ++impl_->routed;
    else ++impl_->routing_failures;
    if (r.ok()) r->latency = std::chrono::duration_cast<std::chrono::microseconds>(core_.now() - t0);
    return r;
  };
  if (!dest.peer_id.empty()) {
    auto id = PeerId::parse(dest.peer_id);
    if (!id.ok()) co_return finish(std::move(id).error());
    auto how = co_await co_reach(*id);
    if (!how.ok()) co_return finish(std::move(how).error());
    auto r = co_await impl_->rr->request(*id, std::string(kRouteProtocol), Bytes(message.begin(), message.end()));
    if (!r.ok()) co_return finish(std::move(r).error());
    RoutingResult out;
    out.delivered = true;
    out.path = *how;
    out.hops = {dest.peer_id};
    out.reply.assign(r->data.begin(), r->data.end());
    co_return finish(std::move(out));
  }
  co_return finish(co_await co_route_to_chain(std::move(message), std::move(dest)));
}

asio::awaitable<Result<RoutingResult>> NodeServices::co_route_to_chain(std::vector<uint8_t> message, Destination dest) {
  const auto& chains = core_.config().chains;
  if (std::find(chains.begin(), chains.end(), dest.chain) != chains.end()) {
    auto n = publish(MessageRouter::chain_topic(dest.chain, dest.topic), std::move(message));
    if (!n.ok()) co_return std::move(n).error();
    RoutingResult out;
    out.delivered = true;
    out.path = "local";
    co_return out;
  }
  if (!impl_->relay)
    co_return Error(P2PNetworkError::MessageRoutingFailed, "cross-chain routing needs a node that serves at least one chain (config chains)");
  relay::RouteTarget target;
  target.chain = dest.chain;
  target.topic = dest.topic;
  auto r = co_await impl_->relay->route(std::move(target), Bytes(message.begin(), message.end()));
  if (!r.ok()) co_return std::move(r).error();
  RoutingResult out;
  out.delivered = r->delivered;
  out.path = "relay";
  for (size_t i = 1; i < r->path.size(); ++i) out.hops.push_back(r->path[i].to_base58());
  co_return out;
}

void NodeServices::set_routed_message_handler(MessageRouter::RequestHandler handler) { impl_->routed_handler = std::move(handler); }

std::pair<uint64_t, uint64_t> NodeServices::gossip_bytes() const {
  if (!impl_->gossip) return {0, 0};
  const auto g = impl_->gossip->stats();
  return {g.bytes_in, g.bytes_out};
}

std::vector<double> NodeServices::gossip_peer_scores() const {
  return impl_->gossip ? impl_->gossip->peer_scores() : std::vector<double>{};
}

uint64_t NodeServices::gossip_bad_frames() const { return impl_->gossip ? impl_->gossip->stats().bad_frames : 0; }

RouterMetrics NodeServices::router_metrics() const {
  RouterMetrics m;
  if (impl_->gossip) {
    const auto g = impl_->gossip->stats();
    m.published = g.router.published;
    m.delivered = g.router.delivered;
    m.forwarded = g.router.forwarded;
    m.duplicates = g.router.duplicates;
    m.invalid = g.router.invalid;
    m.queue_drops = g.router.queue_drops;
  }
  m.routed = impl_->routed;
  m.routing_failures = impl_->routing_failures;
  if (impl_->rr) {
    m.requests_sent = impl_->rr->stats().requests_sent;
    m.requests_received = impl_->rr->stats().requests_received;
  }
  return m;
}

}  // namespace hauptbuch::p2p::node

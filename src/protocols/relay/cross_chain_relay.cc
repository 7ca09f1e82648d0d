// CrossChainRelay (see cross_chain_relay.h): origin, inbound handling and forwarding.
#include "protocols/relay/cross_chain_relay.h"

#include <algorithm>

namespace hauptbuch::p2p::relay {

struct CrossChainRelay::State {
  State(PeerId local, std::set<std::string> chains, const RelayConfig& c)
      : core(std::move(local), std::move(chains), c.seen_capacity, c.seen_ttl) {}
  node::Host* host = nullptr;
  reqresp::RequestResponse* rr = nullptr;
  RelayCore core;
  Callbacks cb;
  RelayConfig cfg;
  RandomSource* rng = nullptr;
  const ClockSource* clock = nullptr;
  RelayStats stats;
};

namespace {

using State = CrossChainRelay::State;

bool retryable(const Error& e) {
  // The candidate did not process the envelope: try the next one.
  return e.is(P2PNetworkError::PeerConnectionFailed) || e.is(P2PNetworkError::ResourceLimitExceeded) ||
         e.is(P2PNetworkError::InvalidConnection) || e.is(P2PNetworkError::Unsupported);
}

// Sends the encoded envelope to `peer` (dialling one of `addrs` first if not connected) and
// decodes its acknowledgement.
asio::awaitable<Result<RelayAck>> send_to(std::shared_ptr<State> st, PeerId peer, std::vector<Multiaddr> addrs,
                                          Bytes wire) {
  if (!st->host->connection(peer)) {
    Error last(P2PNetworkError::PeerConnectionFailed, "not connected and no address known");
    bool dialled = false;
    for (const auto& a : addrs) {
      Multiaddr target = a;
      if (!a.last_value(Proto::P2p)) {
        auto with = a.with_component(Proto::P2p, peer.bytes());
        if (!with.ok()) continue;
        target = std::move(with).value();
      }
      auto c = co_await st->host->dial(std::move(target));
      if (c.ok()) {
        dialled = true;
        break;
      }
      last = std::move(c).error();
    }
    if (!dialled) co_return Error(P2PNetworkError::PeerConnectionFailed, last.message());
  }
  std::optional<Duration> timeout = st->cfg.forward_timeout;
  auto r = co_await st->rr->request(peer, kRelayProtocol, std::move(wire), timeout);
  if (!r.ok()) co_return std::move(r).error();
  co_return decode_ack(r->data);
}

// Forwards to the destination peer or to a node serving the destination chain.
asio::awaitable<Result<RelayAck>> forward(std::shared_ptr<State> st, Decision d) {
  auto wire = encode_envelope(d.out);
  if (!wire.ok()) co_return std::move(wire).error();
  if (d.action == Action::ForwardToPeer) {
    ++st->stats.forwarded;
    std::vector<Multiaddr> no_addrs;  // connected: no dial (GCC 12: no braced lists in co_await calls)
    co_return co_await send_to(st, *d.out.destination_peer, std::move(no_addrs), std::move(wire).value());
  }
  auto found = co_await st->cb.find_chain_peers(d.out.destination_chain);
  if (!found.ok()) co_return std::move(found).error();
  // Candidates: not us, not already on the path; connected ones first (no dial needed).
  std::vector<PeerInfo> cands;
  for (auto& p : *found) {
    if (p.peer == st->core.local()) continue;
    if (std::find(d.out.path.begin(), d.out.path.end(), p.peer) != d.out.path.end()) continue;
    cands.push_back(std::move(p));
  }
  std::stable_partition(cands.begin(), cands.end(),
                        [&st](const PeerInfo& p) { return st->host->connection(p.peer) != nullptr; });
  if (cands.size() > st->cfg.max_candidates) cands.erase(cands.begin() + static_cast<std::ptrdiff_t>(st->cfg.max_candidates), cands.end());
  std::string why = "no node serving chain ";
  why.append(d.out.destination_chain).append(" accepted the message");
  if (cands.empty()) co_return Error(P2PNetworkError::MessageRoutingFailed, why.append(": none known"));
  Error last(P2PNetworkError::MessageRoutingFailed, why);
  for (auto& c : cands) {
    ++st->stats.forwarded;
    auto r = co_await send_to(st, c.peer, c.addrs, *wire);
    if (r.ok() || !retryable(r.error())) co_return r;
    ++st->stats.forward_failures;
    last = std::move(r).error();
  }
  why.append(": ").append(last.message());
  co_return Error(P2PNetworkError::MessageRoutingFailed, std::move(why));
}

// Runs one envelope through the core and acts on the decision.
asio::awaitable<Result<RelayAck>> process(std::shared_ptr<State> st, Envelope env, bool originated) {
  auto connected = [&st](const PeerId& p) { return st->host->connection(p) != nullptr; };
  Decision d = st->core.decide(std::move(env), st->clock->now(), connected, originated);
  switch (d.action) {
    case Action::Drop:
      ++st->stats.dropped[drop_reason_name(d.reason)];
      co_return Error(P2PNetworkError::MessageRoutingFailed, d.detail);
    case Action::DeliverToChain: {
      if (!st->cb.deliver_to_chain) co_return Error(P2PNetworkError::MessageRoutingFailed, "no chain delivery configured");
      auto s = st->cb.deliver_to_chain(d.out.destination_chain, d.out.topic, d.out.payload);
      if (!s.ok()) co_return Error(P2PNetworkError::MessageRoutingFailed, s.error().message());
      ++st->stats.delivered_to_chain;
      co_return RelayAck{true, std::move(d.out.path)};
    }
    case Action::DeliverToPeer: {
      if (!st->cb.deliver_to_peer) co_return Error(P2PNetworkError::MessageRoutingFailed, "no peer delivery configured");
      auto s = st->cb.deliver_to_peer(st->core.local(), d.out.payload);
      if (!s.ok()) co_return Error(P2PNetworkError::MessageRoutingFailed, s.error().message());
      ++st->stats.delivered_to_peer;
      co_return RelayAck{true, std::move(d.out.path)};
    }
    case Action::ForwardToPeer:
    case Action::ForwardToChain: break;
  }
  co_return co_await forward(st, std::move(d));
}

asio::awaitable<Result<RelayAck>> handle_bytes(std::shared_ptr<State> st, PeerId from, Bytes bytes) {
  ++st->stats.received;
  auto env = decode_envelope(bytes);
  if (!env.ok()) {
    ++st->stats.invalid;
    co_return std::move(env).error();
  }
  // The sender must have appended itself, and the path must start at the origin: loop
  // detection relies on the path, so a relay cannot hide earlier hops.
  if (env->path.empty() || !(env->path.back() == from) || !(env->path.front() == env->origin_peer)) {
    ++st->stats.invalid;
    co_return Error(P2PNetworkError::InvalidMessage, "path must run from the origin to the sending peer");
  }
  co_return co_await process(st, std::move(env).value(), false);
}

asio::awaitable<Result<Bytes>> serve(std::weak_ptr<State> wst, PeerId from, Bytes request) {
  auto st = wst.lock();
  if (!st) co_return Error(P2PNetworkError::MessageRoutingFailed, "relay stopped");
  auto ack = co_await handle_bytes(st, std::move(from), std::move(request));
  if (!ack.ok()) co_return std::move(ack).error();
  co_return encode_ack(*ack);
}

}  // namespace

CrossChainRelay::CrossChainRelay(node::Host& host, reqresp::RequestResponse& rr, std::set<std::string> chains,
                                 Callbacks cb, RelayConfig cfg, RandomSource& rng, const ClockSource& clock)
    : rr_(rr), st_(std::make_shared<State>(host.peer_id(), chains, cfg)) {
  if (cfg.origin_chain.empty() && !chains.empty()) cfg.origin_chain = *chains.begin();
  st_->host = &host;
  st_->rr = &rr;
  st_->cb = std::move(cb);
  st_->cfg = std::move(cfg);
  st_->rng = &rng;
  st_->clock = &clock;
}

CrossChainRelay::~CrossChainRelay() { rr_.unregister_protocol(kRelayProtocol); }

Status CrossChainRelay::start() {
  if (!valid_chain_id(st_->cfg.origin_chain))
    return Status(P2PNetworkError::InvalidConfig, "relay: origin chain missing or not a chain id");
  for (const auto& c : st_->core.chains())
    if (!valid_chain_id(c)) return Status(P2PNetworkError::InvalidConfig, "relay: served chain is not a chain id");
  if (st_->cfg.hop_limit > kMaxHopLimit) return Status(P2PNetworkError::InvalidConfig, "relay: hop limit above 16");
  std::weak_ptr<State> w = st_;
  return rr_.register_protocol(kRelayProtocol,
                               [w](PeerId from, Bytes req) { return serve(w, std::move(from), std::move(req)); });
}

asio::awaitable<Result<RoutingResult>> CrossChainRelay::route(RouteTarget target, Bytes payload) {
  auto st = st_;
  const Time start = st->clock->now();
  std::string chain = target.chain.empty() ? st->cfg.origin_chain : target.chain;
  auto env = make_envelope(st->core.local(), st->rng->next_u64(), st->cfg.origin_chain, std::move(chain),
                           std::move(target.peer), std::move(payload), st->cfg.hop_limit, std::move(target.topic));
  if (!env.ok()) co_return std::move(env).error();
  ++st->stats.originated;
  auto ack = co_await process(st, std::move(env).value(), true);
  if (!ack.ok()) co_return std::move(ack).error();
  RoutingResult out;
  out.delivered = ack->delivered;
  out.path = std::move(ack->path);
  out.hops = out.path.empty() ? 0 : out.path.size() - 1;
  out.latency = st->clock->now() - start;
  co_return out;
}

asio::awaitable<Result<RelayAck>> CrossChainRelay::handle(PeerId from, Bytes envelope_bytes) {
  co_return co_await handle_bytes(st_, std::move(from), std::move(envelope_bytes));
}

const RelayStats& CrossChainRelay::stats() const { return st_->stats; }
const RelayCore& CrossChainRelay::core() const { return st_->core; }

}  // namespace hauptbuch::p2p::relay

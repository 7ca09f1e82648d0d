// PeerBook: see peer_book.h.
#include "node/peer_book.h"

#include <spdlog/spdlog.h>

namespace hauptbuch::p2p::node {

namespace {
std::string addr_key(const Multiaddr& a) { return std::string(a.bytes().begin(), a.bytes().end()); }
}  // namespace

PeerBook::PeerBook(PeerBookConfig cfg, RandomSource& rng)
    : cfg_(std::move(cfg)),
      rng_(rng),
      addrs_(peer::AddrMan::random_secret(rng)),
      outbound_({cfg_.outbound_target, cfg_.max_per_group}) {}

PeerBook::~PeerBook() = default;

Multiaddr PeerBook::transport_of(const Multiaddr& addr) { return addr.without_p2p(); }

Status PeerBook::open(Time now) {
  if (cfg_.db_path.empty()) return ok_status();
  auto store = peer::AddrStore::open(cfg_.db_path);
  if (!store.ok()) return std::move(store).error();
  store_ = std::move(*store);
  recovered_ = store_->recovered();
  if (recovered_) spdlog::warn("peer store {} was corrupt: set aside and rebuilt", cfg_.db_path);
  auto snap = store_->load(now, std::chrono::system_clock::now());
  if (!snap.ok()) return std::move(snap).error();
  if (snap->has_secret) addrs_ = peer::AddrMan(snap->secret);
  for (const auto& a : snap->addrs) (void)addrs_.restore(a);
  for (const auto& b : snap->bans) bans_.ban(b.key, b.until, b.reason);
  anchors_ = snap->anchors;
  recent_outbound_.assign(anchors_.begin(), anchors_.end());
  outbound_.set_anchors(anchors_);
  if (snap->skipped_rows) spdlog::warn("peer store: {} invalid rows skipped", snap->skipped_rows);
  return ok_status();
}

Status PeerBook::save(Time now) {
  if (!store_) return ok_status();
  return store_->save(addrs_, {recent_outbound_.begin(), recent_outbound_.end()}, bans_, now, std::chrono::system_clock::now());
}

size_t PeerBook::learn(const std::vector<Multiaddr>& addrs, const Multiaddr& source, Time now) {
  size_t added = 0;
  for (const auto& a : addrs)
    if (addrs_.add(a, source, now)) ++added;
  learned_ += added;
  return added;
}

Status PeerBook::check_dial(const std::optional<PeerId>& peer, const Multiaddr& addr, Time now, bool automatic) const {
  if (peer && banned_peer(*peer, now))
    return Error(P2PNetworkError::PeerSecurityValidationFailed, "peer " + peer->to_base58() + " is banned");
  if (auto ep = addr.tcp_endpoint(); ep && !ep->is_dns && banned_ip(ep->host, now))
    return Error(P2PNetworkError::PeerSecurityValidationFailed, "address " + ep->host + " is banned");
  const std::string key = addr_key(transport_of(addr));
  if (automatic && !backoff_.ready(key, now)) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(backoff_.next_attempt(key) - now);
    std::string detail = "backing off after ";
    detail.append(std::to_string(backoff_.failures(key))).append(" failed dials; retry in ");
    detail.append(std::to_string(wait.count())).append(" ms");
    return Error(P2PNetworkError::PeerConnectionFailed, detail);
  }
  return ok_status();
}

void PeerBook::dial_result(const Multiaddr& addr, const PeerId* peer, bool ok, Time now) {
  const Multiaddr t = transport_of(addr);
  outbound_.dial_finished(t, ok);
  if (ok) {
    backoff_.succeeded(addr_key(t));
    addrs_.good(t, now);
    if (peer) {
      if (auto with = t.with_component(Proto::P2p, peer->bytes()); with.ok()) {
        std::erase_if(recent_outbound_, [&](const Multiaddr& m) { return m.without_p2p() == t; });
        recent_outbound_.push_front(std::move(*with));
        if (recent_outbound_.size() > peer::AddrStore::kMaxAnchors) recent_outbound_.pop_back();
      }
    }
  } else {
    (void)backoff_.failed(addr_key(t), now, rng_);
  }
}

std::optional<Multiaddr> PeerBook::next_outbound(Time now, const std::function<bool(const std::string&)>& connected) {
  auto excluded = [&](const Multiaddr& a) {
    if (auto v = a.last_value(Proto::P2p); v && connected(std::string(v->begin(), v->end()))) return true;
    if (auto info = addrs_.find(transport_of(a)); info && !info->peer.empty() && connected(info->peer)) return true;
    if (auto ep = a.tcp_endpoint(); ep && !ep->is_dns && banned_ip(ep->host, now)) return true;
    return !backoff_.ready(addr_key(transport_of(a)), now);
  };
  auto next = outbound_.next(addrs_, rng_, now, excluded);
  if (!next) return std::nullopt;
  addrs_.attempt(transport_of(*next), now);
  if (!next->last_value(Proto::P2p)) {
    if (auto info = addrs_.find(*next); info && !info->peer.empty()) {
      if (auto with = next->with_component(Proto::P2p, Bytes(info->peer.begin(), info->peer.end())); with.ok()) return *with;
    }
  }
  return next;
}

void PeerBook::outbound_closed(const Multiaddr& addr) { outbound_.disconnected(transport_of(addr)); }

std::optional<Multiaddr> PeerBook::next_feeler(Time now, const std::function<bool(const std::string&)>& connected) {
  auto pick = addrs_.select(rng_, now, /*new_only=*/true, [&](const peer::AddrInfo& info) {
    if (!info.peer.empty() && connected(info.peer)) return false;
    if (auto ep = info.addr.tcp_endpoint(); ep && !ep->is_dns && banned_ip(ep->host, now)) return false;
    return backoff_.ready(addr_key(info.addr), now);
  });
  if (!pick || pick->in_tried) return std::nullopt;
  addrs_.attempt(pick->addr, now);
  if (!pick->peer.empty())
    if (auto with = pick->addr.with_component(Proto::P2p, Bytes(pick->peer.begin(), pick->peer.end())); with.ok()) return *with;
  return pick->addr;
}

void PeerBook::feeler_result(const Multiaddr& addr, bool ok, Time now) {
  const Multiaddr t = transport_of(addr);
  if (ok) {
    backoff_.succeeded(addr_key(t));
    addrs_.good(t, now);
  } else {
    (void)backoff_.failed(addr_key(t), now, rng_);
  }
}

std::string PeerBook::table_of(const Multiaddr& addr) const {
  auto info = addrs_.find(transport_of(addr));
  if (!info) return "";
  return info->in_tried ? "tried" : "new";
}

bool PeerBook::banned_ip(const std::string& ip, Time now) const {
  return bans_.is_banned(peer::BanList::ip_key(ip), now);
}

bool PeerBook::banned_peer(const PeerId& peer, Time now) const {
  const auto& b = peer.bytes();
  return bans_.is_banned(peer::BanList::peer_key(std::string(b.begin(), b.end())), now);
}

std::optional<Duration> PeerBook::report(const PeerId& peer, peer::Behaviour b, Time now) {
  const auto& bytes = peer.bytes();
  const std::string key(bytes.begin(), bytes.end());
  auto ban = scores_.record(key, b, now);
  if (ban) bans_.ban(peer::BanList::peer_key(key), now + *ban, "score fell below the ban threshold");
  return ban;
}

std::vector<peer::Ban> PeerBook::bans(Time now) {
  bans_.expire(now);
  return bans_.all();
}

double PeerBook::score(const PeerId& peer, Time now) const {
  const auto& bytes = peer.bytes();
  return scores_.score(std::string(bytes.begin(), bytes.end()), now);
}

}  // namespace hauptbuch::p2p::node

// Iterative Kademlia lookup (see lookup.h).
#include "protocols/kad/lookup.h"

#include <algorithm>

namespace hauptbuch::p2p::kad {
namespace {

// Peers one lookup remembers as seen (queried or candidate): bounds the dedup map against
// answers that keep naming new far-away peers. Every answer adds at most kMaxPeersPerList.
constexpr size_t kMaxSeenPeers = 64 * kMaxCandidatesPerPath;

}  // namespace

Lookup::Lookup(LookupKind kind, PeerId self, LookupConfig cfg) : kind_(kind), self_(std::move(self)), cfg_(std::move(cfg)) {
  cfg_.k = std::max<size_t>(cfg_.k, 1);
  cfg_.alpha = std::max<size_t>(cfg_.alpha, 1);
  cfg_.paths = std::clamp<size_t>(cfg_.paths, 1, 16);
}

KadMessage Lookup::request_message() const {
  KadMessage m;
  switch (kind_) {
    case LookupKind::FindNode: m.type = MessageType::FindNode; break;
    case LookupKind::GetProviders: m.type = MessageType::GetProviders; break;
    case LookupKind::GetValue: m.type = MessageType::GetValue; break;
  }
  m.key = target_;
  return m;
}

void Lookup::add_candidate(size_t path, const KadPeer& p, size_t hop) {
  if (p.id == self_ || seen_.contains(p.id) || seen_.size() >= kMaxSeenPeers) return;
  Candidate c{p, key_of_peer(p.id), State::NotQueried, path, hop, Time{}};
  auto& cands = paths_[path].cands;
  auto pos = std::upper_bound(cands.begin(), cands.end(), c.key,
                              [&](const KadKey& k, const Candidate& x) { return closer(k, x.key, target_key_); });
  if (cands.size() >= kMaxCandidatesPerPath && pos == cands.end()) return;  // farther than all kept
  seen_.emplace(p.id, path);
  cands.insert(pos, std::move(c));
  if (cands.size() > kMaxCandidatesPerPath) {
    // Drop the farthest candidate not yet queried (queried ones stay: answers must find them).
    for (auto it = cands.end(); it != cands.begin();) {
      --it;
      if (it->state == State::NotQueried) {
        cands.erase(it);
        break;
      }
    }
  }
}

Lookup::Candidate* Lookup::find(const PeerId& peer) {
  auto s = seen_.find(peer);
  if (s == seen_.end()) return nullptr;
  for (auto& c : paths_[s->second].cands)
    if (c.peer.id == peer) return &c;
  return nullptr;
}

std::vector<OutboundRequest> Lookup::start(Bytes target, std::vector<KadPeer> seeds, Time now) {
  if (started_) return {};
  started_ = true;
  target_ = std::move(target);
  target_key_ = key_of_bytes(target_);
  paths_.assign(cfg_.paths, Path{});
  std::sort(seeds.begin(), seeds.end(), [&](const KadPeer& a, const KadPeer& b) {
    return closer(key_of_peer(a.id), key_of_peer(b.id), target_key_);
  });
  size_t i = 0;
  for (const auto& s : seeds) {
    const size_t before = seen_.size();
    add_candidate(i % cfg_.paths, s, 1);
    if (seen_.size() != before) ++i;
  }
  return advance(now);
}

std::vector<OutboundRequest> Lookup::advance(Time now) {
  std::vector<OutboundRequest> out;
  if (done_) return out;
  bool all_done = true;
  for (auto& path : paths_) {
    if (path.done) continue;
    size_t live = 0;  // non-failed candidates looked at, closest first
    bool k_closest_answered = true;
    for (auto& c : path.cands) {
      if (live >= cfg_.k) break;
      if (c.state == State::Failed) continue;
      ++live;
      if (c.state == State::Succeeded) continue;
      k_closest_answered = false;
      if (c.state == State::NotQueried && path.in_flight < cfg_.alpha) {
        c.state = State::Waiting;
        c.deadline = now + cfg_.request_timeout;
        ++path.in_flight;
        ++result_.stats.requests;
        out.push_back(OutboundRequest{c.peer.id, c.peer.addrs, request_message()});
      }
    }
    // Done when the k closest non-failed candidates have all answered (or there are none left).
    if (k_closest_answered && path.in_flight == 0) path.done = true;
    if (k_closest_answered && path.in_flight > 0) {
      // Answers still pending are all farther than the k closest answered: not needed.
      path.done = true;
    }
    if (!path.done) all_done = false;
  }
  if (all_done) finish();
  return out;
}

void Lookup::fail(Candidate& c) {
  c.state = State::Failed;
  --paths_[c.path].in_flight;
  ++result_.stats.failures;
}

std::vector<OutboundRequest> Lookup::on_response(const PeerId& from, const KadMessage& msg, Time now) {
  if (done_) return {};
  Candidate* c = find(from);
  if (c == nullptr || c->state != State::Waiting) return {};
  if (msg.type != request_message().type) {
    fail(*c);
    return advance(now);
  }
  c->state = State::Succeeded;
  --paths_[c->path].in_flight;
  ++result_.stats.responses;
  const size_t path = c->path;
  const size_t hop = c->hop;
  result_.stats.rounds = std::max(result_.stats.rounds, hop);
  // c may dangle after add_candidate (vector insertion): use the copies above from here on.
  for (const auto& p : msg.closer_peers) add_candidate(path, p, hop + 1);
  if (kind_ == LookupKind::GetProviders) {
    for (const auto& p : msg.provider_peers) {
      const bool dup = std::any_of(result_.providers.begin(), result_.providers.end(),
                                   [&](const KadPeer& x) { return x.id == p.id; });
      if (!dup && result_.providers.size() < kMaxPeersPerList * 4) result_.providers.push_back(p);
    }
    if (cfg_.max_providers != 0 && result_.providers.size() >= cfg_.max_providers) {
      finish();
      return {};
    }
  }
  if (kind_ == LookupKind::GetValue && msg.record && msg.record->key == target_ &&
      (!cfg_.validator || cfg_.validator(*msg.record))) {
    result_.records.push_back(*msg.record);
    result_.peers_with_record.push_back(from);
    if (cfg_.value_quorum != 0 && result_.records.size() >= cfg_.value_quorum) {
      finish();
      return {};
    }
  }
  return advance(now);
}

std::vector<OutboundRequest> Lookup::on_failure(const PeerId& from, Time now) {
  if (done_) return {};
  Candidate* c = find(from);
  if (c == nullptr || c->state != State::Waiting) return {};
  fail(*c);
  return advance(now);
}

std::optional<Time> Lookup::next_deadline() const {
  if (done_) return std::nullopt;
  std::optional<Time> t;
  for (const auto& p : paths_)
    for (const auto& c : p.cands)
      if (c.state == State::Waiting && (!t || c.deadline < *t)) t = c.deadline;
  return t;
}

std::vector<OutboundRequest> Lookup::tick(Time now) {
  if (done_) return {};
  for (auto& p : paths_)
    for (auto& c : p.cands)
      if (c.state == State::Waiting && c.deadline <= now) {
        fail(c);
        ++result_.stats.timeouts;
      }
  return advance(now);
}

size_t Lookup::in_flight() const noexcept {
  if (done_) return 0;
  size_t n = 0;
  for (const auto& p : paths_) n += p.in_flight;
  return n;
}

void Lookup::finish() {
  done_ = true;
  std::vector<const Candidate*> ok;
  for (const auto& p : paths_)
    for (const auto& c : p.cands)
      if (c.state == State::Succeeded) ok.push_back(&c);
  std::sort(ok.begin(), ok.end(), [&](const Candidate* a, const Candidate* b) { return closer(a->key, b->key, target_key_); });
  result_.closest.clear();
  for (size_t i = 0; i < ok.size() && i < cfg_.k; ++i) result_.closest.push_back(ok[i]->peer);
}

}  // namespace hauptbuch::p2p::kad

// The gossipsub router core (see router.h and docs/gossipsub.md).
#include "protocols/gossipsub/router.h"

#include "protocols/gossipsub/rpc_codec.h"

#include <algorithm>

namespace hauptbuch::p2p::gossipsub {
namespace {

std::string key_of(const MessageId& id) { return std::string(id.begin(), id.end()); }

// unordered_map::erase has no heterogeneous overload before C++23: find, then erase.
template <typename Map>
void erase_by_id(Map& m, const MessageId& id) {
  if (auto it = m.find(id_view(id)); it != m.end()) m.erase(it);
}

size_t message_cost(const PubsubMessage& m) {
  return m.data.size() + m.from.size() + m.seqno.size() + m.topic.size() + m.signature.size() +
         m.key.size() + 16;
}

constexpr size_t kMaxControlEntriesQueued = 4096;  // per peer; beyond this control is dropped

}  // namespace

std::optional<PeerProtocol> peer_protocol_from_id(std::string_view id) {
  if (id == kMeshsub12) return PeerProtocol::Meshsub12;
  if (id == kMeshsub11) return PeerProtocol::Meshsub11;
  if (id == kMeshsub10) return PeerProtocol::Meshsub10;
  if (id == kFloodsub) return PeerProtocol::Floodsub;
  return std::nullopt;
}

Router::Router(GossipsubConfig cfg, PeerKey self, const crypto::PrivateKey* signer, RandomSource& rng)
    : cfg_(std::move(cfg)),
      self_(std::move(self)),
      signer_(signer),
      rng_(rng),
      seqno_(rng.next_u64() >> 1),
      seen_(cfg_.seen_ttl, cfg_.max_seen_entries),
      mcache_(cfg_.mcache_len, cfg_.mcache_gossip, cfg_.max_mcache_entries, cfg_.max_mcache_bytes),
      scores_(cfg_.score) {}

// ---- peers -------------------------------------------------------------------------------

void Router::add_peer(const PeerKey& peer, PeerProtocol proto, bool outbound, const std::string& ip, Time now) {
  if (peer == self_) return;
  auto [it, fresh] = peers_.try_emplace(peer);
  it->second.proto = proto;
  it->second.outbound = outbound;
  scores_.add_peer(peer, ip);
  if (next_heartbeat_ == Time{}) next_heartbeat_ = now + cfg_.heartbeat_interval;
  if (fresh)  // tell the new peer what we are subscribed to
    for (const auto& t : my_topics_) enqueue_subscription(peer, t, true);
}

void Router::remove_peer(const PeerKey& peer) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  for (const auto& t : it->second.topics) {
    if (auto tp = topic_peers_.find(t); tp != topic_peers_.end()) {
      tp->second.erase(peer);
      if (tp->second.empty()) topic_peers_.erase(tp);
    }
  }
  for (auto& [t, m] : mesh_) m.erase(peer);
  for (auto& [t, f] : fanout_) f.erase(peer);
  scores_.remove_peer(peer);
  peers_.erase(it);
}

std::vector<PeerKey> Router::mesh(const std::string& topic) const {
  auto it = mesh_.find(topic);
  return it == mesh_.end() ? std::vector<PeerKey>{} : std::vector<PeerKey>(it->second.begin(), it->second.end());
}

std::vector<PeerKey> Router::topic_peers(const std::string& topic) const {
  auto it = topic_peers_.find(topic);
  return it == topic_peers_.end() ? std::vector<PeerKey>{}
                                  : std::vector<PeerKey>(it->second.begin(), it->second.end());
}

std::vector<PeerKey> Router::pick(const std::vector<PeerKey>& from, size_t n) {
  std::vector<PeerKey> v = from;
  // Fisher-Yates with the injected RNG (deterministic in tests).
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng_.uniform(i)]);
  if (v.size() > n) v.resize(n);
  return v;
}

// ---- queues ------------------------------------------------------------------------------

void Router::enqueue_message(const PeerKey& to, const PubsubMessage& msg, bool own) {
  auto it = peers_.find(to);
  if (it == peers_.end()) return;
  PeerState& ps = it->second;
  const size_t cost = message_cost(msg);
  const size_t limit = own ? 2 * cfg_.max_queue_bytes_per_peer : cfg_.max_queue_bytes_per_peer;
  if (ps.queued_bytes + cost > limit) {
    ++stats_.queue_drops;
    return;
  }
  ps.queued_bytes += cost;
  (own ? ps.own : ps.forward).push_back(msg);
}

void Router::enqueue_subscription(const PeerKey& to, const std::string& topic, bool sub) {
  auto it = peers_.find(to);
  if (it == peers_.end() || it->second.control.subscriptions.size() >= kMaxControlEntriesQueued) return;
  it->second.control.subscriptions.push_back({sub, topic});
}

std::vector<PeerKey> Router::peers_with_output() const {
  std::vector<PeerKey> out;
  for (const auto& [k, ps] : peers_)
    if (!ps.control.empty() || !ps.own.empty() || !ps.forward.empty()) out.push_back(k);
  return out;
}

std::optional<Rpc> Router::take_rpc(const PeerKey& peer) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return std::nullopt;
  PeerState& ps = it->second;
  if (ps.control.empty() && ps.own.empty() && ps.forward.empty()) return std::nullopt;
  // Control goes out in a frame of its own, ahead of queued messages: an IDONTWANT or PRUNE
  // must not wait behind megabytes of forwards.
  if (!ps.control.empty()) return std::exchange(ps.control, Rpc{});
  Rpc out;
  // Messages up to about 64 KiB per frame, own publications first (one message may be larger).
  // The receiver can only start on a frame once all of it has arrived, so small frames let it
  // validate one while the next is still on the wire. (The 2-node bench measured 64 KiB and
  // 512 KiB frames within noise of each other; see bench/README.md.)
  const size_t budget = 64 * 1024;
  size_t used = 0;
  for (auto* q : {&ps.own, &ps.forward}) {
    while (!q->empty() && (out.publish.empty() || used + message_cost(q->front()) <= budget)) {
      used += message_cost(q->front());
      ps.queued_bytes -= std::min(ps.queued_bytes, message_cost(q->front()));
      out.publish.push_back(std::move(q->front()));
      q->pop_front();
    }
  }
  return out;
}

size_t Router::queued_bytes(const PeerKey& peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() ? 0 : it->second.queued_bytes;
}

// ---- mesh membership ---------------------------------------------------------------------

bool Router::in_backoff(const std::string& topic, const PeerKey& peer, Time now) const {
  auto it = backoff_.find({topic, peer});
  return it != backoff_.end() && it->second > now;
}

void Router::graft_peer(const std::string& topic, const PeerKey& peer, Time now, bool send) {
  mesh_[topic].insert(peer);
  scores_.graft(peer, topic, now);
  if (send) {
    auto it = peers_.find(peer);
    if (it != peers_.end() && it->second.control.graft.size() < kMaxControlEntriesQueued)
      it->second.control.graft.push_back(topic);
  }
}

std::vector<PrunePeer> Router::px_for(const std::string& topic, const PeerKey& exclude, Time now) {
  std::vector<PeerKey> candidates;
  if (auto tp = topic_peers_.find(topic); tp != topic_peers_.end())
    for (const auto& p : tp->second)
      if (p != exclude && scores_.score(p, now) >= 0) candidates.push_back(p);
  std::vector<PrunePeer> out;
  for (auto& p : pick(candidates, cfg_.prune_peers)) out.push_back({Bytes(p.begin(), p.end()), {}});
  return out;
}

void Router::prune_peer(const std::string& topic, const PeerKey& peer, Time now, Duration backoff, bool send) {
  if (auto m = mesh_.find(topic); m != mesh_.end()) m->second.erase(peer);
  scores_.prune(peer, topic, now);
  backoff_[{topic, peer}] = now + backoff;
  if (!send) return;
  auto it = peers_.find(peer);
  if (it == peers_.end() || it->second.control.prune.size() >= kMaxControlEntriesQueued) return;
  Prune pr;
  pr.topic = topic;
  if (it->second.proto == PeerProtocol::Meshsub11 || it->second.proto == PeerProtocol::Meshsub12) {
    pr.backoff_s = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(backoff).count());
    if (cfg_.do_px) pr.peers = px_for(topic, peer, now);
  }
  it->second.control.prune.push_back(std::move(pr));
}

// ---- subscribe / publish -----------------------------------------------------------------

void Router::subscribe(const std::string& topic, Time now) {
  if (!my_topics_.insert(topic).second) return;
  for (const auto& [k, ps] : peers_) enqueue_subscription(k, topic, true);
  // Join: fanout peers first, then others, up to D.
  std::set<PeerKey>& m = mesh_[topic];
  if (auto f = fanout_.find(topic); f != fanout_.end()) {
    for (const auto& p : f->second)
      if (m.size() < cfg_.d && scores_.score(p, now) >= 0) graft_peer(topic, p, now, true);
    fanout_.erase(f);
    fanout_last_pub_.erase(topic);
  }
  std::vector<PeerKey> more;
  for (const auto& p : topic_peers(topic)) {
    const auto& ps = peers_.at(p);
    if (!m.count(p) && is_meshsub(ps) && !in_backoff(topic, p, now) && scores_.score(p, now) >= 0)
      more.push_back(p);
  }
  for (const auto& p : pick(more, cfg_.d > m.size() ? cfg_.d - m.size() : 0)) graft_peer(topic, p, now, true);
}

void Router::unsubscribe(const std::string& topic, Time now) {
  if (!my_topics_.erase(topic)) return;
  for (const auto& [k, ps] : peers_) enqueue_subscription(k, topic, false);
  if (auto m = mesh_.find(topic); m != mesh_.end()) {
    const std::vector<PeerKey> members(m->second.begin(), m->second.end());
    for (const auto& p : members) prune_peer(topic, p, now, cfg_.unsubscribe_backoff, true);
    mesh_.erase(topic);
  }
}

Result<size_t> Router::publish(const std::string& topic, Bytes data, Time now) {
  if (topic.empty() || topic.size() > RpcLimits{}.max_topic_length)
    return Error(P2PNetworkError::InvalidMessage, "topic must be 1-256 bytes");
  PubsubMessage msg;
  if (policy(topic) == SignaturePolicy::StrictSign) {
    if (signer_ == nullptr)
      return Error(P2PNetworkError::SecurityValidationFailed, "topic '" + topic + "' needs signed messages but no key is set");
    msg = make_signed_message(*signer_, topic, std::move(data), ++seqno_);
  } else {
    msg = make_unsigned_message(topic, std::move(data));
  }
  const MessageId id = message_id(msg, policy(topic));
  if (!seen_.insert(id, now))
    return Error(P2PNetworkError::MessageRoutingFailed, "duplicate of a recently seen message");
  mcache_.put(id, msg);
  ++stats_.published;

  std::set<PeerKey> to;
  const auto tp = topic_peers(topic);
  if (cfg_.flood_publish) {
    for (const auto& p : tp)
      if (scores_.score(p, now) >= cfg_.score.publish_threshold) to.insert(p);
  } else {
    for (const auto& p : tp)
      if (peers_.at(p).proto == PeerProtocol::Floodsub && scores_.score(p, now) >= cfg_.score.publish_threshold)
        to.insert(p);
    if (my_topics_.count(topic)) {
      const auto& m = mesh_[topic];
      to.insert(m.begin(), m.end());
    } else {
      std::set<PeerKey>& f = fanout_[topic];
      if (f.size() < cfg_.d) {
        std::vector<PeerKey> cand;
        for (const auto& p : tp)
          if (!f.count(p) && is_meshsub(peers_.at(p)) && scores_.score(p, now) >= cfg_.score.publish_threshold)
            cand.push_back(p);
        for (const auto& p : pick(cand, cfg_.d - f.size())) f.insert(p);
      }
      to.insert(f.begin(), f.end());
      fanout_last_pub_[topic] = now;
    }
  }
  for (const auto& p : to) enqueue_message(p, msg, true);
  if (my_topics_.count(topic)) deliveries_.push_back({id, msg, {}});
  return to.size();
}

// ---- receiving ---------------------------------------------------------------------------

bool Router::add_dont_want(PeerState& ps, const MessageId& id) {
  if (ps.dont_want.count(id_view(id))) return false;
  std::string k = key_of(id);
  if (ps.dont_want_order.size() >= cfg_.max_dontwant_per_peer) {
    ps.dont_want.erase(ps.dont_want_order.front());
    ps.dont_want_order.pop_front();
  }
  ps.dont_want.insert(k);
  ps.dont_want_order.push_back(std::move(k));
  return true;
}

bool Router::needs_signature_check(const PubsubMessage& msg) const {
  return policy(msg.topic) == SignaturePolicy::StrictSign && !seen_.contains(message_id(msg, SignaturePolicy::StrictSign));
}

void Router::handle_rpc(const PeerKey& from, Rpc rpc, Time now, const std::vector<SignatureCheck>& checked) {
  auto it = peers_.find(from);
  if (it == peers_.end()) return;
  PeerState& ps = it->second;
  if (scores_.score(from, now) < cfg_.score.graylist_threshold) {
    ++stats_.graylisted_rpcs;
    return;
  }
  for (const auto& s : rpc.subscriptions) {
    if (s.subscribe) {
      if (ps.topics.size() >= cfg_.max_topics_per_peer && !ps.topics.count(s.topic)) continue;
      ps.topics.insert(s.topic);
      topic_peers_[s.topic].insert(from);
      // A mesh below D_lo takes the new subscriber at once instead of at the next heartbeat
      // (what a node joining a running network waits for); same eligibility as the heartbeat.
      if (my_topics_.count(s.topic)) {
        std::set<PeerKey>& m = mesh_[s.topic];
        if (m.size() < cfg_.d_lo && !m.count(from) && is_meshsub(ps) && !in_backoff(s.topic, from, now) &&
            scores_.score(from, now) >= 0)
          graft_peer(s.topic, from, now, true);
      }
    } else {
      ps.topics.erase(s.topic);
      if (auto tp = topic_peers_.find(s.topic); tp != topic_peers_.end()) {
        tp->second.erase(from);
        if (tp->second.empty()) topic_peers_.erase(tp);
      }
      if (auto m = mesh_.find(s.topic); m != mesh_.end()) m->second.erase(from);
      if (auto f = fanout_.find(s.topic); f != fanout_.end()) f->second.erase(from);
    }
  }
  for (size_t i = 0; i < rpc.publish.size(); ++i) {
    PubsubMessage& msg = rpc.publish[i];
    const SignaturePolicy pol = policy(msg.topic);
    // Duplicates are dropped before the (costly) signature check; a message only enters the
    // seen cache once it is valid, so a forgery cannot pre-empt the real message's id.
    const MessageId id = message_id(msg, pol);
    if (auto first = seen_.first_seen(id)) {
      ++stats_.duplicates;
      // P3: a mesh member that delivers within the window of the first copy still counts.
      if (now - *first <= cfg_.score.for_topic(msg.topic).mesh_message_deliveries_window)
        scores_.mesh_delivery(from, msg.topic);
      continue;
    }
    const SignatureCheck pre = pol == SignaturePolicy::StrictSign && i < checked.size() ? checked[i] : SignatureCheck::None;
    if (pre == SignatureCheck::None ? !validate_message(msg, pol).ok() : pre == SignatureCheck::Invalid) {
      ++stats_.invalid;
      scores_.invalid_message(from, msg.topic);
      continue;
    }
    if (!promises_.empty()) erase_by_id(promises_, id);
    seen_.insert(id, now);
    if (!my_topics_.count(msg.topic) && !fanout_.count(msg.topic)) {
      // Not ours: we do not relay topics we are not in (spec), but remember we saw it.
      continue;
    }
    // v1.2: tell our mesh not to send us this large message again.
    if (msg.data.size() >= cfg_.idontwant_message_size_threshold) {
      if (auto m = mesh_.find(msg.topic); m != mesh_.end())
        for (const auto& p : m->second) {
          if (p == from) continue;
          auto pit = peers_.find(p);
          if (pit != peers_.end() && pit->second.proto == PeerProtocol::Meshsub12 &&
              pit->second.control.idontwant.size() < kMaxControlEntriesQueued) {
            pit->second.control.idontwant.push_back(id);
            ++stats_.idontwant_sent;
          }
        }
    }
    if (async_validation_) {
      if (pending_validation_.size() >= cfg_.max_pending_validations) {
        ++stats_.validation_drops;
        continue;
      }
      pending_validation_.emplace(key_of(id), Pending{msg, from});
      validations_out_.push_back({id, std::move(msg), from});
    } else {
      accept_message(id, std::move(msg), from, now);
    }
  }
  handle_control(from, ps, rpc, now);
}

void Router::report_validation(const MessageId& id, ValidationResult r, Time now) {
  auto it = pending_validation_.find(id_view(id));
  if (it == pending_validation_.end()) return;
  Pending p = std::move(it->second);
  pending_validation_.erase(it);
  if (r == ValidationResult::Accept) {
    accept_message(id, std::move(p.msg), p.from, now);
  } else if (r == ValidationResult::Reject) {
    ++stats_.invalid;
    scores_.invalid_message(p.from, p.msg.topic);
  }
}

void Router::accept_message(const MessageId& id, PubsubMessage msg, const PeerKey& from, Time now) {
  scores_.first_delivery(from, msg.topic);
  scores_.mesh_delivery(from, msg.topic);
  mcache_.put(id, msg);
  forward(id, msg, from, now);
  if (my_topics_.count(msg.topic)) {
    ++stats_.delivered;
    deliveries_.push_back({id, std::move(msg), from});
  }
}

void Router::forward(const MessageId& id, const PubsubMessage& msg, const PeerKey& from, Time now) {
  std::set<PeerKey> to;
  if (auto m = mesh_.find(msg.topic); m != mesh_.end()) to.insert(m->second.begin(), m->second.end());
  for (const auto& p : topic_peers(msg.topic))
    if (peers_.at(p).proto == PeerProtocol::Floodsub && scores_.score(p, now) >= cfg_.score.publish_threshold)
      to.insert(p);
  const std::string_view k = id_view(id);
  const std::string_view author(reinterpret_cast<const char*>(msg.from.data()), msg.from.size());
  for (const auto& p : to) {
    if (p == from || (!author.empty() && p == author)) continue;
    auto pit = peers_.find(p);
    if (pit == peers_.end() || (!pit->second.dont_want.empty() && pit->second.dont_want.count(k))) continue;
    enqueue_message(p, msg, false);
    ++stats_.forwarded;
  }
}

void Router::handle_control(const PeerKey& from, PeerState& ps, Rpc& rpc, Time now) {
  const double score = scores_.score(from, now);
  // IHAVE: ask for what we have not seen, within the per-heartbeat limits.
  if (score >= cfg_.score.gossip_threshold) {
    std::vector<MessageId> want;
    for (const auto& ih : rpc.ihave) {
      if (++ps.ihave_received > cfg_.max_ihave_messages) {
        scores_.behaviour_penalty(from, 0.1);  // IHAVE flood
        break;
      }
      if (!my_topics_.count(ih.topic)) continue;
      for (const auto& id : ih.ids) {
        if (ps.iwant_asked >= cfg_.max_ihave_length) break;
        if (seen_.contains(id) || promises_.count(id_view(id))) continue;
        want.push_back(id);
        ++ps.iwant_asked;
      }
    }
    if (!want.empty() && ps.control.iwant.size() + want.size() <= kMaxControlEntriesQueued) {
      // Promise tracking: one random id per IWANT must arrive within the follow-up time.
      const MessageId& probe = want[rng_.uniform(want.size())];
      promises_[key_of(probe)] = Promise{from, now + cfg_.iwant_followup_time};
      ps.control.iwant.insert(ps.control.iwant.end(), want.begin(), want.end());
      ++stats_.iwant_sent;
    }
    // IWANT: answer from the message cache, at most gossip_retransmission times per message.
    // Asking for more ids per heartbeat than we would ever announce (max_ihave_length) is
    // spam: P7 penalty, and the excess is not answered.
    for (const auto& id : rpc.iwant) {
      if (++ps.iwant_received > cfg_.max_ihave_length) {
        scores_.behaviour_penalty(from, 0.1);
        break;
      }
      if (const PubsubMessage* m = mcache_.get_for_peer(id, from, cfg_.gossip_retransmission))
        enqueue_message(from, *m, false);
    }
  }
  // IDONTWANT (v1.2).
  for (const auto& id : rpc.idontwant) add_dont_want(ps, id);
  // GRAFT.
  for (const auto& topic : rpc.graft) {
    if (!my_topics_.count(topic)) {
      prune_peer(topic, from, now, cfg_.prune_backoff, true);  // we are not in that topic
      continue;
    }
    if (mesh_[topic].count(from)) continue;
    if (in_backoff(topic, from, now)) {
      scores_.behaviour_penalty(from);  // GRAFT during backoff
      prune_peer(topic, from, now, cfg_.prune_backoff, true);
      continue;
    }
    if (scores_.score(from, now) < 0 || (mesh_[topic].size() >= cfg_.d_hi && !ps.outbound) ||
        !is_meshsub(ps)) {
      prune_peer(topic, from, now, cfg_.prune_backoff, true);
      continue;
    }
    graft_peer(topic, from, now, false);
  }
  // PRUNE.
  for (const auto& pr : rpc.prune) {
    if (auto m = mesh_.find(pr.topic); m != mesh_.end()) m->second.erase(from);
    scores_.prune(from, pr.topic, now);
    Duration b = cfg_.prune_backoff;
    if (pr.backoff_s) b = std::max(b, Duration(std::chrono::seconds(std::min<uint64_t>(*pr.backoff_s, 3600))));
    backoff_[{pr.topic, from}] = now + b;
    if (!pr.peers.empty() && scores_.score(from, now) >= cfg_.score.accept_px_threshold) {
      for (const auto& p : pr.peers) {
        if (px_out_.size() >= cfg_.prune_peers * 4) break;
        px_out_.push_back(p);
      }
    }
  }
}

// ---- heartbeat ---------------------------------------------------------------------------

void Router::maintain_mesh(const std::string& topic, Time now) {
  std::set<PeerKey>& m = mesh_[topic];
  // Drop members with a negative score (no PX for them).
  for (auto it = m.begin(); it != m.end();) {
    if (scores_.score(*it, now) < 0) {
      const PeerKey p = *it;
      it = m.erase(it);
      prune_peer(topic, p, now, cfg_.prune_backoff, true);
    } else {
      ++it;
    }
  }
  auto eligible = [&](const PeerKey& p) {
    const auto& ps = peers_.at(p);
    return !m.count(p) && is_meshsub(ps) && !in_backoff(topic, p, now) && scores_.score(p, now) >= 0;
  };
  if (m.size() < cfg_.d_lo) {
    std::vector<PeerKey> cand;
    for (const auto& p : topic_peers(topic))
      if (eligible(p)) cand.push_back(p);
    for (const auto& p : pick(cand, cfg_.d - m.size())) graft_peer(topic, p, now, true);
  } else if (m.size() > cfg_.d_hi) {
    // Keep the D_score best, then random, making sure D_out outbound peers stay.
    std::vector<PeerKey> members(m.begin(), m.end());
    members = pick(members, members.size());
    std::stable_sort(members.begin(), members.end(), [&](const PeerKey& a, const PeerKey& b) {
      return scores_.score(a, now) > scores_.score(b, now);
    });
    std::vector<PeerKey> keep(members.begin(), members.begin() + static_cast<std::ptrdiff_t>(cfg_.d_score));
    std::vector<PeerKey> rest(members.begin() + static_cast<std::ptrdiff_t>(cfg_.d_score), members.end());
    rest = pick(rest, rest.size());
    size_t outbound = static_cast<size_t>(
        std::count_if(keep.begin(), keep.end(), [&](const PeerKey& p) { return peers_.at(p).outbound; }));
    for (auto it = rest.begin(); it != rest.end() && keep.size() < cfg_.d;) {
      if (outbound < cfg_.d_out && !peers_.at(*it).outbound) {
        ++it;
        continue;
      }
      outbound += peers_.at(*it).outbound;
      keep.push_back(*it);
      it = rest.erase(it);
    }
    for (auto it = rest.begin(); it != rest.end() && keep.size() < cfg_.d; it = rest.erase(it)) keep.push_back(*it);
    const std::set<PeerKey> keep_set(keep.begin(), keep.end());
    for (const auto& p : members)
      if (!keep_set.count(p)) prune_peer(topic, p, now, cfg_.prune_backoff, true);
  }
  // Outbound quota.
  const size_t outbound = static_cast<size_t>(
      std::count_if(m.begin(), m.end(), [&](const PeerKey& p) { return peers_.at(p).outbound; }));
  if (m.size() >= cfg_.d_lo && outbound < cfg_.d_out) {
    std::vector<PeerKey> cand;
    for (const auto& p : topic_peers(topic))
      if (eligible(p) && peers_.at(p).outbound) cand.push_back(p);
    for (const auto& p : pick(cand, cfg_.d_out - outbound)) graft_peer(topic, p, now, true);
  }
  // Opportunistic grafting (v1.1): if the mesh's median score is low, graft better peers.
  if (cfg_.opportunistic_graft_ticks && heartbeat_ticks_ % cfg_.opportunistic_graft_ticks == 0 && m.size() > 1) {
    std::vector<double> s;
    for (const auto& p : m) s.push_back(scores_.score(p, now));
    std::nth_element(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(s.size() / 2), s.end());
    const double median = s[s.size() / 2];
    if (median < cfg_.score.opportunistic_graft_threshold) {
      std::vector<PeerKey> cand;
      for (const auto& p : topic_peers(topic))
        if (eligible(p) && scores_.score(p, now) > median) cand.push_back(p);
      for (const auto& p : pick(cand, cfg_.opportunistic_graft_peers)) graft_peer(topic, p, now, true);
    }
  }
}

void Router::emit_gossip(Time now) {
  auto gossip_topic = [&](const std::string& topic, const std::set<PeerKey>& exclude) {
    std::vector<MessageId> ids = mcache_.gossip_ids(topic);
    if (ids.empty()) return;
    std::vector<PeerKey> cand;
    for (const auto& p : topic_peers(topic)) {
      const auto& ps = peers_.at(p);
      if (!exclude.count(p) && is_meshsub(ps) && scores_.score(p, now) >= cfg_.score.gossip_threshold)
        cand.push_back(p);
    }
    const size_t n = std::max(cfg_.d_lazy, static_cast<size_t>(cfg_.gossip_factor * static_cast<double>(cand.size())));
    if (ids.size() > cfg_.max_ihave_length) ids = std::vector<MessageId>(ids.end() - static_cast<std::ptrdiff_t>(cfg_.max_ihave_length), ids.end());
    for (const auto& p : pick(cand, n)) {
      auto& ctl = peers_.at(p).control;
      if (ctl.ihave.size() >= kMaxControlEntriesQueued) continue;
      ctl.ihave.push_back({topic, ids});
      ++stats_.ihave_sent;
    }
  };
  for (const auto& [topic, m] : mesh_) gossip_topic(topic, m);
  for (const auto& [topic, f] : fanout_) gossip_topic(topic, f);
}

void Router::heartbeat(Time now) {
  ++heartbeat_ticks_;
  next_heartbeat_ = now + cfg_.heartbeat_interval;
  scores_.decay(now);
  // Broken IWANT promises (P7).
  for (auto it = promises_.begin(); it != promises_.end();) {
    if (it->second.deadline <= now) {
      scores_.behaviour_penalty(it->second.peer);
      it = promises_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = backoff_.begin(); it != backoff_.end();) it = it->second <= now ? backoff_.erase(it) : std::next(it);
  for (const auto& t : my_topics_) maintain_mesh(t, now);
  // Fanout: expire idle topics, top up the rest.
  for (auto it = fanout_last_pub_.begin(); it != fanout_last_pub_.end();) {
    if (it->second + cfg_.fanout_ttl <= now) {
      fanout_.erase(it->first);
      it = fanout_last_pub_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [topic, f] : fanout_) {
    for (auto it = f.begin(); it != f.end();)
      it = scores_.score(*it, now) < cfg_.score.publish_threshold ? f.erase(it) : std::next(it);
    if (f.size() < cfg_.d) {
      std::vector<PeerKey> cand;
      for (const auto& p : topic_peers(topic))
        if (!f.count(p) && is_meshsub(peers_.at(p)) && scores_.score(p, now) >= cfg_.score.publish_threshold)
          cand.push_back(p);
      for (const auto& p : pick(cand, cfg_.d - f.size())) f.insert(p);
    }
  }
  emit_gossip(now);
  mcache_.shift();
  seen_.expire(now);
  for (auto& [k, ps] : peers_) {
    ps.ihave_received = 0;
    ps.iwant_asked = 0;
    ps.iwant_received = 0;
  }
}

}  // namespace hauptbuch::p2p::gossipsub

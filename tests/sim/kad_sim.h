// In-memory Kademlia network on a virtual clock: N nodes, each with the real RoutingTable,
// ProviderStore, RecordStore and KadHandler, exchanging real KadMessages (optionally through the
// real codec) as deliveries in a priority queue ordered by virtual time (fixed latency per hop),
// with a seeded RNG. Used by the simulation test (tests/sim) and bench/kad_bench.cc.
// Single-threaded; deterministic for a given seed. Never reads a clock.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <queue>
#include <unordered_map>
#include <vector>

#include "crypto/identity.h"
#include "protocols/kad/kad_handler.h"
#include "protocols/kad/lookup.h"
#include "util/random.h"

namespace hauptbuch::p2p::kad::sim {

struct SimConfig {
  size_t nodes = 1000;
  uint64_t seed = 1;
  Duration latency = std::chrono::milliseconds(1);  // one way, per message
  size_t k = 20;
  size_t alpha = 3;
  size_t paths = 1;
  bool use_codec = true;  // encode + decode every message (proves the codec on the way)
  Duration request_timeout = std::chrono::milliseconds(50);
};

struct Outcome {
  LookupResult result;
  Duration latency{};  // virtual time from start to done
  bool done = false;
};

struct Job {
  size_t node;
  LookupKind kind;
  Bytes target;
};

// Bucket refresh targets must be raw keys whose SHA-256 falls in a given bucket. Like
// go-libp2p-kad-dht, we precompute one preimage per 16-bit prefix of the kad key (about 0.7 M
// hashes once), so a target with any common-prefix length below 16 is a table lookup.
class PrefixTable {
 public:
  static constexpr size_t kBits = 16;
  PrefixTable() {
    table_.assign(size_t{1} << kBits, Bytes{});
    size_t missing = table_.size();
    Bytes b(8);
    for (uint64_t i = 0; missing > 0; ++i) {
      for (size_t j = 0; j < 8; ++j) b[j] = static_cast<uint8_t>(i >> (8 * j));
      const KadKey h = key_of_bytes(b);
      Bytes& slot = table_[(size_t{h[0]} << 8) | h[1]];
      if (slot.empty()) {
        slot = b;
        --missing;
      }
    }
  }
  // A raw key whose kad key shares exactly `cpl` (< 16) leading bits with `self`.
  Bytes target(const KadKey& self, size_t cpl, RandomSource& rng) const {
    const auto mine = static_cast<uint32_t>((uint32_t{self[0]} << 8) | self[1]);
    const auto r = static_cast<uint32_t>(rng.uniform(uint64_t{1} << kBits));
    const uint32_t keep = cpl == 0 ? 0u : (0xFFFFu << (kBits - cpl)) & 0xFFFFu;
    const uint32_t flip = 0x8000u >> cpl;
    const uint32_t prefix = (mine & keep) | ((mine & flip) ^ flip) | (r & ~(keep | flip) & 0xFFFFu);
    return table_[prefix];
  }

 private:
  std::vector<Bytes> table_;
};

class SimNetwork {
 public:
  explicit SimNetwork(SimConfig cfg) : cfg_(cfg), rng_(cfg.seed), now_(Time{} + std::chrono::hours(1)) {
    nodes_.reserve(cfg_.nodes);
    for (size_t i = 0; i < cfg_.nodes; ++i) {
      Bytes raw(32);
      rng_.fill(raw);
      PeerId id = PeerId::from_public_key(crypto::PublicKey::ed25519(raw));
      std::string a = "/ip4/10.";
      a.append(std::to_string((i >> 16) & 0xFF)).append(".").append(std::to_string((i >> 8) & 0xFF)).append(".");
      a.append(std::to_string(i & 0xFF)).append("/tcp/4001");
      index_.emplace(id, i);
      nodes_.push_back(std::make_unique<Node>(id, *Multiaddr::parse(a), cfg_, now_));
    }
  }

  size_t size() const { return nodes_.size(); }
  const PeerId& id(size_t i) const { return nodes_[i]->id; }
  RoutingTable& table(size_t i) { return nodes_[i]->table; }
  Time now() const { return now_; }
  uint64_t messages() const { return messages_; }
  uint64_t codec_failures() const { return codec_failures_; }
  void set_offline(size_t i, bool off) { nodes_[i]->offline = off; }

  // Every node learns node 0, runs a self-lookup (one after the other, as nodes join), then after
  // the refresh interval all nodes refresh their buckets (cpl <= max_refresh_cpl) concurrently.
  void bootstrap(size_t max_refresh_cpl = PrefixTable::kBits - 1) {
    const PrefixTable prefixes;
    for (size_t i = 1; i < nodes_.size(); ++i) {
      nodes_[i]->table.on_peer_seen(nodes_[0]->id, {nodes_[0]->addr}, true, now_);
      run({Job{i, LookupKind::FindNode, nodes_[i]->id.bytes()}});
    }
    now_ += nodes_[0]->table.config().refresh_interval;
    std::vector<Job> jobs;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      for (const KadKey& k : nodes_[i]->table.tick(now_, rng_)) {
        const size_t cpl = common_prefix_length(nodes_[i]->table.self_key(), k);
        if (cpl <= max_refresh_cpl) jobs.push_back(Job{i, LookupKind::FindNode, prefixes.target(nodes_[i]->table.self_key(), cpl, rng_)});
      }
    }
    run(jobs);
  }

  // Fills every table from the whole key space without messages (for large benchmarks): for each
  // node and bucket, the first k peers (in key order) of that bucket's key range.
  void build_static_tables() {
    std::vector<std::pair<KadKey, size_t>> sorted;
    for (size_t i = 0; i < nodes_.size(); ++i) sorted.emplace_back(nodes_[i]->table.self_key(), i);
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < nodes_.size(); ++i) {
      const KadKey self = nodes_[i]->table.self_key();
      for (size_t cpl = 0; cpl < kKeyBits; ++cpl) {
        // Keys sharing cpl bits with self and differing at bit cpl: one contiguous range.
        KadKey lo = self;
        const size_t byte = cpl / 8;
        const uint8_t bit = static_cast<uint8_t>(0x80u >> (cpl % 8));
        const auto keep = static_cast<uint8_t>(~((bit << 1) - 1));  // bits before position cpl
        lo[byte] = static_cast<uint8_t>((self[byte] & keep) | ((self[byte] & bit) ^ bit));
        std::fill(lo.begin() + static_cast<std::ptrdiff_t>(byte) + 1, lo.end(), 0);
        auto it = std::lower_bound(sorted.begin(), sorted.end(), std::make_pair(lo, size_t{0}));
        size_t added = 0;
        for (; it != sorted.end() && added < cfg_.k; ++it) {
          if (common_prefix_length(self, it->first) != cpl) break;
          nodes_[i]->table.on_peer_seen(nodes_[it->second]->id, {nodes_[it->second]->addr}, true, now_);
          ++added;
        }
      }
    }
  }

  // The k nodes (other than `node`) closest to `target`, by brute force.
  std::vector<PeerId> true_closest(size_t node, const Bytes& target, size_t k) const {
    const KadKey t = key_of_bytes(target);
    std::vector<size_t> idx;
    for (size_t i = 0; i < nodes_.size(); ++i)
      if (i != node && !nodes_[i]->offline) idx.push_back(i);
    k = std::min(k, idx.size());
    std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(), [&](size_t a, size_t b) {
      return closer(nodes_[a]->table.self_key(), nodes_[b]->table.self_key(), t);
    });
    std::vector<PeerId> out;
    for (size_t i = 0; i < k; ++i) out.push_back(nodes_[idx[i]]->id);
    return out;
  }

  // Runs the lookups concurrently on the virtual clock until all are done.
  std::vector<Outcome> run(const std::vector<Job>& jobs) {
    std::vector<Active> act;
    act.reserve(jobs.size());  // no reallocation: deliveries index into it
    active_ = &act;
    for (size_t j = 0; j < jobs.size(); ++j) {
      Node& n = *nodes_[jobs[j].node];
      LookupConfig lc;
      lc.k = cfg_.k;
      lc.alpha = cfg_.alpha;
      lc.paths = cfg_.paths;
      lc.request_timeout = cfg_.request_timeout;
      act.push_back(Active{jobs[j].node, Lookup(jobs[j].kind, n.id, lc), now_});
      std::vector<KadPeer> seeds;
      for (auto& e : n.table.closest(key_of_bytes(jobs[j].target), cfg_.k))
        seeds.push_back(KadPeer{e.id, e.addrs, ConnectionType::NotConnected});
      n.table.mark_refreshed(key_of_bytes(jobs[j].target), now_);
      send(j, act[j].lookup.start(jobs[j].target, std::move(seeds), now_));
    }
    size_t remaining = 0;
    for (auto& a : act) {
      if (a.lookup.done()) {
        a.finished = true;
        a.end = a.start;
      } else {
        ++remaining;
      }
    }
    while (remaining > 0 && !queue_.empty()) {
      Event ev = queue_.top();
      queue_.pop();
      now_ = ev.at;
      Active& a = act[ev.job];
      const bool was_done = a.lookup.done();
      if (ev.timer) {
        if (!was_done) send(ev.job, a.lookup.tick(now_));
      } else {
        deliver(ev);
      }
      if (!was_done && a.lookup.done()) {
        a.finished = true;
        a.end = now_;
        --remaining;
      }
    }
    // Late answers of finished lookups are dropped with the queue.
    queue_ = {};
    active_ = nullptr;
    std::vector<Outcome> out;
    for (auto& a : act) out.push_back(Outcome{a.lookup.result(), a.end - a.start, a.lookup.done()});
    return out;
  }

 private:
  struct Node {
    Node(PeerId i, Multiaddr a, const SimConfig& c, Time now)
        : id(std::move(i)), addr(std::move(a)), table(id, table_cfg(c), now), handler(table, providers, records, handler_cfg(c)) {}
    static RoutingTableConfig table_cfg(const SimConfig& c) {
      RoutingTableConfig t;
      t.k = c.k;
      return t;
    }
    static KadHandlerConfig handler_cfg(const SimConfig& c) {
      KadHandlerConfig h;
      h.k = c.k;
      return h;
    }
    PeerId id;
    Multiaddr addr;
    RoutingTable table;
    ProviderStore providers;
    RecordStore records;
    KadHandler handler;
    bool offline = false;
  };
  struct Active {
    size_t node;
    Lookup lookup;
    Time start;
    Time end{};
    bool finished = false;
  };
  struct Event {
    Time at;
    uint64_t seq;
    bool response;
    size_t from, to;
    size_t job;
    Bytes wire;      // use_codec
    KadMessage msg;  // !use_codec
    bool timer = false;  // a lookup's request-timeout wake-up, not a message
    bool operator>(const Event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };

  void post(size_t from, size_t to, size_t job, bool response, const KadMessage& m) {
    Event ev{now_ + cfg_.latency, seq_++, response, from, to, job, {}, {}, false};
    if (cfg_.use_codec) ev.wire = encode(m);
    else ev.msg = m;
    ++messages_;
    queue_.push(std::move(ev));
  }

  void send(size_t job, std::vector<OutboundRequest> reqs) {
    const size_t from = (*active_)[job].node;
    for (auto& r : reqs) post(from, index_.at(r.peer), job, false, r.message);
    if (!reqs.empty()) {
      // Wake the lookup when these requests time out (a no-op tick if they were answered).
      Event t{now_ + cfg_.request_timeout, seq_++, false, from, from, job, {}, {}, true};
      queue_.push(std::move(t));
    }
  }

  void deliver(const Event& ev) {
    KadMessage m;
    if (cfg_.use_codec) {
      auto d = decode(ev.wire);
      if (!d.ok()) {
        ++codec_failures_;
        return;
      }
      m = std::move(*d);
    } else {
      m = ev.msg;
    }
    Node& to = *nodes_[ev.to];
    if (to.offline) return;  // dropped: the sender's request times out
    Node& from = *nodes_[ev.from];
    auto r = to.table.on_peer_seen(from.id, {from.addr}, true, now_);
    if (r.ping) {
      // Liveness check answered at once by the simulated network (alive unless offline).
      to.table.on_ping_result(*r.ping, !nodes_[index_.at(*r.ping)]->offline, now_);
    }
    if (!ev.response) {
      auto resp = to.handler.handle(m, from.id, now_);
      if (resp.ok() && resp->has_value()) post(ev.to, ev.from, ev.job, true, **resp);
      return;
    }
    auto& a = (*active_)[ev.job];
    if (a.lookup.done()) return;
    send(ev.job, a.lookup.on_response(from.id, m, now_));
  }

  SimConfig cfg_;
  SeededRandom rng_;
  Time now_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::unordered_map<PeerId, size_t> index_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> queue_;
  std::vector<Active>* active_ = nullptr;
  uint64_t seq_ = 0;
  uint64_t messages_ = 0;
  uint64_t codec_failures_ = 0;
};

}  // namespace hauptbuch::p2p::kad::sim

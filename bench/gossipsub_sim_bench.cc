// Virtual-time simulation of gossipsub on 1,000 nodes (issue "message routing" evidence):
// random graph (each node dials 8 random peers), link latency uniform in 20-200 ms and 20 Mbit/s
// per direction (frames queue behind each other), 16 KiB messages, the router
// cores from src/protocols/gossipsub exchanging RPCs through the codec, heartbeats every second.
// Reports propagation-time percentiles (publish -> first delivery at each node), delivery ratio
// and duplicates (message copies received per node per message), with and without IDONTWANT.
// Google Benchmark program; the counters carry the results (--benchmark_format=json).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <queue>

#include "protocols/gossipsub/router.h"
#include "protocols/gossipsub/rpc_codec.h"

namespace hauptbuch::p2p::gossipsub {
namespace {

using namespace std::chrono_literals;

struct SimResult {
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  double delivery_ratio = 0, copies_per_delivery = 0;
  uint64_t rpcs = 0, bytes = 0;
};

// Each directed link sends one frame at a time at `kLinkBitsPerSecond` (transmission delay),
// then the frame travels for the link latency.
constexpr double kLinkBitsPerSecond = 20e6;

SimResult simulate(size_t n, size_t messages, size_t msg_size, bool idontwant, uint64_t seed) {
  SeededRandom rng(seed);
  GossipsubConfig cfg;
  if (!idontwant) cfg.idontwant_message_size_threshold = SIZE_MAX;
  std::vector<std::unique_ptr<SeededRandom>> rngs;
  std::vector<std::unique_ptr<Router>> nodes;
  std::vector<PeerKey> ids;
  std::map<PeerKey, size_t> index;
  for (size_t i = 0; i < n; ++i) {
    ids.push_back("node-" + std::to_string(i));
    index[ids.back()] = i;
    rngs.push_back(std::make_unique<SeededRandom>(seed * 7919 + i));
    nodes.push_back(std::make_unique<Router>(cfg, ids.back(), nullptr, *rngs.back()));
  }
  std::map<std::pair<size_t, size_t>, Duration> latency;
  auto link_latency = [&](size_t a, size_t b) {
    auto key = std::minmax(a, b);
    auto it = latency.find(key);
    if (it == latency.end())
      it = latency.emplace(key, std::chrono::milliseconds(20 + rng.uniform(181))).first;
    return it->second;
  };
  Time now = Time{} + 1h;
  for (size_t i = 0; i < n; ++i)
    for (int k = 0; k < 8; ++k) {
      size_t j = rng.uniform(n);
      if (j == i) continue;
      nodes[i]->add_peer(ids[j], PeerProtocol::Meshsub12, true, "", now);
      nodes[j]->add_peer(ids[i], PeerProtocol::Meshsub12, false, "", now);
      link_latency(i, j);
    }

  struct Event {
    Time at;
    uint64_t seq;
    size_t to, from;
    Bytes frame;
    bool operator>(const Event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  std::priority_queue<Event, std::vector<Event>, std::greater<>> q;
  std::map<std::pair<size_t, size_t>, Time> link_busy_until;
  uint64_t seq = 0;
  SimResult res;
  const std::string topic = "/hauptbuch/sim/blocks";
  std::map<std::string, Time> published_at;
  std::map<std::string, std::vector<Time>> first_delivery;  // per message id, per node
  uint64_t copies = 0;

  auto flush = [&](size_t i) {
    for (const auto& peer : nodes[i]->peers_with_output()) {
      for (auto rpc = nodes[i]->take_rpc(peer); rpc; rpc = nodes[i]->take_rpc(peer)) {
      Bytes frame = encode_rpc(*rpc);
      ++res.rpcs;
      res.bytes += frame.size();
      const size_t j = index.at(peer);
      Time& busy = link_busy_until[{i, j}];
      const Time start = std::max(busy, now);
      const auto tx = std::chrono::duration_cast<Duration>(
          std::chrono::duration<double>(static_cast<double>(frame.size()) * 8 / kLinkBitsPerSecond));
      busy = start + tx;
      q.push({busy + link_latency(i, j), seq++, j, i, std::move(frame)});
      }
    }
    for (auto& d : nodes[i]->take_deliveries()) {
      const std::string k(d.id.begin(), d.id.end());
      auto& v = first_delivery[k];
      if (v.empty()) v.assign(n, Time{});
      if (v[i] == Time{}) v[i] = now;
    }
  };
  auto run_until = [&](Time end) {
    // Heartbeats are events too: every node beats once per second, staggered by index.
    while (true) {
      Time next_hb = Time::max();
      size_t hb_node = 0;
      for (size_t i = 0; i < n; ++i)
        if (nodes[i]->next_heartbeat() < next_hb) next_hb = nodes[i]->next_heartbeat(), hb_node = i;
      const Time next_msg = q.empty() ? Time::max() : q.top().at;
      const Time t = std::min(next_hb, next_msg);
      if (t > end) break;
      now = t;
      if (next_msg <= next_hb) {
        Event e = q.top();
        q.pop();
        auto rpc = decode_rpc(e.frame);
        if (rpc.ok()) {
          copies += rpc->publish.size();
          nodes[e.to]->handle_rpc(ids[e.from], std::move(*rpc), now);
        }
        flush(e.to);
      } else {
        nodes[hb_node]->heartbeat(now);
        flush(hb_node);
      }
    }
    now = end;
  };

  for (size_t i = 0; i < n; ++i) {
    nodes[i]->subscribe(topic, now);
    flush(i);
  }
  run_until(now + 10s);  // meshes form
  copies = 0;
  for (size_t m = 0; m < messages; ++m) {
    const size_t src = rng.uniform(n);
    Bytes data(msg_size, static_cast<uint8_t>(m));
    data[0] = static_cast<uint8_t>(m >> 8);
    (void)nodes[src]->publish(topic, data, now);
    const MessageId id = content_message_id(make_unsigned_message(topic, data));
    published_at[std::string(id.begin(), id.end())] = now;
    flush(src);
    run_until(now + 500ms);
  }
  run_until(now + 5s);

  std::vector<double> lat;
  size_t delivered = 0;
  for (const auto& [k, t0] : published_at) {
    auto it = first_delivery.find(k);
    if (it == first_delivery.end()) continue;
    for (Time t : it->second)
      if (t != Time{}) {
        ++delivered;
        lat.push_back(std::chrono::duration<double, std::milli>(t - t0).count());
      }
  }
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) { return lat.empty() ? 0 : lat[std::min(lat.size() - 1, static_cast<size_t>(p * lat.size()))]; };
  res.p50_ms = pct(0.5);
  res.p90_ms = pct(0.9);
  res.p99_ms = pct(0.99);
  res.max_ms = lat.empty() ? 0 : lat.back();
  res.delivery_ratio = static_cast<double>(delivered) / static_cast<double>(n * messages);
  res.copies_per_delivery = delivered ? static_cast<double>(copies) / static_cast<double>(delivered) : 0;
  return res;
}

void BM_GossipsubSim1000(benchmark::State& state) {
  const bool idontwant = state.range(0) != 0;
  SimResult r;
  for (auto _ : state) r = simulate(1000, 10, 16 * 1024, idontwant, 42);
  state.counters["nodes"] = 1000;
  state.counters["propagation_p50_ms"] = r.p50_ms;
  state.counters["propagation_p90_ms"] = r.p90_ms;
  state.counters["propagation_p99_ms"] = r.p99_ms;
  state.counters["propagation_max_ms"] = r.max_ms;
  state.counters["delivery_ratio"] = r.delivery_ratio;
  state.counters["copies_per_delivery"] = r.copies_per_delivery;
  state.counters["rpcs"] = static_cast<double>(r.rpcs);
  state.counters["bytes"] = static_cast<double>(r.bytes);
  state.SetLabel(idontwant ? "with IDONTWANT" : "without IDONTWANT");
}
BENCHMARK(BM_GossipsubSim1000)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hauptbuch::p2p::gossipsub

BENCHMARK_MAIN();

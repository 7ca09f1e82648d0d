// The specification's performance table, measured on loopback through the public API:
//   peer connection  (target 50 ms, 10 MB)  a new connection to a new peer (TCP + handshake +
//                                           identify), PeerManager::connect_to_peer
//   message routing  (target 25 ms,  5 MB)  MessageRouter::route_message to a connected peer,
//                                           answered by its routed-message handler
//   peer discovery   (target 100 ms, 20 MB) DiscoveryEngine::discover_peers on a random node of
//                                           the network (random-key Kademlia lookups), after one
//                                           untimed warm-up call on that node
//   network sync     (target 200 ms, 40 MB) a fresh node joins the running network through one
//                                           bootstrap node until it has its outbound target, a
//                                           routing table of >= 20 peers and a gossip mesh (the
//                                           row also gives when each of the three held, p50)
// Every node is a P2PNetwork on one shared io_context run by one thread (both ends of every
// connection are in this process). Memory is the growth of this process's resident set across
// the operation (both ends included), per operation where the operation repeats.
// Run: spec_bench [--nodes N] [--rounds R] [--security pq|noise|both]; prints one JSON object.
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_util.h"
#include "hauptbuch/p2p/network.h"

namespace {

using namespace hauptbuch::p2p;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

const std::string kTopic = MessageRouter::chain_topic("bench", "blocks");

double rss_kib() { return static_cast<double>(bench::rss_kib()); }

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

json row(const char* op, const std::vector<double>& ms, double mem_kib, double target_ms, double target_mb) {
  const double p50 = pct(ms, 0.5), mem_mb = mem_kib / 1024.0;
  return json{{"operation", op},
              {"samples", ms.size()},
              {"time_ms_p50", p50},
              {"time_ms_p99", pct(ms, 0.99)},
              {"memory_mb", mem_mb},
              {"target_ms", target_ms},
              {"target_mb", target_mb},
              {"time_ratio_to_target", p50 / target_ms},
              {"memory_ratio_to_target", mem_mb / target_mb}};
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "spec_bench: %s\n", what.c_str());
  std::exit(1);
}

struct Options {
  unsigned nodes = 100, rounds = 50;
  SecurityMode security = SecurityMode::Both;
};

// Polls `pred` every 10 ms for at most `limit` (this is a benchmark driver, not a test).
template <typename P>
bool wait_for(P pred, std::chrono::seconds limit) {
  const auto end = Clock::now() + limit;
  while (!pred()) {
    if (Clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class Bench {
 public:
  explicit Bench(Options o) : opt_(o), work_(asio::make_work_guard(io_)), runner_([this] { io_.run(); }) {}
  ~Bench() {
    for (auto& n : nodes_) n->stop();
    work_.reset();
    io_.stop();
    runner_.join();
    nodes_.clear();  // after the io_context stopped: no handler of theirs runs any more
  }

  P2PNetwork& add_node(std::vector<std::string> bootstrap, bool subscribe) {
    P2PNetworkConfig cfg;
    cfg.log_level = "off";
    cfg.security = opt_.security;
    cfg.listen_addrs = {"/ip4/127.0.0.1/tcp/0"};
    cfg.bootstrap_peers = std::move(bootstrap);
    cfg.max_inbound_per_ip = 1000;       // every node is on 127.0.0.1
    cfg.max_inbound_per_subnet = 1000;
    auto n = P2PNetwork::create(cfg, io_);
    if (!n.ok()) die("create: " + n.error().message());
    if (auto st = (*n)->start_network(); !st.ok()) die("start: " + st.error().message());
    if (subscribe) {
      if (auto st = (*n)->message_router().subscribe(kTopic, [](const Message&) {}); !st.ok())
        die("subscribe: " + st.error().message());
    }
    nodes_.push_back(std::move(*n));
    return *nodes_.back();
  }

  static std::string addr_of(P2PNetwork& n) { return n.listen_addrs().at(0); }  // ends in /p2p/<id>

  // A new connection to each of `rounds` fresh peers.
  json peer_connection() {
    auto& a = add_node({}, false);
    std::vector<P2PNetwork*> targets;
    for (unsigned i = 0; i < opt_.rounds; ++i) targets.push_back(&add_node({}, false));
    std::vector<double> ms;
    const double before = rss_kib();
    for (auto* t : targets) {
      const auto t0 = Clock::now();
      auto r = a.peer_manager().connect_to_peer(addr_of(*t));
      const auto t1 = Clock::now();
      if (!r.ok()) die("connect: " + r.error().message());
      ms.push_back(ms_between(t0, t1));
    }
    const double grown = std::max(0.0, rss_kib() - before) / opt_.rounds;
    return row("peer_connection", ms, grown, 50, 10);
  }

  // route_message to a connected peer whose handler answers.
  json message_routing() {
    auto& a = add_node({}, false);
    auto& b = add_node({}, false);
    b.message_router().set_routed_message_handler(
        [](const std::string&, const std::vector<uint8_t>& req) -> Result<std::vector<uint8_t>> { return req; });
    if (auto r = a.peer_manager().connect_to_peer(addr_of(b)); !r.ok()) die("connect: " + r.error().message());
    const std::vector<uint8_t> msg(1024, 0x42);
    std::vector<double> ms;
    const unsigned n = opt_.rounds * 10;
    const double before = rss_kib();
    for (unsigned i = 0; i < n; ++i) {
      const auto t0 = Clock::now();
      auto r = a.message_router().route_message(msg, Destination::peer(b.peer_id()));
      const auto t1 = Clock::now();
      if (!r.ok() || !r->delivered) die("route: " + (r.ok() ? std::string("not delivered") : r.error().message()));
      ms.push_back(ms_between(t0, t1));
    }
    return row("message_routing", ms, std::max(0.0, rss_kib() - before) / n, 25, 5);
  }

  // The running network: node 0 bootstraps everyone; each node subscribes to the bench topic.
  void build_network() {
    auto& boot = add_node({}, true);
    network_first_ = nodes_.size() - 1;
    const std::string boot_addr = addr_of(boot);
    for (unsigned i = 1; i < opt_.nodes; ++i) add_node({boot_addr}, true);
    const auto t0 = Clock::now();
    for (size_t i = network_first_; i < nodes_.size(); ++i) {
      auto& n = *nodes_[i];
      if (!wait_for([&] { return n.discovery_engine().metrics().routing_table_size >= std::min(20u, opt_.nodes - 1); },
                    std::chrono::seconds(60)))
        die("node " + std::to_string(i) + " never filled its routing table (" +
            std::to_string(n.discovery_engine().metrics().routing_table_size) + " entries)");
    }
    std::fprintf(stderr, "spec_bench: %u-node network ready in %.1f s\n", opt_.nodes, ms_between(t0, Clock::now()) / 1000);
  }

  // discover_peers() (random-key Kademlia lookups) from random network nodes. A node's first
  // discover_peers() waits for the end of its own bootstrap (bucket refresh, chain announcement),
  // so each sampled node is warmed up by one untimed call first.
  json peer_discovery() {
    std::mt19937 rng(7);
    std::uniform_int_distribution<size_t> pick(network_first_, nodes_.size() - 1);
    std::vector<size_t> sample;
    for (unsigned i = 0; i < opt_.rounds; ++i) sample.push_back(pick(rng));
    std::vector<bool> warm(nodes_.size(), false);
    for (size_t i : sample) {
      if (warm[i]) continue;
      warm[i] = true;
      if (auto r = nodes_[i]->discovery_engine().discover_peers(); !r.ok()) die("discover_peers: " + r.error().message());
    }
    std::vector<double> ms;
    const double before = rss_kib();
    for (size_t i : sample) {
      auto& from = *nodes_[i];
      const auto t0 = Clock::now();
      auto r = from.discovery_engine().discover_peers();
      const auto t1 = Clock::now();
      if (!r.ok()) die("discover_peers: " + r.error().message());
      ms.push_back(ms_between(t0, t1));
    }
    return row("peer_discovery", ms, std::max(0.0, rss_kib() - before) / opt_.rounds, 100, 20);
  }

  // Fresh nodes join through node 0, one after another (each a sample).
  json network_sync() {
    const std::string boot_addr = addr_of(*nodes_[network_first_]);
    const unsigned joins = std::max(1u, opt_.rounds / 5);
    std::vector<double> ms, outbound_ms, table_ms, mesh_ms;  // total, and when each part held
    double grown = 0;
    for (unsigned i = 0; i < joins; ++i) {
      const double before = rss_kib();
      const auto t0 = Clock::now();
      auto& n = add_node({boot_addr}, true);
      const uint32_t target = n.network_state().config.outbound_target;
      std::optional<double> t_out, t_table, t_mesh;
      const bool synced = wait_for(
          [&] {
            const auto m = n.network_state().network_metrics;
            const double now_ms = ms_between(t0, Clock::now());
            if (!t_out && m.outbound_peers >= target) t_out = now_ms;
            if (!t_table && m.routing_table_size >= 20) t_table = now_ms;
            if (!t_mesh && n.message_router().mesh_size(kTopic) >= 1) t_mesh = now_ms;
            return t_out && t_table && t_mesh;
          },
          std::chrono::seconds(60));
      const auto t1 = Clock::now();
      if (!synced) die("join " + std::to_string(i) + " never synced");
      ms.push_back(ms_between(t0, t1));
      outbound_ms.push_back(*t_out);
      table_ms.push_back(*t_table);
      mesh_ms.push_back(*t_mesh);
      grown += std::max(0.0, rss_kib() - before);
    }
    json r = row("network_sync", ms, grown / joins, 200, 40);
    r["outbound_target_ms_p50"] = pct(outbound_ms, 0.5);
    r["routing_table_ms_p50"] = pct(table_ms, 0.5);
    r["mesh_ms_p50"] = pct(mesh_ms, 0.5);
    return r;
  }

 private:
  Options opt_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread runner_;
  std::vector<std::unique_ptr<P2PNetwork>> nodes_;
  size_t network_first_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die(a + " needs a value");
      return argv[++i];
    };
    if (a.rfind("--benchmark_", 0) == 0) continue;  // `make bench` passes Google Benchmark flags
    if (a == "--nodes") o.nodes = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--rounds") o.rounds = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--security") {
      const std::string s = next();
      o.security = s == "pq" ? SecurityMode::Pq : s == "noise" ? SecurityMode::Noise : SecurityMode::Both;
    } else die("unknown flag " + a + " (flags: --nodes N --rounds R --security pq|noise|both)");
  }
  if (o.nodes < 22 || o.rounds < 5) die("--nodes >= 22 and --rounds >= 5");
  json out;
  out["benchmark"] = "spec_table";
  out["nodes"] = o.nodes;
  out["rounds"] = o.rounds;
  out["hardware_concurrency"] = std::thread::hardware_concurrency();
  const auto t0 = Clock::now();
  {
    Bench b(o);
    out["results"].push_back(b.peer_connection());
    out["results"].push_back(b.message_routing());
    b.build_network();
    out["results"].push_back(b.peer_discovery());
    out["results"].push_back(b.network_sync());
  }
  out["wall_s"] = ms_between(t0, Clock::now()) / 1000.0;
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

// NodeMetrics: see node_metrics.h.
#include "node/node_metrics.h"

#include <map>

#include "hauptbuch/p2p/version.h"
#include "node/node_core.h"
#include "node/node_services.h"

namespace hauptbuch::p2p::node {

namespace {
using metrics::CollectedFamily;
using metrics::CollectedSample;
using metrics::MetricType;

CollectedFamily family(std::string name, std::string help, MetricType type) {
  CollectedFamily f;
  f.name = std::move(name);
  f.help = std::move(help);
  f.type = type;
  return f;
}

void sample(CollectedFamily& f, metrics::LabelPairs labels, double v) {
  CollectedSample s;
  s.labels = std::move(labels);
  s.value = v;
  f.samples.push_back(std::move(s));
}
}  // namespace

void NodeMetrics::refresh(NodeCore& core) {
  std::vector<CollectedFamily> out;
  // Peers by direction and security.
  std::map<std::pair<std::string, std::string>, double> peers;
  for (const auto& c : core.host().connections()) {
    const auto& i = c->info();
    peers[{i.direction == Direction::Inbound ? "inbound" : "outbound", i.security == "/noise" ? "noise" : "pq"}] += 1;
  }
  auto f_peers = family("hbp2p_peers", "Connected peers by direction and secure channel.", MetricType::Gauge);
  for (const auto& [k, v] : peers) sample(f_peers, {{"direction", k.first}, {"security", k.second}}, v);
  out.push_back(std::move(f_peers));

  const auto& hs = core.host().stats();
  auto f_fail = family("hbp2p_handshake_failures_total", "Failed connection upgrades by reason.", MetricType::Counter);
  for (const auto& [reason, n] : hs.handshake_failures) sample(f_fail, {{"reason", reason}}, static_cast<double>(n));
  out.push_back(std::move(f_fail));
  auto f_dials = family("hbp2p_dials_total", "Outbound TCP connects started.", MetricType::Counter);
  sample(f_dials, {}, static_cast<double>(hs.dials));
  out.push_back(std::move(f_dials));
  auto f_inb = family("hbp2p_inbound_connections_total", "Inbound TCP connections by outcome.", MetricType::Counter);
  sample(f_inb, {{"result", "accepted"}}, static_cast<double>(hs.inbound_accepted));
  sample(f_inb, {{"result", "refused"}}, static_cast<double>(hs.inbound_refused));
  sample(f_inb, {{"result", "evicted"}}, static_cast<double>(hs.inbound_evicted));
  out.push_back(std::move(f_inb));

  const auto r = core.services().router_metrics();
  auto f_msgs = family("hbp2p_messages_total", "Messages by protocol and direction.", MetricType::Counter);
  sample(f_msgs, {{"direction", "out"}, {"protocol", "gossipsub"}}, static_cast<double>(r.published + r.forwarded));
  sample(f_msgs, {{"direction", "in"}, {"protocol", "gossipsub"}}, static_cast<double>(r.delivered));
  sample(f_msgs, {{"direction", "out"}, {"protocol", "reqresp"}}, static_cast<double>(r.requests_sent));
  sample(f_msgs, {{"direction", "in"}, {"protocol", "reqresp"}}, static_cast<double>(r.requests_received));
  out.push_back(std::move(f_msgs));
  const auto [gossip_in, gossip_out] = core.services().gossip_bytes();
  auto f_bytes = family("hbp2p_bytes_total", "Stream bytes by protocol and direction.", MetricType::Counter);
  sample(f_bytes, {{"direction", "in"}, {"protocol", "gossipsub"}}, static_cast<double>(gossip_in));
  sample(f_bytes, {{"direction", "out"}, {"protocol", "gossipsub"}}, static_cast<double>(gossip_out));
  out.push_back(std::move(f_bytes));
  auto f_score = family("hbp2p_gossip_peer_score", "Gossipsub scores of the peers we gossip with.", MetricType::Histogram);
  {
    CollectedSample s;
    s.histogram = metrics::make_histogram_snapshot(metrics::kPeerScoreBuckets, core.services().gossip_peer_scores());
    f_score.samples.push_back(std::move(s));
  }
  out.push_back(std::move(f_score));
  auto f_dup = family("hbp2p_gossip_duplicates_total", "Gossip messages received again (not delivered twice).", MetricType::Counter);
  sample(f_dup, {}, static_cast<double>(r.duplicates));
  out.push_back(std::move(f_dup));
  auto f_drop = family("hbp2p_queue_drops_total", "Messages dropped from bounded queues.", MetricType::Counter);
  sample(f_drop, {{"queue", "gossip_peer"}}, static_cast<double>(r.queue_drops));
  out.push_back(std::move(f_drop));
  auto f_route = family("hbp2p_routed_messages_total", "route_message outcomes.", MetricType::Counter);
  sample(f_route, {{"result", "delivered"}}, static_cast<double>(r.routed));
  sample(f_route, {{"result", "failed"}}, static_cast<double>(r.routing_failures));
  out.push_back(std::move(f_route));
  auto f_mesh = family("hbp2p_gossip_mesh_peers", "Peers in our gossip mesh per topic.", MetricType::Gauge);
  for (const auto& t : core.services().topics()) sample(f_mesh, {{"topic", t}}, static_cast<double>(core.services().mesh_size(t)));
  out.push_back(std::move(f_mesh));

  const auto d = core.services().discovery_metrics();
  auto f_dht = family("hbp2p_dht_lookups_total", "DHT lookups by result.", MetricType::Counter);
  sample(f_dht, {{"result", "ok"}}, static_cast<double>(d.lookups - std::min(d.lookups, d.failures)));
  sample(f_dht, {{"result", "failed"}}, static_cast<double>(d.failures));
  out.push_back(std::move(f_dht));
  auto f_rt = family("hbp2p_dht_routing_table_peers", "Peers in the DHT routing table.", MetricType::Gauge);
  sample(f_rt, {}, static_cast<double>(core.services().routing_table_size()));
  out.push_back(std::move(f_rt));
  auto f_known = family("hbp2p_known_addresses", "Addresses in the address store.", MetricType::Gauge);
  sample(f_known, {}, static_cast<double>(core.book().known_addresses()));
  out.push_back(std::move(f_known));

  auto f_build = family("hbp2p_build_info", "Always 1; the library version as a label.", MetricType::Gauge);
  sample(f_build, {{"version", HBP2P_VERSION_STRING}}, 1);
  out.push_back(std::move(f_build));

  std::lock_guard<std::mutex> l(mu_);
  families_ = std::move(out);
}

std::vector<metrics::CollectedFamily> NodeMetrics::snapshot() const {
  std::lock_guard<std::mutex> l(mu_);
  return families_;
}

}  // namespace hauptbuch::p2p::node

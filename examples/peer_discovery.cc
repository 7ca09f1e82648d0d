// Example 4 (the specification's "peer discovery"): a bootstrap node and six nodes that know only
// it; they find each other through the Kademlia DHT, fill their outbound slots, and one node
// finds another's addresses by peer id.
#include <cstdio>
#include <memory>
#include <vector>

#include "example_util.h"

using namespace hauptbuch::p2p;

int main() {
  auto boot = P2PNetwork::create(example::local_config());
  if (!boot.ok()) return 1;
  if (auto st = (*boot)->start_network(); !st.ok()) return example::fail("start", st.error());
  const std::string boot_addr = (*boot)->listen_addrs().at(0);

  std::vector<std::unique_ptr<P2PNetwork>> nodes;
  for (int i = 0; i < 6; ++i) {
    auto cfg = example::local_config();
    cfg.bootstrap_peers = {boot_addr};
    cfg.outbound_target = 3;
    auto n = P2PNetwork::create(cfg);
    if (!n.ok()) return example::fail("create", n.error());
    if (auto st = (*n)->start_network(); !st.ok()) return example::fail("start", st.error());
    nodes.push_back(std::move(*n));
  }
  // Each node discovers peers beyond the bootstrap node.
  for (auto& n : nodes) {
    auto found = n->discovery_engine().discover_peers();
    if (!found.ok()) return example::fail("discover", found.error());
  }
  const bool filled = example::eventually([&] {
    for (auto& n : nodes)
      if (n->network_state().connected_peers.size() < 3) return false;
    return true;
  });
  std::printf("every node has >= 3 peers: %s\n", filled ? "yes" : "no");
  auto addrs = nodes[0]->discovery_engine().find_peer(nodes[5]->peer_id());
  if (!addrs.ok()) return example::fail("find_peer", addrs.error());
  std::printf("find_peer(%s) -> %s\n", nodes[5]->peer_id().c_str(), addrs->empty() ? "(none)" : addrs->front().c_str());
  const auto dm = nodes[0]->discovery_engine().metrics();
  std::printf("lookups %llu, routing table %llu peers\n", static_cast<unsigned long long>(dm.lookups),
              static_cast<unsigned long long>(dm.routing_table_size));
  return filled && !addrs->empty() ? 0 : 1;
}

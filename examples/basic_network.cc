// Example 1 (the specification's "basic network"): start two nodes, connect them, and show the
// network state — connected peers, metrics and configuration.
#include <cstdio>

#include "example_util.h"

using namespace hauptbuch::p2p;

int main() {
  auto a = P2PNetwork::create(example::local_config());
  auto b = P2PNetwork::create(example::local_config());
  if (!a.ok()) return example::fail("create", a.error());
  if (!b.ok()) return example::fail("create", b.error());
  if (auto st = (*a)->start_network(); !st.ok()) return example::fail("start a", st.error());
  if (auto st = (*b)->start_network(); !st.ok()) return example::fail("start b", st.error());

  const std::string addr = (*b)->listen_addrs().at(0);
  auto peer = (*a)->connect_to_peer(addr);
  if (!peer.ok()) return example::fail("connect", peer.error());
  std::printf("connected to %s over %s\n", peer->peer_id.c_str(), peer->security.c_str());

  const NetworkState state = (*a)->network_state();
  std::printf("node %s: %zu peer(s), %llu outbound, max_peers %u, security %s\n", state.peer_id.c_str(),
              state.connected_peers.size(), static_cast<unsigned long long>(state.network_metrics.outbound_peers),
              state.config.max_peers, std::string(to_string(state.config.security)).c_str());
  (*a)->stop();
  (*b)->stop();
  return state.connected_peers.size() == 1 ? 0 : 1;
}

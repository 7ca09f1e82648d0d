// Cross-chain example: node A serves chain "alpha", B serves "alpha" and "beta", C serves
// "beta". A routes a message to chain beta; it travels through a node that serves beta (found
// through beta's provider records in the DHT) into beta's gossip, where C receives it once.
#include <cstdio>

#include "example_util.h"

using namespace hauptbuch::p2p;

int main() {
  auto make = [](std::vector<std::string> chains, std::string boot) {
    auto cfg = example::local_config();
    cfg.chains = std::move(chains);
    if (!boot.empty()) cfg.bootstrap_peers = {boot};
    return P2PNetwork::create(cfg);
  };
  auto b = make({"alpha", "beta"}, "");
  if (!b.ok() || !(*b)->start_network().ok()) return 1;
  const std::string boot = (*b)->listen_addrs().at(0);
  auto a = make({"alpha"}, boot);
  auto c = make({"beta"}, boot);
  if (!a.ok() || !c.ok() || !(*a)->start_network().ok() || !(*c)->start_network().ok()) return 1;

  const std::string topic = MessageRouter::chain_topic("beta", "routed");
  example::Signal got;
  (void)(*c)->message_router().subscribe(topic, [&](const Message& m) {
    std::printf("C received %zu bytes on %s\n", m.data.size(), m.topic.c_str());
    got.add();
  });
  (void)(*b)->message_router().subscribe(topic, [](const Message&) {});
  Result<RoutingResult> r = Error(P2PNetworkError::MessageRoutingFailed, "not tried");
  const bool routed = example::eventually([&] {
    r = (*a)->message_router().route_message({'x', 'c', 'h', 'a', 'i', 'n'}, Destination::to_chain("beta"));
    return r.ok() && r->delivered;
  });
  if (!routed) return example::fail("route to chain beta", r.ok() ? Error(P2PNetworkError::MessageRoutingFailed, "not delivered") : r.error());
  std::printf("routed via %s in %lld us\n", r->path.c_str(), static_cast<long long>(r->latency.count()));
  return got.wait_for_count(1) ? 0 : 1;
}

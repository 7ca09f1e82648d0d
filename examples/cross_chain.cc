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
  // Until B and C have exchanged their subscriptions (a gossip heartbeat), B's publication into
  // beta may reach nobody: route again (a new message each time) until C has one.
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::vector<uint8_t> msg{'x', 'c', 'h', 'a', 'i', 'n', static_cast<uint8_t>(attempt)};
    auto r = (*a)->message_router().route_message(msg, Destination::to_chain("beta"));
    if (r.ok() && r->delivered)
      std::printf("routed via %s (%zu hop(s)) in %lld us\n", r->path.c_str(), r->hops.size(), static_cast<long long>(r->latency.count()));
    if (got.wait_for_count(1, std::chrono::seconds(1))) return 0;
  }
  std::fprintf(stderr, "C never received the cross-chain message\n");
  return 1;
}

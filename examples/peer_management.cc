// Example 2 (the specification's "peer management"): connect, secure connect with its
// validation path (wrong identity and banned peers are refused with distinct errors), and the
// connection manager's limits and counts.
#include <cstdio>

#include "example_util.h"

using namespace hauptbuch::p2p;

int main() {
  auto a = P2PNetwork::create(example::local_config());
  auto b = P2PNetwork::create(example::local_config());
  auto c = P2PNetwork::create(example::local_config());
  if (!a.ok() || !b.ok() || !c.ok()) return 1;
  for (auto* n : {&*a, &*b, &*c})
    if (auto st = (*n)->start_network(); !st.ok()) return example::fail("start", st.error());
  PeerManager& pm = (*a)->peer_manager();

  const std::string addr_b = (*b)->listen_addrs().at(0);
  auto ok = pm.secure_connect_to_peer(addr_b);
  if (!ok.ok()) return example::fail("secure connect", ok.error());
  std::printf("secure connect: %s (%s)\n", ok->peer_id.c_str(), ok->security.c_str());

  // b's address claiming to be c: the authenticated key does not match.
  const std::string spoofed = addr_b.substr(0, addr_b.find("/p2p/")) + "/p2p/" + (*c)->peer_id();
  auto wrong = pm.secure_connect_to_peer(spoofed);
  std::printf("spoofed identity: %s\n", wrong.ok() ? "accepted?!" : wrong.error().message().c_str());

  (void)pm.security_manager().ban_peer((*c)->peer_id(), std::chrono::seconds(60), "example");
  auto banned = pm.secure_connect_to_peer((*c)->listen_addrs().at(0));
  std::printf("banned peer: %s\n", banned.ok() ? "accepted?!" : banned.error().message().c_str());

  const auto counts = pm.connection_manager().counts();
  const auto limits = pm.connection_manager().limits();
  std::printf("connections: %u outbound of max %u, %u inbound of max %u\n", counts.outbound, limits.max_outbound,
              counts.inbound, limits.max_inbound);
  return (!wrong.ok() && !banned.ok() && counts.outbound == 1) ? 0 : 1;
}

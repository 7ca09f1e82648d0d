// Example 3 (the specification's "message routing"): gossip publish/subscribe on a chain topic,
// a request/response exchange, and route_message() to a peer.
#include <cstdio>

#include "example_util.h"

using namespace hauptbuch::p2p;

int main() {
  auto a = P2PNetwork::create(example::local_config());
  auto b = P2PNetwork::create(example::local_config());
  if (!a.ok() || !b.ok()) return 1;
  if (auto st = (*a)->start_network(); !st.ok()) return example::fail("start", st.error());
  if (auto st = (*b)->start_network(); !st.ok()) return example::fail("start", st.error());
  if (auto p = (*a)->connect_to_peer((*b)->listen_addrs().at(0)); !p.ok()) return example::fail("connect", p.error());

  // Gossip: b subscribes to main's block topic; a publishes once b is in its mesh.
  const std::string topic = MessageRouter::chain_topic("main", "blocks");
  example::Signal got;
  if (auto st = (*b)->message_router().subscribe(topic, [&](const Message& m) {
        std::printf("b received %zu bytes on %s\n", m.data.size(), m.topic.c_str());
        got.add();
      }); !st.ok())
    return example::fail("subscribe", st.error());
  if (auto st = (*a)->message_router().subscribe(topic, [](const Message&) {}); !st.ok()) return example::fail("subscribe", st.error());
  // The gossip mesh forms at a heartbeat (about a second): publish once b is in a's mesh.
  if (!example::eventually([&] { return (*a)->message_router().mesh_size(topic) > 0; })) {
    std::fprintf(stderr, "no gossip mesh formed\n");
    return 1;
  }
  auto sent = (*a)->message_router().publish(topic, {'b', 'l', 'o', 'c', 'k'});
  if (!sent.ok()) return example::fail("publish", sent.error());
  if (!got.wait_for_count(1)) {
    std::fprintf(stderr, "gossip message not delivered\n");
    return 1;
  }

  // Request/response: b answers /example/echo/1.0.0.
  (void)(*b)->message_router().register_protocol("/example/echo/1.0.0", [](const std::string&, const std::vector<uint8_t>& req) {
    return Result<std::vector<uint8_t>>(req);
  });
  auto reply = (*a)->message_router().send((*b)->peer_id(), "/example/echo/1.0.0", {'h', 'i'});
  if (!reply.ok()) return example::fail("send", reply.error());
  std::printf("echo reply %zu bytes in %lld us\n", reply->data.size(), static_cast<long long>(reply->rtt.count()));

  // route_message to a peer: delivered on a direct stream.
  (*b)->message_router().set_routed_message_handler([](const std::string& from, const std::vector<uint8_t>& msg) {
    std::printf("b got a routed message (%zu bytes) from %s\n", msg.size(), from.c_str());
    return Result<std::vector<uint8_t>>(std::vector<uint8_t>{'o', 'k'});
  });
  auto routed = (*a)->message_router().route_message({'t', 'x'}, Destination::peer((*b)->peer_id()));
  if (!routed.ok()) return example::fail("route", routed.error());
  std::printf("routed: delivered=%d path=%s latency=%lld us\n", routed->delivered, routed->path.c_str(),
              static_cast<long long>(routed->latency.count()));
  return routed->delivered ? 0 : 1;
}

// NodeServices: see node_services.h. Each service is wired here as it is added.
#include "node/node_services.h"

#include "node/node_core.h"

namespace hauptbuch::p2p::node {

namespace {
Error not_yet(const char* what) { return Error(P2PNetworkError::Unsupported, std::string(what) + " is not available on this node"); }
}  // namespace

struct NodeServices::Impl {};

NodeServices::NodeServices(NodeCore& core) : core_(core), impl_(std::make_unique<Impl>()) {}
NodeServices::~NodeServices() = default;

Status NodeServices::start() { return ok_status(); }
void NodeServices::stop() {}

asio::awaitable<Status> NodeServices::co_bootstrap(std::vector<std::string> addrs) {
  size_t ok = 0;
  Error last(P2PNetworkError::PeerDiscoveryFailed, "no bootstrap peers");
  for (auto& a : addrs) {
    auto r = co_await core_.co_connect(a, false);
    if (r.ok()) ++ok; else last = std::move(r).error();
  }
  if (ok == 0) co_return Error(P2PNetworkError::PeerDiscoveryFailed, "no bootstrap peer reachable: " + last.message());
  co_return ok_status();
}
asio::awaitable<Result<std::vector<DiscoveredPeer>>> NodeServices::co_discover() { co_return not_yet("discovery"); }
asio::awaitable<Result<std::vector<std::string>>> NodeServices::co_find_peer(std::string) { co_return not_yet("find_peer"); }
asio::awaitable<Result<std::vector<DiscoveredPeer>>> NodeServices::co_closest_peers(std::vector<uint8_t>, std::string) { co_return not_yet("closest_peers"); }
asio::awaitable<Status> NodeServices::co_provide(std::vector<uint8_t>, std::string) { co_return not_yet("provide"); }
asio::awaitable<Result<std::vector<DiscoveredPeer>>> NodeServices::co_find_providers(std::vector<uint8_t>, std::string) { co_return not_yet("find_providers"); }
asio::awaitable<Status> NodeServices::co_put_value(std::vector<uint8_t>, std::vector<uint8_t>, std::string) { co_return not_yet("put_value"); }
asio::awaitable<Result<std::vector<uint8_t>>> NodeServices::co_get_value(std::vector<uint8_t>, std::string) { co_return not_yet("get_value"); }
asio::awaitable<Result<std::vector<DiscoveredPeer>>> NodeServices::co_find_chain_peers(std::string) { co_return not_yet("find_chain_peers"); }
DiscoveryMetrics NodeServices::discovery_metrics() const { return {}; }
size_t NodeServices::routing_table_size() const { return 0; }

Status NodeServices::subscribe(const std::string&, MessageRouter::MessageHandler) { return not_yet("gossip"); }
Status NodeServices::unsubscribe(const std::string&) { return not_yet("gossip"); }
void NodeServices::set_validator(const std::string&, MessageRouter::MessageValidator) {}
Result<size_t> NodeServices::publish(const std::string&, std::vector<uint8_t>) { return not_yet("gossip"); }
std::vector<std::string> NodeServices::topics() const { return {}; }
size_t NodeServices::mesh_size(const std::string&) const { return 0; }

Status NodeServices::register_protocol(const std::string&, MessageRouter::RequestHandler) { return not_yet("request/response"); }
asio::awaitable<Result<Response>> NodeServices::co_send(std::string, std::string, std::vector<uint8_t>) { co_return not_yet("request/response"); }
asio::awaitable<Result<RoutingResult>> NodeServices::co_route(std::vector<uint8_t>, Destination) { co_return not_yet("routing"); }
void NodeServices::set_routed_message_handler(MessageRouter::RequestHandler) {}
RouterMetrics NodeServices::router_metrics() const { return {}; }

}  // namespace hauptbuch::p2p::node

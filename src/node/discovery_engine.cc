// DiscoveryEngine facade (public API, discovery_engine.h) over the node's Kademlia services.
#include "hauptbuch/p2p/discovery_engine.h"

#include <sodium.h>

#include "node/node_core.h"
#include "node/node_services.h"

namespace hauptbuch::p2p {

using node::block_result;

std::vector<uint8_t> DiscoveryEngine::chain_key(const std::string& chain) {
  std::string input = "hauptbuch/chain/";
  input.append(chain);
  std::vector<uint8_t> out(crypto_hash_sha256_BYTES);
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(input.data()), input.size());
  return out;
}

asio::awaitable<Status> DiscoveryEngine::async_bootstrap() {
  co_return co_await core_->run_on(core_->services().co_bootstrap(core_->config().bootstrap_peers));
}
Status DiscoveryEngine::bootstrap() { return block_result(*core_, core_->services().co_bootstrap(core_->config().bootstrap_peers)); }

asio::awaitable<Result<std::vector<DiscoveredPeer>>> DiscoveryEngine::async_discover_peers() {
  co_return co_await core_->run_on(core_->services().co_discover());
}
Result<std::vector<DiscoveredPeer>> DiscoveryEngine::discover_peers() { return block_result(*core_, core_->services().co_discover()); }

asio::awaitable<Result<std::vector<std::string>>> DiscoveryEngine::async_find_peer(std::string peer_id) {
  co_return co_await core_->run_on(core_->services().co_find_peer(std::move(peer_id)));
}
Result<std::vector<std::string>> DiscoveryEngine::find_peer(const std::string& peer_id) {
  return block_result(*core_, core_->services().co_find_peer(peer_id));
}

asio::awaitable<Result<std::vector<DiscoveredPeer>>> DiscoveryEngine::async_closest_peers(std::vector<uint8_t> key, std::string chain) {
  co_return co_await core_->run_on(core_->services().co_closest_peers(std::move(key), std::move(chain)));
}
asio::awaitable<Status> DiscoveryEngine::async_provide(std::vector<uint8_t> key, std::string chain) {
  co_return co_await core_->run_on(core_->services().co_provide(std::move(key), std::move(chain)));
}
asio::awaitable<Result<std::vector<DiscoveredPeer>>> DiscoveryEngine::async_find_providers(std::vector<uint8_t> key, std::string chain) {
  co_return co_await core_->run_on(core_->services().co_find_providers(std::move(key), std::move(chain)));
}
asio::awaitable<Status> DiscoveryEngine::async_put_value(std::vector<uint8_t> key, std::vector<uint8_t> value, std::string chain) {
  co_return co_await core_->run_on(core_->services().co_put_value(std::move(key), std::move(value), std::move(chain)));
}
asio::awaitable<Result<std::vector<uint8_t>>> DiscoveryEngine::async_get_value(std::vector<uint8_t> key, std::string chain) {
  co_return co_await core_->run_on(core_->services().co_get_value(std::move(key), std::move(chain)));
}
asio::awaitable<Result<std::vector<DiscoveredPeer>>> DiscoveryEngine::async_find_chain_peers(std::string chain) {
  co_return co_await core_->run_on(core_->services().co_find_chain_peers(std::move(chain)));
}

DiscoveryMetrics DiscoveryEngine::metrics() const {
  auto get = [](node::NodeCore* core) -> asio::awaitable<DiscoveryMetrics> {
    auto m = core->services().discovery_metrics();
    m.routing_table_size = core->services().routing_table_size();
    m.known_addresses = core->book().known_addresses();
    co_return m;
  };
  return node::block_value(*core_, get(core_));
}

}  // namespace hauptbuch::p2p

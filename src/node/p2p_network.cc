// P2PNetwork (public API, network.h): creation (config check, identity), start/stop, state.
#include "hauptbuch/p2p/network.h"

#include <asio/any_io_executor.hpp>

#include "crypto/key_file.h"
#include "util/log.h"
#include "node/node_core.h"
#include "node/node_services.h"

namespace hauptbuch::p2p {

namespace {
// The key file's identity, else a new in-memory one: hybrid Ed25519 + ML-DSA-65, except for a
// classical-only (/noise) network, whose peers are standard libp2p nodes that cannot parse the
// hybrid key type.
Result<crypto::PrivateKey> load_identity(const P2PNetworkConfig& cfg) {
  if (!cfg.key_file.empty()) return crypto::read_key_file(cfg.key_file);
  if (cfg.security == SecurityMode::Noise) return crypto::PrivateKey::generate_ed25519();
  return crypto::PrivateKey::generate_hybrid();
}

Result<std::unique_ptr<node::NodeCore>> make_core(P2PNetworkConfig cfg, Result<crypto::PrivateKey> key, asio::io_context* io) {
  if (auto st = cfg.validate(); !st.ok()) return std::move(st).error();
  if (!key.ok()) return std::move(key).error();
  HBP2P_TRY(init_logging(cfg.log_level));
  return std::make_unique<node::NodeCore>(std::move(cfg), std::move(*key), io);
}
}  // namespace

P2PNetwork::P2PNetwork(std::unique_ptr<node::NodeCore> core)
    : core_(std::move(core)), peers_(core_.get()), router_(core_.get()), discovery_(core_.get()) {
  peers_.discovery_ = &discovery_;
}

P2PNetwork::~P2PNetwork() { stop(); }

Result<std::unique_ptr<P2PNetwork>> P2PNetwork::create(P2PNetworkConfig config) {
  auto key = load_identity(config);
  auto core = make_core(std::move(config), std::move(key), nullptr);
  if (!core.ok()) return std::move(core).error();
  return std::unique_ptr<P2PNetwork>(new P2PNetwork(std::move(*core)));
}

Result<std::unique_ptr<P2PNetwork>> P2PNetwork::create(P2PNetworkConfig config, asio::io_context& io) {
  auto key = load_identity(config);
  auto core = make_core(std::move(config), std::move(key), &io);
  if (!core.ok()) return std::move(core).error();
  return std::unique_ptr<P2PNetwork>(new P2PNetwork(std::move(*core)));
}

Result<std::unique_ptr<P2PNetwork>> P2PNetwork::create_with_key(P2PNetworkConfig config, std::vector<uint8_t> private_key_protobuf,
                                                                 asio::io_context* io) {
  auto key = crypto::PrivateKey::from_protobuf(private_key_protobuf);
  auto core = make_core(std::move(config), std::move(key), io);
  if (!core.ok()) return std::move(core).error();
  return std::unique_ptr<P2PNetwork>(new P2PNetwork(std::move(*core)));
}

Status P2PNetwork::start_network() {
  core_->start_threads();
  return node::block_result(*core_, core_->co_start());
}

asio::awaitable<Status> P2PNetwork::async_start_network() {
  core_->start_threads();
  co_return co_await core_->run_on(core_->co_start());
}

void P2PNetwork::stop() {
  if (core_) core_->stop();
}

NetworkState P2PNetwork::network_state() const { return node::block_value(*core_, core_->co_state()); }
asio::awaitable<NetworkState> P2PNetwork::async_network_state() const { co_return co_await core_->run_on(core_->co_state()); }
std::string P2PNetwork::peer_id() const { return core_->host().peer_id().to_base58(); }
std::vector<std::string> P2PNetwork::listen_addrs() const { return network_state().listen_addrs; }
std::string P2PNetwork::metrics_text() const { return core_->metrics_text(); }
std::string P2PNetwork::metrics_endpoint() const { return core_->metrics_endpoint(); }
asio::any_io_executor P2PNetwork::executor() const { return core_->executor(); }

}  // namespace hauptbuch::p2p

// PeerManager, ConnectionManager and SecurityManager facades (public API, peer_manager.h):
// each call hops onto the node's strand (NodeCore) and back.
#include "hauptbuch/p2p/peer_manager.h"

#include <asio/experimental/as_tuple.hpp>

#include "hauptbuch/p2p/discovery_engine.h"
#include "hauptbuch/p2p/network.h"
#include "node/node_core.h"

namespace hauptbuch::p2p {

using node::block_result;
using node::block_value;

PeerManager::PeerManager(node::NodeCore* core) : core_(core), connections_(core), security_(core) {}

asio::awaitable<Result<PeerInfo>> PeerManager::async_connect_to_peer(std::string multiaddr) {
  co_return co_await core_->run_on(core_->co_connect(std::move(multiaddr), false));
}
Result<PeerInfo> PeerManager::connect_to_peer(const std::string& multiaddr) {
  return block_result(*core_, core_->co_connect(multiaddr, false));
}
asio::awaitable<Result<PeerInfo>> PeerManager::async_secure_connect_to_peer(std::string multiaddr) {
  co_return co_await core_->run_on(core_->co_connect(std::move(multiaddr), true));
}
Result<PeerInfo> PeerManager::secure_connect_to_peer(const std::string& multiaddr) {
  return block_result(*core_, core_->co_connect(multiaddr, true));
}

namespace {
// Dials every address concurrently on the strand (one after another when
// enable_parallel_processing is off); results in input order.
asio::awaitable<std::vector<Result<PeerInfo>>> connect_all(node::NodeCore* core, std::vector<std::string> addrs) {
  if (!core->config().enable_parallel_processing) {
    std::vector<Result<PeerInfo>> out;
    for (auto& a : addrs) out.push_back(co_await core->co_connect(std::move(a), false));
    co_return out;
  }
  struct Shared {
    std::vector<std::optional<Result<PeerInfo>>> results;
    size_t left = 0;
    std::unique_ptr<asio::steady_timer> done;
  };
  auto sh = std::make_shared<Shared>();
  sh->results.resize(addrs.size());
  sh->left = addrs.size();
  sh->done = std::make_unique<asio::steady_timer>(core->executor(), Duration::max());
  for (size_t i = 0; i < addrs.size(); ++i) {
    asio::co_spawn(core->executor(), [core, sh, i, a = addrs[i]]() mutable -> asio::awaitable<void> {
      sh->results[i].emplace(co_await core->co_connect(std::move(a), false));
      if (--sh->left == 0) sh->done->cancel();
    }, asio::detached);
  }
  if (sh->left > 0) {
    auto [ec] = co_await sh->done->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    (void)ec;
  }
  std::vector<Result<PeerInfo>> out;
  for (auto& r : sh->results) out.push_back(r ? std::move(*r) : Result<PeerInfo>(Error(P2PNetworkError::Cancelled, "dial abandoned")));
  co_return out;
}
}  // namespace

asio::awaitable<std::vector<Result<PeerInfo>>> PeerManager::async_connect_to_peers(std::vector<std::string> multiaddrs) {
  co_return co_await core_->run_on(connect_all(core_, std::move(multiaddrs)));
}
std::vector<Result<PeerInfo>> PeerManager::connect_to_peers(const std::vector<std::string>& multiaddrs) {
  auto r = core_->block_on(connect_all(core_, multiaddrs), core_->blocking_limit());
  if (r) return std::move(*r);
  std::vector<Result<PeerInfo>> out;
  for (size_t i = 0; i < multiaddrs.size(); ++i)
    out.emplace_back(Error(P2PNetworkError::Timeout, "the network did not answer in time (or blocking call on a network thread)"));
  return out;
}

Status PeerManager::disconnect(const std::string& peer_id) { return block_result(*core_, core_->co_disconnect(peer_id)); }
std::vector<PeerInfo> PeerManager::connected_peers() const { return block_value(*core_, core_->co_peers()); }
Result<std::chrono::microseconds> PeerManager::ping(const std::string& peer_id) {
  return block_result(*core_, core_->co_ping(peer_id));
}
asio::awaitable<Result<std::chrono::microseconds>> PeerManager::async_ping(std::string peer_id) {
  co_return co_await core_->run_on(core_->co_ping(std::move(peer_id)));
}

namespace {
asio::awaitable<ConnectionManager::Counts> counts_of(node::NodeCore* core) {
  ConnectionManager::Counts c;
  for (const auto& conn : core->host().connections()) {
    ++c.total;
    (conn->info().direction == node::Direction::Inbound ? c.inbound : c.outbound)++;
  }
  co_return c;
}
}  // namespace

ConnectionManager::Counts ConnectionManager::counts() const { return block_value(*core_, counts_of(core_)); }
ConnectionManager::Limits ConnectionManager::limits() const {
  const auto& c = core_->config();
  return {c.max_peers, c.max_inbound, c.max_outbound, c.max_inbound_per_ip, c.max_inbound_per_subnet, c.outbound_target};
}
bool ConnectionManager::can_connect_outbound() const {
  const auto c = counts();
  const auto l = limits();
  return c.total < l.max_peers && c.outbound < l.max_outbound;
}

SecurityMode SecurityManager::security_mode() const { return core_->config().security; }
Status SecurityManager::ban_peer(const std::string& peer_id, std::chrono::seconds duration, const std::string& reason) {
  return block_result(*core_, core_->co_ban(peer_id, duration, reason));
}
Status SecurityManager::unban(const std::string& key_or_peer_id) { return block_result(*core_, core_->co_unban(key_or_peer_id)); }
std::vector<BanInfo> SecurityManager::bans() const { return block_value(*core_, core_->co_bans()); }
bool SecurityManager::is_banned(const std::string& peer_id) const {
  for (const auto& b : bans())
    if (b.key == "peer:" + peer_id) return true;
  return false;
}
double SecurityManager::score(const std::string& peer_id) const {
  auto id = PeerId::parse(peer_id);
  if (!id.ok()) return 0;
  auto get = [](node::NodeCore* core, PeerId p) -> asio::awaitable<double> { co_return core->book().score(p, core->now()); };
  return block_value(*core_, get(core_, std::move(*id)), 0.0);
}

}  // namespace hauptbuch::p2p

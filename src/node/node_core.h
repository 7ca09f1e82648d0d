// NodeCore: everything one node runs, wired together — the Host (connections), the PeerBook
// (addresses, scores, bans, outbound maintenance), and the protocol services (Kademlia per
// chain, gossipsub, request/response, cross-chain relay, metrics). The public facades
// (P2PNetwork, PeerManager, MessageRouter, DiscoveryEngine) are thin wrappers over it.
//
// Threading: all state lives on the Host's strand (executor()). The `co_*` awaitables must run
// on that strand; the facades get there with run_on()/block_on(). The io_context is either
// owned (threads started in start()) or borrowed (the caller runs it).
#pragma once

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "hauptbuch/p2p/config.h"
#include "hauptbuch/p2p/discovery_engine.h"
#include "hauptbuch/p2p/message_router.h"
#include "hauptbuch/p2p/types.h"
#include "node/host.h"
#include "node/metrics.h"
#include "node/metrics_http.h"
#include "node/node_metrics.h"
#include "node/peer_book.h"
#include "util/random.h"

namespace hauptbuch::p2p::node {

class NodeServices;  // node_services.h: kad, gossip, request/response, relay

class NodeCore {
 public:
  // `io` null: the core owns an io_context and its threads.
  NodeCore(P2PNetworkConfig cfg, crypto::PrivateKey key, asio::io_context* io);
  ~NodeCore();

  Executor executor() const { return host_->executor(); }
  Host& host() { return *host_; }
  const P2PNetworkConfig& config() const { return cfg_; }
  PeerBook& book() { return book_; }
  NodeServices& services() { return *services_; }
  bool owns_io() const { return own_io_ != nullptr; }

  // --- lifecycle (strand) ---
  asio::awaitable<Status> co_start();
  // Starts the owned threads (no-op when borrowed). Called by P2PNetwork before co_start.
  void start_threads();
  // GoAway to all, store flushed, services stopped; then threads joined. Idempotent. Call it on
  // the node's strand, or from a thread that does not run the io_context. With a borrowed
  // io_context, some thread must be running it meanwhile (else the hand-off waits 10 s and
  // then shuts down in place); a caller that runs the io_context itself posts stop() to
  // executor() instead.
  void stop();
  bool started() const { return started_; }
  // Replaces the bootstrap list (before co_start).
  void set_bootstrap_peers(std::vector<std::string> addrs) { cfg_.bootstrap_peers = std::move(addrs); }

  // --- peers (strand) ---
  asio::awaitable<Result<PeerInfo>> co_connect(std::string multiaddr, bool secure);
  asio::awaitable<std::vector<PeerInfo>> co_peers();
  asio::awaitable<Status> co_disconnect(std::string peer_id);
  asio::awaitable<Result<std::chrono::microseconds>> co_ping(std::string peer_id);
  asio::awaitable<Status> co_ban(std::string peer_id, std::chrono::seconds d, std::string reason);
  asio::awaitable<Status> co_unban(std::string key);
  // Misbehaviour or usefulness of a connected peer (strand): feeds its score; a score that falls
  // to the ban threshold bans the peer (timed, persisted) and closes its connection. Useful
  // messages also mark the connection for inbound eviction's protection.
  void report_peer(const PeerId& peer, peer::Behaviour b);
  asio::awaitable<std::vector<BanInfo>> co_bans();
  asio::awaitable<NetworkState> co_state();
  PeerInfo peer_info(const Connection& c) const;
  NetworkMetrics metrics_now() const;

  // --- helpers for the facades ---
  // Runs `a` on the strand and completes on the caller's executor.
  template <typename T>
  asio::awaitable<T> run_on(asio::awaitable<T> a) {
    // (optional: co_spawn's completion needs a default-constructible value type.)
    auto wrapped = [](asio::awaitable<T> inner) -> asio::awaitable<std::optional<T>> { co_return co_await std::move(inner); };
    auto r = co_await asio::co_spawn(executor(), wrapped(std::move(a)), asio::use_awaitable);
    co_return std::move(*r);
  }
  // Runs `a` on the strand and waits for it from a foreign thread. Errors (as T's error) when
  // called on a network thread or when `limit` passes.
  template <typename T>
  std::optional<T> block_on(asio::awaitable<T> a, Duration limit) {
    if (on_network_thread()) return std::nullopt;
    auto p = std::make_shared<std::promise<T>>();
    auto f = p->get_future();
    asio::co_spawn(executor(), [a = std::move(a), p]() mutable -> asio::awaitable<void> {
      p->set_value(co_await std::move(a));
    }, asio::detached);
    if (f.wait_for(limit) != std::future_status::ready) return std::nullopt;
    return f.get();
  }
  bool on_network_thread() const;
  Duration blocking_limit() const { return cfg_.connection_timeout + cfg_.discovery_timeout + std::chrono::seconds(5); }

  Time now() const { return Clock::now(); }
  std::string metrics_text() const;
  std::string metrics_endpoint() const { return metrics_endpoint_; }

 private:
  void on_host_event(const HostEvent& e);
  asio::awaitable<void> maintenance_loop();
  asio::awaitable<void> dial_outbound(Multiaddr addr);
  asio::awaitable<void> feeler(Multiaddr addr);

  P2PNetworkConfig cfg_;
  std::unique_ptr<asio::io_context> own_io_;
  asio::io_context* io_;
  // Workers for handshake and signature-check CPU work: with enable_parallel_processing and an
  // io_context of our own (a borrowed one, as in `hbp2p testnet`, runs everything on its
  // thread). Declared before host_ and after own_io_: destroyed after the Host, before the
  // io_context its jobs complete on.
  std::unique_ptr<util::WorkPool> pool_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::vector<std::thread::id> thread_ids_;
  std::unique_ptr<Host> host_;
  FastRandom rng_;  // the address book's selections (strand only)
  PeerBook book_;
  std::unique_ptr<NodeServices> services_;
  std::unique_ptr<asio::steady_timer> maintenance_timer_;
  Time started_at_{};
  bool started_ = false;
  std::atomic<bool> stopped_{false};
  std::string metrics_endpoint_;
  metrics::Registry registry_;
  NodeMetrics node_metrics_;
  std::unique_ptr<metrics::MetricsHttpServer> metrics_http_;  // when metrics_addr is set
  size_t pending_outbound_ = 0;
  // After a selection found no address to dial, the maintenance waits until this time, a new
  // address, or a closed connection (a selection looks at up to 200 candidates).
  Time select_retry_at_{};
  Time next_feeler_at_{};  // next feeler connection (set at the first maintenance tick)
  uint64_t learned_seen_ = 0;
  uint64_t ticks_ = 0;
};

// Runs an awaitable returning Result/Status from a foreign thread (the facades' blocking
// forms): InvalidConnection on a network thread (it would deadlock), Timeout past the limit.
template <typename R>
R block_result(NodeCore& core, asio::awaitable<R> a) {
  if (core.on_network_thread())
    return R(Error(P2PNetworkError::InvalidConnection, "blocking call on a network thread; use the async_ form"));
  auto r = core.block_on(std::move(a), core.blocking_limit());
  if (!r) return R(Error(P2PNetworkError::Timeout, "the network did not answer in time (is its io_context running?)"));
  return std::move(*r);
}

// For awaitables of plain values: `fallback` when the call cannot block.
template <typename T>
T block_value(NodeCore& core, asio::awaitable<T> a, T fallback = {}) {
  auto r = core.block_on(std::move(a), core.blocking_limit());
  return r ? std::move(*r) : std::move(fallback);
}

}  // namespace hauptbuch::p2p::node

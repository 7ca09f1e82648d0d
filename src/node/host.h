// Host: a libp2p node's connection layer — listens and dials over TCP, upgrades connections
// (security protocol table -> handshake -> yamux), keeps one connection per peer (the
// ConnectionManager's limits and tie-break), negotiates protocols on streams, and runs the
// built-in protocols: ping (/ipfs/ping/1.0.0) and identify (/ipfs/id/1.0.0).
//
// Threading: a Host runs on one strand of the given io_context; its awaitables must be
// awaited, and its other methods called, on that strand (Host::executor()). The io_context may
// be run by several threads (other hosts and work proceed in parallel); this host's state is
// never touched concurrently. Nothing throws: awaitables return Result/Status.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hauptbuch/p2p/config.h"
#include "node/connection.h"
#include "node/connection_manager.h"
#include "node/upgrade.h"
#include "secure/noise_handshake.h"
#include "util/random.h"

namespace hauptbuch::p2p::node {

struct HostEvent {
  // Connected: upgraded and admitted. Identified: identify (or an identify push) filled in
  // info.protocols/listen_addrs/agent. Disconnected: closed (reason says why).
  enum class Type { Connected, Identified, Disconnected } type;
  ConnectionInfo info;
  std::string reason;  // Disconnected only
};

// Counters for metrics and the node's status (read on the strand).
struct HostStats {
  uint64_t dials = 0;  // outbound TCP connects started
  uint64_t inbound_accepted = 0, inbound_refused = 0;
  uint64_t inbound_evicted = 0;  // inbound peers disconnected to make room for a newcomer
  // Failed upgrades (either direction) by P2PNetworkError name, e.g. "Timeout".
  std::map<std::string, uint64_t> handshake_failures;
};

class Host {
 public:
  // Decides whether a connection may proceed: called with peer == nullptr when an inbound TCP
  // connection is accepted (IP known, nothing authenticated yet) and again with the
  // authenticated peer after the upgrade (both directions). An error refuses the connection
  // (e.g. PeerSecurityValidationFailed for a banned peer).
  using Gate = std::function<Status(const PeerId* peer, const asio::ip::address& ip)>;

  using Handler = std::function<asio::awaitable<void>(StreamPtr)>;

  // `cfg` supplies limits, timeouts and the security mode. Errors in cfg are the caller's
  // responsibility (validate() first).
  Host(asio::io_context& io, crypto::PrivateKey identity, P2PNetworkConfig cfg);
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  // Binds and listens on each address (port 0 allowed) and starts accepting. Returns the bound
  // addresses (real ports). Errors: InvalidPeerAddress, IoFailed (bind/listen failed).
  Result<std::vector<Multiaddr>> listen(const std::vector<Multiaddr>& addrs);
  std::vector<Multiaddr> listen_addrs() const { return listen_addrs_; }
  const PeerId& peer_id() const { return peer_id_; }
  const crypto::PrivateKey& identity() const { return identity_; }
  Executor executor() const { return ex_; }
  const P2PNetworkConfig& config() const { return cfg_; }
  // Worker threads for CPU-heavy work (handshake steps here, signature checks in services);
  // nullptr (the default): everything runs on the strand. The pool must outlive every
  // connection upgrade, and be destroyed before the io_context (util/work_pool.h).
  void set_work_pool(util::WorkPool* pool) { pool_ = pool; }
  util::WorkPool* work_pool() const { return pool_; }

  // Dials `addr` (a /p2p/<id> suffix is checked against the authenticated peer). If a
  // connection to that peer exists it is returned ("cached connect"). Errors:
  // ConnectionLimitsExceeded, PeerConnectionFailed, Timeout, PeerSecurityValidationFailed,
  // SecurityValidationFailed, Unsupported, InvalidPeerAddress.
  asio::awaitable<Result<ConnectionPtr>> dial(Multiaddr addr);
  // A stream to a connected peer negotiated to one of `protocols`. Errors: InvalidConnection
  // (not connected), PeerConnectionFailed (negotiation failed), Unsupported.
  asio::awaitable<Result<StreamPtr>> new_stream(const PeerId& peer, std::vector<std::string> protocols);
  // Round-trip time of one /ipfs/ping/1.0.0 exchange with a connected peer.
  asio::awaitable<Result<Duration>> ping(const PeerId& peer);

  // Registers the handler of inbound streams for `protocol`. When connections exist, the
  // change is announced to them with an identify push (/ipfs/id/push/1.0.0), batched.
  void set_handler(const std::string& protocol, Handler h);
  void remove_handler(const std::string& protocol);
  std::vector<std::string> protocols() const;
  using EventListener = std::function<void(const HostEvent&)>;
  // The primary listener (replaces the previous primary one).
  void set_event_callback(EventListener cb) { on_event_ = std::move(cb); }
  // Further listeners (services such as kad and gossipsub); called after the primary one, in
  // the order added. They live as long as the Host; they must not destroy the Host.
  void add_event_listener(EventListener cb) { listeners_.push_back(std::move(cb)); }

  std::vector<ConnectionPtr> connections() const;
  ConnectionPtr connection(const PeerId& peer) const;
  void disconnect(const PeerId& peer, const std::string& reason = "disconnected by us");
  // Stops listening and closes every connection (GoAway first).
  void close();
  bool closed() const { return closed_; }

  // Adds a security protocol (e.g. the PQ handshake) to the table. Call before listen/dial.
  void add_security_protocol(SecurityProtocol p) { security_.push_back(std::move(p)); }
  bool pq_available() const;
  void set_gate(Gate g) { gate_ = std::move(g); }
  const HostStats& stats() const { return stats_; }

 private:
  asio::awaitable<void> accept_loop(std::shared_ptr<asio::ip::tcp::acceptor> acceptor);
  asio::awaitable<void> handle_inbound(asio::ip::tcp::socket socket);
  asio::awaitable<Result<ConnectionPtr>> finish_upgrade(asio::ip::tcp::socket socket, bool initiator,
                                                        std::optional<PeerId> expected, Multiaddr remote);
  void on_inbound_stream(StreamPtr s);
  asio::awaitable<void> run_identify(ConnectionPtr conn);
  asio::awaitable<void> serve_identify(StreamPtr s);
  void on_connection_closed(Connection& c, const std::string& reason);
  void emit(const HostEvent& e);
  Bytes identify_message(const Multiaddr& observed) const;
  // Inbound slots are full: picks an inbound peer to drop for a newcomer (peer/inbound_eviction:
  // diverse, long-connected peers are protected), closes it with GoAway and frees its slot now.
  // False when every inbound peer is protected (the newcomer is refused instead).
  bool evict_one_inbound();
  void apply_identify(const ConnectionPtr& conn, ByteSpan msg);
  void schedule_identify_push();
  asio::awaitable<void> push_identify_to_all();

  Executor ex_;
  util::WorkPool* pool_ = nullptr;
  crypto::PrivateKey identity_;
  PeerId peer_id_;
  P2PNetworkConfig cfg_;
  std::unique_ptr<RandomSource> rng_;
  secure::NoiseStaticKey noise_key_;
  std::vector<SecurityProtocol> security_;
  ConnectionManager conn_mgr_;
  uint64_t eviction_salt_ = 0;  // keys the eviction's choice of protected network groups
  std::map<ConnectionId, ConnectionPtr> conns_;
  std::map<std::string, Handler> handlers_;
  std::vector<std::shared_ptr<asio::ip::tcp::acceptor>> acceptors_;
  std::vector<Multiaddr> listen_addrs_;
  EventListener on_event_;
  std::vector<EventListener> listeners_;
  bool push_scheduled_ = false;
  Gate gate_;
  HostStats stats_;
  size_t pending_upgrades_ = 0;
  bool closed_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for handlers posted to later
};

std::string agent_version();

}  // namespace hauptbuch::p2p::node

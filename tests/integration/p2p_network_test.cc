// Integration tests of the public API (P2PNetwork, PeerManager and its managers) with real
// nodes on 127.0.0.1 running their own threads: start, connect (cached), state, the
// secure_connect validation path with one distinct error per failure, bans, and anchors
// reconnected after a restart from the persisted peer store.
#include "hauptbuch/p2p/network.h"

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

namespace hauptbuch::p2p {
namespace {

using namespace std::chrono_literals;

P2PNetworkConfig local_config() {
  P2PNetworkConfig c;
  c.listen_addrs = {"/ip4/127.0.0.1/tcp/0"};
  c.connection_timeout = 10s;
  return c;
}

std::unique_ptr<P2PNetwork> start(P2PNetworkConfig c = local_config()) {
  auto n = P2PNetwork::create(std::move(c));
  EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().message());
  if (!n.ok()) return nullptr;
  auto st = (*n)->start_network();
  EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message());
  return std::move(*n);
}

// Polls `pred` (bounded) — the network runs on its own threads, so the test thread waits for
// an observable outcome, never for a fixed time.
template <typename P>
bool eventually(P pred, std::chrono::seconds limit = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

P2PNetworkError code_of(const Error& e) { return static_cast<P2PNetworkError>(e.code().value()); }

TEST(P2PNetwork, StartConnectStateAndCachedConnect) {
  auto a = start(), b = start();
  ASSERT_TRUE(a && b);
  const auto addr_b = b->listen_addrs().at(0);
  auto p = a->connect_to_peer(addr_b);
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->peer_id, b->peer_id());
  EXPECT_EQ(p->direction, ConnectionDirection::Outbound);
  auto again = a->peer_manager().connect_to_peer(addr_b);  // cached: same peer, no new connection
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(a->network_state().connected_peers.size(), 1u);
  ASSERT_TRUE(eventually([&] { return b->network_state().network_metrics.inbound_peers == 1; }));
  const auto state = a->network_state();
  EXPECT_EQ(state.peer_id, a->peer_id());
  EXPECT_EQ(state.network_metrics.outbound_peers, 1u);
  EXPECT_EQ(state.config.max_peers, 1000u);
  auto rtt = a->peer_manager().ping(b->peer_id());
  EXPECT_TRUE(rtt.ok());
  EXPECT_TRUE(a->peer_manager().disconnect(b->peer_id()).ok());
  ASSERT_TRUE(eventually([&] { return a->network_state().connected_peers.empty(); }));
}

TEST(P2PNetwork, SecureConnectValidationPathHasDistinctErrors) {
  auto a = start(), b = start();
  ASSERT_TRUE(a && b);
  auto& pm = a->peer_manager();
  auto bad = pm.secure_connect_to_peer("not a multiaddr");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(code_of(bad.error()), P2PNetworkError::InvalidPeerAddress);
  const std::string addr_b = b->listen_addrs().at(0);
  const std::string transport_only = addr_b.substr(0, addr_b.find("/p2p/"));
  auto no_id = pm.secure_connect_to_peer(transport_only);
  ASSERT_FALSE(no_id.ok());
  EXPECT_EQ(code_of(no_id.error()), P2PNetworkError::InvalidPeerAddress);

  // Identity check: b's address with c's peer id.
  auto c = start();
  ASSERT_TRUE(c);
  auto wrong = pm.secure_connect_to_peer(transport_only + "/p2p/" + c->peer_id());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(code_of(wrong.error()), P2PNetworkError::PeerSecurityValidationFailed);

  // Ban check.
  ASSERT_TRUE(pm.security_manager().ban_peer(b->peer_id(), 60s, "test").ok());
  EXPECT_TRUE(pm.security_manager().is_banned(b->peer_id()));
  auto banned = pm.secure_connect_to_peer(addr_b);
  ASSERT_FALSE(banned.ok());
  EXPECT_EQ(code_of(banned.error()), P2PNetworkError::PeerSecurityValidationFailed);
  ASSERT_TRUE(pm.security_manager().unban(b->peer_id()).ok());
  auto ok = pm.secure_connect_to_peer(addr_b);
  EXPECT_TRUE(ok.ok()) << ok.error().message();

  // Limit check.
  auto cfg = local_config();
  cfg.max_outbound = 0;
  cfg.outbound_target = 0;
  auto d = start(cfg);
  ASSERT_TRUE(d);
  auto limited = d->peer_manager().secure_connect_to_peer(addr_b);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(code_of(limited.error()), P2PNetworkError::ConnectionLimitsExceeded);
}

TEST(P2PNetwork, BannedPeerCannotConnectInbound) {
  auto a = start(), b = start();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(b->peer_manager().security_manager().ban_peer(a->peer_id(), 60s, "test").ok());
  (void)a->connect_to_peer(b->listen_addrs().at(0));  // may succeed on a's side before b closes
  // b refuses after authentication (counted as a handshake failure, reason "Refused"), never
  // admits a, and a's side of the connection closes.
  ASSERT_TRUE(eventually([&] { return b->network_state().network_metrics.handshake_failures >= 1; }));
  EXPECT_TRUE(b->network_state().connected_peers.empty());
  EXPECT_TRUE(eventually([&] { return a->network_state().connected_peers.empty(); }));
}

// route_message to a peer we are not connected to: the DHT finds its address, we dial it and
// deliver; the reply comes back in the RoutingResult.
TEST(P2PNetwork, RouteToUnconnectedPeerGoesThroughTheDht) {
  auto b = start();
  ASSERT_TRUE(b);
  auto cfg = local_config();
  cfg.bootstrap_peers = {b->listen_addrs().at(0)};
  cfg.outbound_target = 0;  // no outbound maintenance: only lookups and the route dial
  auto a = start(cfg), c = start(cfg);
  ASSERT_TRUE(a && c);
  c->message_router().set_routed_message_handler(
      [](const std::string&, const std::vector<uint8_t>& m) -> Result<std::vector<uint8_t>> { return m; });
  // discover_peers waits for the bootstrap, then looks up; after it nothing dials any more.
  ASSERT_TRUE(a->discovery_engine().discover_peers().ok());
  ASSERT_TRUE(c->discovery_engine().discover_peers().ok());
  auto connected = [](P2PNetwork& n, const std::string& peer) {
    for (const auto& p : n.network_state().connected_peers)
      if (p.peer_id == peer) return true;
    return false;
  };
  if (connected(*a, c->peer_id())) {
    ASSERT_TRUE(a->peer_manager().disconnect(c->peer_id()).ok());
  }
  ASSERT_TRUE(eventually([&] { return !connected(*a, c->peer_id()) && !connected(*c, a->peer_id()); }));
  const std::vector<uint8_t> msg{1, 2, 3};
  auto r = a->message_router().route_message(msg, Destination::peer(c->peer_id()));
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_TRUE(r->delivered);
  EXPECT_EQ(r->path, "dht+dial");
  EXPECT_EQ(r->reply, msg);
  EXPECT_TRUE(connected(*a, c->peer_id()));
}

// A plain HTTP/1.1 GET on 127.0.0.1 (the scraper's view); the whole answer, or "" on error.
std::string http_get(const std::string& host_port, const std::string& path) {
  const auto colon = host_port.rfind(':');
  asio::io_context io;
  asio::ip::tcp::socket sock(io);
  std::error_code ec;
  sock.connect({asio::ip::make_address(host_port.substr(0, colon)),
                static_cast<uint16_t>(std::stoi(host_port.substr(colon + 1)))}, ec);
  if (ec) return "";
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
  asio::write(sock, asio::buffer(req), ec);
  if (ec) return "";
  std::string out;
  char buf[4096];
  for (int i = 0; i < 4096; ++i) {  // at most 16 MiB
    const size_t n = sock.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;  // EOF: the server closes after every answer
  }
  return out;
}

// The node's /metrics endpoint (metrics_addr) serves what an operator graphs: peers by
// direction and channel, handshake and inbound outcomes, gossip bytes and peer scores, DHT
// lookups and table, known addresses, build info. The node refreshes its metrics every second,
// so the scrape is repeated (bounded) until it shows the new peer.
TEST(P2PNetwork, MetricsEndpointServesTheNodeMetrics) {
  auto cfg = local_config();
  cfg.metrics_addr = "127.0.0.1:0";
  auto a = start(cfg), b = start();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->connect_to_peer(b->listen_addrs().at(0)).ok());
  const std::string ep = a->metrics_endpoint();
  ASSERT_FALSE(ep.empty());
  std::string body;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (body.find("hbp2p_peers{direction=\"outbound\",security=\"pq\"} 1") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);  // poll interval of a bounded wait, not a synchronisation
    body = http_get(ep, "/metrics");
  }
  ASSERT_NE(body.find("hbp2p_peers{direction=\"outbound\",security=\"pq\"} 1"), std::string::npos) << body;
  EXPECT_EQ(body.rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_NE(body.find("text/plain; version=0.0.4"), std::string::npos);
  for (const char* family : {"hbp2p_dials_total counter", "hbp2p_inbound_connections_total counter",
                             "hbp2p_messages_total counter", "hbp2p_bytes_total counter",
                             "hbp2p_gossip_peer_score histogram", "hbp2p_queue_drops_total counter",
                             "hbp2p_dht_lookups_total counter", "hbp2p_dht_routing_table_peers gauge",
                             "hbp2p_known_addresses gauge", "hbp2p_build_info gauge"})
    EXPECT_NE(body.find(std::string("# TYPE ") + family), std::string::npos) << family;
  EXPECT_NE(body.find("hbp2p_dials_total 1"), std::string::npos);
  EXPECT_NE(body.find("hbp2p_build_info{version="), std::string::npos);
  EXPECT_NE(body.find("hbp2p_gossip_peer_score_count"), std::string::npos);
  EXPECT_NE(http_get(ep, "/nothing").rfind("HTTP/1.1 404", 0), std::string::npos);
}

// A node whose inbound slots are full evicts one unprotected inbound peer for a newcomer
// (peer/inbound_eviction: with 20 inbound peers, 4 are protected by network group, 8 by
// latency, then the older half of the rest), so the newcomer gets in and the node stays at
// max_inbound.
TEST(P2PNetwork, FullInboundSlotsEvictForANewcomer) {
  auto cfg = local_config();
  cfg.max_inbound = 20;
  cfg.security = SecurityMode::Noise;  // cheaper handshakes; eviction does not depend on them
  auto hub = start(cfg);
  ASSERT_TRUE(hub);
  std::vector<std::unique_ptr<P2PNetwork>> peers;
  auto peer_cfg = local_config();
  peer_cfg.security = SecurityMode::Noise;
  for (int i = 0; i < 21; ++i) {
    peers.push_back(start(peer_cfg));
    ASSERT_TRUE(peers.back());
    if (i < 20) {
      ASSERT_TRUE(peers.back()->connect_to_peer(hub->listen_addrs().at(0)).ok());
      ASSERT_TRUE(eventually([&] { return hub->network_state().network_metrics.inbound_peers == static_cast<uint64_t>(i + 1); }));
    }
  }
  auto last = peers.back()->connect_to_peer(hub->listen_addrs().at(0));
  ASSERT_TRUE(last.ok()) << last.error().message();
  auto connected = [&](const std::string& id) {
    for (const auto& p : hub->network_state().connected_peers)
      if (p.peer_id == id) return true;
    return false;
  };
  ASSERT_TRUE(eventually([&] {
    size_t of_first_twenty = 0;
    for (int i = 0; i < 20; ++i) of_first_twenty += connected(peers[i]->peer_id()) ? 1 : 0;
    return connected(peers[20]->peer_id()) && of_first_twenty == 19;
  }));
  EXPECT_EQ(hub->network_state().network_metrics.inbound_peers, 20u);
  EXPECT_TRUE(eventually([&] {  // metrics refresh every second
    return hub->metrics_text().find("hbp2p_inbound_connections_total{result=\"evicted\"} 1") != std::string::npos;
  }));
}

TEST(P2PNetwork, ParallelConnect) {
  auto a = start();
  std::vector<std::unique_ptr<P2PNetwork>> others;
  std::vector<std::string> addrs;
  for (int i = 0; i < 5; ++i) {
    others.push_back(start());
    addrs.push_back(others.back()->listen_addrs().at(0));
  }
  addrs.push_back("/ip4/127.0.0.1/tcp/1/p2p/" + others[0]->peer_id());  // nothing listens on port 1
  auto results = a->peer_manager().connect_to_peers(addrs);
  ASSERT_EQ(results.size(), 6u);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(results[i].ok()) << results[i].error().message();
  EXPECT_FALSE(results[5].ok());
}

TEST(P2PNetwork, AnchorsAreRedialledAfterRestart) {
  const auto dir = std::filesystem::temp_directory_path() / ("hbp2p-anchor-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto b = start();
  ASSERT_TRUE(b);
  auto cfg = local_config();
  cfg.data_dir = dir.string();
  {
    auto a = start(cfg);
    ASSERT_TRUE(a);
    ASSERT_TRUE(a->connect_to_peer(b->listen_addrs().at(0)).ok());
    a->stop();  // flushes the peer store with b as an anchor
  }
  auto a2 = start(cfg);
  ASSERT_TRUE(a2);
  EXPECT_TRUE(eventually([&] {
    for (const auto& p : a2->network_state().connected_peers)
      if (p.peer_id == b->peer_id()) return true;
    return false;
  }));
  a2.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hauptbuch::p2p

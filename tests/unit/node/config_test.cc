// P2PNetworkConfig: the specification's defaults, TOML loading, and errors naming the key.
#include "hauptbuch/p2p/config.h"

#include <gtest/gtest.h>

#include "testing/vectors.h"

namespace hauptbuch::p2p {
namespace {

TEST(Config, SpecificationDefaults) {
  P2PNetworkConfig c;
  EXPECT_EQ(c.max_peers, 1000u);
  EXPECT_EQ(c.connection_timeout, std::chrono::seconds(30));
  EXPECT_EQ(c.message_timeout, std::chrono::seconds(60));
  EXPECT_EQ(c.discovery_timeout, std::chrono::seconds(120));
  EXPECT_TRUE(c.enable_parallel_processing);
  EXPECT_TRUE(c.enable_security_optimization);
  EXPECT_EQ(c.security, SecurityMode::Both);
  EXPECT_TRUE(c.validate().ok());
}

TEST(Config, ParsesToml) {
  auto c = parse_config(R"(
max_peers = 50
max_inbound = 40
max_outbound = 10
connection_timeout_ms = 5000
handshake_timeout_ms = 2000
security = "pq"
listen = ["/ip4/127.0.0.1/tcp/0"]
chains = ["main", "test-2"]
enable_parallel_processing = false
)");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->max_peers, 50u);
  EXPECT_EQ(c->connection_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(c->security, SecurityMode::Pq);
  EXPECT_EQ(c->listen_addrs.size(), 1u);
  EXPECT_EQ(c->chains.size(), 2u);
  EXPECT_FALSE(c->enable_parallel_processing);
}

void expect_config_error(std::string_view text, std::string_view needle) {
  auto c = parse_config(text);
  ASSERT_FALSE(c.ok()) << text;
  EXPECT_TRUE(c.error().is(P2PNetworkError::InvalidConfig));
  EXPECT_NE(c.error().detail().find(needle), std::string::npos) << c.error().detail();
}

TEST(Config, ErrorsNameTheKeyAndReason) {
  expect_config_error("max_peers = 0", "'max_peers': must be > 0");
  expect_config_error("max_peers = -3", "'max_peers': out of range");
  expect_config_error("max_peers = \"many\"", "'max_peers': must be an integer");
  expect_config_error("security = \"tls\"", "'security'");
  expect_config_error("max_peerz = 3", "'max_peerz': unknown key");
  expect_config_error("connection_timeout_ms = 0", "'connection_timeout_ms': must be > 0");
  expect_config_error("chains = [\"Main!\"]", "'chains'");
  expect_config_error("log_level = \"loud\"", "'log_level'");
  expect_config_error("max_peers = ", "config:1");  // syntax error with a position
}

TEST(Config, MissingFileIsAnError) {
  auto c = load_config_file("/nonexistent/hbp2p.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(c.error().is(P2PNetworkError::InvalidConfig));
}

}  // namespace
}  // namespace hauptbuch::p2p

namespace hauptbuch::p2p {
namespace {

// docs/config.md must list every key the loader accepts, and no key it does not.
TEST(Config, ReferenceListsEveryKey) {
  std::string doc = testing::read_file(testing::source_dir() + "/docs/config.md");
  const char* keys[] = {"max_peers", "connection_timeout_ms", "message_timeout_ms",
                        "discovery_timeout_ms", "enable_parallel_processing",
                        "enable_security_optimization", "key_file", "listen", "bootstrap",
                        "security", "max_inbound", "max_outbound", "outbound_target", "max_inbound_per_ip",
                        "max_inbound_per_subnet", "handshake_timeout_ms", "idle_timeout_ms",
                        "chains", "log_level", "metrics_addr", "data_dir"};
  size_t rows = 0;
  for (size_t pos = 0; (pos = doc.find("\n| `", pos)) != std::string::npos; ++pos) ++rows;
  EXPECT_EQ(rows, std::size(keys)) << "docs/config.md table rows vs loader keys";
  for (const char* k : keys) {
    EXPECT_NE(doc.find(std::string("| `") + k + "` |"), std::string::npos) << k;
    // Each key must be accepted by the loader: setting it to a wrong type names it.
    auto r = parse_config(std::string(k) + " = {}");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().detail().find("unknown key"), std::string::npos) << k;
  }
}

}  // namespace
}  // namespace hauptbuch::p2p

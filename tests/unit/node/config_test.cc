// P2PNetworkConfig: the specification's defaults, TOML loading, and errors naming the key.
#include "hauptbuch/p2p/config.h"

#include <gtest/gtest.h>

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

// The configuration files shipped in deploy/ must load and validate with the real config
// loader (a renamed key would otherwise only show up when someone deploys).
#include <gtest/gtest.h>

#include "hauptbuch/p2p/config.h"
#include "testing/vectors.h"

namespace hauptbuch::p2p {
namespace {

TEST(DeployConfig, ExampleConfigLoadsAndValidates) {
  auto cfg = load_config_file(testing::source_dir() + "/deploy/example-config.toml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message();
  EXPECT_TRUE(cfg->validate().ok());
  EXPECT_EQ(cfg->metrics_addr, "127.0.0.1:9464");
  EXPECT_EQ(cfg->max_peers, 1000u);
  EXPECT_EQ(cfg->security, SecurityMode::Both);
}

TEST(DeployConfig, ComposeConfigLoadsAndValidates) {
  auto cfg = load_config_file(testing::source_dir() + "/deploy/compose-node.toml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message();
  auto st = cfg->validate();
  EXPECT_TRUE(st.ok()) << st.error().message();
}

}  // namespace
}  // namespace hauptbuch::p2p

// The configuration files shipped in deploy/ must load and validate with the real config
// loader (a renamed key would otherwise only show up when someone deploys).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

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

// Every key of the reference table in docs/config.md is set in the example config.
TEST(DeployConfig, ExampleConfigHasEveryDocumentedKey) {
  const std::string doc = testing::read_file(testing::source_dir() + "/docs/config.md");
  const std::string example = testing::read_file(testing::source_dir() + "/deploy/example-config.toml");
  std::istringstream lines(doc);
  std::string line;
  size_t keys = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    const size_t end = line.find('`', 3);
    ASSERT_NE(end, std::string::npos);
    const std::string key = line.substr(3, end - 3);
    ++keys;
    EXPECT_NE(example.find("\n" + key + " = "), std::string::npos) << key;
  }
  EXPECT_GE(keys, 21u);
}

}  // namespace
}  // namespace hauptbuch::p2p

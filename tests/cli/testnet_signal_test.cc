// run_testnet (the engine of `hbp2p testnet`) ends early and cleanly on Ctrl-C: the progress
// callback raises SIGINT while the nodes are starting; the run returns (nodes stopped on their
// strands), marked interrupted, with a failure that names the signal. `hbp2p testnet` turns
// that into exit status 130 after printing the partial summary.
#include "cli/testnet_run.h"

#include <gtest/gtest.h>

#include <csignal>

namespace hauptbuch::p2p::cli {
namespace {

TEST(Testnet, SigintEndsTheRunCleanly) {
  TestnetOptions o;
  o.nodes = 6;
  o.messages = 1000;
  o.timeout_s = 60;
  o.security = "noise";
  bool raised = false;
  const auto m = run_testnet(o, [&](const std::string& phase, size_t, size_t) {
    if (!raised && phase == "starting") {
      raised = true;
      std::raise(SIGINT);
    }
  });
  ASSERT_TRUE(raised);
  EXPECT_TRUE(m.interrupted);
  bool named = false;
  for (const auto& f : m.failures) named = named || f.find("SIGINT") != std::string::npos;
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace hauptbuch::p2p::cli

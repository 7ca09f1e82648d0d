// The subcommands of `hbp2p`. Each command lives in its own cmd_*.cc file and registers
// itself on the CLI11 app through one of these functions; main.cc only calls them.
// A command's callback sets `ctx.exit_code` (0 success, 1 failure, 2 usage) and prints
// errors to stderr as "hbp2p <command>: <P2PNetworkError message>".
#pragma once

#include <CLI/CLI.hpp>

namespace hauptbuch::p2p::cli {

struct Context {
  int exit_code = 0;
  std::string log_level = "warn";
};

void add_keygen_command(CLI::App& app, Context& ctx);  // cmd_keygen.cc
void add_id_command(CLI::App& app, Context& ctx);      // cmd_id.cc
void add_crypto_command(CLI::App& app, Context& ctx);  // cmd_crypto.cc (acvp, xwing)
void add_node_command(CLI::App& app, Context& ctx);    // cmd_node.cc
void add_ping_command(CLI::App& app, Context& ctx);    // cmd_ping.cc
void add_testnet_command(CLI::App& app, Context& ctx); // cmd_testnet.cc

}  // namespace hauptbuch::p2p::cli

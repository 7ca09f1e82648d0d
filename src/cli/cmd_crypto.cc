// `hbp2p crypto`: placeholder until the crypto core lands.
#include "cli/commands.h"

namespace hauptbuch::p2p::cli {
void add_crypto_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("crypto", "Cryptography tools: test-vector runners");
  cmd->callback([&ctx] { ctx.exit_code = 1; });
}
}  // namespace hauptbuch::p2p::cli

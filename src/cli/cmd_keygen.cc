// `hbp2p keygen`: placeholder until identity keys land (issue: foundation).
#include "cli/commands.h"

namespace hauptbuch::p2p::cli {
void add_keygen_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("keygen", "Generate a new identity key file");
  cmd->callback([&ctx] { ctx.exit_code = 1; });
}
}  // namespace hauptbuch::p2p::cli

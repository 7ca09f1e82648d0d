// `hbp2p id`: placeholder until identity keys land (issue: foundation).
#include "cli/commands.h"

namespace hauptbuch::p2p::cli {
void add_id_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("id", "Print the PeerId of an identity key file");
  cmd->callback([&ctx] { ctx.exit_code = 1; });
}
}  // namespace hauptbuch::p2p::cli

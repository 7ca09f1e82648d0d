// hbp2p: the Hauptbuch P2P node program. Parses the command line (CLI11) and dispatches to
// the subcommands in cmd_*.cc. Never lets an exception escape: a failure is a message on
// stderr and a non-zero exit status.
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "hauptbuch/p2p/version.h"
#include "util/log.h"

int main(int argc, char** argv) {
  namespace cli = hauptbuch::p2p::cli;
  cli::Context ctx;
  CLI::App app{"hbp2p: peer-to-peer networking node of the Hauptbuch blockchain"};
  app.set_version_flag("--version", std::string("hbp2p ") + HBP2P_VERSION_STRING);
  app.option_defaults()->always_capture_default();
  app.add_option("--log-level", ctx.log_level,
                 "Log level on stderr: trace, debug, info, warn, error, critical, off")
      ->capture_default_str();
  app.require_subcommand(1);
  app.parse_complete_callback([&] {
    auto st = hauptbuch::p2p::init_logging(ctx.log_level);
    if (!st) throw CLI::ValidationError("--log-level", st.error().detail());
  });

  cli::add_keygen_command(app, ctx);
  cli::add_id_command(app, ctx);
  cli::add_crypto_command(app, ctx);
  cli::add_node_command(app, ctx);
  cli::add_ping_command(app, ctx);
  cli::add_testnet_command(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hbp2p: internal error: %s\n", e.what());
    return 1;
  }
  return ctx.exit_code;
}

// `hbp2p testnet --nodes N [--chains K] [--messages M] [--security pq|noise|both] [--report DIR]`:
// starts N real nodes on 127.0.0.1 in this process, bootstraps them through node 0 and the DHT,
// forms a gossip mesh per chain, publishes M messages and prints a summary (connect and
// discovery time, delivery ratio, propagation p50/p99, duplicates, bytes, memory, handshake
// mix); --report writes an HTML page with charts. Exit status 1 unless every message reached
// every subscriber of its chain with no failure; 130 when Ctrl-C (SIGINT) or SIGTERM ended it
// early (nodes stopped cleanly, the partial summary still printed).
#include <csignal>
#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/testnet_run.h"
#include "cli/testnet_summary.h"

namespace hauptbuch::p2p::cli {

void add_testnet_command(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<TestnetOptions>();
  auto* cmd = app.add_subcommand("testnet", "Run a local network of N nodes on 127.0.0.1, gossip, and report");
  cmd->add_option("--nodes", opts->nodes, "Number of nodes")->check(CLI::Range(2u, 500u))->capture_default_str();
  cmd->add_option("--chains", opts->chains, "Chains served (node i serves chain i mod K)")->check(CLI::Range(1u, 16u))->capture_default_str();
  cmd->add_option("--messages", opts->messages, "Gossip messages published from random nodes")->check(CLI::Range(0u, 100000u))->capture_default_str();
  cmd->add_option("--message-size", opts->message_size, "Bytes per message")->check(CLI::Range(4u, 1u << 20))->capture_default_str();
  cmd->add_option("--degree", opts->degree, "Outbound peers each node keeps (its outbound target)")->check(CLI::Range(1u, 50u))->capture_default_str();
  cmd->add_option("--security", opts->security, "Secure channels: pq, noise or both")
      ->check(CLI::IsMember({"pq", "noise", "both"}))
      ->capture_default_str();
  cmd->add_option("--report", opts->report_dir, "Write an HTML report (index.html with SVG charts) into this directory");
  cmd->add_option("--timeout", opts->timeout_s, "Give up after this many seconds")->check(CLI::Range(5u, 3600u))->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print the summary as one JSON object");
  cmd->callback([&ctx, opts] {
    const bool tty = isatty(fileno(stderr)) != 0 && !opts->json;
    auto progress = make_progress_printer(tty);
    const auto m = run_testnet(*opts, progress);
    if (tty) std::fputc('\n', stderr);
    const auto summary = summarize(m);
    if (opts->json) {
      std::printf("%s\n", summary_json(summary).c_str());
    } else {
      for (const auto& line : summary_lines(summary)) std::printf("%s\n", line.c_str());
    }
    if (!opts->report_dir.empty()) {
      auto st = write_report(m, summary, opts->report_dir);
      if (!st.ok()) {
        std::fprintf(stderr, "hbp2p testnet: report: %s\n", st.error().message().c_str());
        ctx.exit_code = 1;
        return;
      }
      if (!opts->json) std::printf("report: %s/index.html\n", opts->report_dir.c_str());
    }
    ctx.exit_code = m.interrupted ? 130 : summary.success ? 0 : 1;  // 130: ended by a signal
  });
}

}  // namespace hauptbuch::p2p::cli

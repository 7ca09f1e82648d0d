// `hbp2p node`: runs a node until stdin closes, SIGINT or SIGTERM. With --json, stdout carries
// only JSON lines (events and command replies; contract in docs/cli.md) and commands are read
// from stdin, one JSON object per line. Logs go to stderr.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "crypto/key_file.h"
#include "node/control_protocol.h"
#include "cli/node_commands.h"
#include "node/node_core.h"

namespace hauptbuch::p2p::cli {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

struct NodeOptions {
  std::string key;
  std::vector<std::string> listen;
  std::vector<std::string> bootstrap;
  std::string security;
  std::string config;
  bool json = false;
};

// Everything the running node needs; lives on the stack of the command.
class NodeRunner {
 public:
  NodeRunner(asio::io_context& io, std::unique_ptr<node::NodeCore> core, bool json_mode)
      : io_(io),
        core_(std::move(core)),
        json_(json_mode),
        commands_(*core_, [this](const std::string& line) { emit(line); }, [this] { shutdown(); }) {
    core_->host().set_event_callback([this](const node::HostEvent& e) { commands_.on_host_event(e, json_); });
  }

  void emit(const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  }
  void human(const std::string& text) {
    if (!json_) emit(text);
  }

  // One stdin line (runs on the node's strand).
  void on_line(const std::string& line) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;  // blank lines are ignored
    auto parsed = node::parse_control_line(line);
    if (!parsed.ok) {
      emit(node::format_error(parsed.command.id, parsed.error));
      return;
    }
    asio::co_spawn(core_->executor(), commands_.run(std::move(parsed.command)), asio::detached);
  }

  void shutdown() {
    if (stopping_) return;
    stopping_ = true;
    core_->stop();  // GoAway to all, peer store flushed
    // Give GoAways a moment to flush (bounded), then stop.
    auto t = std::make_shared<asio::steady_timer>(core_->executor(), std::chrono::milliseconds(200));
    t->async_wait([this, t](std::error_code) { io_.stop(); });
  }

  node::NodeCore& core() { return *core_; }

 private:
  asio::io_context& io_;
  std::unique_ptr<node::NodeCore> core_;
  bool json_;
  NodeCommands commands_;
  bool stopping_ = false;
};

// Reads stdin line by line on its own thread (std::getline would buffer unbounded lines: this
// reads with a cap and discards the rest of an overlong line) and posts each line to the host.
void stdin_reader(NodeRunner& runner, asio::io_context& io, node::Executor ex) {
  std::string line;
  bool overlong = false;
  for (int c = std::getchar();; c = std::getchar()) {
    if (c == EOF) break;
    if (c != '\n') {
      if (line.size() <= node::kMaxControlLineBytes) line.push_back(static_cast<char>(c));
      else overlong = true;
      continue;
    }
    std::string l = overlong ? std::string(node::kMaxControlLineBytes + 1, 'x') : std::move(line);
    line.clear();
    overlong = false;
    asio::post(ex, [&runner, l = std::move(l)] { runner.on_line(l); });
  }
  asio::post(ex, [&runner] { runner.shutdown(); });
  (void)io;
}

}  // namespace

void add_node_command(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<NodeOptions>();
  auto* cmd = app.add_subcommand("node", "Run a node until stdin closes, SIGINT or SIGTERM");
  cmd->add_option("--key", opts->key, "Identity key file (hbp2p keygen)")->required();
  cmd->add_option("--listen", opts->listen, "Listen multiaddr, e.g. /ip4/127.0.0.1/tcp/0 (repeatable)");
  cmd->add_option("--bootstrap", opts->bootstrap, "Peer to dial at start, with /p2p/<id> (repeatable)");
  cmd->add_option("--security", opts->security, "Secure channels: pq, noise or both")
      ->check(CLI::IsMember({"pq", "noise", "both"}));
  cmd->add_option("--config", opts->config, "TOML config file (docs/config.md); flags override it");
  cmd->add_flag("--json", opts->json, "JSON lines on stdout: events, and replies to stdin commands");
  cmd->callback([&ctx, opts] {
    auto fail = [&ctx](const Error& e) {
      std::fprintf(stderr, "hbp2p node: %s\n", e.message().c_str());
      ctx.exit_code = 1;
    };
    P2PNetworkConfig cfg;
    if (!opts->config.empty()) {
      auto loaded = load_config_file(opts->config);
      if (!loaded.ok()) return fail(loaded.error());
      cfg = std::move(*loaded);
    }
    if (!opts->listen.empty()) cfg.listen_addrs = opts->listen;
    if (!opts->bootstrap.empty()) cfg.bootstrap_peers = opts->bootstrap;
    if (!opts->security.empty()) cfg.security = *parse_security_mode(opts->security);
    if (cfg.listen_addrs.empty()) cfg.listen_addrs = {"/ip4/127.0.0.1/tcp/0"};
    if (auto st = cfg.validate(); !st) return fail(st.error());
    auto key = crypto::read_key_file(opts->key);
    if (!key.ok()) return fail(key.error());
    asio::io_context io;
    auto core = std::make_unique<node::NodeCore>(cfg, std::move(*key), &io);
    NodeRunner runner(io, std::move(core), opts->json);
    node::NodeCore& n = runner.core();
    bool started = false;
    asio::co_spawn(n.executor(), [&]() -> asio::awaitable<void> {
      auto st = co_await n.co_start();
      if (!st.ok()) {
        fail(st.error());
        io.stop();
        co_return;
      }
      started = true;
      const auto state = co_await n.co_state();
      if (opts->json) {
        ordered_json f;
        f["peer_id"] = state.peer_id;
        f["addrs"] = state.listen_addrs;
        runner.emit(node::format_event("listening", f));
      } else {
        runner.human("peer id " + state.peer_id);
        for (const auto& a : state.listen_addrs) runner.human("listening on " + a);
      }
    }, asio::detached);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&runner, &n](std::error_code ec, int) {
      if (!ec) asio::post(n.executor(), [&runner] { runner.shutdown(); });
    });
    std::thread(stdin_reader, std::ref(runner), std::ref(io), n.executor()).detach();

    io.run();  // the node's one network thread (see NodeCore::start_threads)
    if (!started) return;  // fail() set the exit code
    ctx.exit_code = 0;
    // The stdin thread may still be blocked in a read; exiting the process ends it.
    std::fflush(stdout);
    std::_Exit(0);
  });
}

}  // namespace hauptbuch::p2p::cli

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
#include "node/host.h"

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

const char* direction_name(node::Direction d) { return d == node::Direction::Inbound ? "in" : "out"; }

std::vector<std::string> strings(const std::vector<Multiaddr>& v) {
  std::vector<std::string> out;
  for (const auto& m : v) out.push_back(m.to_string());
  return out;
}

// Everything the running node needs; lives on the stack of the command.
class NodeRunner {
 public:
  NodeRunner(asio::io_context& io, std::unique_ptr<node::Host> host, bool json_mode)
      : io_(io), host_(std::move(host)), json_(json_mode) {}

  void emit(const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  }
  void human(const std::string& text) {
    if (!json_) emit(text);
  }

  void on_event(const node::HostEvent& e) {
    if (e.type == node::HostEvent::Type::Connected) {
      if (json_) {
        ordered_json f;
        f["peer"] = e.info.peer.to_base58();
        f["addr"] = e.info.remote_addr.to_string();
        f["direction"] = direction_name(e.info.direction);
        f["security"] = e.info.security;
        emit(node::format_event("peer_connected", f));
      } else {
        human("connected " + e.info.peer.to_base58() + " " + e.info.remote_addr.to_string() + " (" +
              direction_name(e.info.direction) + ", " + e.info.security + ")");
      }
    } else {
      if (json_) {
        ordered_json f;
        f["peer"] = e.info.peer.to_base58();
        f["reason"] = e.reason;
        emit(node::format_event("peer_disconnected", f));
      } else {
        human("disconnected " + e.info.peer.to_base58() + ": " + e.reason);
      }
    }
  }

  // One stdin line (runs on the host strand).
  void on_line(const std::string& line) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;  // blank lines are ignored
    auto parsed = node::parse_control_line(line);
    if (!parsed.ok) {
      emit(node::format_error(parsed.command.id, parsed.error));
      return;
    }
    asio::co_spawn(host_->executor(), run_command(std::move(parsed.command)), asio::detached);
  }

  void shutdown() {
    if (stopping_) return;
    stopping_ = true;
    host_->close();
    // Give GoAways a moment to flush (bounded), then stop.
    auto t = std::make_shared<asio::steady_timer>(host_->executor(), std::chrono::milliseconds(200));
    t->async_wait([this, t](std::error_code) { io_.stop(); });
  }

  node::Host& host() { return *host_; }

 private:
  asio::awaitable<void> run_command(node::ControlCommand cmd) {
    const json id = cmd.id;
    auto reply_error = [&](const Error& e) { emit(node::format_error(id, e)); };
    if (cmd.name == "dial") {
      auto addr = node::string_arg(cmd, "addr");
      if (!addr.ok()) co_return reply_error(addr.error());
      auto ma = Multiaddr::parse(*addr);
      if (!ma.ok()) co_return reply_error(ma.error());
      auto conn = co_await host_->dial(*ma);
      if (!conn.ok()) co_return reply_error(conn.error());
      ordered_json f;
      f["peer"] = (*conn)->info().peer.to_base58();
      emit(node::format_ok(id, f));
    } else if (cmd.name == "ping") {
      auto peer_text = node::string_arg(cmd, "peer");
      if (!peer_text.ok()) co_return reply_error(peer_text.error());
      auto peer = PeerId::parse(*peer_text);
      if (!peer.ok()) co_return reply_error(peer.error());
      auto count = node::uint_arg(cmd, "count", 1, 100);
      if (!count.ok()) co_return reply_error(count.error());
      std::vector<double> rtts;
      for (uint64_t i = 0; i < *count; ++i) {
        auto rtt = co_await host_->ping(*peer);
        if (!rtt.ok()) co_return reply_error(rtt.error());
        rtts.push_back(std::chrono::duration<double, std::milli>(*rtt).count());
      }
      ordered_json f;
      f["rtt_ms"] = rtts.back();
      f["rtts_ms"] = rtts;
      emit(node::format_ok(id, f));
    } else if (cmd.name == "peers") {
      ordered_json list = ordered_json::array();
      for (const auto& c : host_->connections()) {
        const auto& info = c->info();
        ordered_json p;
        p["peer"] = info.peer.to_base58();
        std::vector<std::string> addrs = strings(info.listen_addrs);
        if (addrs.empty()) addrs.push_back(info.remote_addr.to_string());
        p["addrs"] = addrs;
        p["protocols"] = info.protocols;
        p["agent"] = info.agent;
        p["direction"] = direction_name(info.direction);
        p["security"] = info.security;
        list.push_back(std::move(p));
      }
      ordered_json f;
      f["peers"] = std::move(list);
      emit(node::format_ok(id, f));
    } else if (cmd.name == "disconnect") {
      auto peer_text = node::string_arg(cmd, "peer");
      if (!peer_text.ok()) co_return reply_error(peer_text.error());
      auto peer = PeerId::parse(*peer_text);
      if (!peer.ok()) co_return reply_error(peer.error());
      if (!host_->connection(*peer))
        co_return reply_error(Error(P2PNetworkError::InvalidConnection, "not connected to " + *peer_text));
      host_->disconnect(*peer);
      emit(node::format_ok(id));
    } else if (cmd.name == "shutdown") {
      emit(node::format_ok(id));
      shutdown();
    } else {
      reply_error(Error(P2PNetworkError::Unsupported, "unknown command '" + cmd.name.substr(0, 64) + "'"));
    }
  }

  asio::io_context& io_;
  std::unique_ptr<node::Host> host_;
  bool json_;
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
    std::vector<Multiaddr> listen;
    for (const auto& a : cfg.listen_addrs) {
      auto m = Multiaddr::parse(a);
      if (!m.ok()) return fail(m.error());
      listen.push_back(std::move(*m));
    }
    std::vector<Multiaddr> bootstrap;
    for (const auto& a : cfg.bootstrap_peers) {
      auto m = Multiaddr::parse(a);
      if (!m.ok()) return fail(m.error());
      bootstrap.push_back(std::move(*m));
    }

    asio::io_context io;
    auto host = std::make_unique<node::Host>(io, std::move(*key), cfg);
    auto bound = host->listen(listen);
    if (!bound.ok()) return fail(bound.error());
    NodeRunner runner(io, std::move(host), opts->json);
    node::Host& h = runner.host();
    h.set_event_callback([&runner](const node::HostEvent& e) { runner.on_event(e); });

    std::vector<std::string> addrs;
    for (const auto& a : *bound) addrs.push_back(a.with_component(Proto::P2p, h.peer_id().bytes())->to_string());
    if (opts->json) {
      ordered_json f;
      f["peer_id"] = h.peer_id().to_base58();
      f["addrs"] = addrs;
      runner.emit(node::format_event("listening", f));
    } else {
      runner.human("peer id " + h.peer_id().to_base58());
      for (const auto& a : addrs) runner.human("listening on " + a);
    }
    for (const auto& b : bootstrap)
      asio::co_spawn(h.executor(), [&h, b]() -> asio::awaitable<void> {
        auto c = co_await h.dial(b);
        if (!c.ok()) std::fprintf(stderr, "hbp2p node: bootstrap %s: %s\n", b.to_string().c_str(), c.error().message().c_str());
      }, asio::detached);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&runner, &h](std::error_code ec, int) {
      if (!ec) asio::post(h.executor(), [&runner] { runner.shutdown(); });
    });
    std::thread(stdin_reader, std::ref(runner), std::ref(io), h.executor()).detach();

    const unsigned threads = cfg.enable_parallel_processing ? std::max(1u, std::min(4u, std::thread::hardware_concurrency())) : 1u;
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : pool) t.join();
    ctx.exit_code = 0;
    // The stdin thread may still be blocked in a read; exiting the process ends it.
    std::fflush(stdout);
    std::_Exit(0);
  });
}

}  // namespace hauptbuch::p2p::cli

// The commands of `hbp2p node --json` (contract: docs/cli.md): each JSON command line becomes
// one reply line, computed by the node's public-API operations (NodeCore and its services).
// Also formats the node's events (peer_connected, peer_disconnected, message, request).
// Runs on the node's strand; never throws; a bad command gets an error reply.
#pragma once

#include <functional>
#include <string>

#include <asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "node/control_protocol.h"
#include "node/node_core.h"

namespace hauptbuch::p2p::cli {

class NodeCommands {
 public:
  using Emit = std::function<void(const std::string& line)>;
  NodeCommands(node::NodeCore& core, Emit emit, std::function<void()> shutdown)
      : core_(core), emit_(std::move(emit)), shutdown_(std::move(shutdown)) {}

  // Runs one parsed command and emits its reply.
  asio::awaitable<void> run(node::ControlCommand cmd);

  // Event lines.
  void on_host_event(const node::HostEvent& e, bool json);

 private:
  using ordered_json = nlohmann::ordered_json;
  asio::awaitable<Result<ordered_json>> dispatch(const node::ControlCommand& cmd);
  asio::awaitable<Result<ordered_json>> discovery_command(const node::ControlCommand& cmd);
  asio::awaitable<Result<ordered_json>> routing_command(const node::ControlCommand& cmd);
  node::NodeCore& core_;
  Emit emit_;
  std::function<void()> shutdown_;
};

}  // namespace hauptbuch::p2p::cli

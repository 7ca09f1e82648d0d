// The JSON-lines control channel of `hbp2p node --json` (contract: docs/cli.md), without I/O.
//
// A command is one JSON object per line on stdin, with an "id" (any JSON scalar, echoed back)
// and a command name in "cmd" (aliases "command", "op", "method" are accepted). Every command
// gets exactly one reply line: {"id":…,"ok":true,…fields} or
// {"id":…,"ok":false,"error":"<P2PNetworkError message>"}. Events are lines with an "event" key.
// This unit parses and validates lines and formats replies and events; the node program owns
// the I/O. Hostile or malformed lines produce an error reply, never an exception.
// Thread-safety: free functions on values; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hauptbuch/p2p/result.h"

namespace hauptbuch::p2p::node {

// Longest command line accepted. Commands are small (a multiaddr, a peer id); later commands
// carry base64 payloads, and 4 MiB of base64 (3 MiB of data) covers a max-size gossip message
// with room to spare while bounding what a runaway writer can make us buffer.
inline constexpr size_t kMaxControlLineBytes = 4u << 20;

// JSON nesting depth we accept on a control line: commands are flat objects.
inline constexpr int kMaxControlJsonDepth = 16;

struct ControlCommand {
  nlohmann::json id;   // echoed in the reply; null when the line carried none
  std::string name;    // "dial", "ping", …
  nlohmann::json args; // the whole object (fields are read by name)
};

// The outcome of parsing one line: a command, or the error reply line to send for it.
struct ParsedControlLine {
  bool ok = false;
  ControlCommand command;  // valid when ok
  Error error;             // valid when !ok
};

// Parses one line (without its trailing newline; a trailing '\r' is ignored). Errors
// (InvalidMessage): too long, not JSON, not an object, too deeply nested, no command name;
// the id is recovered whenever the line was an object with one.
ParsedControlLine parse_control_line(std::string_view line);

// Reads a required string field. Errors: InvalidMessage naming the field.
Result<std::string> string_arg(const ControlCommand& cmd, std::string_view field);
// Reads an optional unsigned integer field with a default and an inclusive maximum.
Result<uint64_t> uint_arg(const ControlCommand& cmd, std::string_view field, uint64_t def,
                          uint64_t max);

// {"id":id,"ok":true,...fields}; `fields` must be an object (or null for none).
// Output keeps insertion order ("id" and "ok" first, then the fields as the caller built them).
std::string format_ok(const nlohmann::json& id, const nlohmann::ordered_json& fields = nullptr);
// {"id":id,"ok":false,"error":"<Name: detail>"}.
std::string format_error(const nlohmann::json& id, const Error& error);
// {"event":name,...fields}.
std::string format_event(std::string_view name, const nlohmann::ordered_json& fields);

}  // namespace hauptbuch::p2p::node

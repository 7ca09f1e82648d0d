// JSON-lines control channel: parsing and formatting (see control_protocol.h, docs/cli.md).
#include "node/control_protocol.h"

#include <array>
#include <limits>

namespace hauptbuch::p2p::node {
namespace {

using nlohmann::json;

// Names under which a command's name may appear; "cmd" is the documented one.
constexpr std::array<std::string_view, 4> kCommandKeys = {"cmd", "command", "op", "method"};

// Deepest nesting of [ and { outside strings, stopping early once past `limit`, so that the
// parser never recurses deeper than we allow.
int nesting_depth(std::string_view s, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth) max_depth = depth;
      if (max_depth > limit) return max_depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

ParsedControlLine fail(json id, std::string detail) {
  ParsedControlLine r;
  r.command.id = std::move(id);
  r.error = Error(P2PNetworkError::InvalidMessage, std::move(detail));
  return r;
}

std::string dump(const nlohmann::ordered_json& j) {
  // Replace rather than throw on invalid UTF-8 (strings we echo came from parsed JSON and are
  // valid, but error details may quote arbitrary text).
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

ParsedControlLine parse_control_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxControlLineBytes)
    return fail(nullptr, "command line longer than " + std::to_string(kMaxControlLineBytes) + " bytes");
  if (nesting_depth(line, kMaxControlJsonDepth) > kMaxControlJsonDepth)
    return fail(nullptr, "command nested deeper than " + std::to_string(kMaxControlJsonDepth));
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail(nullptr, "command is not valid JSON");
  if (!j.is_object()) return fail(nullptr, "command must be a JSON object");

  json id = nullptr;
  if (auto it = j.find("id"); it != j.end()) {
    if (it->is_structured()) return fail(nullptr, "\"id\" must be a string, number or null");
    id = *it;
  }
  for (std::string_view key : kCommandKeys) {
    auto it = j.find(std::string(key));
    if (it == j.end()) continue;
    if (!it->is_string() || it->get_ref<const std::string&>().empty())
      return fail(id, "\"" + std::string(key) + "\" must be a non-empty string");
    ParsedControlLine r;
    r.ok = true;
    r.command.id = std::move(id);
    r.command.name = it->get<std::string>();
    r.command.args = std::move(j);
    return r;
  }
  return fail(id, "command has no \"cmd\" field");
}

Result<std::string> string_arg(const ControlCommand& cmd, std::string_view field) {
  auto it = cmd.args.find(std::string(field));
  if (it == cmd.args.end() || !it->is_string())
    return Error(P2PNetworkError::InvalidMessage,
                 "command '" + cmd.name + "' needs a string field \"" + std::string(field) + "\"");
  return it->get<std::string>();
}

Result<uint64_t> uint_arg(const ControlCommand& cmd, std::string_view field, uint64_t def,
                          uint64_t max) {
  auto it = cmd.args.find(std::string(field));
  if (it == cmd.args.end() || it->is_null()) return def;
  if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<int64_t>() >= 0))
    return Error(P2PNetworkError::InvalidMessage,
                 "field \"" + std::string(field) + "\" must be a non-negative integer");
  uint64_t v = it->get<uint64_t>();
  if (v > max)
    return Error(P2PNetworkError::InvalidMessage,
                 "field \"" + std::string(field) + "\" must be at most " + std::to_string(max));
  return v;
}

std::string format_ok(const json& id, const nlohmann::ordered_json& fields) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["id"] = nlohmann::ordered_json(id);
  out["ok"] = true;
  if (fields.is_object())
    for (auto it = fields.begin(); it != fields.end(); ++it)
      if (it.key() != "id" && it.key() != "ok") out[it.key()] = it.value();
  return dump(out);
}

std::string format_error(const json& id, const Error& error) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["id"] = nlohmann::ordered_json(id);
  out["ok"] = false;
  out["error"] = error.message();
  return dump(out);
}

std::string format_event(std::string_view name, const nlohmann::ordered_json& fields) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["event"] = std::string(name);
  if (fields.is_object())
    for (auto it = fields.begin(); it != fields.end(); ++it)
      if (it.key() != "event") out[it.key()] = it.value();
  return dump(out);
}

}  // namespace hauptbuch::p2p::node

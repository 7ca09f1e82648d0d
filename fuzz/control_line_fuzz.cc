// Fuzz target: the `hbp2p node --json` control-line parser (src/node/control_protocol.h).
// Invariants: no crash or exception; every line yields either a command or an error whose reply
// formats; reply lines are single lines of valid JSON.
#include <cstdlib>
#include <string_view>

#include "node/control_protocol.h"

using namespace hauptbuch::p2p;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  auto r = node::parse_control_line(line);
  std::string reply;
  if (r.ok) {
    (void)node::string_arg(r.command, "addr");
    (void)node::uint_arg(r.command, "count", 1, 100);
    reply = node::format_ok(r.command.id);
  } else {
    reply = node::format_error(r.command.id, r.error);
  }
  if (reply.find('\n') != std::string::npos) std::abort();
  if (!nlohmann::json::accept(reply)) std::abort();
  return 0;
}

// Logging setup: spdlog to stderr (stdout is reserved for program output and JSON lines).
#pragma once

#include <string_view>

#include "hauptbuch/p2p/result.h"

namespace hauptbuch::p2p {

// Sets the global level ("trace".."off"); installs a stderr logger on first call.
Status init_logging(std::string_view level);

}  // namespace hauptbuch::p2p

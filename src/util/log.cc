// spdlog initialisation: one stderr sink, level from config or flags.
#include "util/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <string>

namespace hauptbuch::p2p {

Status init_logging(std::string_view level) {
  auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off")
    return Error(P2PNetworkError::InvalidConfig, "unknown log level '" + std::string(level) + "'");
  static bool installed = [] {
    auto logger = spdlog::stderr_color_mt("hbp2p");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
    spdlog::set_default_logger(logger);
    return true;
  }();
  (void)installed;
  spdlog::set_level(lvl);
  return ok_status();
}

}  // namespace hauptbuch::p2p

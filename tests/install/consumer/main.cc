// Uses only installed public headers: parse a config, print a value and an error message.
#include <cstdio>

#include "hauptbuch/p2p/config.h"
#include "hauptbuch/p2p/version.h"

int main() {
  auto cfg = hauptbuch::p2p::parse_config("max_peers = 42\nmax_inbound = 30\nmax_outbound = 12\n", "inline");
  if (!cfg.ok()) {
    std::printf("error: %s\n", cfg.error().message().c_str());
    return 1;
  }
  auto bad = hauptbuch::p2p::parse_config("max_peers = -1\n", "inline");
  std::printf("hauptbuch_p2p %s max_peers=%u error=\"%s\"\n", HBP2P_VERSION_STRING, cfg->max_peers,
              bad.ok() ? "" : bad.error().message().c_str());
  return bad.ok() ? 1 : 0;
}

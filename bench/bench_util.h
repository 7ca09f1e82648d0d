// Helpers shared by the benchmark programs in bench/.
#pragma once

#include <cstddef>
#include <fstream>
#include <string>

namespace hauptbuch::p2p::bench {

// Resident set size of this process in KiB (VmRSS in /proc/self/status; 0 if unreadable).
inline size_t rss_kib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
  return 0;
}

}  // namespace hauptbuch::p2p::bench

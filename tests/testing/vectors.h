// Where the tests find shared data: the NIST vectors beside the project (../shared/vectors,
// or $HBP2P_VECTORS) and the source tree ($HBP2P_SOURCE_DIR). Vectors are read in place.
#pragma once

#include <string>

namespace hauptbuch::p2p::testing {

std::string vectors_dir();              // e.g. /work/shared/vectors
std::string source_dir();               // the project root
std::string read_file(const std::string& path);  // whole file; fails the test if missing

}  // namespace hauptbuch::p2p::testing

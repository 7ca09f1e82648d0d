// Locating shared test data for the unit tests.
#include "testing/vectors.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace hauptbuch::p2p::testing {

std::string vectors_dir() {
  const char* v = std::getenv("HBP2P_VECTORS");
  return v != nullptr ? v : HBP2P_DEFAULT_VECTORS_DIR;
}

std::string source_dir() {
  const char* v = std::getenv("HBP2P_SOURCE_DIR");
  return v != nullptr ? v : HBP2P_DEFAULT_SOURCE_DIR;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace hauptbuch::p2p::testing

// X-Wing vector runner: placeholder until X-Wing is implemented; every case is skipped, so
// `hbp2p crypto xwing` reports "0 passed" and exits non-zero (nothing ran).
#include "cli/vector_runner.h"

namespace hauptbuch::p2p::cli {

VectorCounts run_xwing_vectors(const nlohmann::json& doc, const std::string& /*file*/) {
  VectorCounts c;
  if (doc.is_array()) c.skipped = doc.size();
  return c;
}

}  // namespace hauptbuch::p2p::cli

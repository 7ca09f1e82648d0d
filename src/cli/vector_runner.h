// Shared shape of the test-vector runners behind `hbp2p crypto acvp` and `hbp2p crypto xwing`.
//
// Contract (relied on by tools outside the repo): for each FILE the command prints exactly one
// line `FILE: N passed, M failed, K skipped`, then a last line `N passed, M failed` with the
// totals, and exits non-zero if anything failed or nothing ran. Diagnostics for failing cases
// go to stderr, never stdout.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace hauptbuch::p2p::cli {

struct VectorCounts {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
  VectorCounts& operator+=(const VectorCounts& o) {
    passed += o.passed;
    failed += o.failed;
    skipped += o.skipped;
    return *this;
  }
};

// Runners for one parsed ACVP document each (dispatch on doc["algorithm"] and doc["mode"]).
// They never throw: a malformed test case counts as failed (with a note on stderr naming the
// file and tcId), a group of a kind they do not implement counts its tests as skipped.
VectorCounts run_acvp_mlkem(const nlohmann::json& doc, const std::string& file);  // acvp_mlkem.cc
VectorCounts run_acvp_mldsa(const nlohmann::json& doc, const std::string& file);  // acvp_mldsa.cc
// X-Wing vectors: a JSON array of {seed, sk, pk, eseed, ct, ss} (hex).
VectorCounts run_xwing_vectors(const nlohmann::json& doc, const std::string& file);  // xwing_vectors.cc

}  // namespace hauptbuch::p2p::cli

// Checked JSON access shared by the ACVP runners (acvp_mlkem.cc, acvp_mldsa.cc): a missing or
// mistyped field yields nullopt / an empty string, never an exception, and a failing case is
// counted and noted on stderr the same way in every runner.
#pragma once

#include <iostream>
#include <optional>
#include <string>

#include "cli/vector_runner.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::cli {

// The hex field `key` of object t as bytes; nullopt if absent, not a string or not hex.
inline std::optional<Bytes> hex_field(const nlohmann::json& t, const char* key) {
  if (!t.is_object() || !t.contains(key) || !t[key].is_string()) return std::nullopt;
  return from_hex(t[key].get<std::string>());
}

// The string field `key` of object g; empty if absent or not a string.
inline std::string str_field(const nlohmann::json& g, const char* key) {
  return g.is_object() && g.contains(key) && g[key].is_string() ? g[key].get<std::string>() : std::string();
}

// The test's tcId as printed in notes ("?" when missing).
inline std::string tc_id(const nlohmann::json& t) {
  return t.is_object() && t.contains("tcId") ? t["tcId"].dump() : "?";
}

// Counts one failed case and says why on stderr: "<file>: tcId <n>: <why>".
inline void record_failure(VectorCounts& c, const std::string& file, const std::string& tc,
                           const std::string& why) {
  c.failed += 1;
  std::cerr << file << ": tcId " << tc << ": " << why << "\n";
}

}  // namespace hauptbuch::p2p::cli

// ACVP runner for ML-KEM (FIPS 203): keyGen documents and encapDecap documents with every
// `function` (encapsulation, decapsulation, encapsulationKeyCheck, decapsulationKeyCheck), any
// parameter set. Never throws: every access to the JSON is checked; malformed cases of a kind
// it supports count as failed with a note on stderr (file + tcId).
#include <algorithm>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "cli/acvp_json.h"
#include "cli/vector_runner.h"
#include "crypto/mlkem.h"

namespace hauptbuch::p2p::cli {
namespace {

namespace mlkem = crypto::mlkem;

std::optional<mlkem::ParameterSet> parse_set(const nlohmann::json& g) {
  if (!g.contains("parameterSet") || !g["parameterSet"].is_string()) return std::nullopt;
  const std::string s = g["parameterSet"].get<std::string>();
  if (s == "ML-KEM-512") return mlkem::ParameterSet::kMlKem512;
  if (s == "ML-KEM-768") return mlkem::ParameterSet::kMlKem768;
  if (s == "ML-KEM-1024") return mlkem::ParameterSet::kMlKem1024;
  return std::nullopt;
}

std::optional<mlkem::Seed> seed_field(const nlohmann::json& t, const char* key) {
  auto b = hex_field(t, key);
  if (!b || b->size() != mlkem::kSeedBytes) return std::nullopt;
  mlkem::Seed s;
  std::copy(b->begin(), b->end(), s.begin());
  return s;
}

// Empty string = pass; otherwise the reason for failure.
std::string keygen_case(mlkem::ParameterSet set, const nlohmann::json& t) {
  auto d = seed_field(t, "d");
  auto z = seed_field(t, "z");
  auto ek = hex_field(t, "ek");
  auto dk = hex_field(t, "dk");
  if (!d || !z || !ek || !dk) return "malformed keyGen case";
  const auto kp = mlkem::keygen_from_seed(set, *d, *z);
  if (to_bytes(kp.ek.bytes()) != *ek) return "ek mismatch";
  if (to_bytes(kp.dk.bytes()) != *dk) return "dk mismatch";
  return {};
}

std::string encap_case(mlkem::ParameterSet set, const nlohmann::json& t) {
  auto ek = hex_field(t, "ek");
  auto m = seed_field(t, "m");
  auto c = hex_field(t, "c");
  auto k = hex_field(t, "k");
  if (!ek || !m || !c || !k) return "malformed encapsulation case";
  auto r = mlkem::encaps_bytes(set, *ek, *m);
  if (!r) return r.error().message();
  if (to_bytes(r.value().ct.bytes()) != *c) return "c mismatch";
  if (Bytes(r.value().ss.begin(), r.value().ss.end()) != *k) return "k mismatch";
  return {};
}

std::string decap_case(mlkem::ParameterSet set, const nlohmann::json& t) {
  auto dk = hex_field(t, "dk");
  auto c = hex_field(t, "c");
  auto k = hex_field(t, "k");
  if (!dk || !c || !k) return "malformed decapsulation case";
  auto r = mlkem::decaps_bytes(set, *dk, *c);
  if (!r) return r.error().message();
  if (Bytes(r.value().begin(), r.value().end()) != *k) return "k mismatch";
  return {};
}

std::string keycheck_case(mlkem::ParameterSet set, const nlohmann::json& t, bool encaps_key) {
  auto key = hex_field(t, encaps_key ? "ek" : "dk");
  if (!key || !t.contains("testPassed") || !t["testPassed"].is_boolean()) return "malformed key-check case";
  const bool expected = t["testPassed"].get<bool>();
  const bool ok = encaps_key ? mlkem::check_encapsulation_key(set, *key).ok()
                             : mlkem::check_decapsulation_key(set, *key).ok();
  if (ok != expected) return ok ? "key accepted but expected rejection" : "key rejected but expected valid";
  return {};
}

}  // namespace

VectorCounts run_acvp_mlkem(const nlohmann::json& doc, const std::string& file) {
  VectorCounts c;
  try {
    const std::string mode = str_field(doc, "mode");
    if (!doc.contains("testGroups") || !doc["testGroups"].is_array()) {
      std::cerr << file << ": no testGroups\n";
      c.failed += 1;
      return c;
    }
    for (const auto& g : doc["testGroups"]) {
      if (!g.is_object() || !g.contains("tests") || !g["tests"].is_array()) continue;
      const auto set = parse_set(g);
      const std::string fn = str_field(g, "function");
      const bool supported = mode == "keyGen" ||
                             (mode == "encapDecap" &&
                              (fn == "encapsulation" || fn == "decapsulation" ||
                               fn == "encapsulationKeyCheck" || fn == "decapsulationKeyCheck"));
      for (const auto& t : g["tests"]) {
        if (!set || !supported) {
          c.skipped += 1;
          continue;
        }
        const std::string tc = tc_id(t);
        std::string why;
        try {
          if (!t.is_object()) why = "test is not an object";
          else if (mode == "keyGen") why = keygen_case(*set, t);
          else if (fn == "encapsulation") why = encap_case(*set, t);
          else if (fn == "decapsulation") why = decap_case(*set, t);
          else why = keycheck_case(*set, t, fn == "encapsulationKeyCheck");
        } catch (const std::exception& e) {
          why = std::string("exception: ") + e.what();
        }
        if (why.empty()) {
          c.passed += 1;
        } else {
          record_failure(c, file, tc, why);
        }
      }
    }
  } catch (const std::exception& e) {
    std::cerr << file << ": " << e.what() << "\n";
    c.failed += 1;
  }
  return c;
}

}  // namespace hauptbuch::p2p::cli

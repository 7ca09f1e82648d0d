// ACVP runner for ML-DSA (FIPS 204): keyGen, sigGen and sigVer documents, any parameter set.
// Never throws: every access to the JSON is checked; malformed cases count as failed with a note
// on stderr (file + tcId); groups of a kind not implemented count as skipped.
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "cli/acvp_json.h"
#include "cli/vector_runner.h"
#include "crypto/mldsa.h"

namespace hauptbuch::p2p::cli {
namespace {

namespace mldsa = crypto::mldsa;

std::optional<mldsa::ParameterSet> parse_set(const nlohmann::json& g) {
  if (!g.contains("parameterSet") || !g["parameterSet"].is_string()) return std::nullopt;
  const std::string s = g["parameterSet"].get<std::string>();
  if (s == "ML-DSA-44") return mldsa::ParameterSet::kMlDsa44;
  if (s == "ML-DSA-65") return mldsa::ParameterSet::kMlDsa65;
  if (s == "ML-DSA-87") return mldsa::ParameterSet::kMlDsa87;
  return std::nullopt;
}

// Outcome of one case: true pass, false fail (with note), nullopt = skipped kind.
enum class Outcome { kPass, kFail, kSkip };

Outcome keygen_case(mldsa::ParameterSet set, const nlohmann::json& t, std::string& why) {
  auto seed = hex_field(t, "seed");
  auto pk = hex_field(t, "pk");
  auto sk = hex_field(t, "sk");
  if (!seed || !pk || !sk || seed->size() != mldsa::kSeedBytes) return why = "malformed keyGen case", Outcome::kFail;
  mldsa::Seed xi;
  std::copy(seed->begin(), seed->end(), xi.begin());
  const auto kp = mldsa::keygen_internal(set, xi);
  if (to_bytes(kp.pk.bytes()) != *pk) return why = "pk mismatch", Outcome::kFail;
  if (to_bytes(kp.sk.bytes()) != *sk) return why = "sk mismatch", Outcome::kFail;
  return Outcome::kPass;
}

Outcome siggen_case(mldsa::ParameterSet set, const nlohmann::json& g, const nlohmann::json& t,
                    std::string& why) {
  const bool deterministic = g.contains("deterministic") && g["deterministic"].is_boolean() &&
                             g["deterministic"].get<bool>();
  const std::string iface = str_field(g, "signatureInterface");
  const std::string pre = str_field(g, "preHash");
  const bool ext_mu = g.contains("externalMu") && g["externalMu"].is_boolean() && g["externalMu"].get<bool>();
  auto skb = hex_field(t, "sk");
  auto expected = hex_field(t, "signature");
  if (!skb || !expected) return why = "missing sk or signature", Outcome::kFail;
  auto sk = mldsa::SecretKey::from_bytes(set, *skb);
  if (!sk) return why = sk.error().message(), Outcome::kFail;
  mldsa::Seed rnd{};
  if (!deterministic) {
    auto r = hex_field(t, "rnd");
    if (!r || r->size() != rnd.size()) return why = "missing or bad rnd", Outcome::kFail;
    std::copy(r->begin(), r->end(), rnd.begin());
  }
  Bytes sig;
  if (iface == "internal") {
    if (ext_mu) {
      auto mu = hex_field(t, "mu");
      if (!mu || mu->size() != mldsa::kMuBytes) return why = "missing or bad mu", Outcome::kFail;
      mldsa::Mu m;
      std::copy(mu->begin(), mu->end(), m.begin());
      sig = mldsa::sign_internal_mu(*sk, m, rnd);
    } else {
      auto msg = hex_field(t, "message");
      if (!msg) return why = "missing message", Outcome::kFail;
      sig = mldsa::sign_internal(*sk, *msg, rnd);
    }
  } else if (iface == "external") {
    auto msg = hex_field(t, "message");
    auto ctx = hex_field(t, "context");
    if (!msg || !ctx) return why = "missing message or context", Outcome::kFail;
    Result<Bytes> r = Error(P2PNetworkError::Unsupported, "");
    if (pre == "pure") {
      r = mldsa::sign_with_rnd(*sk, *msg, *ctx, rnd);
    } else if (pre == "preHash") {
      auto ph = mldsa::prehash_from_name(str_field(t, "hashAlg"));
      if (!ph) return why = "unknown hashAlg", Outcome::kFail;
      r = mldsa::hash_sign_with_rnd(*sk, *msg, *ctx, *ph, rnd);
    } else {
      return Outcome::kSkip;
    }
    if (!r) return why = r.error().message(), Outcome::kFail;
    sig = std::move(r).value();
  } else {
    return Outcome::kSkip;
  }
  if (sig != *expected) return why = "signature mismatch", Outcome::kFail;
  return Outcome::kPass;
}

Outcome sigver_case(mldsa::ParameterSet set, const nlohmann::json& g, const nlohmann::json& t,
                    std::string& why) {
  const std::string iface = str_field(g, "signatureInterface");
  const std::string pre = str_field(g, "preHash");
  const bool ext_mu = g.contains("externalMu") && g["externalMu"].is_boolean() && g["externalMu"].get<bool>();
  auto pkb = hex_field(t, "pk");
  if (!pkb && g.contains("pk")) pkb = hex_field(g, "pk");
  auto sig = hex_field(t, "signature");
  if (!pkb || !sig || !t.contains("testPassed") || !t["testPassed"].is_boolean())
    return why = "missing pk, signature or testPassed", Outcome::kFail;
  const bool expected = t["testPassed"].get<bool>();
  auto pk = mldsa::PublicKey::from_bytes(set, *pkb);
  if (!pk) return why = pk.error().message(), Outcome::kFail;
  bool ok = false;
  if (iface == "internal") {
    if (ext_mu) {
      auto mu = hex_field(t, "mu");
      if (!mu || mu->size() != mldsa::kMuBytes) return why = "missing or bad mu", Outcome::kFail;
      mldsa::Mu m;
      std::copy(mu->begin(), mu->end(), m.begin());
      ok = mldsa::verify_internal_mu(*pk, m, *sig);
    } else {
      auto msg = hex_field(t, "message");
      if (!msg) return why = "missing message", Outcome::kFail;
      ok = mldsa::verify_internal(*pk, *msg, *sig);
    }
  } else if (iface == "external") {
    auto msg = hex_field(t, "message");
    auto ctx = hex_field(t, "context");
    if (!msg || !ctx) return why = "missing message or context", Outcome::kFail;
    if (pre == "pure") {
      ok = mldsa::verify(*pk, *msg, *sig, *ctx).ok();
    } else if (pre == "preHash") {
      auto ph = mldsa::prehash_from_name(str_field(t, "hashAlg"));
      if (!ph) return why = "unknown hashAlg", Outcome::kFail;
      ok = mldsa::hash_verify(*pk, *msg, *sig, *ctx, *ph).ok();
    } else {
      return Outcome::kSkip;
    }
  } else {
    return Outcome::kSkip;
  }
  if (ok != expected) return why = ok ? "verified but expected failure" : "did not verify", Outcome::kFail;
  return Outcome::kPass;
}

}  // namespace

VectorCounts run_acvp_mldsa(const nlohmann::json& doc, const std::string& file) {
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
      for (const auto& t : g["tests"]) {
        const std::string tc = tc_id(t);
        if (!set) {
          c.skipped += 1;
          continue;
        }
        std::string why;
        Outcome o = Outcome::kSkip;
        try {
          if (!t.is_object()) {
            o = Outcome::kFail;
            why = "test is not an object";
          } else if (mode == "keyGen") {
            o = keygen_case(*set, t, why);
          } else if (mode == "sigGen") {
            o = siggen_case(*set, g, t, why);
          } else if (mode == "sigVer") {
            o = sigver_case(*set, g, t, why);
          }
        } catch (const std::exception& e) {
          o = Outcome::kFail;
          why = std::string("exception: ") + e.what();
        }
        if (o == Outcome::kPass) c.passed += 1;
        if (o == Outcome::kSkip) c.skipped += 1;
        if (o == Outcome::kFail) record_failure(c, file, tc, why);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << file << ": " << e.what() << "\n";
    c.failed += 1;
  }
  return c;
}

}  // namespace hauptbuch::p2p::cli

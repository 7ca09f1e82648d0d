// `hbp2p crypto`: cryptography tools. `acvp FILE...` runs NIST ACVP vector files (ML-KEM,
// ML-DSA); `xwing FILE...` runs X-Wing vector files (draft-connolly-cfrg-xwing-kem-08 JSON layout).
//
// Output contract (see vector_runner.h): one line `FILE: N passed, M failed, K skipped` per
// file, then `N passed, M failed`; exit 1 if anything failed or nothing passed.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "cli/vector_runner.h"

namespace hauptbuch::p2p::cli {
namespace {

// Vector files are a few MB; refuse anything absurd rather than reading it into memory.
constexpr std::streamoff kMaxVectorFileBytes = 256LL << 20;

// Reads and parses one file; on failure prints the reason and counts one failure.
bool load_json(const std::string& file, nlohmann::json& doc) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open\n", file.c_str());
    return false;
  }
  if (in.tellg() > kMaxVectorFileBytes) {
    std::fprintf(stderr, "%s: larger than 256 MiB\n", file.c_str());
    return false;
  }
  in.seekg(0);
  std::ostringstream ss;
  ss << in.rdbuf();
  doc = nlohmann::json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    std::fprintf(stderr, "%s: not valid JSON\n", file.c_str());
    return false;
  }
  return true;
}

using Runner = VectorCounts (*)(const nlohmann::json&, const std::string&);

VectorCounts run_acvp_file(const nlohmann::json& doc, const std::string& file) {
  const std::string alg = doc.is_object() && doc.contains("algorithm") && doc["algorithm"].is_string()
                              ? doc["algorithm"].get<std::string>()
                              : "";
  if (alg == "ML-KEM") return run_acvp_mlkem(doc, file);
  if (alg == "ML-DSA") return run_acvp_mldsa(doc, file);
  std::fprintf(stderr, "%s: algorithm '%s' is not supported; its tests are skipped\n", file.c_str(),
               alg.c_str());
  VectorCounts c;
  if (doc.is_object() && doc.contains("testGroups") && doc["testGroups"].is_array())
    for (const auto& g : doc["testGroups"])
      if (g.is_object() && g.contains("tests") && g["tests"].is_array()) c.skipped += g["tests"].size();
  return c;
}

int run_files(const std::vector<std::string>& files, Runner runner) {
  VectorCounts total;
  for (const auto& file : files) {
    VectorCounts c;
    nlohmann::json doc;
    if (!load_json(file, doc)) {
      c.failed = 1;
    } else {
      try {
        c = runner(doc, file);
      } catch (const std::exception& e) {  // runners should not throw; never crash on a file
        std::fprintf(stderr, "%s: runner error: %s\n", file.c_str(), e.what());
        c.failed += 1;
      }
    }
    std::printf("%s: %zu passed, %zu failed, %zu skipped\n", file.c_str(), c.passed, c.failed, c.skipped);
    total += c;
  }
  std::printf("%zu passed, %zu failed\n", total.passed, total.failed);
  std::fflush(stdout);
  return (total.failed > 0 || total.passed == 0) ? 1 : 0;
}

}  // namespace

void add_crypto_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("crypto", "Cryptography tools: test-vector runners");
  cmd->require_subcommand(1);

  static std::vector<std::string> acvp_files;
  auto* acvp = cmd->add_subcommand(
      "acvp", "Run NIST ACVP JSON vector files (ML-KEM keyGen/encapDecap, ML-DSA keyGen/sigGen/sigVer)");
  acvp->add_option("FILE", acvp_files, "ACVP JSON files")->required();
  acvp->callback([&ctx] { ctx.exit_code = run_files(acvp_files, run_acvp_file); });

  static std::vector<std::string> xwing_files;
  auto* xwing = cmd->add_subcommand(
      "xwing", "Run X-Wing vector files (JSON array of {seed, sk, pk, eseed, ct, ss} in hex)");
  xwing->add_option("FILE", xwing_files, "X-Wing JSON files")->required();
  xwing->callback([&ctx] { ctx.exit_code = run_files(xwing_files, run_xwing_vectors); });
}

}  // namespace hauptbuch::p2p::cli

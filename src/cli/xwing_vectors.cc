// X-Wing vector runner behind `hbp2p crypto xwing FILE...`: a JSON array of objects with hex
// fields seed, sk, pk, eseed, ct, ss (the draft's test-vectors.json layout). One object is one
// case (named by its 0-based array index in notes);
// it passes only if keygen (seed -> sk, pk), encaps (pk, eseed -> ct, ss) and decaps
// (sk, ct -> ss) all match. Never throws: a malformed case counts as failed with a note on stderr.
#include <algorithm>
#include <string>

#include "cli/acvp_json.h"
#include "cli/vector_runner.h"
#include "crypto/xwing.h"

namespace hauptbuch::p2p::cli {
namespace {

namespace xw = crypto::xwing;

bool same(ByteSpan a, ByteSpan b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

// Returns an empty string on success, else what went wrong.
std::string check_case(const nlohmann::json& t) {
  const auto seed = hex_field(t, "seed");
  const auto sk = hex_field(t, "sk");
  const auto pk = hex_field(t, "pk");
  const auto eseed = hex_field(t, "eseed");
  const auto ct = hex_field(t, "ct");
  const auto ss = hex_field(t, "ss");
  if (!seed || !sk || !pk || !eseed || !ct || !ss) return "missing or non-hex field";
  if (seed->size() != xw::kSeedBytes || eseed->size() != xw::kEncapsSeedBytes) return "bad seed length";
  std::array<uint8_t, xw::kSeedBytes> s{};
  std::copy(seed->begin(), seed->end(), s.begin());
  const xw::KeyPair kp = xw::keygen_derand(s);
  if (!same(*sk, ByteSpan(kp.sk.seed.data(), kp.sk.seed.size()))) return "keygen: sk mismatch";
  if (!same(*pk, ByteSpan(kp.pk.data(), kp.pk.size()))) return "keygen: pk mismatch";
  auto pkd = xw::public_key_from_bytes(*pk);
  if (!pkd.ok()) return "pk rejected: " + pkd.error().message();
  xw::EncapsSeed e{};
  std::copy(eseed->begin(), eseed->end(), e.begin());
  auto enc = xw::encaps_derand(*pkd, e);
  if (!enc.ok()) return "encaps failed: " + enc.error().message();
  if (!same(*ct, ByteSpan(enc->ct.data(), enc->ct.size()))) return "encaps: ct mismatch";
  if (!same(*ss, ByteSpan(enc->ss.bytes.data(), enc->ss.bytes.size()))) return "encaps: ss mismatch";
  auto skd = xw::secret_key_from_bytes(*sk);
  if (!skd.ok()) return "sk rejected: " + skd.error().message();
  auto ctd = xw::ciphertext_from_bytes(*ct);
  if (!ctd.ok()) return "ct rejected: " + ctd.error().message();
  auto dec = xw::decaps(*skd, *ctd);
  if (!dec.ok()) return "decaps failed: " + dec.error().message();
  if (!same(*ss, ByteSpan(dec->bytes.data(), dec->bytes.size()))) return "decaps: ss mismatch";
  return {};
}

}  // namespace

VectorCounts run_xwing_vectors(const nlohmann::json& doc, const std::string& file) {
  VectorCounts c;
  if (!doc.is_array()) {
    record_failure(c, file, "?", "document is not a JSON array");
    return c;
  }
  size_t index = 0;
  for (const auto& t : doc) {
    const std::string why = check_case(t);
    if (why.empty()) {
      ++c.passed;
    } else {
      record_failure(c, file, std::to_string(index), why);
    }
    ++index;
  }
  return c;
}

}  // namespace hauptbuch::p2p::cli

// Our side of the PeerId interop test (peer_id_interop_test.mjs), test-only:
//   peer_id_check check FILE   each line {"pub": hex PublicKey protobuf, "id": base58, "cid": CIDv1}
//                              made by js-libp2p must give the same id and cid here
//   peer_id_check generate N   prints N such lines for our keys (seeded), for js to check
#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "crypto/identity.h"
#include "peer/peer_id.h"
#include "util/random.h"

using namespace hauptbuch::p2p;

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string mode = argv[1];
  if (mode == "generate") {
    SeededRandom rng(2026);
    const int n = std::stoi(argv[2]);
    for (int i = 0; i < n; ++i) {
      Bytes seed(32);
      rng.fill(seed);
      const auto pub = crypto::PrivateKey::ed25519_from_seed(seed).public_key();
      const PeerId id = PeerId::from_public_key(pub);
      std::printf("%s\n", nlohmann::json{{"pub", to_hex(pub.to_protobuf())}, {"id", id.to_base58()},
                                         {"cid", id.to_cid_string()}}.dump().c_str());
    }
    return 0;
  }
  if (mode != "check") return 2;
  std::ifstream in(argv[2]);
  std::string line;
  int checked = 0, failed = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    auto pub_bytes = from_hex(j["pub"].get<std::string>());
    const std::string want_id = j["id"], want_cid = j["cid"];
    bool ok = pub_bytes.has_value();
    if (ok) {
      auto key = crypto::PublicKey::from_protobuf(*pub_bytes);
      ok = key.ok();
      if (ok) {
        const PeerId id = PeerId::from_public_key(*key);
        auto parsed = PeerId::parse(want_id), parsed_cid = PeerId::parse(want_cid);
        ok = id.to_base58() == want_id && id.to_cid_string() == want_cid && parsed.ok() && parsed_cid.ok() &&
             *parsed == id && *parsed_cid == id;
      }
    }
    ++checked;
    if (!ok) {
      ++failed;
      std::fprintf(stderr, "mismatch: %s\n", line.c_str());
    }
  }
  std::printf("%d checked, %d failed\n", checked, failed);
  return (failed == 0 && checked > 0) ? 0 : 1;
}

// `hbp2p keygen --out FILE [--force] [--type hybrid|ed25519]`: creates a new identity key file
// (mode 0600, written atomically) and prints its PeerId (base58) on stdout. The default type is
// the hybrid ML-DSA-65 + Ed25519 key (docs/wire/hybrid-identity.md); `ed25519` makes a standard
// libp2p key for talking to standard libp2p nodes over /noise. Never prints key bytes.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "crypto/identity.h"
#include "crypto/key_file.h"
#include "peer/peer_id.h"

namespace hauptbuch::p2p::cli {
namespace {
struct KeygenOptions {
  std::string out;
  bool force = false;
  std::string type = "hybrid";
};
}  // namespace

void add_keygen_command(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<KeygenOptions>();
  auto* cmd = app.add_subcommand("keygen", "Generate a new identity key file and print its PeerId");
  cmd->add_option("--out", opts->out, "Path of the key file to create (mode 0600)")->required();
  cmd->add_flag("--force", opts->force, "Replace an existing file");
  cmd->add_option("--type", opts->type,
                  "Key type: hybrid (ML-DSA-65 + Ed25519) or ed25519 (standard libp2p)")
      ->check(CLI::IsMember({"hybrid", "ed25519"}))
      ->capture_default_str();
  cmd->callback([&ctx, opts] {
    const crypto::PrivateKey key = opts->type == "ed25519"
                                       ? crypto::PrivateKey::generate_ed25519()
                                       : crypto::PrivateKey::generate_hybrid();
    if (auto st = crypto::write_key_file(opts->out, key, opts->force); !st) {
      std::fprintf(stderr, "hbp2p keygen: %s\n", st.error().message().c_str());
      ctx.exit_code = 1;
      return;
    }
    std::printf("%s\n", PeerId::from_public_key(key.public_key()).to_base58().c_str());
    ctx.exit_code = 0;
  });
}
}  // namespace hauptbuch::p2p::cli

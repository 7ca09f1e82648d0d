// `hbp2p id --key FILE [--cid] [--show-type]`: prints the PeerId of an identity key file (hybrid
// or Ed25519), base58btc by default or CIDv1 (libp2p-key, base32) with --cid; --show-type
// appends the key type ("hybrid" or "ed25519") after a space. Never prints key bytes.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "crypto/key_file.h"
#include "peer/peer_id.h"

namespace hauptbuch::p2p::cli {
namespace {
struct IdOptions {
  std::string key;
  bool cid = false;
  bool show_type = false;
};
}  // namespace

void add_id_command(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<IdOptions>();
  auto* cmd = app.add_subcommand("id", "Print the PeerId of an identity key file");
  cmd->add_option("--key", opts->key, "Path of the key file")->required();
  cmd->add_flag("--cid", opts->cid, "Print the PeerId as a CIDv1 (libp2p-key, base32)");
  cmd->add_flag("--show-type", opts->show_type,
                "Append the key type (hybrid or ed25519) after the PeerId");
  cmd->callback([&ctx, opts] {
    auto key = crypto::read_key_file(opts->key);
    if (!key) {
      std::fprintf(stderr, "hbp2p id: %s\n", key.error().message().c_str());
      ctx.exit_code = 1;
      return;
    }
    const PeerId id = PeerId::from_public_key(key->public_key());
    const std::string text = opts->cid ? id.to_cid_string() : id.to_base58();
    if (opts->show_type) {
      const bool hybrid = key->type() == crypto::KeyType::HybridMlDsa65Ed25519;
      std::printf("%s %s\n", text.c_str(), hybrid ? "hybrid" : "ed25519");
    } else {
      std::printf("%s\n", text.c_str());
    }
    ctx.exit_code = 0;
  });
}
}  // namespace hauptbuch::p2p::cli

// Our post-quantum secure channel `/hauptbuch/pq-noise/1.0.0` (design and security argument:
// docs/wire/pq-handshake.md), as a sans-I/O SecureHandshake.
//
// A Noise-style XX pattern in which the key agreement is hybrid — X25519 ephemeral-ephemeral DH
// plus an ML-KEM-768 encapsulation to the initiator's ephemeral KEM key (Noise HFS "e1/ekem1",
// as in the libp2p /noise-mlkem768-hfs draft) — and authentication is by transcript signatures
// with the identity keys (so a hybrid Ed25519 + ML-DSA-65 identity authenticates post-quantum):
//   -> e, ekem                        (32 + 1184 bytes, clear)
//   <- e, ee, ekem1, payload(sig)     (32 + 1104 + payload)
//   -> payload(sig)
// Each side signs "hauptbuch-pq-noise-v1:responder:" / ":initiator:" ‖ h with its identity key,
// h being the handshake hash after all key material was mixed in. The protocol id is the
// prologue, so a negotiation downgrade changes every key. Framing, payload protobuf and the
// transport are those of /noise. Errors as NoiseHandshake. Not thread-safe.
#pragma once

#include <array>
#include <memory>
#include <optional>

#include "crypto/mlkem.h"
#include "secure/noise_style_handshake.h"
#include "util/random.h"

namespace hauptbuch::p2p::secure {

inline constexpr std::string_view kPqProtocolId = "/hauptbuch/pq-noise/1.0.0";
inline constexpr std::string_view kPqProtocolName = "Noise_XXhfssig_25519+MLKEM768_ChaChaPoly_SHA256";
inline constexpr std::string_view kPqSignaturePrefix = "hauptbuch-pq-noise-v1:";

class PqHandshake final : public NoiseStyleHandshake {
 public:
  // `identity` must outlive the handshake; `rng` supplies the ephemeral X25519 key, the ML-KEM
  // key generation seeds (d, z) and the encapsulation randomness m.
  PqHandshake(bool initiator, const crypto::PrivateKey& identity, NoiseOptions options, RandomSource& rng);
  ~PqHandshake() override;

  Status start() override;

 private:
  Status on_message(ByteSpan msg) override;
  Bytes make_payload(std::string_view role) const;
  Status check_payload(ByteSpan payload, std::string_view role, const NoiseHash& signed_hash);

  const crypto::PrivateKey& identity_;
  NoiseOptions options_;
  RandomSource& rng_;
  std::array<uint8_t, 32> e_secret_{}, e_public_{}, re_{};
  std::optional<crypto::mlkem::KeyPair> kem_;
};

}  // namespace hauptbuch::p2p::secure

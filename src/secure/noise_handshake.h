// libp2p /noise: Noise_XX_25519_ChaChaPoly_SHA256 with the libp2p handshake payload (specs:
// noise/README.md; Noise Protocol Framework rev 34), as a sans-I/O SecureHandshake.
//
//   -> e                        msg1: initiator ephemeral (payload empty)
//   <- e, ee, s, es             msg2: responder ephemeral, static, payload (identity, signature)
//   -> s, se                    msg3: initiator static, payload
// Each message travels in a 2-byte big-endian length frame. A payload carries the identity key
// (libp2p PublicKey protobuf) and its signature over "noise-libp2p-static-key:" ‖ the Noise
// static key, plus extensions: stream muxers, and our field 1000 "hauptbuch_pq" announcing PQ
// capability (downgrade detection; integrity comes from the handshake itself — the payload is
// encrypted and authenticated under keys bound to the signed static key).
// Errors: InvalidMessage (malformed frame or payload), SecurityValidationFailed (bad tag, bad
// signature, low-order DH result), PeerSecurityValidationFailed (authenticated peer is not the
// expected one). Not thread-safe.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "secure/noise_style_handshake.h"
#include "util/random.h"

namespace hauptbuch::p2p::secure {

inline constexpr std::string_view kNoiseProtocolId = "/noise";
inline constexpr std::string_view kNoiseProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";
inline constexpr std::string_view kNoiseStaticKeyPrefix = "noise-libp2p-static-key:";
// The node's Noise static key with its identity signature, made once and reused for every
// connection (signing is the costly part of a handshake with a hybrid identity).
struct NoiseStaticKey {
  std::array<uint8_t, 32> secret{};
  std::array<uint8_t, 32> public_key{};
  Bytes identity_sig;
  static NoiseStaticKey generate(const crypto::PrivateKey& identity, RandomSource& rng);
  ~NoiseStaticKey();
};

class NoiseHandshake final : public NoiseStyleHandshake {
 public:
  // `identity` and `static_key` must outlive the handshake; `rng` makes the ephemeral key.
  NoiseHandshake(bool initiator, const crypto::PrivateKey& identity, const NoiseStaticKey& static_key,
                 NoiseOptions options, RandomSource& rng);
  ~NoiseHandshake() override;

  Status start() override;

 private:
  Status on_message(ByteSpan msg) override;
  Bytes make_payload() const;
  Status check_payload(ByteSpan payload);

  const crypto::PrivateKey& identity_;
  const NoiseStaticKey& static_key_;
  NoiseOptions options_;
  std::array<uint8_t, 32> e_secret_{}, e_public_{}, re_{}, rs_{};
};

}  // namespace hauptbuch::p2p::secure

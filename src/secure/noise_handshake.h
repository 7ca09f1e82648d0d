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

#include "secure/noise_frame.h"
#include "secure/noise_symmetric_state.h"
#include "secure/secure_channel.h"
#include "util/random.h"

namespace hauptbuch::p2p::secure {

inline constexpr std::string_view kNoiseProtocolId = "/noise";
inline constexpr std::string_view kNoiseProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";
inline constexpr std::string_view kNoiseStaticKeyPrefix = "noise-libp2p-static-key:";
// Payloads larger than this are refused: an identity key, a signature (even a hybrid ML-DSA-65 +
// Ed25519 one: 3,373 bytes) and a few extensions fit comfortably.
inline constexpr size_t kMaxNoisePayload = 8192;

// The node's Noise static key with its identity signature, made once and reused for every
// connection (signing is the costly part of a handshake with a hybrid identity).
struct NoiseStaticKey {
  std::array<uint8_t, 32> secret{};
  std::array<uint8_t, 32> public_key{};
  Bytes identity_sig;
  static NoiseStaticKey generate(const crypto::PrivateKey& identity, RandomSource& rng);
  ~NoiseStaticKey();
};

struct NoiseOptions {
  std::vector<std::string> stream_muxers;  // advertised in extensions (informational here)
  bool pq_capable = false;                 // send the hauptbuch_pq extension
  std::optional<PeerId> expected_peer;     // initiator: from a dialled /p2p/ component
};

// What the handshake learnt about the peer besides its identity.
struct NoisePeerInfo {
  std::vector<std::string> stream_muxers;
  bool pq_capable = false;
};

class NoiseHandshake final : public SecureHandshake {
 public:
  // `identity` and `static_key` must outlive the handshake; `rng` makes the ephemeral key.
  NoiseHandshake(bool initiator, const crypto::PrivateKey& identity, const NoiseStaticKey& static_key,
                 NoiseOptions options, RandomSource& rng);
  ~NoiseHandshake() override;

  Status start() override;
  Status feed(ByteSpan in) override;
  Bytes take_output() override { return std::exchange(out_, {}); }
  bool done() const override { return state_ == State::Done; }
  Result<std::unique_ptr<SecureTransport>> finish() override;
  Bytes take_leftover() override { return std::exchange(leftover_, {}); }
  std::string_view protocol() const override { return kNoiseProtocolId; }

  // Valid once done().
  const NoisePeerInfo& peer_info() const { return peer_info_; }
  std::vector<std::string> remote_stream_muxers() const override { return peer_info_.stream_muxers; }
  // The Noise handshake hash h (channel binding), valid once done().
  const NoiseHash& handshake_hash() const { return hash_; }

 private:
  enum class State { Start, AwaitMsg1, AwaitMsg2, AwaitMsg3, Done, Failed };
  Status on_message(ByteSpan msg);
  Status fail(Status st);
  Bytes make_payload() const;
  Status check_payload(ByteSpan payload);
  Status dh_mix(const std::array<uint8_t, 32>& sk, const std::array<uint8_t, 32>& pk);
  Status send(const Bytes& msg);

  bool initiator_;
  const crypto::PrivateKey& identity_;
  const NoiseStaticKey& static_key_;
  NoiseOptions options_;
  State state_;
  NoiseSymmetricState sym_;
  std::array<uint8_t, 32> e_secret_{}, e_public_{}, re_{}, rs_{};
  std::optional<crypto::PublicKey> remote_identity_;
  NoisePeerInfo peer_info_;
  NoiseFrameDecoder frames_;
  Bytes out_, leftover_;
  NoiseHash hash_{};
  std::optional<std::pair<NoiseCipherState, NoiseCipherState>> keys_;
};

}  // namespace hauptbuch::p2p::secure

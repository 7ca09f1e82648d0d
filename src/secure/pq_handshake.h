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
#include "secure/noise_frame.h"
#include "secure/noise_handshake.h"
#include "secure/noise_symmetric_state.h"
#include "secure/secure_channel.h"
#include "util/random.h"

namespace hauptbuch::p2p::secure {

inline constexpr std::string_view kPqProtocolId = "/hauptbuch/pq-noise/1.0.0";
inline constexpr std::string_view kPqProtocolName = "Noise_XXhfssig_25519+MLKEM768_ChaChaPoly_SHA256";
inline constexpr std::string_view kPqSignaturePrefix = "hauptbuch-pq-noise-v1:";

class PqHandshake final : public SecureHandshake {
 public:
  // `identity` must outlive the handshake; `rng` supplies the ephemeral X25519 key, the ML-KEM
  // key generation seeds (d, z) and the encapsulation randomness m.
  PqHandshake(bool initiator, const crypto::PrivateKey& identity, NoiseOptions options, RandomSource& rng);
  ~PqHandshake() override;

  Status start() override;
  Status feed(ByteSpan in) override;
  Bytes take_output() override { return std::exchange(out_, {}); }
  bool done() const override { return state_ == State::Done; }
  Result<std::unique_ptr<SecureTransport>> finish() override;
  Bytes take_leftover() override { return std::exchange(leftover_, {}); }
  std::string_view protocol() const override { return kPqProtocolId; }

  const NoisePeerInfo& peer_info() const { return peer_info_; }
  std::vector<std::string> remote_stream_muxers() const override { return peer_info_.stream_muxers; }
  const NoiseHash& handshake_hash() const { return hash_; }

 private:
  enum class State { Start, AwaitMsg1, AwaitMsg2, AwaitMsg3, Done, Failed };
  Status on_message(ByteSpan msg);
  Status fail(Status st);
  Bytes make_payload(std::string_view role) const;
  Status check_payload(ByteSpan payload, std::string_view role, const NoiseHash& signed_hash);
  Status dh_mix(const std::array<uint8_t, 32>& sk, const std::array<uint8_t, 32>& pk);

  bool initiator_;
  const crypto::PrivateKey& identity_;
  NoiseOptions options_;
  RandomSource& rng_;
  State state_;
  NoiseSymmetricState sym_;
  std::array<uint8_t, 32> e_secret_{}, e_public_{}, re_{};
  std::optional<crypto::mlkem::KeyPair> kem_;
  std::optional<crypto::PublicKey> remote_identity_;
  NoisePeerInfo peer_info_;
  NoiseFrameDecoder frames_;
  Bytes out_, leftover_;
  NoiseHash hash_{};
  std::optional<std::pair<NoiseCipherState, NoiseCipherState>> keys_;
};

}  // namespace hauptbuch::p2p::secure

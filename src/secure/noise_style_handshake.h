// The machinery shared by our Noise-style three-message handshakes (/noise XX and
// /hauptbuch/pq-noise): the state sequence, 2-byte framing of incoming messages, bytes that
// follow the last message (leftover), the X25519 DH-and-MixKey step, and the final Split into a
// NoiseTransport. A subclass writes start() and on_message() for its own message patterns.
// Not thread-safe.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secure/noise_frame.h"
#include "secure/noise_symmetric_state.h"
#include "secure/secure_channel.h"

namespace hauptbuch::p2p::secure {

// Payloads larger than this are refused: an identity key, a signature (even a hybrid ML-DSA-65 +
// Ed25519 one: 3,373 bytes) and a few extensions fit comfortably.
inline constexpr size_t kMaxNoisePayload = 8192;

struct NoiseOptions {
  std::vector<std::string> stream_muxers;  // advertised in the payload extensions
  bool pq_capable = false;                 // /noise only: send the hauptbuch_pq extension
  std::optional<PeerId> expected_peer;     // initiator: from a dialled /p2p/ component
};

// What the handshake learnt about the peer besides its identity.
struct NoisePeerInfo {
  std::vector<std::string> stream_muxers;
  bool pq_capable = false;
};

class NoiseStyleHandshake : public SecureHandshake {
 public:
  Status feed(ByteSpan in) final;
  Bytes take_output() final { return std::exchange(out_, {}); }
  bool done() const final { return state_ == State::Done; }
  Result<std::unique_ptr<SecureTransport>> finish() final;
  Bytes take_leftover() final { return std::exchange(leftover_, {}); }
  std::string_view protocol() const final { return protocol_id_; }
  std::vector<std::string> remote_stream_muxers() const final { return peer_info_.stream_muxers; }

  // Valid once done().
  const NoisePeerInfo& peer_info() const { return peer_info_; }
  // The handshake hash h (channel binding), valid once done().
  const NoiseHash& handshake_hash() const { return hash_; }

 protected:
  enum class State { Start, AwaitMsg1, AwaitMsg2, AwaitMsg3, Done, Failed };
  // `prefix` starts every error detail ("noise", "pq-noise").
  NoiseStyleHandshake(bool initiator, std::string_view protocol_name, std::string_view protocol_id,
                      std::string_view prefix);
  // One complete handshake message from the peer.
  virtual Status on_message(ByteSpan msg) = 0;
  Status fail(Status st);
  Status error(P2PNetworkError code, std::string_view detail) const;
  // MixKey(DH(sk, pk)); a low-order (all-zero) result is SecurityValidationFailed.
  Status dh_mix(const std::array<uint8_t, 32>& sk, const std::array<uint8_t, 32>& pk);
  Status send(ByteSpan msg) { return append_noise_frame(msg, out_); }
  // Records h and the split keys, and ends the handshake.
  void complete();

  // The libp2p handshake payload (proto/noise.proto), shared by both handshakes.
  Bytes encode_payload(const crypto::PrivateKey& identity, ByteSpan signature, const NoiseOptions& options) const;
  // Decodes a peer's payload (size cap, protobuf, identity key), checks `signature_ok` on the
  // signed message the caller defines, checks the expected peer, and records the identity and
  // extensions. Errors: InvalidMessage, SecurityValidationFailed, PeerSecurityValidationFailed.
  Status accept_payload(ByteSpan payload, const std::optional<PeerId>& expected,
                        const std::function<bool(const crypto::PublicKey&, ByteSpan)>& signature_ok,
                        std::string_view what_is_signed);

  bool initiator_;
  State state_;
  NoiseSymmetricState sym_;
  std::optional<crypto::PublicKey> remote_identity_;
  NoisePeerInfo peer_info_;

 private:
  std::string_view protocol_id_, prefix_;
  NoiseFrameDecoder frames_;
  Bytes out_, leftover_;
  NoiseHash hash_{};
  std::optional<std::pair<NoiseCipherState, NoiseCipherState>> keys_;
};

}  // namespace hauptbuch::p2p::secure

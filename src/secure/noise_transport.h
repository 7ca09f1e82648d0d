// NoiseTransport: the transport phase shared by /noise and our PQ handshake: each direction a
// Noise CipherState, every message a 2-byte big-endian length plus ChaCha20-Poly1305
// ciphertext (≤ 65535 bytes, so ≤ 65519 bytes of plaintext per frame), empty associated data.
// Not thread-safe; encrypt and decrypt may run on different threads only with external locking.
#pragma once

#include <string>

#include "secure/noise_cipher_state.h"
#include "secure/noise_frame.h"
#include "secure/secure_channel.h"

namespace hauptbuch::p2p::secure {

inline constexpr size_t kNoiseMaxPlaintext = kNoiseMaxMessageSize - kNoiseTagSize;

class NoiseTransport final : public SecureTransport {
 public:
  NoiseTransport(NoiseCipherState send, NoiseCipherState recv, crypto::PublicKey remote_identity,
                 std::string protocol);
  Status encrypt(ByteSpan plaintext, Bytes& out) override;
  Status decrypt(ByteSpan in, Bytes& out) override;
  const crypto::PublicKey& remote_identity() const override { return remote_identity_; }
  const PeerId& remote_peer() const override { return remote_peer_; }
  std::string_view protocol() const override { return protocol_; }
  size_t max_frame_plaintext() const override { return kNoiseMaxPlaintext; }

 private:
  NoiseCipherState send_, recv_;
  crypto::PublicKey remote_identity_;
  PeerId remote_peer_;
  std::string protocol_;
  NoiseFrameDecoder frames_;
  bool failed_ = false;
};

}  // namespace hauptbuch::p2p::secure

// NoiseTransport: the transport phase shared by /noise and our PQ handshake: each direction a
// Noise CipherState, every message a 2-byte big-endian length plus ChaCha20-Poly1305
// ciphertext (≤ 65535 bytes, so ≤ 65519 bytes of plaintext per frame), empty associated data.
//
// Hot path without extra copies: encrypt_into() seals each plaintext chunk straight into the
// output frames (encrypt_gather_into() does so from scattered pieces, so yamux headers and the
// application's own buffer need not be joined first); decrypt_into() opens every complete frame straight from the input into the
// output, and only a frame split across two reads is assembled in a buffer (at most one frame,
// 65537 bytes, released as soon as that frame is done, so an idle connection holds none).
// Not thread-safe; encrypt and decrypt may run on different threads only with external locking.
#pragma once

#include <string>
#include <vector>

#include "secure/noise_cipher_state.h"
#include "secure/noise_frame.h"
#include "secure/secure_channel.h"

namespace hauptbuch::p2p::secure {

inline constexpr size_t kNoiseMaxPlaintext = kNoiseMaxMessageSize - kNoiseTagSize;

// Bytes on the wire for `plaintext_size` bytes sent through NoiseTransport::encrypt (frames of
// at most kNoiseMaxPlaintext plaintext, each with header and tag; an empty input is one frame).
size_t noise_sealed_size(size_t plaintext_size) noexcept;

class NoiseTransport final : public SecureTransport {
 public:
  NoiseTransport(NoiseCipherState send, NoiseCipherState recv, crypto::PublicKey remote_identity,
                 std::string protocol);
  Status encrypt(ByteSpan plaintext, Bytes& out) override;
  Status decrypt(ByteSpan in, Bytes& out) override;
  size_t sealed_size(size_t plaintext_size) const override { return noise_sealed_size(plaintext_size); }
  Status encrypt_into(ByteSpan plaintext, MutableByteSpan dst) override;
  Status encrypt_gather_into(std::span<const ByteSpan> pieces, MutableByteSpan dst) override;
  size_t max_opened_size(size_t in_size) const override { return partial_.size() + in_size; }
  Result<size_t> decrypt_into(ByteSpan in, MutableByteSpan dst) override;
  const crypto::PublicKey& remote_identity() const override { return remote_identity_; }
  const PeerId& remote_peer() const override { return remote_peer_; }
  std::string_view protocol() const override { return protocol_; }
  size_t max_frame_plaintext() const override { return kNoiseMaxPlaintext; }

  // Bytes of a partial frame held until its remainder arrives (for memory accounting).
  size_t buffered() const noexcept { return partial_.size(); }

 private:
  // Opens one frame (without its header) to dst; returns the plaintext size.
  Result<size_t> open_frame(ByteSpan frame, uint8_t* dst);

  NoiseCipherState send_, recv_;
  crypto::PublicKey remote_identity_;
  PeerId remote_peer_;
  std::string protocol_;
  Bytes partial_;  // header + part of one frame split across reads (≤ 65537 bytes)
  std::vector<ByteSpan> frame_pieces_;  // encrypt_gather_into's per-frame list (reused)
  bool failed_ = false;
};

}  // namespace hauptbuch::p2p::secure

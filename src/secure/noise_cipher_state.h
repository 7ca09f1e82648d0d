// Noise Protocol Framework CipherState (rev 34, section 5.1) for ChaChaPoly:
// ChaCha20-Poly1305 IETF with the Noise nonce layout (4 zero bytes || 64-bit LE counter).
// Reusable by every Noise-based handshake (libp2p /noise and our post-quantum handshake).
// It must never reuse a nonce: the counter is checked before use and 2^64-1 is refused.
#pragma once

#include <array>
#include <cstdint>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::secure {

inline constexpr size_t kNoiseKeySize = 32;
inline constexpr size_t kNoiseTagSize = 16;
// Noise limits every message to 65535 bytes (spec section 3).
inline constexpr size_t kNoiseMaxMessageSize = 65535;

class NoiseCipherState {
 public:
  NoiseCipherState() = default;
  ~NoiseCipherState();
  NoiseCipherState(const NoiseCipherState&) = delete;
  NoiseCipherState& operator=(const NoiseCipherState&) = delete;
  NoiseCipherState(NoiseCipherState&& other) noexcept;
  NoiseCipherState& operator=(NoiseCipherState&& other) noexcept;

  // InitializeKey(k): sets the key and resets the nonce to 0.
  void initialize_key(ByteSpan key32);
  bool has_key() const noexcept { return has_key_; }
  uint64_t nonce() const noexcept { return n_; }
  // SetNonce, for tests of the overflow path.
  void set_nonce(uint64_t n) noexcept { n_ = n; }

  // EncryptWithAd: appends ciphertext (plaintext unchanged if no key) to out.
  // Errors: ResourceLimitExceeded when the nonce is exhausted. Not thread-safe.
  Status encrypt_with_ad(ByteSpan ad, ByteSpan plaintext, Bytes& out);
  // DecryptWithAd: appends plaintext to out. Errors: SecurityValidationFailed on a bad tag,
  // InvalidMessage when shorter than a tag, ResourceLimitExceeded when the nonce is exhausted.
  // On failure out is unchanged and the nonce is not advanced.
  Status decrypt_with_ad(ByteSpan ad, ByteSpan ciphertext, Bytes& out);

 private:
  std::array<uint8_t, kNoiseKeySize> k_{};
  uint64_t n_ = 0;
  bool has_key_ = false;
};

}  // namespace hauptbuch::p2p::secure

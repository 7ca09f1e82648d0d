// Noise Protocol Framework SymmetricState (rev 34, section 5.2) with SHA-256 and the
// HMAC-SHA256 based HKDF of section 4.3. Reusable by every Noise-based handshake.
#pragma once

#include <array>
#include <string_view>
#include <utility>

#include "secure/noise_cipher_state.h"

namespace hauptbuch::p2p::secure {

inline constexpr size_t kNoiseHashSize = 32;
using NoiseHash = std::array<uint8_t, kNoiseHashSize>;

// Noise HKDF(chaining_key, input_key_material) -> two 32-byte outputs.
std::pair<NoiseHash, NoiseHash> noise_hkdf2(ByteSpan chaining_key, ByteSpan ikm);

class NoiseSymmetricState {
 public:
  // InitializeSymmetric(protocol_name): h = name padded to 32 bytes or SHA-256(name); ck = h.
  explicit NoiseSymmetricState(std::string_view protocol_name);
  ~NoiseSymmetricState();
  NoiseSymmetricState(const NoiseSymmetricState&) = delete;
  NoiseSymmetricState& operator=(const NoiseSymmetricState&) = delete;

  void mix_key(ByteSpan input_key_material);
  void mix_hash(ByteSpan data);
  // EncryptAndHash / DecryptAndHash: append to out; errors as NoiseCipherState.
  Status encrypt_and_hash(ByteSpan plaintext, Bytes& out);
  Status decrypt_and_hash(ByteSpan ciphertext, Bytes& out);
  // Split(): the initiator-to-responder and responder-to-initiator cipher states.
  std::pair<NoiseCipherState, NoiseCipherState> split();

  const NoiseHash& handshake_hash() const noexcept { return h_; }
  bool has_key() const noexcept { return cipher_.has_key(); }

 private:
  NoiseCipherState cipher_;
  NoiseHash ck_{};
  NoiseHash h_{};
};

}  // namespace hauptbuch::p2p::secure

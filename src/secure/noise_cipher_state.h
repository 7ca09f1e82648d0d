// Noise Protocol Framework CipherState (rev 34, section 5.1) for ChaChaPoly:
// ChaCha20-Poly1305 IETF with the Noise nonce layout (4 zero bytes || 64-bit LE counter).
// Reusable by every Noise-based handshake (libp2p /noise and our post-quantum handshake) and by
// the transport phase, whose hot path encrypts and decrypts without copies (encrypt_to /
// decrypt_to may work in place).
// The AEAD is OpenSSL's EVP ChaCha20-Poly1305 (its x86-64 assembly has AVX2/AVX-512 paths);
// one EVP context per CipherState is created with the key and reused for every message.
// It must never reuse a nonce: the counter is checked before use and 2^64-1 is refused.
// The key lives only inside the EVP context; OpenSSL wipes it when the context is freed or
// re-keyed (destruction, move-assignment, rekey).
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <span>

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
  ~NoiseCipherState() = default;
  NoiseCipherState(const NoiseCipherState&) = delete;
  NoiseCipherState& operator=(const NoiseCipherState&) = delete;
  NoiseCipherState(NoiseCipherState&& other) noexcept;
  NoiseCipherState& operator=(NoiseCipherState&& other) noexcept;

  // InitializeKey(k): sets the key and resets the nonce to 0. A key that is not 32 bytes
  // leaves the state without a key (callers always pass HKDF outputs of 32 bytes).
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

  // Zero-copy forms for the transport phase. Both require a key (InvalidConnection otherwise)
  // and a message of at most 65535 bytes including the tag (ResourceLimitExceeded otherwise).
  // encrypt_to writes plaintext.size() + 16 bytes (ciphertext, then tag) to dst; dst may be
  // plaintext.data() (in place) but must not overlap it otherwise.
  Status encrypt_to(ByteSpan ad, ByteSpan plaintext, uint8_t* dst);
  // The same for a plaintext given as consecutive pieces (their concatenation is the message),
  // so a caller can seal frame headers and application bytes without first copying them into
  // one buffer. dst must not overlap any piece.
  Status encrypt_gather_to(ByteSpan ad, std::span<const ByteSpan> pieces, uint8_t* dst);
  // decrypt_to writes ciphertext.size() - 16 bytes of plaintext to dst; dst may be
  // ciphertext.data() (in place) but must not overlap it otherwise. Errors as decrypt_with_ad;
  // on failure the nonce is not advanced and dst holds garbage that must not be used.
  Status decrypt_to(ByteSpan ad, ByteSpan ciphertext, uint8_t* dst);

  // Rekey() (spec section 4.2 and 11.3): k = first 32 bytes of ENCRYPT(k, 2^64-1, "", 32
  // zero bytes); the nonce is unchanged. Errors: InvalidConnection without a key.
  Status rekey();

 private:
  struct CtxDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept;
  };
  Status seal(uint64_t nonce, ByteSpan ad, std::span<const ByteSpan> pieces, uint8_t* dst);
  Status open(uint64_t nonce, ByteSpan ad, ByteSpan ciphertext, uint8_t* dst);

  std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter> ctx_;  // holds the key; created by initialize_key
  uint64_t n_ = 0;
  bool has_key_ = false;
};

}  // namespace hauptbuch::p2p::secure

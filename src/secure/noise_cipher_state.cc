// Noise CipherState with libsodium's ChaCha20-Poly1305 IETF construction.
#include "secure/noise_cipher_state.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace hauptbuch::p2p::secure {
namespace {

// Noise ChaChaPoly nonce: 32 bits of zeros followed by the 64-bit counter little-endian.
std::array<uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES> make_nonce(uint64_t n) {
  std::array<uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES> out{};
  for (size_t i = 0; i < 8; ++i) out[4 + i] = static_cast<uint8_t>(n >> (8 * i));
  return out;
}

// The spec reserves 2^64-1 (used by Rekey); encrypting with it is an error.
constexpr uint64_t kMaxNonce = std::numeric_limits<uint64_t>::max();

}  // namespace

NoiseCipherState::~NoiseCipherState() { secure_wipe(k_.data(), k_.size()); }

NoiseCipherState::NoiseCipherState(NoiseCipherState&& other) noexcept
    : k_(other.k_), n_(other.n_), has_key_(other.has_key_) {
  secure_wipe(other.k_.data(), other.k_.size());
  other.has_key_ = false;
  other.n_ = 0;
}

NoiseCipherState& NoiseCipherState::operator=(NoiseCipherState&& other) noexcept {
  if (this != &other) {
    k_ = other.k_;
    n_ = other.n_;
    has_key_ = other.has_key_;
    secure_wipe(other.k_.data(), other.k_.size());
    other.has_key_ = false;
    other.n_ = 0;
  }
  return *this;
}

void NoiseCipherState::initialize_key(ByteSpan key32) {
  static const int init = sodium_init();  // idempotent, thread-safe in libsodium
  (void)init;
  std::memcpy(k_.data(), key32.data(), std::min(key32.size(), k_.size()));
  has_key_ = true;
  n_ = 0;
}

Status NoiseCipherState::encrypt_with_ad(ByteSpan ad, ByteSpan plaintext, Bytes& out) {
  if (!has_key_) {
    out.insert(out.end(), plaintext.begin(), plaintext.end());
    return ok_status();
  }
  if (n_ == kMaxNonce) return {P2PNetworkError::ResourceLimitExceeded, "noise: nonce exhausted"};
  const auto nonce = make_nonce(n_);
  const size_t old = out.size();
  out.resize(old + plaintext.size() + kNoiseTagSize);
  unsigned long long clen = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data() + old, &clen, plaintext.data(),
                                            plaintext.size(), ad.data(), ad.size(), nullptr,
                                            nonce.data(), k_.data());
  ++n_;
  return ok_status();
}

Status NoiseCipherState::decrypt_with_ad(ByteSpan ad, ByteSpan ciphertext, Bytes& out) {
  if (!has_key_) {
    out.insert(out.end(), ciphertext.begin(), ciphertext.end());
    return ok_status();
  }
  if (n_ == kMaxNonce) return {P2PNetworkError::ResourceLimitExceeded, "noise: nonce exhausted"};
  if (ciphertext.size() < kNoiseTagSize) {
    return {P2PNetworkError::InvalidMessage, "noise: ciphertext shorter than the tag"};
  }
  const auto nonce = make_nonce(n_);
  const size_t old = out.size();
  out.resize(old + ciphertext.size() - kNoiseTagSize);
  unsigned long long plen = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data() + old, &plen, nullptr,
                                                ciphertext.data(), ciphertext.size(), ad.data(),
                                                ad.size(), nonce.data(), k_.data()) != 0) {
    out.resize(old);
    return {P2PNetworkError::SecurityValidationFailed, "noise: authentication tag mismatch"};
  }
  ++n_;
  return ok_status();
}

}  // namespace hauptbuch::p2p::secure

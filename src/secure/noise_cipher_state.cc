// Noise CipherState on OpenSSL's EVP ChaCha20-Poly1305 (see noise_cipher_state.h).
#include "secure/noise_cipher_state.h"

#include <openssl/evp.h>

#include <array>
#include <climits>
#include <cstring>
#include <limits>

namespace hauptbuch::p2p::secure {
namespace {

constexpr size_t kNonceSize = 12;

// Noise ChaChaPoly nonce: 32 bits of zeros followed by the 64-bit counter little-endian.
std::array<uint8_t, kNonceSize> make_nonce(uint64_t n) {
  std::array<uint8_t, kNonceSize> out{};
  for (size_t i = 0; i < 8; ++i) out[4 + i] = static_cast<uint8_t>(n >> (8 * i));
  return out;
}

// The spec reserves 2^64-1 (used by Rekey); encrypting with it is an error.
constexpr uint64_t kMaxNonce = std::numeric_limits<uint64_t>::max();

// Fetched once (explicit fetch: no provider lookup per key). Null if the default provider
// lacks the algorithm; every operation then fails instead of passing plaintext through.
const EVP_CIPHER* chacha20_poly1305() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  return cipher;
}

// EVP lengths are int; everything we pass is far smaller, but check rather than assume.
bool fits_int(size_t n) { return n <= static_cast<size_t>(INT_MAX) - kNoiseTagSize; }

}  // namespace

void NoiseCipherState::CtxDeleter::operator()(EVP_CIPHER_CTX* ctx) const noexcept {
  EVP_CIPHER_CTX_free(ctx);  // resets the context, which clears the key schedule
}

NoiseCipherState::NoiseCipherState(NoiseCipherState&& other) noexcept
    : ctx_(std::move(other.ctx_)), n_(other.n_), has_key_(other.has_key_) {
  other.has_key_ = false;
  other.n_ = 0;
}

NoiseCipherState& NoiseCipherState::operator=(NoiseCipherState&& other) noexcept {
  if (this != &other) {
    ctx_ = std::move(other.ctx_);
    n_ = other.n_;
    has_key_ = other.has_key_;
    other.has_key_ = false;
    other.n_ = 0;
  }
  return *this;
}

void NoiseCipherState::initialize_key(ByteSpan key32) {
  has_key_ = true;  // even if keying fails below: then every operation errors
  n_ = 0;
  const EVP_CIPHER* cipher = chacha20_poly1305();
  if (key32.size() != kNoiseKeySize || cipher == nullptr) {
    ctx_.reset();
    return;
  }
  if (!ctx_) ctx_.reset(EVP_CIPHER_CTX_new());
  if (ctx_ && EVP_CipherInit_ex(ctx_.get(), cipher, nullptr, key32.data(), nullptr, 1) != 1) ctx_.reset();
}

Status NoiseCipherState::seal(uint64_t nonce, ByteSpan ad, std::span<const ByteSpan> pieces, uint8_t* dst) {
  if (!ctx_) return {P2PNetworkError::InvalidConnection, "noise: cipher not keyed"};
  size_t total = 0;
  for (const ByteSpan& p : pieces) total += p.size();
  if (!fits_int(total) || !fits_int(ad.size()))
    return {P2PNetworkError::ResourceLimitExceeded, "noise: message too large"};
  EVP_CIPHER_CTX* c = ctx_.get();
  const auto iv = make_nonce(nonce);
  int len = 0;
  bool ok = EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, iv.data(), 1) == 1;
  if (ok && !ad.empty()) ok = EVP_CipherUpdate(c, nullptr, &len, ad.data(), static_cast<int>(ad.size())) == 1;
  // The AEAD streams: pieces of any length give the same ciphertext as one contiguous call.
  uint8_t* out = dst;
  for (const ByteSpan& p : pieces) {
    if (!ok) break;
    if (p.empty()) continue;
    ok = EVP_CipherUpdate(c, out, &len, p.data(), static_cast<int>(p.size())) == 1 &&
         static_cast<size_t>(len) == p.size();
    out += p.size();
  }
  if (ok) ok = EVP_CipherFinal_ex(c, dst + total, &len) == 1 && len == 0;
  if (ok) ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, kNoiseTagSize, dst + total) == 1;
  if (!ok) return {P2PNetworkError::InvalidConnection, "noise: AEAD encryption failed"};
  return ok_status();
}

Status NoiseCipherState::open(uint64_t nonce, ByteSpan ad, ByteSpan ciphertext, uint8_t* dst) {
  if (!ctx_) return {P2PNetworkError::InvalidConnection, "noise: cipher not keyed"};
  if (!fits_int(ciphertext.size()) || !fits_int(ad.size()))
    return {P2PNetworkError::ResourceLimitExceeded, "noise: message too large"};
  EVP_CIPHER_CTX* c = ctx_.get();
  const size_t body = ciphertext.size() - kNoiseTagSize;
  // Copy the tag first: with in-place decryption dst may cover the ciphertext (not the tag,
  // but keep the order obviously safe).
  std::array<uint8_t, kNoiseTagSize> tag{};
  std::memcpy(tag.data(), ciphertext.data() + body, kNoiseTagSize);
  const auto iv = make_nonce(nonce);
  int len = 0;
  bool ok = EVP_CipherInit_ex(c, nullptr, nullptr, nullptr, iv.data(), 0) == 1;
  if (ok) ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, kNoiseTagSize, tag.data()) == 1;
  if (ok && !ad.empty()) ok = EVP_CipherUpdate(c, nullptr, &len, ad.data(), static_cast<int>(ad.size())) == 1;
  if (ok && body > 0) {
    ok = EVP_CipherUpdate(c, dst, &len, ciphertext.data(), static_cast<int>(body)) == 1 &&
         static_cast<size_t>(len) == body;
  }
  if (!ok) return {P2PNetworkError::InvalidConnection, "noise: AEAD decryption failed"};
  if (EVP_CipherFinal_ex(c, dst + body, &len) != 1)
    return {P2PNetworkError::SecurityValidationFailed, "noise: authentication tag mismatch"};
  return ok_status();
}

Status NoiseCipherState::encrypt_with_ad(ByteSpan ad, ByteSpan plaintext, Bytes& out) {
  if (!has_key_) {
    out.insert(out.end(), plaintext.begin(), plaintext.end());
    return ok_status();
  }
  if (n_ == kMaxNonce) return {P2PNetworkError::ResourceLimitExceeded, "noise: nonce exhausted"};
  const size_t old = out.size();
  out.resize(old + plaintext.size() + kNoiseTagSize);
  const ByteSpan one[] = {plaintext};
  if (auto st = seal(n_, ad, one, out.data() + old); !st) {
    out.resize(old);
    return st;
  }
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
  const size_t old = out.size();
  out.resize(old + ciphertext.size() - kNoiseTagSize);
  if (auto st = open(n_, ad, ciphertext, out.data() + old); !st) {
    secure_wipe(out.data() + old, out.size() - old);  // unauthenticated plaintext
    out.resize(old);
    return st;
  }
  ++n_;
  return ok_status();
}

Status NoiseCipherState::encrypt_to(ByteSpan ad, ByteSpan plaintext, uint8_t* dst) {
  const ByteSpan one[] = {plaintext};
  return encrypt_gather_to(ad, one, dst);
}

Status NoiseCipherState::encrypt_gather_to(ByteSpan ad, std::span<const ByteSpan> pieces, uint8_t* dst) {
  if (!has_key_) return {P2PNetworkError::InvalidConnection, "noise: transport cipher without a key"};
  size_t total = 0;
  for (const ByteSpan& p : pieces) total += p.size();
  if (total > kNoiseMaxMessageSize - kNoiseTagSize)
    return {P2PNetworkError::ResourceLimitExceeded, "noise: message larger than 65535 bytes"};
  if (n_ == kMaxNonce) return {P2PNetworkError::ResourceLimitExceeded, "noise: nonce exhausted"};
  HBP2P_TRY(seal(n_, ad, pieces, dst));
  ++n_;
  return ok_status();
}

Status NoiseCipherState::decrypt_to(ByteSpan ad, ByteSpan ciphertext, uint8_t* dst) {
  if (!has_key_) return {P2PNetworkError::InvalidConnection, "noise: transport cipher without a key"};
  if (ciphertext.size() > kNoiseMaxMessageSize)
    return {P2PNetworkError::ResourceLimitExceeded, "noise: message larger than 65535 bytes"};
  if (n_ == kMaxNonce) return {P2PNetworkError::ResourceLimitExceeded, "noise: nonce exhausted"};
  if (ciphertext.size() < kNoiseTagSize)
    return {P2PNetworkError::InvalidMessage, "noise: ciphertext shorter than the tag"};
  HBP2P_TRY(open(n_, ad, ciphertext, dst));
  ++n_;
  return ok_status();
}

Status NoiseCipherState::rekey() {
  if (!has_key_ || !ctx_) return {P2PNetworkError::InvalidConnection, "noise: rekey without a key"};
  std::array<uint8_t, kNoiseKeySize> zeros{};
  std::array<uint8_t, kNoiseKeySize + kNoiseTagSize> out{};
  const ByteSpan one[] = {ByteSpan(zeros)};
  HBP2P_TRY(seal(kMaxNonce, {}, one, out.data()));
  const uint64_t n = n_;
  initialize_key(ByteSpan(out.data(), kNoiseKeySize));
  n_ = n;
  secure_wipe(out.data(), out.size());
  if (!ctx_) return {P2PNetworkError::InvalidConnection, "noise: rekey failed"};
  return ok_status();
}

}  // namespace hauptbuch::p2p::secure

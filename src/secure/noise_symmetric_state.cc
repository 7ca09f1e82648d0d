// Noise SymmetricState over libsodium SHA-256 and HMAC-SHA256.
#include "secure/noise_symmetric_state.h"

#include <sodium.h>

#include <cstring>

namespace hauptbuch::p2p::secure {
namespace {

NoiseHash hmac_sha256(ByteSpan key, ByteSpan a, ByteSpan b = {}) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.data(), key.size());
  crypto_auth_hmacsha256_update(&st, a.data(), a.size());
  if (!b.empty()) crypto_auth_hmacsha256_update(&st, b.data(), b.size());
  NoiseHash out{};
  crypto_auth_hmacsha256_final(&st, out.data());
  secure_wipe(&st, sizeof st);
  return out;
}

}  // namespace

std::pair<NoiseHash, NoiseHash> noise_hkdf2(ByteSpan chaining_key, ByteSpan ikm) {
  NoiseHash temp_key = hmac_sha256(chaining_key, ikm);
  const uint8_t one = 0x01;
  NoiseHash out1 = hmac_sha256(temp_key, ByteSpan(&one, 1));
  const uint8_t two = 0x02;
  NoiseHash out2 = hmac_sha256(temp_key, out1, ByteSpan(&two, 1));
  secure_wipe(temp_key.data(), temp_key.size());
  return {out1, out2};
}

NoiseSymmetricState::NoiseSymmetricState(std::string_view protocol_name) {
  static const int init = sodium_init();  // idempotent, thread-safe in libsodium
  (void)init;
  if (protocol_name.size() <= kNoiseHashSize) {
    std::memcpy(h_.data(), protocol_name.data(), protocol_name.size());
  } else {
    crypto_hash_sha256(h_.data(), reinterpret_cast<const uint8_t*>(protocol_name.data()),
                       protocol_name.size());
  }
  ck_ = h_;
}

NoiseSymmetricState::~NoiseSymmetricState() { secure_wipe(ck_.data(), ck_.size()); }

void NoiseSymmetricState::mix_key(ByteSpan input_key_material) {
  auto [ck, k] = noise_hkdf2(ck_, input_key_material);
  ck_ = ck;
  cipher_.initialize_key(k);
  secure_wipe(ck.data(), ck.size());
  secure_wipe(k.data(), k.size());
}

void NoiseSymmetricState::mix_hash(ByteSpan data) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, h_.data(), h_.size());
  crypto_hash_sha256_update(&st, data.data(), data.size());
  crypto_hash_sha256_final(&st, h_.data());
}

Status NoiseSymmetricState::encrypt_and_hash(ByteSpan plaintext, Bytes& out) {
  const size_t old = out.size();
  HBP2P_TRY(cipher_.encrypt_with_ad(h_, plaintext, out));
  mix_hash(ByteSpan(out).subspan(old));
  return ok_status();
}

Status NoiseSymmetricState::decrypt_and_hash(ByteSpan ciphertext, Bytes& out) {
  HBP2P_TRY(cipher_.decrypt_with_ad(h_, ciphertext, out));
  mix_hash(ciphertext);
  return ok_status();
}

std::pair<NoiseCipherState, NoiseCipherState> NoiseSymmetricState::split() {
  auto [k1, k2] = noise_hkdf2(ck_, ByteSpan());
  std::pair<NoiseCipherState, NoiseCipherState> out;
  out.first.initialize_key(k1);
  out.second.initialize_key(k2);
  secure_wipe(k1.data(), k1.size());
  secure_wipe(k2.data(), k2.size());
  return out;
}

}  // namespace hauptbuch::p2p::secure

// Composite ML-DSA-65 + Ed25519 (see composite_sig.h). SHA-512 and Ed25519 come from libsodium,
// ML-DSA-65 from crypto/mldsa.h.
#include "crypto/composite_sig.h"

#include <sodium.h>

#include <cstring>

namespace hauptbuch::p2p::crypto::composite {
namespace {

void ensure_sodium() {
  static const int init = sodium_init();  // idempotent and thread-safe in libsodium
  (void)init;
}

ByteSpan label_bytes() {
  return ByteSpan(reinterpret_cast<const uint8_t*>(kLabel.data()), kLabel.size());
}

}  // namespace

Result<PublicKey> PublicKey::from_bytes(ByteSpan bytes) {
  if (bytes.size() != kPublicKeyBytes)
    return Error(P2PNetworkError::InvalidKey,
                 "composite public key must be 1984 bytes (ML-DSA-65 1952 + Ed25519 32)");
  PublicKey pk;
  std::memcpy(pk.bytes_.data(), bytes.data(), kPublicKeyBytes);
  return pk;
}

PrivateKey PrivateKey::from_seeds(const Seed& mldsa_seed, const Seed& ed_seed) {
  ensure_sodium();
  PrivateKey k;
  k.mldsa_seed_ = mldsa_seed;
  k.ed_seed_ = ed_seed;
  mldsa::KeyPair kp = mldsa::keygen_internal(mldsa::ParameterSet::kMlDsa65, mldsa_seed);
  k.mldsa_sk_ = std::make_unique<mldsa::SecretKey>(std::move(kp.sk));
  std::memcpy(k.pk_.bytes_.data(), kp.pk.bytes().data(), kMlDsaPublicKeyBytes);
  crypto_sign_seed_keypair(k.pk_.bytes_.data() + kMlDsaPublicKeyBytes, k.ed_sk_.data(),
                           ed_seed.data());
  return k;
}

Result<PrivateKey> PrivateKey::from_bytes(ByteSpan bytes) {
  if (bytes.size() != kPrivateKeyBytes)
    return Error(P2PNetworkError::InvalidKey,
                 "composite private key must be 64 bytes (ML-DSA seed 32 + Ed25519 seed 32)");
  Seed a{};
  Seed b{};
  std::memcpy(a.data(), bytes.data(), kSeedBytes);
  std::memcpy(b.data(), bytes.data() + kSeedBytes, kSeedBytes);
  PrivateKey k = from_seeds(a, b);
  secure_wipe(a.data(), a.size());
  secure_wipe(b.data(), b.size());
  return k;
}

Bytes PrivateKey::to_bytes() const {
  Bytes out(kPrivateKeyBytes);
  std::memcpy(out.data(), mldsa_seed_.data(), kSeedBytes);
  std::memcpy(out.data() + kSeedBytes, ed_seed_.data(), kSeedBytes);
  return out;
}

PrivateKey::~PrivateKey() {
  secure_wipe(mldsa_seed_.data(), mldsa_seed_.size());
  secure_wipe(ed_seed_.data(), ed_seed_.size());
  secure_wipe(ed_sk_.data(), ed_sk_.size());
}

PrivateKey keygen() {
  ensure_sodium();
  Seed a{};
  Seed b{};
  randombytes_buf(a.data(), a.size());
  randombytes_buf(b.data(), b.size());
  PrivateKey k = PrivateKey::from_seeds(a, b);
  secure_wipe(a.data(), a.size());
  secure_wipe(b.data(), b.size());
  return k;
}

PrivateKey keygen_from_seeds(const Seed& mldsa_seed, const Seed& ed_seed) {
  return PrivateKey::from_seeds(mldsa_seed, ed_seed);
}

Result<Bytes> message_representative(ByteSpan msg, ByteSpan ctx) {
  if (ctx.size() > kMaxContextBytes)
    return Error(P2PNetworkError::InvalidMessage, "composite signature: context longer than 255 bytes");
  ensure_sodium();
  Bytes m;
  m.reserve(kPrefix.size() + kLabel.size() + 1 + ctx.size() + kPreHashBytes);
  m.insert(m.end(), kPrefix.begin(), kPrefix.end());
  m.insert(m.end(), kLabel.begin(), kLabel.end());
  m.push_back(static_cast<uint8_t>(ctx.size()));
  m.insert(m.end(), ctx.begin(), ctx.end());
  std::array<uint8_t, kPreHashBytes> ph{};
  crypto_hash_sha512(ph.data(), msg.data(), msg.size());
  m.insert(m.end(), ph.begin(), ph.end());
  return m;
}

Result<Bytes> sign(const PrivateKey& sk, ByteSpan msg, ByteSpan ctx, mldsa::Randomness mode) {
  HBP2P_TRY_ASSIGN(Bytes m_prime, message_representative(msg, ctx));
  HBP2P_TRY_ASSIGN(Bytes sig, mldsa::sign(*sk.mldsa_sk_, m_prime, label_bytes(), mode));
  // ML-DSA-65 signatures are always kMlDsaSignatureBytes long.
  sig.resize(kSignatureBytes);
  crypto_sign_detached(sig.data() + kMlDsaSignatureBytes, nullptr, m_prime.data(), m_prime.size(),
                       sk.ed_sk_.data());
  return sig;
}

Status verify(const PublicKey& pk, ByteSpan msg, ByteSpan sig, ByteSpan ctx) {
  HBP2P_TRY_ASSIGN(Bytes m_prime, message_representative(msg, ctx));
  if (sig.size() != kSignatureBytes)
    return Error(P2PNetworkError::SecurityValidationFailed,
                 "composite signature must be 3373 bytes (ML-DSA-65 3309 + Ed25519 64)");
  // Ed25519 first: it is ~50x cheaper than ML-DSA-65, so most forgeries are rejected cheaply.
  // Both must pass; the order does not change the result (draft section 3.3).
  if (crypto_sign_verify_detached(sig.data() + kMlDsaSignatureBytes, m_prime.data(),
                                  m_prime.size(), pk.ed25519_part().data()) != 0)
    return Error(P2PNetworkError::SecurityValidationFailed,
                 "composite signature: Ed25519 component does not verify");
  auto mldsa_pk = mldsa::PublicKey::from_bytes(mldsa::ParameterSet::kMlDsa65, pk.mldsa_part());
  if (!mldsa_pk.ok())
    return Error(P2PNetworkError::SecurityValidationFailed, "composite signature: bad ML-DSA key");
  if (!mldsa::verify(*mldsa_pk, m_prime, sig.first(kMlDsaSignatureBytes), label_bytes()).ok())
    return Error(P2PNetworkError::SecurityValidationFailed,
                 "composite signature: ML-DSA-65 component does not verify");
  return ok_status();
}

}  // namespace hauptbuch::p2p::crypto::composite

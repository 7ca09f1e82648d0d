// Composite ML-DSA-65 + Ed25519 signatures (id-MLDSA65-Ed25519-SHA512), following IETF LAMPS
// draft-ietf-lamps-pq-composite-sigs-19 (sections 2.1-2.2 message representative, 3 functions,
// 4 serialization, 6 algorithm parameters):
//   M'  = Prefix || Label || len(ctx) || ctx || SHA-512(M)
//   sig = ML-DSA-65.Sign(mldsaSK, M', ctx = Label) || Ed25519.Sign(edSK, M')   (3309 + 64 bytes)
//   pk  = mldsaPK || edPK                                                     (1952 + 32 bytes)
//   sk  = mldsaSeed || edSeed (the draft's private key serialisation)         (32 + 32 bytes)
// A signature is valid only if BOTH component signatures verify. Decoders take hostile bytes and
// check exact lengths. Private keys are wiped on destruction; this file never logs key bytes.
// Thread-safety: all types are values; const member functions and free functions may run
// concurrently; keygen() and hedged signing draw from libsodium's thread-safe RNG.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "crypto/mldsa.h"
#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::crypto::composite {

inline constexpr size_t kMlDsaPublicKeyBytes = 1952;  // ML-DSA-65 (FIPS 204 Table 2)
inline constexpr size_t kMlDsaSignatureBytes = 3309;  // ML-DSA-65
inline constexpr size_t kEd25519PublicKeyBytes = 32;  // RFC 8032
inline constexpr size_t kEd25519SignatureBytes = 64;  // RFC 8032
inline constexpr size_t kSeedBytes = 32;              // each component seed
inline constexpr size_t kPublicKeyBytes = kMlDsaPublicKeyBytes + kEd25519PublicKeyBytes;  // 1984
inline constexpr size_t kSignatureBytes = kMlDsaSignatureBytes + kEd25519SignatureBytes;  // 3373
inline constexpr size_t kPrivateKeyBytes = 2 * kSeedBytes;                                // 64
// FIPS 204 and the draft encode len(ctx) in one byte.
inline constexpr size_t kMaxContextBytes = 255;
inline constexpr size_t kPreHashBytes = 64;  // SHA-512

// Draft section 2.2: ASCII "CompositeAlgorithmSignatures2025".
inline constexpr std::string_view kPrefix = "CompositeAlgorithmSignatures2025";
// Draft section 6, id-MLDSA65-Ed25519-SHA512, OID 1.3.6.1.5.5.7.6.48.
inline constexpr std::string_view kLabel = "COMPSIG-MLDSA65-Ed25519-SHA512";

using Seed = std::array<uint8_t, kSeedBytes>;

// Composite public key mldsaPK (1952) || ed25519PK (32).
class PublicKey {
 public:
  // Errors: InvalidKey unless exactly kPublicKeyBytes. (Component keys are checked by the
  // component verifiers, as the draft's DeserializePublicKey prescribes.)
  static Result<PublicKey> from_bytes(ByteSpan bytes);
  ByteSpan bytes() const noexcept { return bytes_; }
  ByteSpan mldsa_part() const noexcept { return ByteSpan(bytes_).first(kMlDsaPublicKeyBytes); }
  ByteSpan ed25519_part() const noexcept { return ByteSpan(bytes_).subspan(kMlDsaPublicKeyBytes); }
  friend bool operator==(const PublicKey&, const PublicKey&) = default;

 private:
  friend class PrivateKey;
  PublicKey() = default;
  std::array<uint8_t, kPublicKeyBytes> bytes_{};
};

// Composite private key: the two seeds plus the expanded component keys (so signing does not
// re-run ML-DSA key generation). Move-only; every secret is wiped on destruction.
class PrivateKey {
 public:
  // Deterministic key from the two component seeds (ML-DSA.KeyGen_internal(mldsa_seed),
  // Ed25519 RFC 8032 key from ed_seed).
  static PrivateKey from_seeds(const Seed& mldsa_seed, const Seed& ed_seed);
  // The draft's serialisation mldsaSeed || edSeed. Errors: InvalidKey unless 64 bytes.
  static Result<PrivateKey> from_bytes(ByteSpan bytes);
  // mldsaSeed || edSeed (secret: the caller must wipe it).
  Bytes to_bytes() const;
  const PublicKey& public_key() const noexcept { return pk_; }

  PrivateKey(PrivateKey&&) noexcept = default;
  PrivateKey& operator=(PrivateKey&&) noexcept = default;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  ~PrivateKey();

 private:
  friend Result<Bytes> sign(const PrivateKey&, ByteSpan, ByteSpan, mldsa::Randomness);
  PrivateKey() = default;
  Seed mldsa_seed_{};
  Seed ed_seed_{};
  // libsodium's Ed25519 secret key layout: seed || public key.
  std::array<uint8_t, 64> ed_sk_{};
  std::unique_ptr<mldsa::SecretKey> mldsa_sk_;  // wipes itself
  PublicKey pk_;
};

// Fresh key with both seeds from libsodium's CSPRNG (draft section 3.1: both components freshly
// generated, never reused).
PrivateKey keygen();
// Same as PrivateKey::from_seeds.
PrivateKey keygen_from_seeds(const Seed& mldsa_seed, const Seed& ed_seed);

// M' = Prefix || Label || len(ctx) || ctx || SHA-512(msg). Errors: InvalidMessage if ctx is
// longer than 255 bytes.
Result<Bytes> message_representative(ByteSpan msg, ByteSpan ctx);

// Composite-ML-DSA.Sign (draft section 3.2): ML-DSA-65 hedged by default; kDeterministic (rnd
// all zero, FIPS 204) for reproducible test vectors. Ed25519 is deterministic anyway.
// Returns kSignatureBytes bytes. Errors: InvalidMessage if ctx is longer than 255 bytes.
Result<Bytes> sign(const PrivateKey& sk, ByteSpan msg, ByteSpan ctx,
                   mldsa::Randomness mode = mldsa::Randomness::kHedged);

// Composite-ML-DSA.Verify (draft section 3.3). Ok only if the signature has exactly
// kSignatureBytes bytes and BOTH component signatures verify over M'. Errors:
// InvalidMessage if ctx is longer than 255 bytes; SecurityValidationFailed otherwise.
Status verify(const PublicKey& pk, ByteSpan msg, ByteSpan sig, ByteSpan ctx);

}  // namespace hauptbuch::p2p::crypto::composite

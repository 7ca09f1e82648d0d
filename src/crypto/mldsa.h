// ML-DSA (FIPS 204) signatures, parameter sets 44/65/87: key generation, the internal functions
// (including the external-mu variants), the pure ML-DSA API with context and HashML-DSA.
// Signing is constant time with respect to the secret key except for the outcome of each
// rejection-loop check, which FIPS 204 allows to leak (see docs/crypto/mldsa.md).
// Thread-safety: all functions are pure; distinct objects may be used from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "crypto/mldsa_params.h"
#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::crypto::mldsa {

// Encoded public key of a fixed parameter set; length checked on construction.
class PublicKey {
 public:
  // Errors: InvalidKey if the length does not match the parameter set.
  static Result<PublicKey> from_bytes(ParameterSet set, ByteSpan bytes);
  ParameterSet set() const { return set_; }
  ByteSpan bytes() const { return bytes_; }

 private:
  PublicKey(ParameterSet s, Bytes b) : set_(s), bytes_(std::move(b)) {}
  ParameterSet set_;
  Bytes bytes_;
};

// Encoded (expanded) secret key; wiped on destruction.
class SecretKey {
 public:
  // Errors: InvalidKey on wrong length or s1/s2 coefficients outside [-eta, eta].
  static Result<SecretKey> from_bytes(ParameterSet set, ByteSpan bytes);
  SecretKey(const SecretKey& o) : set_(o.set_), bytes_(o.bytes_) {}
  SecretKey(SecretKey&& o) noexcept : set_(o.set_), bytes_(std::move(o.bytes_)) {}
  SecretKey& operator=(const SecretKey&) = delete;
  SecretKey& operator=(SecretKey&&) = delete;
  ~SecretKey() { secure_wipe(bytes_); }
  ParameterSet set() const { return set_; }
  ByteSpan bytes() const { return bytes_; }

 private:
  SecretKey(ParameterSet s, Bytes b) : set_(s), bytes_(std::move(b)) {}
  ParameterSet set_;
  Bytes bytes_;
};

struct KeyPair {
  PublicKey pk;
  SecretKey sk;
};

using Seed = std::array<uint8_t, kSeedBytes>;
using Mu = std::array<uint8_t, kMuBytes>;

// ML-DSA.KeyGen_internal(xi) (Alg. 6). Deterministic.
KeyPair keygen_internal(ParameterSet set, const Seed& xi);
// ML-DSA.KeyGen (Alg. 1) with xi from libsodium's randombytes.
KeyPair keygen(ParameterSet set);

// ML-DSA.Sign_internal(sk, M', rnd) (Alg. 7), and the variant with mu computed externally.
Bytes sign_internal(const SecretKey& sk, ByteSpan m_prime, const Seed& rnd);
Bytes sign_internal_mu(const SecretKey& sk, const Mu& mu, const Seed& rnd);
// ML-DSA.Verify_internal (Alg. 8). False for wrong lengths and malformed signatures.
bool verify_internal(const PublicKey& pk, ByteSpan m_prime, ByteSpan sig);
bool verify_internal_mu(const PublicKey& pk, const Mu& mu, ByteSpan sig);
// mu = H(H(pk, 64) || M', 64) for the external-mu mode.
Mu compute_mu(const PublicKey& pk, ByteSpan m_prime);

enum class Randomness : uint8_t { kHedged, kDeterministic };

// ML-DSA.Sign(sk, M, ctx) (Alg. 2). Hedged (rnd from libsodium) unless kDeterministic.
// Errors: InvalidMessage if ctx is longer than 255 bytes.
Result<Bytes> sign(const SecretKey& sk, ByteSpan msg, ByteSpan ctx,
                   Randomness mode = Randomness::kHedged);
// As sign() with a caller-supplied rnd (tests, ACVP).
Result<Bytes> sign_with_rnd(const SecretKey& sk, ByteSpan msg, ByteSpan ctx, const Seed& rnd);
// ML-DSA.Verify (Alg. 3). Errors: SecurityValidationFailed if the signature is invalid,
// malformed or of the wrong length; InvalidMessage if ctx is too long.
Status verify(const PublicKey& pk, ByteSpan msg, ByteSpan sig, ByteSpan ctx);

// Pre-hash functions FIPS 204 allows for HashML-DSA (section 5.4), with their OIDs.
enum class PreHash : uint8_t {
  kSha2_224, kSha2_256, kSha2_384, kSha2_512, kSha2_512_224, kSha2_512_256,
  kSha3_224, kSha3_256, kSha3_384, kSha3_512, kShake128, kShake256
};
// ACVP name ("SHA2-256", "SHA2-512/224", "SHAKE-128", ...) to PreHash. Errors: Unsupported.
Result<PreHash> prehash_from_name(std::string_view name);
// M' = 0x01 || |ctx| || ctx || OID || PH(M) (Alg. 4/5). Errors: InvalidMessage (ctx too long),
// Unsupported (hash unavailable in OpenSSL).
Result<Bytes> hash_message_prime(PreHash ph, ByteSpan msg, ByteSpan ctx);
// HashML-DSA.Sign (Alg. 4), hedged unless kDeterministic; and with a supplied rnd.
Result<Bytes> hash_sign(const SecretKey& sk, ByteSpan msg, ByteSpan ctx, PreHash ph,
                        Randomness mode = Randomness::kHedged);
Result<Bytes> hash_sign_with_rnd(const SecretKey& sk, ByteSpan msg, ByteSpan ctx, PreHash ph,
                                 const Seed& rnd);
// HashML-DSA.Verify (Alg. 5). Errors as verify().
Status hash_verify(const PublicKey& pk, ByteSpan msg, ByteSpan sig, ByteSpan ctx, PreHash ph);

}  // namespace hauptbuch::p2p::crypto::mldsa

// X-Wing hybrid KEM (ML-KEM-768 + X25519), following draft-connolly-cfrg-xwing-kem-08:
// 32-byte decapsulation-key seed expanded with SHAKE256 into ML-KEM-768 (d, z) and the X25519
// secret; ct = ct_M || ct_X; pk = pk_M || pk_X; ss = SHA3-256(ss_M || ss_X || ct_X || pk_X ||
// "\.//^\"). Secrets are wiped on destruction. Never throws across the API; malformed lengths
// and keys give Result errors.
// Thread-safety: pure functions; keygen()/encaps() draw from libsodium's thread-safe RNG.
#pragma once

#include <array>
#include <cstdint>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::crypto::xwing {

inline constexpr size_t kSeedBytes = 32;             // decapsulation key (seed form)
inline constexpr size_t kEncapsSeedBytes = 64;       // eseed: ML-KEM m (32) || X25519 ephemeral (32)
inline constexpr size_t kMlKemPublicKeyBytes = 1184;
inline constexpr size_t kMlKemCiphertextBytes = 1088;
inline constexpr size_t kX25519Bytes = 32;
inline constexpr size_t kPublicKeyBytes = kMlKemPublicKeyBytes + kX25519Bytes;    // 1216
inline constexpr size_t kCiphertextBytes = kMlKemCiphertextBytes + kX25519Bytes;  // 1120
inline constexpr size_t kSharedSecretBytes = 32;

using PublicKey = std::array<uint8_t, kPublicKeyBytes>;
using Ciphertext = std::array<uint8_t, kCiphertextBytes>;
using EncapsSeed = std::array<uint8_t, kEncapsSeedBytes>;

// Shared secret; wiped on destruction.
struct SharedSecret {
  std::array<uint8_t, kSharedSecretBytes> bytes{};
  SharedSecret() = default;
  SharedSecret(const SharedSecret&) = default;
  SharedSecret& operator=(const SharedSecret&) = default;
  ~SharedSecret() { secure_wipe(bytes.data(), bytes.size()); }
};

// Decapsulation key in its 32-byte seed form; wiped on destruction.
struct SecretKey {
  std::array<uint8_t, kSeedBytes> seed{};
  SecretKey() = default;
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey() { secure_wipe(seed.data(), seed.size()); }
};

struct KeyPair {
  SecretKey sk;
  PublicKey pk;
};

struct Encapsulation {
  Ciphertext ct;
  SharedSecret ss;
};

// Length-checked decoders. Errors: InvalidKey (public key of the wrong length, or an ML-KEM part
// failing the FIPS 203 §7.2 check; secret key not 32 bytes), InvalidMessage (ciphertext length).
Result<PublicKey> public_key_from_bytes(ByteSpan bytes);
Result<SecretKey> secret_key_from_bytes(ByteSpan bytes);
Result<Ciphertext> ciphertext_from_bytes(ByteSpan bytes);

// KeyGen with a fresh random seed.
KeyPair keygen();
// Deterministic KeyGen from the 32-byte seed (draft §5.2 / GenerateKeyPairDerand).
KeyPair keygen_derand(const std::array<uint8_t, kSeedBytes>& seed);
// Public key of a secret key.
PublicKey public_key(const SecretKey& sk);

// Encapsulate with fresh randomness. Errors: InvalidKey if the ML-KEM part of pk fails §7.2.
Result<Encapsulation> encaps(const PublicKey& pk);
// Deterministic encapsulation with eseed = m (32) || X25519 ephemeral secret (32).
// Errors: InvalidKey if the ML-KEM part of pk fails §7.2.
Result<Encapsulation> encaps_derand(const PublicKey& pk, const EncapsSeed& eseed);
// Decapsulate. A tampered ciphertext yields a different (implicitly rejected) secret, not an
// error. Errors: none for well-typed inputs (Result kept for future checks).
Result<SharedSecret> decaps(const SecretKey& sk, const Ciphertext& ct);

}  // namespace hauptbuch::p2p::crypto::xwing

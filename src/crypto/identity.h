// Identity keys in the libp2p key format (libp2p specs, peer-ids/peer-ids.md): the KeyType
// enum, PublicKey/PrivateKey value types and their strict, deterministic protobuf encoding.
//
// Implemented: Ed25519 (libsodium) and our hybrid HybridMlDsa65Ed25519 (composite ML-DSA-65 +
// Ed25519, crypto/composite_sig.h; wire format in docs/wire/hybrid-identity.md). RSA, secp256k1
// and ECDSA are recognised and refused with Unsupported. Decoders take hostile bytes: they accept exactly the canonical encoding
// (field 1 then field 2, each once, minimal varints, no unknown fields, no trailing bytes) so
// that every accepted key re-encodes to the very bytes it came from. This file must never log
// or otherwise expose private key material.
// Thread-safety: all types are plain values; const member functions may run concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::crypto {
namespace composite {
class PrivateKey;
}

// Key type numbers of the libp2p KeyType protobuf enum. 0-3 are the spec's. The hybrid number
// is ours: libp2p allocates its types consecutively from 0 (0-3 in use; the open ML-DSA
// proposal libp2p/specs#710 takes 4), so 0x4842 (ASCII "HB", 18,498) stays clear of any type
// libp2p is likely ever to assign while fitting the int32 protobuf enum (docs/identity.md).
enum class KeyType : uint32_t {
  Rsa = 0,
  Ed25519 = 1,
  Secp256k1 = 2,
  Ecdsa = 3,
  HybridMlDsa65Ed25519 = 0x4842,
};

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SeedSize = 32;
// libp2p stores an Ed25519 private key as seed || public key.
inline constexpr size_t kEd25519PrivateKeyDataSize = 64;
inline constexpr size_t kEd25519SignatureSize = 64;
// Hybrid key Data: public key = ML-DSA-65 pk (1952) || Ed25519 pk (32); private key = ML-DSA seed
// (32) || Ed25519 seed (32); signature = ML-DSA-65 sig (3309) || Ed25519 sig (64).
inline constexpr size_t kHybridPublicKeySize = 1984;
inline constexpr size_t kHybridPrivateKeyDataSize = 64;
inline constexpr size_t kHybridSignatureSize = 3373;
// Application context (the draft's ctx) of every hybrid identity signature: binds the
// signature to its use as a libp2p identity key of this project.
inline constexpr std::string_view kHybridSignatureContext = "hauptbuch-p2p/identity/v1";
// Upper bound on any encoded key we accept: above every supported key (a hybrid public key
// encodes to 1,991 bytes) while keeping hostile inputs cheap to reject.
inline constexpr size_t kMaxEncodedKeySize = 4096;

// A public key: its type plus the raw key bytes (32 bytes for Ed25519, 1984 for the hybrid).
class PublicKey {
 public:
  // Wraps a raw Ed25519 public key. Precondition: raw32.size() == 32 (asserted).
  static PublicKey ed25519(ByteSpan raw32);
  // Wraps a raw hybrid public key (mldsaPK || ed25519PK). Precondition: 1984 bytes (asserted).
  static PublicKey hybrid(ByteSpan raw1984);
  // Decodes the libp2p PublicKey protobuf. Errors: InvalidKey for any non-canonical or
  // malformed encoding, wrong key length or unknown type; Unsupported for RSA, secp256k1, ECDSA.
  static Result<PublicKey> from_protobuf(ByteSpan bytes);
  // Deterministic encoding: field 1 (varint type), then field 2 (key bytes).
  Bytes to_protobuf() const;

  KeyType type() const noexcept { return type_; }
  ByteSpan raw() const noexcept { return raw_; }
  // True iff `signature` is a valid signature of `message` under this key; false for any
  // malformed signature or key. Hybrid: valid only if both the ML-DSA-65 and the Ed25519 part
  // verify (composite signature with context kHybridSignatureContext).
  bool verify(ByteSpan message, ByteSpan signature) const;

  friend bool operator==(const PublicKey&, const PublicKey&) = default;

 private:
  PublicKey(KeyType type, Bytes raw) : type_(type), raw_(std::move(raw)) {}
  KeyType type_ = KeyType::Ed25519;
  Bytes raw_;
};

// A private key. Move-only; the secret is wiped on destruction and when moved from.
class PrivateKey {
 public:
  // A fresh key from libsodium's CSPRNG.
  static PrivateKey generate_ed25519();
  // Deterministic key from a 32-byte seed (RFC 8032 private key). Precondition: 32 bytes.
  static PrivateKey ed25519_from_seed(ByteSpan seed32);
  // A fresh hybrid ML-DSA-65 + Ed25519 key (both seeds from libsodium's CSPRNG).
  static PrivateKey generate_hybrid();
  // Deterministic hybrid key from the ML-DSA-65 seed and the Ed25519 seed. Precondition: each
  // is 32 bytes (asserted).
  static PrivateKey hybrid_from_seeds(ByteSpan mldsa_seed32, ByteSpan ed25519_seed32);
  // Decodes the libp2p PrivateKey protobuf; for Ed25519 Data must be seed || pub (64 bytes)
  // and pub must be the key derived from seed; for the hybrid Data is the two seeds (64 bytes).
  // The legacy 96-byte form (seed || pub || pub) that
  // the spec says older libp2p code wrote is refused (InvalidKey), since it would not re-encode
  // to the same bytes. Errors as PublicKey::from_protobuf.
  static Result<PrivateKey> from_protobuf(ByteSpan bytes);
  // Deterministic encoding (contains the secret: caller must wipe it when done).
  Bytes to_protobuf() const;

  KeyType type() const noexcept { return type_; }
  PublicKey public_key() const;
  // Signature of `message`: Ed25519 (64 bytes), or for the hybrid the composite signature
  // (3,373 bytes, ML-DSA-65 part hedged) with context kHybridSignatureContext.
  Bytes sign(ByteSpan message) const;

  PrivateKey(PrivateKey&& other) noexcept;
  PrivateKey& operator=(PrivateKey&& other) noexcept;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  ~PrivateKey();

 private:
  PrivateKey();
  KeyType type_ = KeyType::Ed25519;
  // Ed25519: libsodium secret key layout, seed (32) || public key (32). Unused for the hybrid.
  std::array<uint8_t, kEd25519PrivateKeyDataSize> sk_{};
  // Hybrid only (wipes itself).
  std::unique_ptr<composite::PrivateKey> hybrid_;
};

}  // namespace hauptbuch::p2p::crypto

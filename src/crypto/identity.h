// Identity keys in the libp2p key format (libp2p specs, peer-ids/peer-ids.md): the KeyType
// enum, PublicKey/PrivateKey value types and their strict, deterministic protobuf encoding.
//
// Only Ed25519 is implemented (libsodium); RSA, secp256k1 and ECDSA are recognised and refused
// with Unsupported. Decoders take hostile bytes: they accept exactly the canonical encoding
// (field 1 then field 2, each once, minimal varints, no unknown fields, no trailing bytes) so
// that every accepted key re-encodes to the very bytes it came from. This file must never log
// or otherwise expose private key material.
// Thread-safety: all types are plain values; const member functions may run concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <utility>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::crypto {

// Key type numbers of the libp2p KeyType protobuf enum.
enum class KeyType : uint32_t { Rsa = 0, Ed25519 = 1, Secp256k1 = 2, Ecdsa = 3 };

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SeedSize = 32;
// libp2p stores an Ed25519 private key as seed || public key.
inline constexpr size_t kEd25519PrivateKeyDataSize = 64;
inline constexpr size_t kEd25519SignatureSize = 64;
// Upper bound on any encoded key we accept: far above every supported key (an Ed25519 private
// key encodes to 68 bytes) while keeping hostile inputs cheap to reject.
inline constexpr size_t kMaxEncodedKeySize = 4096;

// A public key: its type plus the raw key bytes (32 bytes for Ed25519).
class PublicKey {
 public:
  // Wraps a raw Ed25519 public key. Precondition: raw32.size() == 32 (asserted).
  static PublicKey ed25519(ByteSpan raw32);
  // Decodes the libp2p PublicKey protobuf. Errors: InvalidKey for any non-canonical or
  // malformed encoding, wrong key length or unknown type; Unsupported for RSA, secp256k1, ECDSA.
  static Result<PublicKey> from_protobuf(ByteSpan bytes);
  // Deterministic encoding: field 1 (varint type), then field 2 (key bytes).
  Bytes to_protobuf() const;

  KeyType type() const noexcept { return type_; }
  ByteSpan raw() const noexcept { return raw_; }
  // True iff `signature` is a valid signature of `message` under this key; false for any
  // malformed signature or key.
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
  // Decodes the libp2p PrivateKey protobuf; for Ed25519 Data must be seed || pub (64 bytes)
  // and pub must be the key derived from seed. The legacy 96-byte form (seed || pub || pub) that
  // the spec says older libp2p code wrote is refused (InvalidKey), since it would not re-encode
  // to the same bytes. Errors as PublicKey::from_protobuf.
  static Result<PrivateKey> from_protobuf(ByteSpan bytes);
  // Deterministic encoding (contains the secret: caller must wipe it when done).
  Bytes to_protobuf() const;

  KeyType type() const noexcept { return KeyType::Ed25519; }
  PublicKey public_key() const;
  // Ed25519 signature (64 bytes) of `message`.
  Bytes sign(ByteSpan message) const;

  PrivateKey(PrivateKey&& other) noexcept;
  PrivateKey& operator=(PrivateKey&& other) noexcept;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  ~PrivateKey();

 private:
  PrivateKey() = default;
  // libsodium secret key layout: seed (32) || public key (32).
  std::array<uint8_t, kEd25519PrivateKeyDataSize> sk_{};
};

}  // namespace hauptbuch::p2p::crypto

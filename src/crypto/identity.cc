// Ed25519 identity keys and the strict libp2p key protobuf codec (see identity.h).
// The codec is written by hand over ByteReader: the message has two fields, and accepting only
// the canonical byte sequence is simpler to get right here than constraining a generic parser.
#include "crypto/identity.h"

#include <sodium.h>

#include <cassert>
#include <cstring>
#include <string>

#include "util/byte_reader.h"
#include "util/varint.h"

namespace hauptbuch::p2p::crypto {
namespace {

// Protobuf tags: (field number << 3) | wire type. Field 1 varint, field 2 length-delimited.
constexpr uint8_t kTagType = 0x08;
constexpr uint8_t kTagData = 0x12;

void ensure_sodium() {
  static const int init = sodium_init();  // idempotent and thread-safe in libsodium
  (void)init;
}

struct KeyMessage {
  KeyType type;
  ByteSpan data;
};

// Parses `Type` then `Data`, exactly once each, in that order, nothing else. The data field
// must have exactly `expected_len` bytes for Ed25519.
Result<KeyMessage> parse_key_message(ByteSpan bytes, size_t ed25519_len, const char* what) {
  const std::string w(what);
  if (bytes.size() > kMaxEncodedKeySize)
    return Error(P2PNetworkError::InvalidKey, w + ": encoding longer than 4096 bytes");
  ByteReader r(bytes);
  uint8_t tag = 0;
  uint64_t type = 0;
  if (!r.read_u8(tag) || tag != kTagType)
    return Error(P2PNetworkError::InvalidKey, w + ": expected field 1 (Type) first");
  if (!r.read_uvarint(type))
    return Error(P2PNetworkError::InvalidKey, w + ": Type is not a minimal varint");
  switch (type) {
    case static_cast<uint64_t>(KeyType::Ed25519):
      break;
    case static_cast<uint64_t>(KeyType::Rsa):
      return Error(P2PNetworkError::Unsupported, w + ": RSA keys are not supported");
    case static_cast<uint64_t>(KeyType::Secp256k1):
      return Error(P2PNetworkError::Unsupported, w + ": secp256k1 keys are not supported");
    case static_cast<uint64_t>(KeyType::Ecdsa):
      return Error(P2PNetworkError::Unsupported, w + ": ECDSA keys are not supported");
    default:
      return Error(P2PNetworkError::InvalidKey, w + ": unknown key type " + std::to_string(type));
  }
  if (!r.read_u8(tag) || tag != kTagData)
    return Error(P2PNetworkError::InvalidKey, w + ": expected field 2 (Data) after Type");
  ByteSpan data;
  if (!r.read_uvarint_prefixed(data, kMaxEncodedKeySize))
    return Error(P2PNetworkError::InvalidKey, w + ": Data length is malformed or truncated");
  if (data.size() != ed25519_len)
    return Error(P2PNetworkError::InvalidKey, w + ": Ed25519 Data must be " +
                                                  std::to_string(ed25519_len) + " bytes, got " +
                                                  std::to_string(data.size()));
  if (!r.empty())
    return Error(P2PNetworkError::InvalidKey, w + ": unexpected bytes after Data");
  return KeyMessage{KeyType::Ed25519, data};
}

Bytes encode_key_message(KeyType type, ByteSpan data) {
  Bytes out;
  out.reserve(2 + 10 + data.size());
  out.push_back(kTagType);
  varint::append(out, static_cast<uint64_t>(type));
  out.push_back(kTagData);
  varint::append(out, data.size());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

}  // namespace

PublicKey PublicKey::ed25519(ByteSpan raw32) {
  assert(raw32.size() == kEd25519PublicKeySize);
  return PublicKey(KeyType::Ed25519, to_bytes(raw32));
}

Result<PublicKey> PublicKey::from_protobuf(ByteSpan bytes) {
  HBP2P_TRY_ASSIGN(KeyMessage m, parse_key_message(bytes, kEd25519PublicKeySize, "public key"));
  return PublicKey(m.type, to_bytes(m.data));
}

Bytes PublicKey::to_protobuf() const { return encode_key_message(type_, raw_); }

bool PublicKey::verify(ByteSpan message, ByteSpan signature) const {
  if (type_ != KeyType::Ed25519 || raw_.size() != kEd25519PublicKeySize ||
      signature.size() != kEd25519SignatureSize)
    return false;
  ensure_sodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     raw_.data()) == 0;
}

PrivateKey PrivateKey::generate_ed25519() {
  ensure_sodium();
  PrivateKey k;
  std::array<uint8_t, kEd25519PublicKeySize> pk{};
  crypto_sign_keypair(pk.data(), k.sk_.data());
  return k;
}

PrivateKey PrivateKey::ed25519_from_seed(ByteSpan seed32) {
  assert(seed32.size() == kEd25519SeedSize);
  ensure_sodium();
  PrivateKey k;
  std::array<uint8_t, kEd25519PublicKeySize> pk{};
  crypto_sign_seed_keypair(pk.data(), k.sk_.data(), seed32.data());
  return k;
}

Result<PrivateKey> PrivateKey::from_protobuf(ByteSpan bytes) {
  HBP2P_TRY_ASSIGN(KeyMessage m,
                   parse_key_message(bytes, kEd25519PrivateKeyDataSize, "private key"));
  PrivateKey k = ed25519_from_seed(m.data.first(kEd25519SeedSize));
  // The public half is public, so an ordinary comparison is fine; ct_equal costs nothing.
  if (!ct_equal(ByteSpan(k.sk_).subspan(kEd25519SeedSize), m.data.subspan(kEd25519SeedSize)))
    return Error(P2PNetworkError::InvalidKey,
                 "private key: stored public key does not match the seed");
  return k;
}

Bytes PrivateKey::to_protobuf() const { return encode_key_message(KeyType::Ed25519, sk_); }

PublicKey PrivateKey::public_key() const {
  return PublicKey::ed25519(ByteSpan(sk_).subspan(kEd25519SeedSize));
}

Bytes PrivateKey::sign(ByteSpan message) const {
  ensure_sodium();
  Bytes sig(kEd25519SignatureSize);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk_.data());
  return sig;
}

PrivateKey::PrivateKey(PrivateKey&& other) noexcept : sk_(other.sk_) {
  secure_wipe(other.sk_);
}

PrivateKey& PrivateKey::operator=(PrivateKey&& other) noexcept {
  if (this != &other) {
    sk_ = other.sk_;
    secure_wipe(other.sk_);
  }
  return *this;
}

PrivateKey::~PrivateKey() { secure_wipe(sk_); }

}  // namespace hauptbuch::p2p::crypto

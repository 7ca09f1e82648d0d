// Ed25519 and hybrid (composite ML-DSA-65 + Ed25519) identity keys and the strict libp2p key
// protobuf codec (see identity.h).
// The codec is written by hand over ByteReader: the message has two fields, and accepting only
// the canonical byte sequence is simpler to get right here than constraining a generic parser.
#include "crypto/identity.h"

#include <sodium.h>

#include <cassert>
#include <cstring>
#include <string>

#include "crypto/composite_sig.h"
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

// Required Data length of a supported key type (public or private form).
size_t data_size(KeyType type, bool is_private) {
  if (type == KeyType::HybridMlDsa65Ed25519)
    return is_private ? kHybridPrivateKeyDataSize : kHybridPublicKeySize;
  return is_private ? kEd25519PrivateKeyDataSize : kEd25519PublicKeySize;
}

const char* type_name(KeyType type) {
  return type == KeyType::HybridMlDsa65Ed25519 ? "hybrid ML-DSA-65+Ed25519" : "Ed25519";
}

// Parses `Type` then `Data`, exactly once each, in that order, nothing else. The data field
// must have exactly the size of the type's public or private key Data.
Result<KeyMessage> parse_key_message(ByteSpan bytes, bool is_private) {
  const std::string w(is_private ? "private key" : "public key");
  if (bytes.size() > kMaxEncodedKeySize)
    return Error(P2PNetworkError::InvalidKey, w + ": encoding longer than 4096 bytes");
  ByteReader r(bytes);
  uint8_t tag = 0;
  uint64_t type_number = 0;
  if (!r.read_u8(tag) || tag != kTagType)
    return Error(P2PNetworkError::InvalidKey, w + ": expected field 1 (Type) first");
  if (!r.read_uvarint(type_number))
    return Error(P2PNetworkError::InvalidKey, w + ": Type is not a minimal varint");
  KeyType type = KeyType::Ed25519;
  switch (type_number) {
    case static_cast<uint64_t>(KeyType::Ed25519):
      break;
    case static_cast<uint64_t>(KeyType::HybridMlDsa65Ed25519):
      type = KeyType::HybridMlDsa65Ed25519;
      break;
    case static_cast<uint64_t>(KeyType::Rsa):
      return Error(P2PNetworkError::Unsupported, w + ": RSA keys are not supported");
    case static_cast<uint64_t>(KeyType::Secp256k1):
      return Error(P2PNetworkError::Unsupported, w + ": secp256k1 keys are not supported");
    case static_cast<uint64_t>(KeyType::Ecdsa):
      return Error(P2PNetworkError::Unsupported, w + ": ECDSA keys are not supported");
    default: {
      std::string d = w;
      d.append(": unknown key type ").append(std::to_string(type_number));
      return Error(P2PNetworkError::InvalidKey, std::move(d));
    }
  }
  if (!r.read_u8(tag) || tag != kTagData)
    return Error(P2PNetworkError::InvalidKey, w + ": expected field 2 (Data) after Type");
  ByteSpan data;
  if (!r.read_uvarint_prefixed(data, kMaxEncodedKeySize))
    return Error(P2PNetworkError::InvalidKey, w + ": Data length is malformed or truncated");
  const size_t want = data_size(type, is_private);
  if (data.size() != want) {
    std::string d = w;
    d.append(": ").append(type_name(type)).append(" Data must be ").append(std::to_string(want));
    d.append(" bytes, got ").append(std::to_string(data.size()));
    return Error(P2PNetworkError::InvalidKey, std::move(d));
  }
  if (!r.empty())
    return Error(P2PNetworkError::InvalidKey, w + ": unexpected bytes after Data");
  return KeyMessage{type, data};
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

PublicKey PublicKey::hybrid(ByteSpan raw1984) {
  assert(raw1984.size() == kHybridPublicKeySize);
  return PublicKey(KeyType::HybridMlDsa65Ed25519, to_bytes(raw1984));
}

Result<PublicKey> PublicKey::from_protobuf(ByteSpan bytes) {
  HBP2P_TRY_ASSIGN(KeyMessage m, parse_key_message(bytes, /*is_private=*/false));
  return PublicKey(m.type, to_bytes(m.data));
}

Bytes PublicKey::to_protobuf() const { return encode_key_message(type_, raw_); }

bool PublicKey::verify(ByteSpan message, ByteSpan signature) const {
  if (type_ == KeyType::HybridMlDsa65Ed25519) {
    auto pk = composite::PublicKey::from_bytes(raw_);
    if (!pk.ok()) return false;
    const ByteSpan ctx(reinterpret_cast<const uint8_t*>(kHybridSignatureContext.data()),
                       kHybridSignatureContext.size());
    return composite::verify(*pk, message, signature, ctx).ok();
  }
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

PrivateKey PrivateKey::generate_hybrid() {
  PrivateKey k;
  k.type_ = KeyType::HybridMlDsa65Ed25519;
  k.hybrid_ = std::make_unique<composite::PrivateKey>(composite::keygen());
  return k;
}

PrivateKey PrivateKey::hybrid_from_seeds(ByteSpan mldsa_seed32, ByteSpan ed25519_seed32) {
  assert(mldsa_seed32.size() == composite::kSeedBytes);
  assert(ed25519_seed32.size() == composite::kSeedBytes);
  composite::Seed a{};
  composite::Seed b{};
  std::memcpy(a.data(), mldsa_seed32.data(), a.size());
  std::memcpy(b.data(), ed25519_seed32.data(), b.size());
  PrivateKey k;
  k.type_ = KeyType::HybridMlDsa65Ed25519;
  k.hybrid_ = std::make_unique<composite::PrivateKey>(composite::keygen_from_seeds(a, b));
  secure_wipe(a.data(), a.size());
  secure_wipe(b.data(), b.size());
  return k;
}

Result<PrivateKey> PrivateKey::from_protobuf(ByteSpan bytes) {
  HBP2P_TRY_ASSIGN(KeyMessage m, parse_key_message(bytes, /*is_private=*/true));
  if (m.type == KeyType::HybridMlDsa65Ed25519)
    return hybrid_from_seeds(m.data.first(composite::kSeedBytes),
                             m.data.subspan(composite::kSeedBytes));
  PrivateKey k = ed25519_from_seed(m.data.first(kEd25519SeedSize));
  // The public half is public, so an ordinary comparison is fine; ct_equal costs nothing.
  if (!ct_equal(ByteSpan(k.sk_).subspan(kEd25519SeedSize), m.data.subspan(kEd25519SeedSize)))
    return Error(P2PNetworkError::InvalidKey,
                 "private key: stored public key does not match the seed");
  return k;
}

Bytes PrivateKey::to_protobuf() const {
  if (type_ == KeyType::HybridMlDsa65Ed25519) {
    Bytes data = hybrid_->to_bytes();
    Bytes out = encode_key_message(type_, data);
    secure_wipe(data);
    return out;
  }
  return encode_key_message(KeyType::Ed25519, sk_);
}

PublicKey PrivateKey::public_key() const {
  if (type_ == KeyType::HybridMlDsa65Ed25519)
    return PublicKey::hybrid(hybrid_->public_key().bytes());
  return PublicKey::ed25519(ByteSpan(sk_).subspan(kEd25519SeedSize));
}

Bytes PrivateKey::sign(ByteSpan message) const {
  if (type_ == KeyType::HybridMlDsa65Ed25519) {
    const ByteSpan ctx(reinterpret_cast<const uint8_t*>(kHybridSignatureContext.data()),
                       kHybridSignatureContext.size());
    // Cannot fail: the only error is a context longer than 255 bytes, and ours is constant.
    auto sig = composite::sign(*hybrid_, message, ctx);
    assert(sig.ok());
    return sig.ok() ? std::move(sig).value() : Bytes{};
  }
  ensure_sodium();
  Bytes sig(kEd25519SignatureSize);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk_.data());
  return sig;
}

PrivateKey::PrivateKey() = default;

PrivateKey::PrivateKey(PrivateKey&& other) noexcept
    : type_(other.type_), sk_(other.sk_), hybrid_(std::move(other.hybrid_)) {
  secure_wipe(other.sk_);
}

PrivateKey& PrivateKey::operator=(PrivateKey&& other) noexcept {
  if (this != &other) {
    type_ = other.type_;
    sk_ = other.sk_;
    hybrid_ = std::move(other.hybrid_);
    secure_wipe(other.sk_);
  }
  return *this;
}

PrivateKey::~PrivateKey() { secure_wipe(sk_); }

}  // namespace hauptbuch::p2p::crypto

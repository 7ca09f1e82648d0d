// Pubsub message signing, validation and ids (see message_auth.h).
#include "protocols/gossipsub/message_auth.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

#include "crypto/ed25519_batch.h"
#include "peer/peer_id.h"
#include "protocols/gossipsub/rpc_codec.h"

namespace hauptbuch::p2p::gossipsub {
namespace {

constexpr size_t kSeqnoSize = 8;
constexpr size_t kContentIdSize = 20;

Bytes signing_input(const PubsubMessage& m) {
  Bytes in(kSignaturePrefix.begin(), kSignaturePrefix.end());
  const Bytes body = encode_message_for_signing(m);
  in.insert(in.end(), body.begin(), body.end());
  return in;
}

}  // namespace

PubsubMessage make_signed_message(const crypto::PrivateKey& author, std::string topic, Bytes data,
                                  uint64_t seqno) {
  PubsubMessage m;
  const crypto::PublicKey pub = author.public_key();
  const PeerId id = PeerId::from_public_key(pub);
  m.from = id.bytes();
  m.data = std::move(data);
  m.seqno.resize(kSeqnoSize);
  for (size_t i = 0; i < kSeqnoSize; ++i) m.seqno[i] = static_cast<uint8_t>(seqno >> (8 * (7 - i)));
  m.topic = std::move(topic);
  m.signature = author.sign(signing_input(m));
  if (!id.extract_public_key()) m.key = pub.to_protobuf();
  return m;
}

PubsubMessage make_unsigned_message(std::string topic, Bytes data) {
  PubsubMessage m;
  m.topic = std::move(topic);
  m.data = std::move(data);
  return m;
}

namespace {

// Everything StrictSign asks of a message except the signature itself: returns the author's key.
Result<crypto::PublicKey> signed_message_key(const PubsubMessage& m) {
  if (m.seqno.size() != kSeqnoSize)
    return Error(P2PNetworkError::InvalidMessage, "StrictSign message needs an 8-byte seqno");
  if (m.signature.empty()) return Error(P2PNetworkError::SecurityValidationFailed, "StrictSign message is not signed");
  auto from = PeerId::from_bytes(m.from);
  if (!from.ok()) return Error(P2PNetworkError::InvalidMessage, "message 'from' is not a PeerId");
  if (!m.key.empty()) {
    auto k = crypto::PublicKey::from_protobuf(m.key);
    if (!k.ok()) return Error(P2PNetworkError::SecurityValidationFailed, "message key: " + k.error().detail());
    if (!from->matches(*k)) return Error(P2PNetworkError::SecurityValidationFailed, "message key does not match 'from'");
    return std::move(*k);
  }
  auto key = from->extract_public_key();
  if (!key) return Error(P2PNetworkError::SecurityValidationFailed, "message has no key and 'from' embeds none");
  return std::move(*key);
}

// Ed25519 goes through our verifier (crypto/ed25519_batch.h), so a message gets the same answer
// whether it was checked alone or in a batch; other key types through PublicKey::verify.
bool signature_ok(const crypto::PublicKey& key, ByteSpan input, ByteSpan sig) {
  if (key.type() == crypto::KeyType::Ed25519) return crypto::ed25519_verify_one({key.raw(), input, sig});
  return key.verify(input, sig);
}

const Status kBadSignature(P2PNetworkError::SecurityValidationFailed, "message signature is invalid");

}  // namespace

Status validate_message(const PubsubMessage& m, SignaturePolicy policy) {
  if (policy == SignaturePolicy::StrictNoSign) {
    if (!m.from.empty() || !m.seqno.empty() || !m.signature.empty() || !m.key.empty())
      return Status(P2PNetworkError::InvalidMessage, "StrictNoSign message carries author fields");
    return ok_status();
  }
  auto key = signed_message_key(m);
  if (!key.ok()) return std::move(key).error();
  if (!signature_ok(*key, signing_input(m), m.signature)) return kBadSignature;
  return ok_status();
}

std::vector<Status> validate_signed_messages(std::span<const PubsubMessage* const> msgs) {
  std::vector<Status> out(msgs.size(), ok_status());
  // Ed25519 messages are collected for one batch check; the rest are checked at once.
  std::vector<size_t> batched;
  std::vector<crypto::PublicKey> keys;
  std::vector<Bytes> inputs;
  keys.reserve(msgs.size());
  inputs.reserve(msgs.size());
  for (size_t i = 0; i < msgs.size(); ++i) {
    auto key = signed_message_key(*msgs[i]);
    if (!key.ok()) {
      out[i] = std::move(key).error();
      continue;
    }
    Bytes input = signing_input(*msgs[i]);
    if (key->type() != crypto::KeyType::Ed25519) {
      if (!signature_ok(*key, input, msgs[i]->signature)) out[i] = kBadSignature;
      continue;
    }
    batched.push_back(i);
    keys.push_back(std::move(*key));
    inputs.push_back(std::move(input));
  }
  std::vector<crypto::Ed25519Item> items;
  items.reserve(batched.size());
  for (size_t j = 0; j < batched.size(); ++j) items.push_back({keys[j].raw(), inputs[j], msgs[batched[j]]->signature});
  const std::vector<bool> good = crypto::ed25519_verify_each(items);
  for (size_t j = 0; j < batched.size(); ++j)
    if (!good[j]) out[batched[j]] = kBadSignature;
  return out;
}

MessageId author_message_id(const PubsubMessage& m) {
  MessageId id = m.from;
  id.insert(id.end(), m.seqno.begin(), m.seqno.end());
  return id;
}

MessageId content_message_id(const PubsubMessage& m) {
  // SHA-256(len(topic) as 8 bytes big-endian || topic || data), fed piecewise (no copy of the
  // data) through a digest fetched once and a context reused per thread.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const uint64_t n = m.topic.size();
  uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(n >> (8 * (7 - i)));
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  const bool ok = sha256 != nullptr && ctx != nullptr && EVP_DigestInit_ex2(ctx.get(), sha256, nullptr) == 1 &&
                  EVP_DigestUpdate(ctx.get(), len, sizeof len) == 1 &&
                  EVP_DigestUpdate(ctx.get(), m.topic.data(), m.topic.size()) == 1 &&
                  EVP_DigestUpdate(ctx.get(), m.data.data(), m.data.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx.get(), digest, &digest_len) == 1 && digest_len >= kContentIdSize;
  if (!ok) std::abort();  // only on a broken libcrypto (SHA-256 is always there)
  return MessageId(digest, digest + kContentIdSize);
}

}  // namespace hauptbuch::p2p::gossipsub

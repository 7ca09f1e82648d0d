// Pubsub message signing, validation and ids (see message_auth.h).
#include "protocols/gossipsub/message_auth.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

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

Status validate_message(const PubsubMessage& m, SignaturePolicy policy) {
  if (policy == SignaturePolicy::StrictNoSign) {
    if (!m.from.empty() || !m.seqno.empty() || !m.signature.empty() || !m.key.empty())
      return Status(P2PNetworkError::InvalidMessage, "StrictNoSign message carries author fields");
    return ok_status();
  }
  if (m.seqno.size() != kSeqnoSize)
    return Status(P2PNetworkError::InvalidMessage, "StrictSign message needs an 8-byte seqno");
  if (m.signature.empty())
    return Status(P2PNetworkError::SecurityValidationFailed, "StrictSign message is not signed");
  auto from = PeerId::from_bytes(m.from);
  if (!from.ok()) return Status(P2PNetworkError::InvalidMessage, "message 'from' is not a PeerId");
  std::optional<crypto::PublicKey> key;
  if (!m.key.empty()) {
    auto k = crypto::PublicKey::from_protobuf(m.key);
    if (!k.ok()) return Status(P2PNetworkError::SecurityValidationFailed, "message key: " + k.error().detail());
    if (!from->matches(*k))
      return Status(P2PNetworkError::SecurityValidationFailed, "message key does not match 'from'");
    key = std::move(*k);
  } else {
    key = from->extract_public_key();
    if (!key) return Status(P2PNetworkError::SecurityValidationFailed, "message has no key and 'from' embeds none");
  }
  if (!key->verify(signing_input(m), m.signature))
    return Status(P2PNetworkError::SecurityValidationFailed, "message signature is invalid");
  return ok_status();
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

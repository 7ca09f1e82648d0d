// Pubsub message signing, validation and ids (see message_auth.h).
#include "protocols/gossipsub/message_auth.h"

#include <openssl/sha.h>

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
  const uint64_t n = m.topic.size();
  Bytes in;
  in.reserve(8 + m.topic.size() + m.data.size());
  for (int i = 0; i < 8; ++i) in.push_back(static_cast<uint8_t>(n >> (8 * (7 - i))));
  in.insert(in.end(), m.topic.begin(), m.topic.end());
  in.insert(in.end(), m.data.begin(), m.data.end());
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(in.data(), in.size(), digest);
  return MessageId(digest, digest + kContentIdSize);
}

}  // namespace hauptbuch::p2p::gossipsub

// Message authorship and ids for pubsub (spec: pubsub/README.md "Message signing",
// gossipsub-v1.1 "Signature policy").
//
// StrictSign (libp2p's default, needed to talk to standard nodes): every message carries
// `from` (author PeerId), an 8-byte `seqno`, and an Ed25519 (or other identity-key) signature over
// "libp2p-pubsub:" ‖ protobuf(from, data, seqno, topic); `key` is set only when the PeerId does
// not embed the public key. Message id = from ‖ seqno.
// StrictNoSign (what blockchains use): from, seqno, signature and key must all be absent; the
// message id is a hash of the content, so identical payloads are de-duplicated network-wide.
// Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "crypto/identity.h"
#include "hauptbuch/p2p/result.h"
#include "protocols/gossipsub/rpc.h"

namespace hauptbuch::p2p::gossipsub {

enum class SignaturePolicy { StrictSign, StrictNoSign };

inline constexpr std::string_view kSignaturePrefix = "libp2p-pubsub:";

// A StrictSign message by `author` with the given sequence number.
PubsubMessage make_signed_message(const crypto::PrivateKey& author, std::string topic, Bytes data,
                                  uint64_t seqno);
// A StrictNoSign message.
PubsubMessage make_unsigned_message(std::string topic, Bytes data);

// Checks the message against the policy. Errors: SecurityValidationFailed for a bad or missing
// signature or a key that does not match `from`; InvalidMessage for fields the policy forbids or
// requires, or malformed ones.
// Ed25519 signatures are checked by crypto/ed25519_batch.h (RFC 8032's cofactored equation,
// strict encodings), the same whether one message or many are checked.
Status validate_message(const PubsubMessage& m, SignaturePolicy policy);
// validate_message(m, StrictSign) for many messages at once, with the same outcome for each:
// their Ed25519 signatures are verified as one batch, which costs a fraction of single checks
// (about a third for messages by one author), and one by one only if the batch fails.
std::vector<Status> validate_signed_messages(std::span<const PubsubMessage* const> msgs);

// from ‖ seqno (StrictSign).
MessageId author_message_id(const PubsubMessage& m);
// SHA-256(topic length ‖ topic ‖ data), truncated to 20 bytes (StrictNoSign).
MessageId content_message_id(const PubsubMessage& m);
inline MessageId message_id(const PubsubMessage& m, SignaturePolicy p) {
  return p == SignaturePolicy::StrictSign ? author_message_id(m) : content_message_id(m);
}

}  // namespace hauptbuch::p2p::gossipsub

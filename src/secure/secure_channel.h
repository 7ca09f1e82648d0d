// The interface every secure-channel protocol implements (libp2p /noise, our
// /hauptbuch/pq-noise/1.0.0), so the connection upgrade treats them alike.
//
// A SecureHandshake is a sans-I/O state machine: the driver calls start(), then moves bytes
// between take_output() and the socket and feed() until done(); finish() yields the
// SecureTransport (keys and the authenticated remote identity) plus any bytes the peer sent
// after its last handshake message (take_leftover(): they are already transport frames).
// Errors from feed() are final: the connection must be closed. Implementations never throw,
// bound every buffer, and check every length before reading. Not thread-safe (one per
// connection).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/identity.h"
#include "hauptbuch/p2p/result.h"
#include "peer/peer_id.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::secure {

// Encrypted, authenticated framing in both directions after a handshake.
class SecureTransport {
 public:
  virtual ~SecureTransport() = default;
  // Encrypts `plaintext` (any size; split into frames as needed) and appends the frames to
  // `out`. Errors: ResourceLimitExceeded when the nonce space is exhausted.
  virtual Status encrypt(ByteSpan plaintext, Bytes& out) = 0;
  // Takes bytes from the peer in any fragmentation and appends the plaintext of every complete
  // frame to `out`. Errors: SecurityValidationFailed (bad tag), ResourceLimitExceeded.
  virtual Status decrypt(ByteSpan in, Bytes& out) = 0;
  // The same without growing a vector (so a caller that reuses its buffers pays no zero-fill):
  // encrypt_into writes exactly sealed_size(plaintext.size()) bytes to `dst`; decrypt_into
  // writes at most max_opened_size(in.size()) bytes to `dst` and returns how many.
  virtual size_t sealed_size(size_t plaintext_size) const = 0;
  virtual Status encrypt_into(ByteSpan plaintext, MutableByteSpan dst) = 0;
  // encrypt_into for a plaintext given as consecutive pieces (frame headers and application
  // bytes, say), sealed without first copying them into one buffer: writes exactly
  // sealed_size(total size of the pieces) bytes to `dst`, the same bytes encrypt_into would.
  virtual Status encrypt_gather_into(std::span<const ByteSpan> pieces, MutableByteSpan dst) = 0;
  virtual size_t max_opened_size(size_t in_size) const = 0;
  virtual Result<size_t> decrypt_into(ByteSpan in, MutableByteSpan dst) = 0;
  virtual const crypto::PublicKey& remote_identity() const = 0;
  virtual const PeerId& remote_peer() const = 0;
  virtual std::string_view protocol() const = 0;
  // Largest plaintext one frame carries (for write batching).
  virtual size_t max_frame_plaintext() const = 0;
};

class SecureHandshake {
 public:
  virtual ~SecureHandshake() = default;
  // Initiator: queues the first message. Responder: nothing to do (returns ok).
  virtual Status start() = 0;
  // Bytes from the peer, in any fragmentation.
  virtual Status feed(ByteSpan in) = 0;
  virtual Bytes take_output() = 0;
  virtual bool done() const = 0;
  // After done(): the transport. Errors if called early or twice.
  virtual Result<std::unique_ptr<SecureTransport>> finish() = 0;
  // After done(): bytes received beyond the handshake (transport frames; decrypt them next).
  virtual Bytes take_leftover() = 0;
  virtual std::string_view protocol() const = 0;
  // After done(): the stream muxers the peer listed in the handshake (libp2p "early muxer
  // negotiation"); empty if it listed none, and then multistream-select picks the muxer.
  virtual std::vector<std::string> remote_stream_muxers() const { return {}; }
};

}  // namespace hauptbuch::p2p::secure

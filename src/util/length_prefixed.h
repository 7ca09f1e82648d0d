// Varint-length-prefixed frames, as used by most libp2p protocols (identify, kad, pubsub,
// our request/response): `uvarint(len) || payload`, with a caller-given maximum payload size.
//
// decode_frame() is a pure function over the bytes received so far; FrameDecoder wraps it
// with a bounded receive buffer for stream drivers. A declared length above the maximum is
// rejected as soon as the prefix is read, before any payload is buffered, so a peer cannot
// make us allocate more than max_payload + 9 bytes per stream.
#pragma once

#include <cstddef>
#include <optional>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p {

enum class FrameStatus { Ok, NeedMore, TooLarge, Invalid };

struct FrameView {
  FrameStatus status = FrameStatus::NeedMore;
  ByteSpan payload;     // valid when Ok; points into the input
  size_t consumed = 0;  // prefix + payload bytes when Ok
};

FrameView decode_frame(ByteSpan in, size_t max_payload) noexcept;

// Appends uvarint(payload.size()) || payload to out.
void append_frame(Bytes& out, ByteSpan payload);

class FrameDecoder {
 public:
  explicit FrameDecoder(size_t max_payload) : max_payload_(max_payload) {}

  // Adds received bytes. Fails (and the stream must be reset) if the buffered data already
  // announces an oversized or malformed frame, or if more than one maximal frame would be
  // buffered without being drained by next().
  Status push(ByteSpan in);
  // The next complete frame, if any. Call until it returns nullopt after every push().
  Result<std::optional<Bytes>> next();
  size_t buffered() const noexcept { return buf_.size() - pos_; }

 private:
  size_t max_payload_;
  Bytes buf_;
  size_t pos_ = 0;
};

}  // namespace hauptbuch::p2p

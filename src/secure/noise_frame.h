// libp2p /noise framing: every handshake and transport message is a 2-byte big-endian length
// followed by that many bytes (at most 65535, the Noise message limit). Sans-I/O: bytes in any
// fragmentation are pushed in, complete frames come out. The buffer never exceeds one frame.
#pragma once

#include <optional>

#include "hauptbuch/p2p/result.h"
#include "secure/noise_cipher_state.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::secure {

inline constexpr size_t kNoiseFrameHeaderSize = 2;

// Appends the 2-byte length and the payload. Errors: ResourceLimitExceeded if payload > 65535.
Status append_noise_frame(ByteSpan payload, Bytes& out);

class NoiseFrameDecoder {
 public:
  // Consumes bytes from `in` up to the end of the next frame; returns how many were consumed.
  // After it returns, has_frame() says whether a complete frame is ready.
  size_t push(ByteSpan in);
  bool has_frame() const noexcept { return need_ && buf_.size() == kNoiseFrameHeaderSize + *need_; }
  // The payload of the completed frame; resets the decoder for the next one.
  Bytes take_frame();
  // True if no partial frame is buffered.
  bool idle() const noexcept { return buf_.empty(); }

 private:
  Bytes buf_;                   // header + payload of the frame being received (<= 65537 bytes)
  std::optional<size_t> need_;  // payload length once the header is known
};

}  // namespace hauptbuch::p2p::secure

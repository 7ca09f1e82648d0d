// 2-byte big-endian length framing for libp2p /noise.
#include "secure/noise_frame.h"

#include <algorithm>

namespace hauptbuch::p2p::secure {

Status append_noise_frame(ByteSpan payload, Bytes& out) {
  if (payload.size() > kNoiseMaxMessageSize) {
    return {P2PNetworkError::ResourceLimitExceeded, "noise: frame larger than 65535 bytes"};
  }
  out.push_back(static_cast<uint8_t>(payload.size() >> 8));
  out.push_back(static_cast<uint8_t>(payload.size() & 0xff));
  out.insert(out.end(), payload.begin(), payload.end());
  return ok_status();
}

size_t NoiseFrameDecoder::push(ByteSpan in) {
  size_t used = 0;
  while (used < in.size() && !has_frame()) {
    if (!need_) {
      buf_.push_back(in[used++]);
      if (buf_.size() == kNoiseFrameHeaderSize) {
        need_ = (static_cast<size_t>(buf_[0]) << 8) | buf_[1];
      }
      continue;
    }
    const size_t want = kNoiseFrameHeaderSize + *need_ - buf_.size();
    const size_t take = std::min(want, in.size() - used);
    buf_.insert(buf_.end(), in.begin() + static_cast<std::ptrdiff_t>(used),
                in.begin() + static_cast<std::ptrdiff_t>(used + take));
    used += take;
  }
  return used;
}

Bytes NoiseFrameDecoder::take_frame() {
  Bytes out;
  if (has_frame()) out.assign(buf_.begin() + kNoiseFrameHeaderSize, buf_.end());
  buf_.clear();
  need_.reset();
  return out;
}

}  // namespace hauptbuch::p2p::secure

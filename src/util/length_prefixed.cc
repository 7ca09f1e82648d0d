// Varint-length-prefixed frame decoding and encoding.
#include "util/length_prefixed.h"

#include "util/varint.h"

namespace hauptbuch::p2p {

FrameView decode_frame(ByteSpan in, size_t max_payload) noexcept {
  varint::Decoded d = varint::decode(in);
  if (d.status == varint::DecodeStatus::NeedMore) return {FrameStatus::NeedMore, {}, 0};
  if (d.status == varint::DecodeStatus::Invalid) return {FrameStatus::Invalid, {}, 0};
  if (d.value > max_payload) return {FrameStatus::TooLarge, {}, 0};
  size_t len = static_cast<size_t>(d.value);
  if (in.size() - d.length < len) return {FrameStatus::NeedMore, {}, 0};
  return {FrameStatus::Ok, in.subspan(d.length, len), d.length + len};
}

void append_frame(Bytes& out, ByteSpan payload) {
  varint::append(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}

Status FrameDecoder::push(ByteSpan in) {
  // Compact consumed bytes before growing.
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  // What is still buffered before this push is at most one partial frame if the caller
  // drains with next(); anything more means frames are piling up undrained.
  if (buffered() > max_payload_ + varint::kMaxBytes) {
    return Error(P2PNetworkError::ResourceLimitExceeded, "frame buffer not drained");
  }
  if (pos_ > buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  buf_.insert(buf_.end(), in.begin(), in.end());
  FrameView v = decode_frame(ByteSpan(buf_).subspan(pos_), max_payload_);
  if (v.status == FrameStatus::TooLarge)
    return Error(P2PNetworkError::InvalidMessage, "frame exceeds the maximum size");
  if (v.status == FrameStatus::Invalid)
    return Error(P2PNetworkError::InvalidMessage, "malformed frame length prefix");
  return ok_status();
}

Result<std::optional<Bytes>> FrameDecoder::next() {
  FrameView v = decode_frame(ByteSpan(buf_).subspan(pos_), max_payload_);
  switch (v.status) {
    case FrameStatus::NeedMore: return std::optional<Bytes>{};
    case FrameStatus::TooLarge:
      return Error(P2PNetworkError::InvalidMessage, "frame exceeds the maximum size");
    case FrameStatus::Invalid:
      return Error(P2PNetworkError::InvalidMessage, "malformed frame length prefix");
    case FrameStatus::Ok: break;
  }
  Bytes out(v.payload.begin(), v.payload.end());
  pos_ += v.consumed;
  return std::optional<Bytes>(std::move(out));
}

}  // namespace hauptbuch::p2p

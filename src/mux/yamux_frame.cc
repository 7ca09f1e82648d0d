// yamux frame header codec (see yamux_frame.h).
#include "mux/yamux_frame.h"

#include <cassert>

namespace hauptbuch::p2p::mux {
namespace {

void put32(Bytes& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 24));
  out.push_back(static_cast<uint8_t>(v >> 16));
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
uint32_t get32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

void append_header(Bytes& out, const FrameHeader& h) {
  out.push_back(kYamuxVersion);
  out.push_back(static_cast<uint8_t>(h.type));
  out.push_back(static_cast<uint8_t>(h.flags >> 8));
  out.push_back(static_cast<uint8_t>(h.flags));
  put32(out, h.stream_id);
  put32(out, h.length);
}

Result<FrameHeader> decode_header(ByteSpan in) {
  assert(in.size() >= kYamuxHeaderSize);
  if (in.size() < kYamuxHeaderSize) return Error(P2PNetworkError::InvalidMessage, "yamux: short header");
  if (in[0] != kYamuxVersion)
    return Error(P2PNetworkError::InvalidMessage, "yamux: unsupported version " + std::to_string(in[0]));
  if (in[1] > static_cast<uint8_t>(FrameType::GoAway))
    return Error(P2PNetworkError::InvalidMessage, "yamux: unknown frame type " + std::to_string(in[1]));
  FrameHeader h;
  h.type = static_cast<FrameType>(in[1]);
  h.flags = static_cast<uint16_t>((in[2] << 8) | in[3]);
  h.stream_id = get32(in.data() + 4);
  h.length = get32(in.data() + 8);
  return h;
}

}  // namespace hauptbuch::p2p::mux

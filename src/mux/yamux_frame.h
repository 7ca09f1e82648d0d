// yamux frame header codec (spec: hashicorp/yamux spec.md; libp2p uses it as /yamux/1.0.0).
//
//   version (u8, 0) | type (u8) | flags (u16 BE) | stream id (u32 BE) | length (u32 BE)
// Type Data carries `length` bytes of payload after the header; WindowUpdate carries a window
// delta, Ping an opaque value and GoAway an error code in the length field. Pure functions.
#pragma once

#include <cstdint>
#include <optional>

#include "hauptbuch/p2p/result.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::mux {

inline constexpr size_t kYamuxHeaderSize = 12;
inline constexpr uint8_t kYamuxVersion = 0;

enum class FrameType : uint8_t { Data = 0, WindowUpdate = 1, Ping = 2, GoAway = 3 };

namespace flags {
inline constexpr uint16_t kSyn = 0x1;
inline constexpr uint16_t kAck = 0x2;
inline constexpr uint16_t kFin = 0x4;
inline constexpr uint16_t kRst = 0x8;
}  // namespace flags

enum class GoAwayCode : uint32_t { Normal = 0, ProtocolError = 1, InternalError = 2 };

struct FrameHeader {
  FrameType type = FrameType::Data;
  uint16_t flags = 0;
  uint32_t stream_id = 0;
  uint32_t length = 0;
  friend bool operator==(const FrameHeader&, const FrameHeader&) = default;
};

void append_header(Bytes& out, const FrameHeader& h);
// Decodes the 12 bytes at the start of `in`. Errors: InvalidMessage for a wrong version or an
// unknown type; nullopt-equivalent is the caller's job (needs 12 bytes).
Result<FrameHeader> decode_header(ByteSpan in12);

}  // namespace hauptbuch::p2p::mux

// Wire constants of the request/response protocol (docs/wire/reqresp.md): one request per
// stream, `uvarint(len) || request` from the requester, then `uvarint(len) || status ||
// body` from the responder. Both sides of the codec and the service include this one header.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hauptbuch::p2p::reqresp {

// Default cap for one request and for one response body: 1 MiB is far above what the chain
// protocols exchange in one message (blocks are streamed in pieces) and keeps the memory a
// single stream can pin small. Configurable per service (RequestResponseConfig).
inline constexpr size_t kDefaultMaxMessageSize = size_t{1} << 20;

// An error response carries a short human-readable detail, printable ASCII only, at most this
// long: enough for "handler failed: unknown block 0x…", too short to smuggle data.
inline constexpr size_t kMaxErrorDetail = 256;

// Concurrent inbound requests served per peer (more are answered Busy at once) and outbound
// requests in flight per peer (more fail locally with ResourceLimitExceeded). 8 lets a peer
// pipeline a few lookups while one peer can never occupy more than 8 handler slots.
inline constexpr size_t kDefaultMaxInboundPerPeer = 8;
inline constexpr size_t kDefaultMaxOutboundPerPeer = 8;

// Scratch buffer used to discard a refused request (bounded memory per refusal).
inline constexpr size_t kDrainChunk = 4096;
// Most bytes of a refused (TooLarge) request we read and discard so that the requester, which
// writes its whole request before reading, can see the refusal; beyond this the stream is
// reset. 16 MiB covers requesters configured with a larger cap than ours; the bytes are never
// stored, and the responder's deadline bounds the time spent.
inline constexpr uint64_t kMaxDrainBytes = uint64_t{16} << 20;

// First byte of every response. Values are stable on the wire; unknown values are malformed.
enum class WireStatus : uint8_t {
  Ok = 0x00,              // body = the handler's response
  InvalidRequest = 0x01,  // the handler rejected the request as malformed -> InvalidMessage
  HandlerError = 0x02,    // the handler failed for another reason         -> MessageRoutingFailed
  Busy = 0x03,            // per-peer inbound limit reached, not served    -> ResourceLimitExceeded
  TooLarge = 0x04,        // the request exceeded the responder's cap      -> ResourceLimitExceeded
  Timeout = 0x05,         // the handler did not finish within the deadline -> Timeout
};
inline constexpr uint8_t kMaxWireStatus = 0x05;

}  // namespace hauptbuch::p2p::reqresp

// Sans-I/O codec of request/response messages (docs/wire/reqresp.md): the response body
// (status byte + payload or error detail), the mapping between wire statuses and
// P2PNetworkError, and strict parsing of a complete length-prefixed frame.
//
// Must never: read past its input, allocate more than the caller's cap, or accept two
// encodings of the same response (trailing bytes, unknown status, non-printable detail).
#pragma once

#include <string>

#include "hauptbuch/p2p/result.h"
#include "protocols/reqresp/reqresp_wire.h"
#include "util/bytes.h"

namespace hauptbuch::p2p::reqresp {

struct DecodedResponse {
  WireStatus status = WireStatus::Ok;
  Bytes payload;       // Ok: the response data
  std::string detail;  // error statuses: the responder's detail text
};

// The response body for a successful answer: 0x00 || payload. Errors: ResourceLimitExceeded
// if payload.size() > max_payload.
Result<Bytes> encode_ok(ByteSpan payload, size_t max_payload);

// The response body for an error: status || detail, where detail is reduced to printable
// ASCII and cut to kMaxErrorDetail bytes. `status` must not be Ok.
Bytes encode_error(WireStatus status, std::string_view detail);

// Parses a response body (without its length prefix). Errors: InvalidMessage for an empty
// body, an unknown status, an Ok payload above max_payload, or an error detail that is too
// long or not printable ASCII.
Result<DecodedResponse> decode_response(ByteSpan body, size_t max_payload);

// The wire status a responder sends for a handler's error: InvalidMessage -> InvalidRequest,
// Timeout -> Timeout, ResourceLimitExceeded -> Busy, anything else -> HandlerError.
WireStatus status_for_error(const Error& e);

// The error a requester reports for a non-Ok response: see WireStatus for the codes. The
// detail names the status and carries the responder's text.
Error error_for_status(WireStatus status, std::string_view remote_detail);

// Short name of a status ("Busy"), for logs and details.
const char* status_name(WireStatus s) noexcept;

// Parses exactly one complete `uvarint(len) || body` frame that must span all of `wire`.
// Errors: InvalidMessage (malformed prefix, truncated body, trailing bytes),
// ResourceLimitExceeded (declared length above max_body).
Result<ByteSpan> parse_frame(ByteSpan wire, size_t max_body);

// `uvarint(body.size()) || body`.
Bytes make_frame(ByteSpan body);

}  // namespace hauptbuch::p2p::reqresp

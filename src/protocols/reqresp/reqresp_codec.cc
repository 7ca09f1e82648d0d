// Request/response codec (see reqresp_codec.h and docs/wire/reqresp.md).
#include "protocols/reqresp/reqresp_codec.h"

#include "util/byte_reader.h"
#include "util/varint.h"

namespace hauptbuch::p2p::reqresp {
namespace {

bool printable(uint8_t c) { return c >= 0x20 && c <= 0x7e; }

std::string num(size_t v) { return std::to_string(v); }

}  // namespace

Result<Bytes> encode_ok(ByteSpan payload, size_t max_payload) {
  if (payload.size() > max_payload) {
    std::string d = "response of ";
    d.append(num(payload.size())).append(" bytes exceeds the limit of ").append(num(max_payload));
    return Error(P2PNetworkError::ResourceLimitExceeded, std::move(d));
  }
  Bytes out;
  out.reserve(payload.size() + 1);
  out.push_back(static_cast<uint8_t>(WireStatus::Ok));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Bytes encode_error(WireStatus status, std::string_view detail) {
  Bytes out;
  out.push_back(static_cast<uint8_t>(status));
  for (char ch : detail) {
    if (out.size() > kMaxErrorDetail) break;
    const auto c = static_cast<uint8_t>(ch);
    out.push_back(printable(c) ? c : static_cast<uint8_t>('?'));
  }
  return out;
}

Result<DecodedResponse> decode_response(ByteSpan body, size_t max_payload) {
  ByteReader r(body);
  uint8_t st = 0;
  if (!r.read_u8(st)) return Error(P2PNetworkError::InvalidMessage, "empty response");
  if (st > kMaxWireStatus) {
    std::string d = "unknown response status ";
    d.append(num(st));
    return Error(P2PNetworkError::InvalidMessage, std::move(d));
  }
  DecodedResponse out;
  out.status = static_cast<WireStatus>(st);
  const ByteSpan rest = r.rest();
  if (out.status == WireStatus::Ok) {
    if (rest.size() > max_payload) {
      std::string d = "response payload of ";
      d.append(num(rest.size())).append(" bytes exceeds the limit of ").append(num(max_payload));
      return Error(P2PNetworkError::InvalidMessage, std::move(d));
    }
    out.payload.assign(rest.begin(), rest.end());
    return out;
  }
  if (rest.size() > kMaxErrorDetail) return Error(P2PNetworkError::InvalidMessage, "error detail too long");
  for (uint8_t c : rest)
    if (!printable(c)) return Error(P2PNetworkError::InvalidMessage, "error detail is not printable ASCII");
  out.detail.assign(rest.begin(), rest.end());
  return out;
}

WireStatus status_for_error(const Error& e) {
  if (e.is(P2PNetworkError::InvalidMessage)) return WireStatus::InvalidRequest;
  if (e.is(P2PNetworkError::Timeout)) return WireStatus::Timeout;
  if (e.is(P2PNetworkError::ResourceLimitExceeded)) return WireStatus::Busy;
  return WireStatus::HandlerError;
}

const char* status_name(WireStatus s) noexcept {
  switch (s) {
    case WireStatus::Ok: return "Ok";
    case WireStatus::InvalidRequest: return "InvalidRequest";
    case WireStatus::HandlerError: return "HandlerError";
    case WireStatus::Busy: return "Busy";
    case WireStatus::TooLarge: return "TooLarge";
    case WireStatus::Timeout: return "Timeout";
  }
  return "Unknown";
}

Error error_for_status(WireStatus status, std::string_view remote_detail) {
  std::string d = "peer answered ";
  d.append(status_name(status));
  if (!remote_detail.empty()) d.append(": ").append(remote_detail);
  switch (status) {
    case WireStatus::InvalidRequest: return Error(P2PNetworkError::InvalidMessage, std::move(d));
    case WireStatus::Busy:
    case WireStatus::TooLarge: return Error(P2PNetworkError::ResourceLimitExceeded, std::move(d));
    case WireStatus::Timeout: return Error(P2PNetworkError::Timeout, std::move(d));
    case WireStatus::Ok:
    case WireStatus::HandlerError: break;
  }
  return Error(P2PNetworkError::MessageRoutingFailed, std::move(d));
}

Result<ByteSpan> parse_frame(ByteSpan wire, size_t max_body) {
  const auto d = varint::decode(wire);
  if (d.status != varint::DecodeStatus::Ok) return Error(P2PNetworkError::InvalidMessage, "bad length prefix");
  if (d.value > max_body) {
    std::string m = "message of ";
    m.append(num(static_cast<size_t>(d.value))).append(" bytes exceeds the limit of ").append(num(max_body));
    return Error(P2PNetworkError::ResourceLimitExceeded, std::move(m));
  }
  const ByteSpan rest = wire.subspan(d.length);
  if (rest.size() < d.value) return Error(P2PNetworkError::InvalidMessage, "truncated message");
  if (rest.size() > d.value) return Error(P2PNetworkError::InvalidMessage, "trailing bytes after the message");
  return rest;
}

Bytes make_frame(ByteSpan body) {
  Bytes out;
  varint::append(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace hauptbuch::p2p::reqresp

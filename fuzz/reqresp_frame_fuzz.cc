// Fuzz target: the request/response framing and response codec on arbitrary bytes. The first
// byte picks the payload cap; the rest is parsed as a frame and, if it parses, as a response
// body. Valid responses must re-encode to the same bytes (strict, one encoding per value).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "protocols/reqresp/reqresp_codec.h"

using namespace hauptbuch::p2p;
using namespace hauptbuch::p2p::reqresp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t cap = static_cast<size_t>(data[0]) * 64;
  const ByteSpan in(data + 1, size - 1);
  auto frame = parse_frame(in, cap + 1);
  (void)decode_response(in, cap);  // also parse the raw bytes as a body
  if (!frame.ok()) return 0;
  auto resp = decode_response(*frame, cap);
  if (!resp.ok()) return 0;
  Bytes again;
  if (resp->status == WireStatus::Ok) {
    auto enc = encode_ok(resp->payload, cap);
    if (!enc.ok()) std::abort();
    again = std::move(enc).value();
  } else {
    again = encode_error(resp->status, resp->detail);
  }
  if (again.size() != frame->size() || !std::equal(again.begin(), again.end(), frame->begin())) std::abort();
  return 0;
}

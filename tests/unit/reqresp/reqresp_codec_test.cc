// Unit tests of the request/response codec: response bodies, status <-> error mapping and
// strict frame parsing (edge cases of docs/wire/reqresp.md, including its worked example).
#include "protocols/reqresp/reqresp_codec.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p::reqresp {
namespace {

Bytes b(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(ReqRespCodec, OkRoundTrip) {
  auto enc = encode_ok(b("pong"), 16);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(to_hex(*enc), "00706f6e67");
  auto dec = decode_response(*enc, 16);
  ASSERT_TRUE(dec.ok()) << dec.error().message();
  EXPECT_EQ(dec->status, WireStatus::Ok);
  EXPECT_EQ(dec->payload, b("pong"));
}

TEST(ReqRespCodec, EmptyOkPayloadIsValid) {
  auto dec = decode_response(Bytes{0x00}, 0);
  ASSERT_TRUE(dec.ok());
  EXPECT_TRUE(dec->payload.empty());
}

TEST(ReqRespCodec, WorkedExampleFromTheSpec) {
  // docs/wire/reqresp.md: request "ping" and response Ok "pong".
  EXPECT_EQ(to_hex(make_frame(b("ping"))), "0470696e67");
  EXPECT_EQ(to_hex(make_frame(*encode_ok(b("pong"), 16))), "0500706f6e67");
  // Busy with detail "busy".
  EXPECT_EQ(to_hex(make_frame(encode_error(WireStatus::Busy, "busy"))), "050362757379");
}

TEST(ReqRespCodec, OkPayloadAboveCapIsRefused) {
  auto enc = encode_ok(Bytes(17, 1), 16);
  ASSERT_FALSE(enc.ok());
  EXPECT_TRUE(enc.error().is(P2PNetworkError::ResourceLimitExceeded));
  Bytes body(18, 1);
  body[0] = 0;
  auto dec = decode_response(body, 16);
  ASSERT_FALSE(dec.ok());
  EXPECT_TRUE(dec.error().is(P2PNetworkError::InvalidMessage));
}

TEST(ReqRespCodec, EmptyBodyAndUnknownStatusAreMalformed) {
  EXPECT_TRUE(decode_response(Bytes{}, 16).error().is(P2PNetworkError::InvalidMessage));
  EXPECT_TRUE(decode_response(Bytes{0x06}, 16).error().is(P2PNetworkError::InvalidMessage));
  EXPECT_TRUE(decode_response(Bytes{0xff, 'x'}, 16).error().is(P2PNetworkError::InvalidMessage));
}

TEST(ReqRespCodec, ErrorDetailIsSanitisedAndCapped) {
  std::string long_detail(1000, 'a');
  long_detail[3] = '\n';
  const Bytes body = encode_error(WireStatus::HandlerError, long_detail);
  EXPECT_EQ(body.size(), 1 + kMaxErrorDetail);
  auto dec = decode_response(body, 16);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(dec->status, WireStatus::HandlerError);
  EXPECT_EQ(dec->detail.size(), kMaxErrorDetail);
  EXPECT_EQ(dec->detail[3], '?');
}

TEST(ReqRespCodec, StrictErrorDetailParsing) {
  Bytes too_long(2 + kMaxErrorDetail, 'a');
  too_long[0] = static_cast<uint8_t>(WireStatus::Busy);
  EXPECT_TRUE(decode_response(too_long, 16).error().is(P2PNetworkError::InvalidMessage));
  Bytes control{static_cast<uint8_t>(WireStatus::Busy), 'a', 0x00};
  EXPECT_TRUE(decode_response(control, 16).error().is(P2PNetworkError::InvalidMessage));
  Bytes high{static_cast<uint8_t>(WireStatus::Timeout), 0x80};
  EXPECT_TRUE(decode_response(high, 16).error().is(P2PNetworkError::InvalidMessage));
}

TEST(ReqRespCodec, StatusToErrorMapping) {
  EXPECT_TRUE(error_for_status(WireStatus::InvalidRequest, "").is(P2PNetworkError::InvalidMessage));
  EXPECT_TRUE(error_for_status(WireStatus::HandlerError, "x").is(P2PNetworkError::MessageRoutingFailed));
  EXPECT_TRUE(error_for_status(WireStatus::Busy, "").is(P2PNetworkError::ResourceLimitExceeded));
  EXPECT_TRUE(error_for_status(WireStatus::TooLarge, "").is(P2PNetworkError::ResourceLimitExceeded));
  EXPECT_TRUE(error_for_status(WireStatus::Timeout, "").is(P2PNetworkError::Timeout));
  EXPECT_EQ(error_for_status(WireStatus::Busy, "limit 8").detail(), "peer answered Busy: limit 8");
}

TEST(ReqRespCodec, ErrorToStatusMapping) {
  EXPECT_EQ(status_for_error(Error(P2PNetworkError::InvalidMessage)), WireStatus::InvalidRequest);
  EXPECT_EQ(status_for_error(Error(P2PNetworkError::Timeout)), WireStatus::Timeout);
  EXPECT_EQ(status_for_error(Error(P2PNetworkError::ResourceLimitExceeded)), WireStatus::Busy);
  EXPECT_EQ(status_for_error(Error(P2PNetworkError::IoFailed)), WireStatus::HandlerError);
}

TEST(ReqRespCodec, FrameParsing) {
  const Bytes f = make_frame(b("abc"));
  auto p = parse_frame(f, 3);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Bytes(p->begin(), p->end()), b("abc"));
  EXPECT_TRUE(parse_frame(f, 2).error().is(P2PNetworkError::ResourceLimitExceeded));
  Bytes trailing = f;
  trailing.push_back(0);
  EXPECT_TRUE(parse_frame(trailing, 16).error().is(P2PNetworkError::InvalidMessage));
  EXPECT_TRUE(parse_frame(ByteSpan(f.data(), 3), 16).error().is(P2PNetworkError::InvalidMessage));
  EXPECT_TRUE(parse_frame(Bytes{}, 16).error().is(P2PNetworkError::InvalidMessage));
  EXPECT_TRUE(parse_frame(Bytes{0x80}, 16).error().is(P2PNetworkError::InvalidMessage));       // incomplete prefix
  EXPECT_TRUE(parse_frame(Bytes{0x83, 0x00}, 16).error().is(P2PNetworkError::InvalidMessage)); // non-minimal
  auto empty = parse_frame(Bytes{0x00}, 0);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  // A 2^62 declared length is refused from the prefix alone.
  EXPECT_TRUE(parse_frame(Bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40}, 1 << 20)
                  .error()
                  .is(P2PNetworkError::ResourceLimitExceeded));
}

}  // namespace
}  // namespace hauptbuch::p2p::reqresp

// P2PNetworkError category and Result<T>: codes, messages, propagation.
#include "hauptbuch/p2p/result.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p {
namespace {

TEST(P2PNetworkError, EveryCodeHasNameAndMessage) {
  for (int i = static_cast<int>(P2PNetworkError::InvalidPeerAddress);
       i <= static_cast<int>(P2PNetworkError::IoFailed); ++i) {
    std::error_code ec = static_cast<P2PNetworkError>(i);
    EXPECT_STREQ(ec.category().name(), "P2PNetworkError");
    EXPECT_FALSE(ec.message().empty());
    EXPECT_NE(std::string(error_name(static_cast<P2PNetworkError>(i))), "Unknown");
  }
  std::error_code ec = P2PNetworkError::ConnectionLimitsExceeded;
  EXPECT_EQ(ec.message(), "connection limits exceeded");
}

Result<int> parse_positive(int v) {
  if (v <= 0) return Error(P2PNetworkError::InvalidMessage, "not positive");
  return v;
}

Result<int> doubled(int v) {
  int x = 0;
  HBP2P_TRY_ASSIGN(x, parse_positive(v));
  return 2 * x;
}

Status check(int v) {
  HBP2P_TRY(parse_positive(v));
  return ok_status();
}

TEST(Result, PropagatesErrorsAndValues) {
  EXPECT_EQ(*doubled(4), 8);
  auto r = doubled(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(P2PNetworkError::InvalidMessage));
  EXPECT_EQ(r.error().message(), "InvalidMessage: not positive");
  EXPECT_TRUE(check(1).ok());
  EXPECT_FALSE(check(0).ok());
  EXPECT_EQ(r.value_or(7), 7);
}

}  // namespace
}  // namespace hauptbuch::p2p

// Tests for the JSON-lines control channel parser and formatters (src/node/control_protocol.h).
#include "node/control_protocol.h"

#include <gtest/gtest.h>

#include <string>

namespace hauptbuch::p2p::node {
namespace {

using nlohmann::json;

TEST(ControlProtocol, ParsesCommandWithId) {
  auto r = parse_control_line(R"({"id":7,"cmd":"dial","addr":"/ip4/127.0.0.1/tcp/1"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.command.id, json(7));
  EXPECT_EQ(r.command.name, "dial");
  auto addr = string_arg(r.command, "addr");
  ASSERT_TRUE(addr.ok());
  EXPECT_EQ(*addr, "/ip4/127.0.0.1/tcp/1");
}

TEST(ControlProtocol, AcceptsCommandAliasesAndCarriageReturn) {
  for (const char* key : {"cmd", "command", "op", "method"}) {
    auto r = parse_control_line(std::string(R"({"id":"a",")") + key + R"(":"peers"})" + "\r");
    ASSERT_TRUE(r.ok) << key;
    EXPECT_EQ(r.command.name, "peers");
    EXPECT_EQ(r.command.id, json("a"));
  }
}

TEST(ControlProtocol, MissingIdIsNull) {
  auto r = parse_control_line(R"({"cmd":"peers"})");
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(r.command.id.is_null());
}

TEST(ControlProtocol, MalformedLinesGiveInvalidMessage) {
  for (std::string_view line :
       {"", "not json", "[1,2]", "42", R"({"id":1})", R"({"id":1,"cmd":5})", R"({"id":1,"cmd":""})",
        R"({"id":[1],"cmd":"peers"})", "{\"id\":1,\"cmd\":\"peers\"", "{\"cmd\":\"\xff\"}"}) {
    auto r = parse_control_line(line);
    EXPECT_FALSE(r.ok) << line;
    EXPECT_TRUE(r.error.is(P2PNetworkError::InvalidMessage)) << line;
  }
}

TEST(ControlProtocol, ErrorKeepsIdWhenPresent) {
  auto r = parse_control_line(R"({"id":"x9","addr":"/ip4/1.2.3.4/tcp/1"})");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.command.id, json("x9"));
  EXPECT_EQ(format_error(r.command.id, r.error),
            R"({"id":"x9","ok":false,"error":"InvalidMessage: command has no \"cmd\" field"})");
}

TEST(ControlProtocol, DeepNestingRefusedWithoutRecursion) {
  std::string deep = R"({"id":1,"cmd":"x","a":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto r = parse_control_line(deep);
  EXPECT_FALSE(r.ok);
  // Brackets inside strings do not count.
  auto s = parse_control_line(R"({"id":1,"cmd":"x","a":")" + std::string(1000, '[') + "\"}");
  EXPECT_TRUE(s.ok);
}

TEST(ControlProtocol, OverlongLineRefused) {
  std::string big = R"({"id":1,"cmd":"x","a":")" + std::string(kMaxControlLineBytes, 'a') + "\"}";
  auto r = parse_control_line(big);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.error.is(P2PNetworkError::InvalidMessage));
}

TEST(ControlProtocol, UintArg) {
  auto r = parse_control_line(R"({"cmd":"ping","count":3,"neg":-1,"str":"1","big":99})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(*uint_arg(r.command, "count", 1, 10), 3u);
  EXPECT_EQ(*uint_arg(r.command, "absent", 5, 10), 5u);
  EXPECT_FALSE(uint_arg(r.command, "neg", 1, 10).ok());
  EXPECT_FALSE(uint_arg(r.command, "str", 1, 10).ok());
  EXPECT_FALSE(uint_arg(r.command, "big", 1, 10).ok());
  EXPECT_FALSE(string_arg(r.command, "count").ok());
}

TEST(ControlProtocol, FormatsKeepOrder) {
  nlohmann::ordered_json f;
  f["peer"] = "12D3";
  f["rtt_ms"] = 0.5;
  EXPECT_EQ(format_ok(3, f), R"({"id":3,"ok":true,"peer":"12D3","rtt_ms":0.5})");
  EXPECT_EQ(format_ok(nullptr), R"({"id":null,"ok":true})");
  nlohmann::ordered_json e;
  e["peer_id"] = "12D3";
  e["addrs"] = {"/ip4/127.0.0.1/tcp/1"};
  EXPECT_EQ(format_event("listening", e),
            R"({"event":"listening","peer_id":"12D3","addrs":["/ip4/127.0.0.1/tcp/1"]})");
}

}  // namespace
}  // namespace hauptbuch::p2p::node

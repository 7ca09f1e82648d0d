// Tests of the /metrics endpoint: the request-head parser on fixed inputs, metrics_addr
// parsing, and the real server on 127.0.0.1 port 0 fetched with a plain blocking socket
// client ("curl-style"): 200 with the exact exposition, 404, 400, HEAD, oversized heads.
#include "node/metrics_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

namespace hauptbuch::p2p::metrics {
namespace {

// Sends `request` to 127.0.0.1:port and reads until the server closes (bounded by a 10 s
// socket timeout so a bug fails the test instead of hanging it).
std::string http_exchange(uint16_t port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "socket failed";
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    ::close(fd);
    return "connect failed";
  }
  size_t off = 0;
  while (off < request.size()) {
    const ssize_t n = ::send(fd, request.data() + off, request.size() - off, MSG_NOSIGNAL);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string body_of(const std::string& response) {
  const size_t p = response.find("\r\n\r\n");
  return p == std::string::npos ? std::string() : response.substr(p + 4);
}

TEST(MetricsHttpParse, CompleteGet) {
  HttpRequestHead h;
  EXPECT_EQ(parse_http_request_head("GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n", h),
            HttpParse::Complete);
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.path, "/metrics");
  EXPECT_EQ(parse_http_request_head("HEAD / HTTP/1.0\r\n\r\n", h), HttpParse::Complete);
  EXPECT_EQ(h.method, "HEAD");
  EXPECT_EQ(h.path, "/");
}

TEST(MetricsHttpParse, IncompleteAndInvalid) {
  HttpRequestHead h;
  EXPECT_EQ(parse_http_request_head("", h), HttpParse::Incomplete);
  EXPECT_EQ(parse_http_request_head("GET /metrics HTTP/1.1\r\nHost: a\r\n", h), HttpParse::Incomplete);
  EXPECT_EQ(parse_http_request_head("GET /metrics\r\n\r\n", h), HttpParse::Invalid);
  EXPECT_EQ(parse_http_request_head("GET metrics HTTP/1.1\r\n\r\n", h), HttpParse::Invalid);
  EXPECT_EQ(parse_http_request_head("GET /metrics HTTP/2.0\r\n\r\n", h), HttpParse::Invalid);
  EXPECT_EQ(parse_http_request_head("G(T /metrics HTTP/1.1\r\n\r\n", h), HttpParse::Invalid);
  EXPECT_EQ(parse_http_request_head("GET /a\x01 HTTP/1.1\r\n\r\n", h), HttpParse::Invalid);
  EXPECT_EQ(parse_http_request_head("GET /metrics HTTP/1.1\r\nno colon\r\n\r\n", h), HttpParse::Invalid);
  EXPECT_EQ(parse_http_request_head("GET /metrics HTTP/1.1\r\n: v\r\n\r\n", h), HttpParse::Invalid);
  EXPECT_EQ(parse_http_request_head("GET /metrics HTTP/1.1\r\nA: b\nc\r\n\r\n", h), HttpParse::Invalid);
  EXPECT_EQ(parse_http_request_head(std::string(kMaxRequestHeadBytes, 'G'), h), HttpParse::Invalid);
  std::string many = "GET / HTTP/1.1\r\n";
  for (size_t i = 0; i <= kMaxHeaderLines; ++i) many += "A: b\r\n";
  EXPECT_EQ(parse_http_request_head(many + "\r\n", h), HttpParse::Invalid);
}

TEST(MetricsHttpParse, MetricsAddr) {
  auto a = parse_metrics_addr("127.0.0.1:9464");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->first, "127.0.0.1");
  EXPECT_EQ(a->second, 9464);
  auto b = parse_metrics_addr("[::1]:0");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->first, "::1");
  EXPECT_EQ(b->second, 0);
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", ":80", "localhost:80", "1.2.3.4:65536",
                          "1.2.3.4:8x", "::1:80", "[::1]80", "[::1]:"}) {
    auto r = parse_metrics_addr(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(P2PNetworkError::InvalidConfig)) << bad;
  }
}

class MetricsHttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = reg_.counter_family("hbp2p_test_total", "A test counter.", {"kind"});
    ASSERT_TRUE(c.ok());
    (*c)->with({"a"}).inc(3);
    ASSERT_TRUE(server_.start("127.0.0.1:0").ok());
    ASSERT_NE(server_.port(), 0);
  }
  Registry reg_;
  MetricsHttpServer server_{reg_};
};

TEST_F(MetricsHttpServerTest, GetMetricsReturnsExposition) {
  const std::string r = http_exchange(server_.port(), "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
  EXPECT_NE(r.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(r.find("Connection: close\r\n"), std::string::npos);
  const std::string expected =
      "# HELP hbp2p_test_total A test counter.\n# TYPE hbp2p_test_total counter\n"
      "hbp2p_test_total{kind=\"a\"} 3\n";
  EXPECT_EQ(body_of(r), expected);
  EXPECT_NE(r.find("Content-Length: " + std::to_string(expected.size()) + "\r\n"), std::string::npos);
  EXPECT_EQ(server_.served(), 1u);
}

TEST_F(MetricsHttpServerTest, HeadHasNoBody) {
  const std::string r = http_exchange(server_.port(), "HEAD /metrics HTTP/1.1\r\n\r\n");
  EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
  EXPECT_EQ(body_of(r), "");
}

TEST_F(MetricsHttpServerTest, OtherPathsAndMethodsAre404) {
  EXPECT_EQ(http_exchange(server_.port(), "GET / HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
  EXPECT_EQ(http_exchange(server_.port(), "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
                .rfind("HTTP/1.1 404 Not Found\r\n", 0),
            0u);
  EXPECT_EQ(http_exchange(server_.port(), "GET /metricsx HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404", 0), 0u);
}

TEST_F(MetricsHttpServerTest, MalformedAndOversizedAre400) {
  EXPECT_EQ(http_exchange(server_.port(), "hello\r\n\r\n").rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u);
  const std::string huge = "GET /metrics HTTP/1.1\r\nX: " + std::string(2 * kMaxRequestHeadBytes, 'a');
  EXPECT_EQ(http_exchange(server_.port(), huge).rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u);
  // Still serving afterwards.
  EXPECT_EQ(http_exchange(server_.port(), "GET /metrics HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 200 OK", 0), 0u);
}

TEST_F(MetricsHttpServerTest, SecondStartAndPortInUseFail) {
  auto again = server_.start("127.0.0.1:0");
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().is(P2PNetworkError::InvalidConnection));
  Registry other;
  MetricsHttpServer second(other);
  std::string addr = "127.0.0.1:";
  addr.append(std::to_string(server_.port()));
  auto busy = second.start(addr);
  ASSERT_FALSE(busy.ok());
  EXPECT_TRUE(busy.error().is(P2PNetworkError::IoFailed)) << busy.error().message();
  auto bad = second.start("nonsense");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(P2PNetworkError::InvalidConfig));
}

TEST_F(MetricsHttpServerTest, StopIsIdempotentAndClosesListener) {
  const uint16_t port = server_.port();
  server_.stop();
  server_.stop();
  EXPECT_EQ(server_.port(), 0);
  EXPECT_EQ(http_exchange(port, "GET /metrics HTTP/1.1\r\n\r\n"), "connect failed");
  // Can start again after stop.
  ASSERT_TRUE(server_.start("127.0.0.1:0").ok());
  EXPECT_EQ(http_exchange(server_.port(), "GET /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 200 OK", 0), 0u);
}

}  // namespace
}  // namespace hauptbuch::p2p::metrics

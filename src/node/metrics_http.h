// MetricsHttpServer: the opt-in Prometheus scrape endpoint (`metrics_addr`, e.g. 127.0.0.1:9464).
// Serves `GET /metrics` (and HEAD) with Registry::expose(); every other request gets 404,
// malformed requests 400. One request per connection (`Connection: close`).
//
// Why our own tiny server on Asio instead of cpp-httplib: the Debian 12 package (0.11.4) is a
// compiled library whose limits are fixed at Debian's build time and which does not bound the
// number of header lines of a request or the task queue of accepted connections; here every
// resource is bounded by a named constant below and the request parser is a pure function that
// is unit-tested and fuzzed (fuzz/metrics_http_fuzz.cc).
//
// Threading: the server runs its own io_context on one thread of its own; it only calls
// Registry::expose() (thread-safe). start()/stop() are called from the owner's thread.
// It must never block the node's strand and never allocate per request beyond the bounds here.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "hauptbuch/p2p/result.h"
#include "node/metrics.h"

namespace hauptbuch::p2p::metrics {

// A scrape request is one line plus a few headers; 8 KiB is what common servers allow for
// the whole request head and far above what Prometheus sends (~300 bytes).
inline constexpr size_t kMaxRequestHeadBytes = 8192;
// Header lines beyond this make the request invalid (Prometheus sends about six).
inline constexpr size_t kMaxHeaderLines = 64;
// Concurrent connections; further ones are accepted and closed at once. A scraper needs one;
// 8 leaves room for a few humans with curl without letting a local process exhaust fds.
inline constexpr size_t kMaxHttpConnections = 8;
// Whole-connection deadline (read the request, write the answer). Prometheus' default scrape
// timeout is 10 s; a request head arrives in milliseconds, so 5 s only cuts slow clients.
inline constexpr std::chrono::seconds kHttpConnectionTimeout{5};

// Parse outcome of a request head.
enum class HttpParse : uint8_t { Incomplete, Complete, Invalid };

struct HttpRequestHead {
  std::string method;  // "GET", "HEAD", ...
  std::string path;    // target without the query string, e.g. "/metrics"
};

// Parses the bytes received so far. Complete once the head (ending with an empty line) is
// there and valid; Incomplete when more bytes are needed; Invalid for a malformed request line
// (method token, origin-form target of visible ASCII, HTTP/1.0 or HTTP/1.1), a malformed
// header line, more than kMaxHeaderLines headers, or more than kMaxRequestHeadBytes bytes
// without an end of head. Pure function: never reads past `buf`, never throws.
HttpParse parse_http_request_head(std::string_view buf, HttpRequestHead& out);

// Splits "host:port" / "[v6]:port" (port 0 = any free port). InvalidConfig on malformed input.
Result<std::pair<std::string, uint16_t>> parse_metrics_addr(std::string_view addr);

class MetricsHttpServer {
 public:
  // `registry` must outlive the server.
  explicit MetricsHttpServer(const Registry& registry);
  ~MetricsHttpServer();  // stop()
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // Binds `addr` ("127.0.0.1:9464", "[::1]:0") and starts serving on a thread of its own.
  // Errors: InvalidConfig (bad address), IoFailed (bind/listen failed: detail has the reason),
  // InvalidConnection (already started).
  Status start(std::string_view addr);
  // The bound port (useful with port 0); 0 before start().
  uint16_t port() const noexcept;
  // Closes the listener and all connections and joins the thread. Idempotent.
  void stop();

  // Requests served with 200 since start (for tests and the node's own stats).
  uint64_t served() const noexcept;

 private:
  struct Impl;
  const Registry& registry_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hauptbuch::p2p::metrics

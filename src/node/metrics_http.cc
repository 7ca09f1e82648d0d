// MetricsHttpServer and its request-head parser. See metrics_http.h.
#include "node/metrics_http.h"

#include <array>
#include <atomic>
#include <exception>
#include <thread>

#include <asio/experimental/as_tuple.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

namespace hauptbuch::p2p::metrics {

namespace {

// RFC 9110 token characters (methods and header names).
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_tchar(c)) return false;
  return true;
}

// After answering, at most this many further request bytes are read and dropped before closing
// (an oversized request's tail); the connection deadline bounds the time as well.
constexpr size_t kMaxDrainBytes = 64 * 1024;

// Longest method we accept ("OPTIONS" is 7; anything much longer is garbage).
constexpr size_t kMaxMethodBytes = 16;

bool valid_header_line(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!is_token(line.substr(0, colon))) return false;
  for (char c : line.substr(colon + 1)) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r' || c == '\n' || u == 0 || u == 0x7F) return false;
  }
  return true;
}

}  // namespace

HttpParse parse_http_request_head(std::string_view buf, HttpRequestHead& out) {
  const size_t end = buf.find("\r\n\r\n");
  if (end == std::string_view::npos)
    return buf.size() >= kMaxRequestHeadBytes ? HttpParse::Invalid : HttpParse::Incomplete;
  if (end + 4 > kMaxRequestHeadBytes) return HttpParse::Invalid;
  std::string_view head = buf.substr(0, end);

  // Request line: method SP request-target SP HTTP-version.
  const size_t line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return HttpParse::Invalid;
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return HttpParse::Invalid;
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (method.size() > kMaxMethodBytes || !is_token(method)) return HttpParse::Invalid;
  if (target.empty() || target[0] != '/') return HttpParse::Invalid;  // origin-form only
  for (char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7E) return HttpParse::Invalid;
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return HttpParse::Invalid;

  // Header lines (content not interpreted: one request per connection, no body expected).
  size_t count = 0;
  size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    const size_t next = head.find("\r\n", pos);
    const size_t stop = next == std::string_view::npos ? head.size() : next;
    if (++count > kMaxHeaderLines) return HttpParse::Invalid;
    if (!valid_header_line(head.substr(pos, stop - pos))) return HttpParse::Invalid;
    pos = next == std::string_view::npos ? head.size() : next + 2;
  }

  out.method = std::string(method);
  out.path = std::string(target.substr(0, target.find_first_of("?#")));
  return HttpParse::Complete;
}

Result<std::pair<std::string, uint16_t>> parse_metrics_addr(std::string_view addr) {
  std::string_view host;
  std::string_view port;
  if (!addr.empty() && addr[0] == '[') {
    const size_t close = addr.find(']');
    if (close == std::string_view::npos || close + 1 >= addr.size() || addr[close + 1] != ':')
      return Error(P2PNetworkError::InvalidConfig, "metrics_addr: expected [v6]:port");
    host = addr.substr(1, close - 1);
    port = addr.substr(close + 2);
  } else {
    const size_t colon = addr.rfind(':');
    if (colon == std::string_view::npos || addr.find(':') != colon)
      return Error(P2PNetworkError::InvalidConfig, "metrics_addr: expected host:port");
    host = addr.substr(0, colon);
    port = addr.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5)
    return Error(P2PNetworkError::InvalidConfig, "metrics_addr: empty host or bad port");
  uint32_t p = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return Error(P2PNetworkError::InvalidConfig, "metrics_addr: bad port");
    p = p * 10 + static_cast<uint32_t>(c - '0');
  }
  if (p > 65535) return Error(P2PNetworkError::InvalidConfig, "metrics_addr: port > 65535");
  std::error_code ec;
  (void)asio::ip::make_address(std::string(host), ec);
  if (ec) return Error(P2PNetworkError::InvalidConfig, "metrics_addr: host must be an IP address");
  return std::pair<std::string, uint16_t>{std::string(host), static_cast<uint16_t>(p)};
}

// ---- the server -------------------------------------------------------------------------

using asio::ip::tcp;

struct MetricsHttpServer::Impl {
  explicit Impl(const Registry& r) : registry(r) {}

  // Counters first: they outlive the io_context, whose destruction runs the frames' cleanups.
  const Registry& registry;
  std::atomic<uint16_t> port{0};
  std::atomic<uint64_t> served{0};
  size_t active = 0;  // touched only on the server thread
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::thread thread;

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, sock] = co_await acceptor.async_accept(asio::experimental::as_tuple(asio::use_awaitable));
      if (!acceptor.is_open()) co_return;
      if (ec) {
        // e.g. EMFILE: back off briefly instead of spinning on the error.
        asio::steady_timer t(io, std::chrono::milliseconds(100));
        co_await t.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
        continue;
      }
      if (active >= kMaxHttpConnections) {
        std::error_code ignored;
        sock.close(ignored);
        continue;
      }
      ++active;
      asio::co_spawn(io, serve(std::make_shared<tcp::socket>(std::move(sock))), asio::detached);
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<tcp::socket> sock) {
    struct Release {
      size_t& n;
      ~Release() { --n; }
    } release{active};
    // The deadline closes the socket; the handler holds its own reference to it.
    asio::steady_timer deadline(io, kHttpConnectionTimeout);
    deadline.async_wait([sock](std::error_code ec) {
      if (!ec) {
        std::error_code ignored;
        sock->close(ignored);
      }
    });

    std::string buf;
    std::array<char, 2048> chunk{};
    HttpRequestHead head;
    HttpParse state = HttpParse::Incomplete;
    while (state == HttpParse::Incomplete) {
      auto [ec, n] = co_await sock->async_read_some(asio::buffer(chunk), asio::experimental::as_tuple(asio::use_awaitable));
      if (ec) {
        deadline.cancel();
        co_return;
      }
      buf.append(chunk.data(), n);
      state = parse_http_request_head(buf, head);
    }

    std::string status;
    std::string body;
    std::string type = "text/plain; charset=utf-8";
    if (state == HttpParse::Invalid) {
      status = "400 Bad Request";
      body = "bad request\n";
    } else if ((head.method == "GET" || head.method == "HEAD") && head.path == "/metrics") {
      status = "200 OK";
      body = registry.expose();
      type = std::string(kContentType);
    } else {
      status = "404 Not Found";
      body = "not found\n";
    }
    std::string out = "HTTP/1.1 ";
    out.append(status).append("\r\nContent-Type: ").append(type);
    out.append("\r\nContent-Length: ").append(std::to_string(body.size()));
    out.append("\r\nConnection: close\r\n\r\n");
    if (head.method != "HEAD") out.append(body);
    auto [wec, written] = co_await asio::async_write(*sock, asio::buffer(out), asio::experimental::as_tuple(asio::use_awaitable));
    (void)written;
    if (!wec && status[0] == '2') served.fetch_add(1, std::memory_order_relaxed);
    std::error_code ignored;
    sock->shutdown(tcp::socket::shutdown_send, ignored);
    // Lingering close: read (and drop) what the client still sends, so that closing with
    // unread bytes does not reset the connection and destroy the answer in flight.
    size_t drained = 0;
    while (drained < kMaxDrainBytes) {
      auto [rec, n] = co_await sock->async_read_some(asio::buffer(chunk),
                                                     asio::experimental::as_tuple(asio::use_awaitable));
      if (rec) break;
      drained += n;
    }
    sock->close(ignored);
    deadline.cancel();
  }
};

MetricsHttpServer::MetricsHttpServer(const Registry& registry) : registry_(registry) {}

MetricsHttpServer::~MetricsHttpServer() { stop(); }

Status MetricsHttpServer::start(std::string_view addr) {
  if (impl_) return Error(P2PNetworkError::InvalidConnection, "metrics server already started");
  HBP2P_TRY_ASSIGN(auto hp, parse_metrics_addr(addr));
  auto impl = std::make_unique<Impl>(registry_);
  std::error_code ec;
  const tcp::endpoint ep(asio::ip::make_address(hp.first, ec), hp.second);
  if (ec) return Error(P2PNetworkError::InvalidConfig, "metrics_addr: host must be an IP address");
  auto fail = [&](const char* what) {
    std::string d = "metrics endpoint: ";
    d.append(what).append(": ").append(ec.message());
    return Error(P2PNetworkError::IoFailed, std::move(d));
  };
  impl->acceptor.open(ep.protocol(), ec);
  if (ec) return fail("open");
  impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) return fail("setsockopt");
  impl->acceptor.bind(ep, ec);
  if (ec) return fail("bind");
  // Backlog: connections beyond kMaxHttpConnections are closed on accept anyway.
  impl->acceptor.listen(static_cast<int>(kMaxHttpConnections), ec);
  if (ec) return fail("listen");
  const auto local = impl->acceptor.local_endpoint(ec);
  if (ec) return fail("local_endpoint");
  impl->port.store(local.port());
  Impl* raw = impl.get();
  asio::co_spawn(raw->io, raw->accept_loop(), asio::detached);
  raw->thread = std::thread([raw] {
    try {
      raw->io.run();
    } catch (...) {
      // A failed scrape must never take the node down; the endpoint simply stops serving.
    }
  });
  impl_ = std::move(impl);
  return ok_status();
}

uint16_t MetricsHttpServer::port() const noexcept { return impl_ ? impl_->port.load() : 0; }

uint64_t MetricsHttpServer::served() const noexcept { return impl_ ? impl_->served.load() : 0; }

void MetricsHttpServer::stop() {
  if (!impl_) return;
  Impl* raw = impl_.get();
  asio::post(raw->io, [raw] {
    std::error_code ignored;
    raw->acceptor.close(ignored);
    raw->io.stop();
  });
  if (raw->thread.joinable()) raw->thread.join();
  impl_.reset();  // destroys pending connection coroutines and their sockets
}

}  // namespace hauptbuch::p2p::metrics

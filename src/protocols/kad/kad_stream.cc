// Kademlia request/response exchanges over Host streams (see kad_stream.h).
#include "protocols/kad/kad_stream.h"

namespace hauptbuch::p2p::kad {
namespace {

// The stream of an exchange, shared between the exchange and whoever abandons it on timeout.
struct Exchange {
  node::StreamPtr stream;
  bool abandoned = false;
  void abandon() {
    abandoned = true;
    if (stream) stream->reset();
    stream.reset();
  }
};

// Counts a running exchange for RequestOptions::running.
struct RunningGuard {
  explicit RunningGuard(std::shared_ptr<size_t> c) : count(std::move(c)) {
    if (count) ++*count;
  }
  ~RunningGuard() {
    if (count) --*count;
  }
  RunningGuard(const RunningGuard&) = delete;
  RunningGuard& operator=(const RunningGuard&) = delete;
  std::shared_ptr<size_t> count;
};

asio::awaitable<Result<Bytes>> run_exchange(node::Host& host, PeerId peer, Bytes request, RequestOptions opts,
                                            std::shared_ptr<Exchange> ex) {
  RunningGuard guard(opts.running);
  std::vector<std::string> protos;
  protos.push_back(opts.protocol);
  auto s = co_await host.new_stream(peer, std::move(protos));
  if (!s.ok()) co_return std::move(s).error();
  if (ex->abandoned) {  // the deadline passed while the stream was negotiated
    (*s)->reset();
    co_return Error(P2PNetworkError::Timeout, "abandoned");
  }
  ex->stream = *s;
  node::StreamPtr stream = *s;  // keeps the stream alive while we use it
  HBP2P_CO_TRY(co_await stream->write_message(request));
  if (!opts.expect_response) {
    (void)stream->close_write();
    co_return Bytes{};
  }
  auto resp = co_await stream->read_message(opts.max_response_size);
  (void)stream->close_write();
  ex->stream.reset();
  co_return resp;
}

}  // namespace

asio::awaitable<Result<Bytes>> send_request(node::Host& host, PeerId peer, Bytes request, RequestOptions opts) {
  auto ex = std::make_shared<Exchange>();
  const Duration limit = opts.timeout;
  auto op = run_exchange(host, std::move(peer), std::move(request), std::move(opts), ex);
  auto r = co_await with_deadline<Bytes>(host.executor(), limit, std::move(op));
  // On timeout: reset the stream if there is one (wakes the exchange with Cancelled), or mark
  // the exchange so that a stream negotiated later is reset at once.
  if (!r.ok() && r.error().is(P2PNetworkError::Timeout)) ex->abandon();
  co_return r;
}

asio::awaitable<void> serve_stream(node::StreamPtr stream, RequestHandler handle, size_t max_requests,
                                   size_t max_message_size, Duration idle_timeout) {
  // A watchdog per request: resets the stream when a request does not arrive (or its answer
  // cannot be written) within idle_timeout, which wakes the pending read or write.
  for (size_t i = 0; i < max_requests; ++i) {
    asio::steady_timer watchdog(stream->connection()->executor(), idle_timeout);
    watchdog.async_wait([w = std::weak_ptr<node::Stream>(stream)](std::error_code ec) {
      if (!ec)
        if (auto s = w.lock()) s->reset();
    });
    auto req = co_await stream->read_message(max_message_size);
    if (!req.ok()) {
      // EOF between requests is the normal end; anything else ends the stream too.
      watchdog.cancel();
      break;
    }
    auto resp = handle(*req);
    if (!resp.ok()) {
      watchdog.cancel();
      stream->reset();
      co_return;
    }
    if (resp->has_value()) {
      auto st = co_await stream->write_message(**resp);
      if (!st.ok()) {
        watchdog.cancel();
        co_return;
      }
    }
    watchdog.cancel();
  }
  (void)stream->close_write();
}

}  // namespace hauptbuch::p2p::kad

// Kademlia over Host streams: the I/O half of one request/response exchange (kad-dht spec: each
// request on a stream, uvarint-length-prefixed message, response likewise) and the inbound
// serving loop, every wait bounded by a deadline. Knows nothing about Kademlia messages: bytes
// in, bytes out; the KadService and the sans-I/O core decide what the bytes mean.
//
// Must never: wait without a deadline, buffer more than the caller's max message size, or
// throw. All functions run on the Host's strand (host.executor()).
#pragma once

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hauptbuch/p2p/result.h"
#include "node/host.h"

namespace hauptbuch::p2p::kad {

namespace detail {
// Awaits `op` and hands its result to `st` (unless abandoned), waking the waiter.
template <typename T, typename State>
asio::awaitable<void> run_into(std::shared_ptr<State> st, asio::awaitable<Result<T>> op) {
  auto r = co_await std::move(op);
  if (st->abandoned) co_return;
  st->out.emplace(std::move(r));
  st->timer.cancel();
}
}  // namespace detail

// Runs `op` on `ex` and returns its result, or Timeout once `limit` has passed. On timeout the
// operation is abandoned, not cancelled: it keeps running in the background until it finishes
// by itself (every Host awaitable ends when its connection ends) and its result is dropped;
// callers release what it may still acquire (see send_request). Must be awaited on `ex`.
// Pass `op` as a named object (std::move(op)): GCC 12 mis-handles some temporaries inside
// co_await expressions.
template <typename T>
asio::awaitable<Result<T>> with_deadline(node::Executor ex, Duration limit, asio::awaitable<Result<T>> op) {
  struct State {
    explicit State(node::Executor e) : timer(e) {}
    std::optional<Result<T>> out;
    bool abandoned = false;
    asio::steady_timer timer;
  };
  auto st = std::make_shared<State>(ex);
  st->timer.expires_after(limit);
  asio::co_spawn(ex, detail::run_into<T>(st, std::move(op)), asio::detached);
  // The operation may already have finished (co_spawn can run it inline up to completion).
  if (!st->out) co_await st->timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  if (st->out) co_return std::move(*st->out);
  st->abandoned = true;
  co_return Error(P2PNetworkError::Timeout, "no answer within the deadline");
}

struct RequestOptions {
  std::string protocol;
  Duration timeout = std::chrono::seconds(10);  // the whole exchange: stream, request, response
  size_t max_response_size = 0;
  bool expect_response = true;  // ADD_PROVIDER has no response
  // If set, counts exchanges still running, including abandoned ones (incremented when the
  // exchange starts, decremented when it really ends), so the caller can bound them.
  std::shared_ptr<size_t> running;
};

// Opens a stream to the connected `peer`, writes `request` as one length-prefixed message, reads
// one length-prefixed response (unless !expect_response: then the stream is closed after the
// write and an empty Bytes is returned) and closes the stream. Errors: Timeout, InvalidMessage
// (response larger than max_response_size or malformed framing), InvalidConnection (not
// connected), PeerConnectionFailed / Unsupported (the peer does not speak `protocol`), Cancelled
// (the stream was reset or the connection closed).
asio::awaitable<Result<Bytes>> send_request(node::Host& host, PeerId peer, Bytes request, RequestOptions opts);

// Serves one inbound stream: up to `max_requests` requests one after the other (js-libp2p may
// reuse a stream for several requests), each read within `idle_timeout` and bounded by
// `max_message_size`. `handle` returns the response (nullopt: no response, e.g. ADD_PROVIDER)
// or an error, which ends the stream with a reset (malformed input is never answered).
using RequestHandler = std::function<Result<std::optional<Bytes>>(ByteSpan request)>;
asio::awaitable<void> serve_stream(node::StreamPtr stream, RequestHandler handle, size_t max_requests,
                                   size_t max_message_size, Duration idle_timeout);

}  // namespace hauptbuch::p2p::kad

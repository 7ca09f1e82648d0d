// race_deadline: awaits an operation on the Host strand, or gives up with Timeout once a
// deadline passes. The operation is detached, not cancelled: it keeps running until it ends by
// itself (the caller arranges that, e.g. by resetting the stream it uses in `on_timeout`).
// Must be awaited on `ex`; never throws.
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

#include "hauptbuch/p2p/result.h"
#include "node/connection.h"
#include "util/clock.h"

namespace hauptbuch::p2p::reqresp {

// Returns op's result, or Error(Timeout, timeout_detail) after `limit`; `on_timeout` runs
// once, on the strand, when the deadline wins.
template <typename T>
asio::awaitable<Result<T>> race_deadline(node::Executor ex, Duration limit, asio::awaitable<Result<T>> op,
                                         std::string timeout_detail, std::function<void()> on_timeout = {}) {
  struct Race {
    explicit Race(node::Executor e) : timer(e) {}
    asio::steady_timer timer;
    std::optional<Result<T>> result;
  };
  auto race = std::make_shared<Race>(ex);
  race->timer.expires_after(limit);
  asio::co_spawn(
      ex,
      [race, o = std::move(op)]() mutable -> asio::awaitable<void> {
        auto r = co_await std::move(o);
        race->result.emplace(std::move(r));
        race->timer.cancel();
      },
      asio::detached);
  if (!race->result) co_await race->timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  if (race->result) co_return std::move(*race->result);
  // The deadline won: forget the operation (it finishes into the shared Race, unread).
  if (on_timeout) on_timeout();
  co_return Error(P2PNetworkError::Timeout, std::move(timeout_detail));
}

}  // namespace hauptbuch::p2p::reqresp

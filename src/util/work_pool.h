// WorkPool: worker threads for CPU-heavy, self-contained work that a node hands off from its
// strand and awaits: handshake messages (X25519, ML-KEM-768, Ed25519, ML-DSA-65) and gossipsub
// signature checks. The protocol state stays on the node's one strand; only pure computations
// on data the job owns run here, so a node can use more than one core without locks in its
// protocol cores.
//
// Rules for jobs: a job owns (or shares through shared_ptr) everything it touches, because
// the awaiting coroutine may be destroyed at shutdown while the job still runs; a job does not
// throw (a throwing job is counted as not run and its caller sees no result).
// Lifetime: destroy the pool before the io_context of any coroutine that awaits it. The
// destructor stops the pool and joins its threads: running jobs finish and post their
// completions (to a still-living io_context), jobs not started are dropped.
#pragma once

#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace hauptbuch::p2p::util {

class WorkPool {
 public:
  // `threads` workers (at least 1).
  explicit WorkPool(size_t threads);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Workers for a node that enables parallel processing: the hardware's threads, 1 to 8.
  static size_t default_threads();
  size_t threads() const { return threads_; }

  // Runs every job on the workers (in any order, concurrently) and completes, on the awaiting
  // coroutine's executor, once all have run. No jobs: completes at once.
  asio::awaitable<void> run_all(std::vector<std::function<void()>> jobs);

  // Runs f on a worker and returns its result on the awaiting coroutine's executor; nullopt if
  // f threw.
  template <typename R>
  asio::awaitable<std::optional<R>> call(std::function<R()> f) {
    auto out = std::make_shared<std::optional<R>>();
    std::vector<std::function<void()>> one;
    one.push_back([out, f = std::move(f)] { out->emplace(f()); });
    co_await run_all(std::move(one));
    co_return std::move(*out);
  }

 private:
  template <typename Token>
  auto async_run_all(std::vector<std::function<void()>> jobs, Token&& token) {
    return asio::async_initiate<Token, void()>(
        [self = this](auto handler, std::vector<std::function<void()>> jobs) {
          self->start(std::move(handler), std::move(jobs));
        },
        token, std::move(jobs));
  }

  template <typename Handler>
  void start(Handler handler, std::vector<std::function<void()>> jobs) {
    auto ex = asio::get_associated_executor(handler);
    if (jobs.empty()) {
      asio::post(ex, std::move(handler));
      return;
    }
    // The last job to finish posts the handler; the work guard keeps the handler's io_context
    // from running out of work meanwhile.
    using Guard = asio::executor_work_guard<decltype(ex)>;
    struct State {
      State(size_t n, Handler h, Guard g) : left(n), handler(std::move(h)), guard(std::move(g)) {}
      std::atomic<size_t> left;
      std::optional<Handler> handler;
      std::optional<Guard> guard;
    };
    auto st = std::make_shared<State>(jobs.size(), std::move(handler), asio::make_work_guard(ex));
    for (auto& job : jobs)
      asio::post(pool_, [st, job = std::move(job)]() mutable {
        try {
          job();
        } catch (...) {
          // Jobs must not throw; the caller sees the result it expected as missing.
        }
        job = nullptr;  // release what the job holds before the caller resumes
        if (st->left.fetch_sub(1, std::memory_order_acq_rel) == 1) {
          auto guard = std::move(*st->guard);
          st->guard.reset();
          auto h = std::move(*st->handler);
          st->handler.reset();
          auto hex = asio::get_associated_executor(h);
          asio::post(hex, std::move(h));
        }
      });
  }

  size_t threads_;
  asio::thread_pool pool_;
};

inline asio::awaitable<void> WorkPool::run_all(std::vector<std::function<void()>> jobs) {
  co_await async_run_all(std::move(jobs), asio::use_awaitable);
}

}  // namespace hauptbuch::p2p::util

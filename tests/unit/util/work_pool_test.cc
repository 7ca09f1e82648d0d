// WorkPool: jobs run on worker threads (not the awaiting strand), all of them before the awaiting
// coroutine resumes, and it resumes on its own strand; call() returns results; no jobs and a
// throwing job complete too; destroying the pool with jobs queued is safe.
#include "util/work_pool.h"

#include <gtest/gtest.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

namespace hauptbuch::p2p::util {
namespace {

// Runs `coro` on a strand of `io` until it completes (bounded: 10 s).
template <typename F>
bool run_on_strand(asio::io_context& io, F make_coro) {
  auto strand = asio::make_strand(io);
  bool done = false;
  asio::co_spawn(strand, [&]() -> asio::awaitable<void> {
    co_await make_coro(strand);
    done = true;
  }, asio::detached);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done && std::chrono::steady_clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(50));
  return done;
}

TEST(WorkPool, JobsRunOnWorkersAndTheCallerResumesOnItsStrand) {
  asio::io_context io;
  WorkPool pool(2);
  EXPECT_EQ(pool.threads(), 2u);
  const auto caller = std::this_thread::get_id();
  std::mutex m;
  std::set<std::thread::id> workers;
  std::atomic<int> ran{0};
  bool resumed_on_strand = false;
  ASSERT_TRUE(run_on_strand(io, [&](auto strand) -> asio::awaitable<void> {
    std::vector<std::function<void()>> jobs;
    for (int i = 0; i < 64; ++i)
      jobs.push_back([&] {
        std::lock_guard<std::mutex> l(m);
        workers.insert(std::this_thread::get_id());
        ++ran;
      });
    co_await pool.run_all(std::move(jobs));
    EXPECT_EQ(ran.load(), 64);  // every job ran before the caller resumed
    resumed_on_strand = strand.running_in_this_thread();
  }));
  EXPECT_TRUE(resumed_on_strand);
  EXPECT_FALSE(workers.empty());
  EXPECT_EQ(workers.count(caller), 0u);
}

TEST(WorkPool, CallReturnsTheResultAndEmptyAndThrowingJobsComplete) {
  asio::io_context io;
  WorkPool pool(1);
  std::optional<int> r;
  std::optional<int> thrown = 7;
  ASSERT_TRUE(run_on_strand(io, [&](auto) -> asio::awaitable<void> {
    r = co_await pool.call<int>([] { return 6 * 7; });
    co_await pool.run_all({});
    thrown = co_await pool.call<int>([]() -> int { throw std::runtime_error("job failed"); });
  }));
  EXPECT_EQ(r, 42);
  EXPECT_FALSE(thrown.has_value());
}

TEST(WorkPool, DestroyedWithJobsQueuedDropsThemSafely) {
  asio::io_context io;
  std::atomic<int> ran{0};
  {
    WorkPool pool(1);
    auto strand = asio::make_strand(io);
    asio::co_spawn(strand, [&]() -> asio::awaitable<void> {
      std::vector<std::function<void()>> jobs;
      for (int i = 0; i < 1000; ++i) jobs.push_back([&] { ++ran; });
      co_await pool.run_all(std::move(jobs));
    }, asio::detached);
    io.poll();  // the jobs are queued; the pool goes away with most of them not started
  }
  io.poll();
  EXPECT_LE(ran.load(), 1000);
  EXPECT_GE(WorkPool::default_threads(), 1u);
}

}  // namespace
}  // namespace hauptbuch::p2p::util

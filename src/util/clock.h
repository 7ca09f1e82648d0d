// Time for the sans-I/O protocol cores, and the clock seam (LevelDB's Env idea).
//
// Protocol state machines never read a clock: they take `Time now` as an argument and report
// deadlines as `Time`. Real drivers pass SystemClock::now(); the simulator and tests pass
// virtual time from ManualClock. Time is a steady (monotonic) time point, so virtual time can
// start anywhere, e.g. Time{} + 5s.
#pragma once

#include <chrono>

namespace hauptbuch::p2p {

using Clock = std::chrono::steady_clock;
using Time = Clock::time_point;
using Duration = Clock::duration;

// Source of the current time, swapped out in tests and in the simulator.
class ClockSource {
 public:
  virtual ~ClockSource() = default;
  virtual Time now() const = 0;
};

class SystemClock final : public ClockSource {
 public:
  Time now() const override { return Clock::now(); }
  static SystemClock& instance() {
    static SystemClock c;
    return c;
  }
};

// A clock that only moves when told to. Not thread-safe: one simulator thread owns it.
class ManualClock final : public ClockSource {
 public:
  explicit ManualClock(Time start = Time{} + std::chrono::hours(1)) : now_(start) {}
  Time now() const override { return now_; }
  void advance(Duration d) { now_ += d; }
  void set(Time t) { now_ = t; }

 private:
  Time now_;
};

}  // namespace hauptbuch::p2p

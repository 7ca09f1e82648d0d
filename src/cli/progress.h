// ProgressBar: a one-line progress bar for an interactive terminal ("\r[#####.....]  50% phase
// 5/10"), redrawn only when its text changes. It is silent when stderr is not a TTY, with
// --json, or under CI (env CI set), so logs and machine output never contain bar fragments.
// Output goes through a sink function, so tests capture it in a string. Not thread-safe: call
// it from the one thread that drives the run.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace hauptbuch::p2p::cli {

class ProgressBar {
 public:
  using Sink = std::function<void(std::string_view)>;
  // Bar width in characters (the whole line stays under 80 columns with a short phase name).
  static constexpr size_t kBarWidth = 30;
  // Phase names longer than this are cut (a line that wraps breaks "\r" redrawing).
  static constexpr size_t kMaxPhaseChars = 24;

  // `enabled` false: every call is a no-op.
  ProgressBar(Sink sink, bool enabled);
  // The policy: draw only on a TTY, not with --json, not under CI.
  static bool should_draw(bool stderr_is_tty, bool json, bool ci);
  // A bar on stderr following the policy (isatty(2), getenv("CI")).
  static ProgressBar for_stderr(bool json);

  // Shows `done` of `total` for `phase` (done is clamped to total; total 0 shows 100%).
  void update(std::string_view phase, size_t done, size_t total);
  // Ends the line (a newline) if anything was drawn. Idempotent.
  void finish();
  ~ProgressBar();

  bool enabled() const noexcept { return enabled_; }
  // The text of the last drawn line (without "\r"), for tests.
  const std::string& last_line() const noexcept { return last_; }

 private:
  Sink sink_;
  bool enabled_;
  bool drawn_ = false;
  std::string last_;
};

}  // namespace hauptbuch::p2p::cli

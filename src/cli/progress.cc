// ProgressBar. See progress.h.
#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace hauptbuch::p2p::cli {

ProgressBar::ProgressBar(Sink sink, bool enabled) : sink_(std::move(sink)), enabled_(enabled && sink_) {}

ProgressBar::~ProgressBar() { finish(); }

bool ProgressBar::should_draw(bool stderr_is_tty, bool json, bool ci) { return stderr_is_tty && !json && !ci; }

ProgressBar ProgressBar::for_stderr(bool json) {
  const char* ci = std::getenv("CI");
  const bool under_ci = ci != nullptr && ci[0] != '\0';
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  return ProgressBar(
      [](std::string_view s) {
        std::fwrite(s.data(), 1, s.size(), stderr);
        std::fflush(stderr);
      },
      should_draw(tty, json, under_ci));
}

void ProgressBar::update(std::string_view phase, size_t done, size_t total) {
  if (!enabled_) return;
  done = std::min(done, total);
  const size_t pct = total == 0 ? 100 : done * 100 / total;
  const size_t filled = total == 0 ? kBarWidth : done * kBarWidth / total;
  std::string line = "[";
  line.append(filled, '#').append(kBarWidth - filled, '.').append("] ");
  char buf[8];
  std::snprintf(buf, sizeof buf, "%3zu%%", pct);
  line.append(buf).append(" ");
  for (char c : phase.substr(0, kMaxPhaseChars)) line.push_back(c >= 0x20 && c != 0x7F ? c : '?');
  line.append(" ").append(std::to_string(done)).append("/").append(std::to_string(total));
  if (drawn_ && line == last_) return;
  // Pad with spaces to erase the rest of a longer previous line.
  std::string out = "\r";
  out.append(line);
  if (last_.size() > line.size()) out.append(last_.size() - line.size(), ' ');
  sink_(out);
  last_ = std::move(line);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!enabled_ || !drawn_) return;
  sink_("\n");
  drawn_ = false;
  last_.clear();
}

}  // namespace hauptbuch::p2p::cli

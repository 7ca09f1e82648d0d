// Tests of the TTY progress bar on a string sink: drawing, redraw suppression, padding,
// finish, and the policy (silent without a TTY, with --json, under CI).
#include "cli/progress.h"

#include <gtest/gtest.h>

namespace hauptbuch::p2p::cli {
namespace {

TEST(Progress, DrawsAndFinishes) {
  std::string out;
  {
    ProgressBar bar([&](std::string_view s) { out.append(s); }, true);
    bar.update("connect", 0, 10);
    bar.update("connect", 5, 10);
    bar.update("connect", 5, 10);  // same text: no redraw
    bar.update("connect", 20, 10);  // clamped
    bar.finish();
    bar.finish();  // idempotent
  }
  const std::string bar30 = std::string(30, '#');
  EXPECT_EQ(out,
            "\r[" + std::string(30, '.') + "]   0% connect 0/10"
            "\r[" + std::string(15, '#') + std::string(15, '.') + "]  50% connect 5/10"
            "\r[" + bar30 + "] 100% connect 10/10"
            "\n");
}

TEST(Progress, PadsShorterLinesAndSanitizesPhase) {
  std::string out;
  ProgressBar bar([&](std::string_view s) { out.append(s); }, true);
  bar.update("a-very-long-phase-name", 1, 1);
  out.clear();
  bar.update("x\n", 0, 0);
  EXPECT_EQ(out, "\r[" + std::string(30, '#') + "] 100% x? 0/0" + std::string(20, ' '));
  EXPECT_EQ(bar.last_line(), "[" + std::string(30, '#') + "] 100% x? 0/0");
  bar.update(std::string(100, 'p'), 1, 2);
  EXPECT_EQ(bar.last_line().find(std::string(ProgressBar::kMaxPhaseChars + 1, 'p')), std::string::npos);
}

TEST(Progress, DisabledIsSilent) {
  std::string out;
  {
    ProgressBar bar([&](std::string_view s) { out.append(s); }, false);
    bar.update("x", 1, 2);
    bar.finish();
  }
  EXPECT_EQ(out, "");
}

TEST(Progress, Policy) {
  EXPECT_TRUE(ProgressBar::should_draw(true, false, false));
  EXPECT_FALSE(ProgressBar::should_draw(false, false, false));
  EXPECT_FALSE(ProgressBar::should_draw(true, true, false));
  EXPECT_FALSE(ProgressBar::should_draw(true, false, true));
}

}  // namespace
}  // namespace hauptbuch::p2p::cli

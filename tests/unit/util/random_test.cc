// RandomSource: seeded streams repeat, differ by seed, and uniform() stays in range; the fast
// stream is independent per instance and fills any size.
#include "util/random.h"

#include <gtest/gtest.h>

#include <set>

#include "util/clock.h"

namespace hauptbuch::p2p {
namespace {

TEST(Random, SeededIsReproducibleAndSeedDependent) {
  SeededRandom a(1), b(1), c(2);
  Bytes x(64), y(64), z(64);
  a.fill(x);
  b.fill(y);
  c.fill(z);
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
}

TEST(Random, UniformStaysInRangeAndCoversIt) {
  SeededRandom r(3);
  bool seen[7] = {};
  for (int i = 0; i < 1000; ++i) {
    uint64_t v = r.uniform(7);
    ASSERT_LT(v, 7u);
    seen[v] = true;
  }
  for (bool s : seen) EXPECT_TRUE(s);
}

TEST(Random, SystemRandomProducesDistinctOutputs) {
  Bytes x(32), y(32);
  SystemRandom::instance().fill(x);
  SystemRandom::instance().fill(y);
  EXPECT_NE(x, y);
}

// FastRandom: two instances (independent keys) differ; one stream never repeats a 32-byte
// window across block boundaries (its rekeying bytes are not output); sizes of 0 to 2,000 bytes,
// across several 512-byte blocks, are filled; and the bits are balanced.
TEST(Random, FastRandomIsIndependentAndFillsAnySize) {
  FastRandom a, b;
  Bytes x(32), y(32);
  a.fill(x);
  b.fill(y);
  EXPECT_NE(x, y);
  std::set<Bytes> seen;
  for (int i = 0; i < 200; ++i) {  // 6,400 bytes: a dozen blocks
    Bytes w(32);
    a.fill(w);
    EXPECT_TRUE(seen.insert(w).second);
  }
  size_t ones = 0, bits = 0;
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{480}, size_t{481}, size_t{2000}}) {
    Bytes out(n, 0);
    a.fill(out);
    for (uint8_t v : out) ones += static_cast<size_t>(__builtin_popcount(v));
    bits += 8 * n;
  }
  EXPECT_GT(ones, bits * 45 / 100);
  EXPECT_LT(ones, bits * 55 / 100);
  for (int i = 0; i < 1000; ++i) ASSERT_LT(a.uniform(10), 10u);
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock c;
  Time t0 = c.now();
  EXPECT_EQ(c.now(), t0);
  c.advance(std::chrono::milliseconds(5));
  EXPECT_EQ(c.now() - t0, std::chrono::milliseconds(5));
}

}  // namespace
}  // namespace hauptbuch::p2p

// The progress line of long work (cli/progress.h): what it draws, when, and that it draws nothing
// off a terminal. A fake clock stands in for time.
#include "progress.h"

#include <gtest/gtest.h>

#include <sstream>

#include "soquy/i18n.h"

namespace soquy::cli {
namespace {

using std::chrono::milliseconds;
using TimePoint = std::chrono::steady_clock::time_point;

struct FakeClock {
  TimePoint now{};
  void advance(int ms) { now += milliseconds(ms); }
};

ProgressLine::Settings terminal() {
  ProgressLine::Settings s;
  s.terminal = true;
  return s;
}

TEST(ProgressLineTest, FormatsDoneOfTotalRateAndTimeLeft) {
  EXPECT_EQ(ProgressLine::format(1200, 5000, milliseconds(2000), "rows"), "1,200 / 5,000 rows · 600 rows/s · 0:07 left");
  EXPECT_EQ(ProgressLine::format(1, 1'000'000, milliseconds(1000), "rows"),
            "1 / 1,000,000 rows · 1 rows/s · 277:46:39 left");
  // Time left is rounded up to a whole second.
  EXPECT_EQ(ProgressLine::format(1, 3, milliseconds(1500), "rows"), "1 / 3 rows · 0 rows/s · 0:03 left");
}

TEST(ProgressLineTest, WithoutATotalShowsDoneAndRate) {
  EXPECT_EQ(ProgressLine::format(45000, 0, milliseconds(3000), "entries"), "45,000 entries · 15,000 entries/s");
  // Nothing done yet: no time left to estimate.
  EXPECT_EQ(ProgressLine::format(0, 10, milliseconds(1000), "rows"), "0 / 10 rows · 0 rows/s");
}

// In Vietnamese (the default language of the CLI): the words from the catalog, the unit
// translated, digits grouped with dots.
TEST(ProgressLineTest, InVietnamese) {
  set_language(Language::kVi);
  EXPECT_EQ(ProgressLine::format(1200, 5000, milliseconds(2000), "rows"), "1.200 / 5.000 dòng · 600 dòng/giây · còn 0:07");
  EXPECT_EQ(ProgressLine::format(45000, 0, milliseconds(3000), "entries"), "45.000 bút toán · 15.000 bút toán/giây");
  EXPECT_EQ(ProgressLine::format(0, 10, milliseconds(1000), "rows"), "0 / 10 dòng · 0 dòng/giây");
  set_language(Language::kEn);
}

TEST(ProgressLineTest, SilentForTheFirstSecond) {
  FakeClock clock;
  std::ostringstream out;
  {
    ProgressLine p(out, terminal(), [&] { return clock.now; });
    clock.advance(999);
    p.update(10, 100);
  }
  EXPECT_EQ(out.str(), "");
}

TEST(ProgressLineTest, DrawsAtMostFourTimesASecondOnOneLineAndWipesIt) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine p(out, terminal(), [&] { return clock.now; });
  clock.advance(1000);
  p.update(100, 400);  // drawn
  clock.advance(100);
  p.update(110, 400);  // too soon: not drawn
  clock.advance(150);
  p.update(125, 400);  // 250 ms after the last: drawn
  const std::string first = "\r100 / 400 rows · 100 rows/s · 0:03 left";
  const std::string second = "\r125 / 400 rows · 100 rows/s · 0:03 left";
  EXPECT_EQ(out.str(), first + second);
  p.finish();
  // Wiped: spaces over the widest line drawn (counted in characters, not UTF-8 bytes: "·" is
  // two bytes), then '\r'.
  EXPECT_EQ(out.str(), first + second + "\r" + std::string(39, ' ') + "\r");
  p.finish();  // a second finish writes nothing
  EXPECT_EQ(out.str(), first + second + "\r" + std::string(39, ' ') + "\r");
}

TEST(ProgressLineTest, AShorterLinePadsOverTheLongerOne) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine p(out, terminal(), [&] { return clock.now; });
  clock.advance(1000);
  p.update(10000, 0);  // "10,000 rows · 10,000 rows/s"
  clock.advance(9000);
  p.update(10001, 0);  // "10,001 rows · 1,000 rows/s": one character shorter
  EXPECT_EQ(out.str(), "\r10,000 rows · 10,000 rows/s\r10,001 rows · 1,000 rows/s ");
}

TEST(ProgressLineTest, NothingOffATerminal) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine::Settings s;  // terminal = false: a pipe, a file, or --quiet
  s.after = milliseconds(0);
  {
    ProgressLine p(out, s, [&] { return clock.now; });
    for (int i = 0; i < 100; ++i) {
      clock.advance(1000);
      p.update(i, 100);
    }
  }
  EXPECT_EQ(out.str(), "");
}

TEST(ProgressLineTest, TheDelayCanBeLoweredToZero) {
  FakeClock clock;
  std::ostringstream out;
  auto s = terminal();
  s.after = milliseconds(0);
  ProgressLine p(out, s, [&] { return clock.now; });
  p.update(0, 5);
  EXPECT_EQ(out.str(), "\r0 / 5 rows · 0 rows/s");
}

}  // namespace
}  // namespace soquy::cli

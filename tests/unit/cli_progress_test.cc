// The progress line of long work (cli/progress.h): what it draws, when, and that it draws nothing
// off a terminal. A fake clock stands in for time.
#include "progress.h"

#include <gtest/gtest.h>

#include <sstream>

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
  EXPECT_EQ(ProgressLine::format(1200, 5000, milliseconds(2000), "dòng"),
            "1.200 / 5.000 dòng · 600 dòng/giây · còn 0:07 (rows, rate, time left)");
  EXPECT_EQ(ProgressLine::format(1, 1'000'000, milliseconds(1000), "dòng"),
            "1 / 1.000.000 dòng · 1 dòng/giây · còn 277:46:39 (rows, rate, time left)");
  // Time left rounds up: 1 of 3 rows in 1.5 s leaves 3 s.
  EXPECT_EQ(ProgressLine::format(1, 3, milliseconds(1500), "dòng"),
            "1 / 3 dòng · 0 dòng/giây · còn 0:03 (rows, rate, time left)");
}

TEST(ProgressLineTest, WithoutATotalShowsDoneAndRate) {
  EXPECT_EQ(ProgressLine::format(45000, 0, milliseconds(3000), "bút toán"),
            "45.000 bút toán · 15.000 bút toán/giây (rows, rate)");
  // Nothing done yet: no time left to guess.
  EXPECT_EQ(ProgressLine::format(0, 10, milliseconds(1000), "dòng"), "0 / 10 dòng · 0 dòng/giây (rows, rate)");
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
  const std::string first = "\r100 / 400 dòng · 100 dòng/giây · còn 0:03 (rows, rate, time left)";
  const std::string second = "\r125 / 400 dòng · 100 dòng/giây · còn 0:03 (rows, rate, time left)";
  EXPECT_EQ(out.str(), first + second);
  p.finish();
  // Wiped: spaces over the widest line drawn (counted in characters, not UTF-8 bytes), then '\r'.
  EXPECT_EQ(out.str(), first + second + "\r" + std::string(65, ' ') + "\r");
  p.finish();  // a second finish writes nothing
  EXPECT_EQ(out.str(), first + second + "\r" + std::string(65, ' ') + "\r");
}

TEST(ProgressLineTest, AShorterLinePadsOverTheLongerOne) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine p(out, terminal(), [&] { return clock.now; });
  clock.advance(1000);
  p.update(10000, 0);  // "10.000 dòng · 10.000 dòng/giây (rows, rate)"
  clock.advance(9000);
  p.update(10001, 0);  // "10.001 dòng · 1.000 dòng/giây (rows, rate)": one character shorter
  EXPECT_EQ(out.str(), "\r10.000 dòng · 10.000 dòng/giây (rows, rate)\r10.001 dòng · 1.000 dòng/giây (rows, rate) ");
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
  EXPECT_EQ(out.str(), "\r0 / 5 dòng · 0 dòng/giây (rows, rate)");
}

}  // namespace
}  // namespace soquy::cli

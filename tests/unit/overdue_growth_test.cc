// The "overdue grew" rule shared by the fund's and the VBSP year-on-year reports.
#include <gtest/gtest.h>

#include "soquy/overdue_growth.h"

namespace soquy {
namespace {

OverdueAmounts amounts(std::int64_t overdue, std::int64_t outstanding) {
  return {.overdue = Money(overdue), .outstanding = Money(outstanding)};
}

TEST(OverdueGrowth, RatioIsExactAndZeroWhenNothingIsOutstanding) {
  EXPECT_EQ(overdue_ratio(amounts(1, 3)), Rational(1, 3));
  EXPECT_EQ(overdue_ratio(amounts(0, 0)), Rational(0));
}

TEST(OverdueGrowth, AmountOrRatio) {
  EXPECT_FALSE(overdue_grew(amounts(100, 1000), amounts(100, 1000)));  // the same
  EXPECT_TRUE(overdue_grew(amounts(100, 1000), amounts(90, 500)));     // less, but a larger share
  EXPECT_TRUE(overdue_grew(amounts(100, 1000), amounts(101, 2000)));   // a smaller share, but more
  EXPECT_FALSE(overdue_grew(amounts(100, 1000), amounts(100, 2000)));  // equal, smaller share
  EXPECT_FALSE(overdue_grew(amounts(100, 1000), amounts(0, 0)));       // nothing left
  EXPECT_TRUE(overdue_grew(amounts(0, 0), amounts(1, 10)));            // from nothing
}

}  // namespace
}  // namespace soquy

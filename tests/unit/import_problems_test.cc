// The import-problem collector: the exact message importers of loans and VBSP files print.
#include <gtest/gtest.h>

#include <string>

#include "soquy/import_problems.h"

namespace soquy {
namespace {

TEST(ImportProblems, StartsEmpty) {
  ImportProblems p("a.csv");
  EXPECT_TRUE(p.empty());
  EXPECT_EQ(p.size(), 0u);
}

TEST(ImportProblems, SortsByLineKeepingTheOrderWithinALine) {
  ImportProblems p("loans.csv");
  p.add(7, "amount", "empty");
  p.add(3, "date", "'31/02/2024' is not a date");
  p.add(7, "loan", "'L1' is also on line 3");
  EXPECT_FALSE(p.empty());
  EXPECT_EQ(p.size(), 3u);
  Error e = p.error();
  EXPECT_EQ(e.kind(), ErrorKind::kBadInput);
  EXPECT_EQ(e.message(),
            "loans.csv: nothing was imported; 3 problem(s):\n"
            "  loans.csv:3: date: '31/02/2024' is not a date\n"
            "  loans.csv:7: amount: empty\n"
            "  loans.csv:7: loan: 'L1' is also on line 3");
}

TEST(ImportProblems, ListsTheFirstTwentyThenCountsTheRest) {
  ImportProblems p("r.xlsx");
  for (std::size_t line = 30; line >= 2; --line) p.add(line, "row", "bad");
  std::string expected = "r.xlsx: nothing was imported; 29 problem(s):";
  for (std::size_t line = 2; line < 2 + ImportProblems::kMaxReported; ++line)
    expected += "\n  r.xlsx:" + std::to_string(line) + ": row: bad";
  expected += "\n  … and 9 more";
  EXPECT_EQ(p.error().message(), expected);
}

TEST(ImportProblems, ExactlyTwentyHasNoTail) {
  ImportProblems p("f.csv");
  for (std::size_t line = 1; line <= 20; ++line) p.add(line, "c", "x");
  EXPECT_EQ(p.error().message().find("more"), std::string::npos);
}

}  // namespace
}  // namespace soquy

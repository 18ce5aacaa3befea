// Typos forgiven (cli/suggest.h): the distance, the choice of a suggestion, the walk down the
// command tree.
#include "suggest.h"

#include <gtest/gtest.h>

#include <sstream>

namespace soquy::cli {
namespace {

TEST(SuggestTest, DamerauLevenshteinCountsATranspositionAsOneEdit) {
  EXPECT_EQ(edit_distance("list", "list"), 0u);
  EXPECT_EQ(edit_distance("lsit", "list"), 1u);     // transposition
  EXPECT_EQ(edit_distance("fromat", "format"), 1u);
  EXPECT_EQ(edit_distance("blance", "balance"), 1u);  // insertion
  EXPECT_EQ(edit_distance("lost", "list"), 1u);     // substitution
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(SuggestTest, SuggestsOnlyWhatIsNearEnough) {
  const std::vector<std::string> commands{"list", "show", "disburse", "repay", "schedule"};
  EXPECT_EQ(nearest("lsit", commands), "list");
  EXPECT_EQ(nearest("disbruse", commands), "disburse");
  EXPECT_EQ(nearest("shedule", commands), "schedule");
  EXPECT_EQ(nearest("xyzzy", commands), std::nullopt);
  EXPECT_EQ(nearest("zz", {"ab", "cd"}), std::nullopt);  // every letter changed is no suggestion
  // A longer word may be a third of its length away.
  EXPECT_EQ(nearest("--delimitter-x", {"--delimiter"}), "--delimiter");
}

// A small tree like soquy's: soquy [--db] loan list [--format], loan show ID.
struct Tree {
  CLI::App app{"test", "soquy"};
  std::string db, format, id;
  bool quiet = false;
  Tree() {
    app.add_option("--db", db);
    app.add_flag("--quiet,-q", quiet);
    auto* loan = app.add_subcommand("loan");
    loan->add_subcommand("list")->add_option("--format", format);
    loan->add_subcommand("show")->add_option("ID", id);
    app.add_subcommand("balance");
  }
  std::string walk(std::vector<const char*> args) {
    args.insert(args.begin(), "soquy");
    std::ostringstream err;
    const bool named = names_unknown_words(app, static_cast<int>(args.size()), args.data(), err);
    return named ? err.str() : "(known)";
  }
};

TEST(SuggestTest, WalksDownTheTreeToTheMistypedWord) {
  Tree t;
  EXPECT_EQ(t.walk({"--db", "x.db", "loan", "list", "--format", "json"}), "(known)");
  EXPECT_EQ(t.walk({"loan", "show", "L-1"}), "(known)");  // an argument, not a command
  EXPECT_EQ(t.walk({"loan", "--db=x.db", "list"}), "(known)");  // a parent's option
  EXPECT_EQ(t.walk({"--quiet", "loan", "-q", "list"}), "(known)");  // a flag takes no value
  // The unit tests run in English (the catalog's Vietnamese: the goldens err_unknown_*).
  EXPECT_EQ(t.walk({"blance"}), "soquy: unknown command 'blance'; did you mean 'soquy balance'?\n");
  EXPECT_EQ(t.walk({"loan", "lsit"}), "soquy: unknown command 'lsit' in 'soquy loan'; did you mean 'soquy loan list'?\n");
  EXPECT_EQ(t.walk({"loan", "list", "--fromat", "json"}),
            "soquy: unknown option '--fromat' for 'soquy loan list'; did you mean '--format'?\n");
  EXPECT_EQ(t.walk({"xyzzy"}), "soquy: unknown command 'xyzzy'. Commands: loan, balance\n");
}

}  // namespace
}  // namespace soquy::cli

// soquy — the problems of one imported file, gathered so they are reported all at once.
//
// An import reads every row before it writes anything, and a rejected file should come back
// with every problem it has, not only the first: fixing a file one error per run is what users
// of the union's spreadsheets hate most. Importers (loans, VBSP) add each problem as they find
// it and, if there is any, fail with error() before writing; nothing is then imported.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "soquy/error.h"

namespace soquy {

class ImportProblems {
 public:
  // error() lists at most this many problems, then says how many more there are.
  static constexpr std::size_t kMaxReported = 20;

  // `path` is the file as the user named it; every message starts with it.
  explicit ImportProblems(std::string path);

  // Records "PATH:LINE: COLUMN: WHAT". `line` is the file's line (a CSV record's first physical
  // line, or an .xlsx sheet's row number); `column` the column's canonical name, or "row" or
  // "header" for problems of the whole record. Problems need not be added in line order.
  void add(std::size_t line, std::string_view column, std::string_view what);

  bool empty() const { return list_.empty(); }
  std::size_t size() const { return list_.size(); }

  // A kBadInput error: "PATH: nothing was imported; N problem(s):" followed, one per line and
  // indented by two spaces, by the problems sorted by line (problems of one line in the order
  // they were added), the first kMaxReported of them, then "… and M more" if there are more.
  // Meant to be called when !empty(); with no problems it says "0 problem(s):".
  Error error() const;

 private:
  std::string path_;
  std::vector<std::pair<std::size_t, std::string>> list_;  // (line, message)
};

}  // namespace soquy

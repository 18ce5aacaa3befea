// The problems of one imported file (import_problems.h).
#include "soquy/import_problems.h"

#include <algorithm>

#include <fmt/format.h>

#include "soquy/i18n.h"

namespace soquy {

ImportProblems::ImportProblems(std::string path) : path_(std::move(path)) {}

void ImportProblems::add(std::size_t line, std::string_view column, std::string_view what) {
  list_.emplace_back(line, fmt::format("{}:{}: {}: {}", path_, line, column, what));
}

Error ImportProblems::error() const {
  auto sorted = list_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string message = fmt::format(fmt::runtime(tr("{}: nothing was imported; {} problem(s):")), path_, sorted.size());
  for (std::size_t i = 0; i < sorted.size() && i < kMaxReported; ++i) message += "\n  " + sorted[i].second;
  if (sorted.size() > kMaxReported)
    message += "\n  " + fmt::format(fmt::runtime(tr("… and {} more")), sorted.size() - kMaxReported);
  return Error::bad_input(message);
}

}  // namespace soquy

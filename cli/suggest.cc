#include "suggest.h"

#include "soquy/i18n.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace soquy::cli {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // d[i][j]: distance between the first i bytes of a and the first j of b.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance && d < std::max(word.size(), c.size())) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

namespace {

// The option `name` ("--format") of `cmd` or of a command above it (global options fall through).
const CLI::Option* find_option(const CLI::App* cmd, const std::string& name) {
  for (; cmd != nullptr; cmd = cmd->get_parent())
    if (const auto* o = cmd->get_option_no_throw(name)) return o;
  return nullptr;
}

// Every --long name that `cmd` accepts, its own first.
std::vector<std::string> option_names(const CLI::App* cmd) {
  std::vector<std::string> names;
  for (; cmd != nullptr; cmd = cmd->get_parent())
    for (const auto* o : cmd->get_options())
      for (const auto& l : o->get_lnames()) names.push_back("--" + l);
  return names;
}

std::vector<std::string> command_names(CLI::App* cmd) {
  std::vector<std::string> names;
  for (const auto* sub : cmd->get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

// A group that takes no argument of its own: any other word there is a mistyped command.
bool only_commands(CLI::App* cmd) {
  if (cmd->get_subcommands([](CLI::App*) { return true; }).empty()) return false;
  return cmd->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
}

void unknown_command(CLI::App* cmd, const std::string& path, std::string_view word, std::ostream& err) {
  const auto names = command_names(cmd);
  const bool top = path == "soquy";
  if (auto guess = nearest(word, names)) {
    const std::string meant = path + " " + *guess;
    err << "soquy: "
        << (top ? fmt::format(fmt::runtime(tr("unknown command '{0}'; did you mean '{1}'?")), word, meant)
                : fmt::format(fmt::runtime(tr("unknown command '{0}' in '{1}'; did you mean '{2}'?")), word, path,
                              meant))
        << "\n";
    return;
  }
  const std::string list = fmt::format("{}", fmt::join(names, ", "));
  err << "soquy: "
      << (top ? fmt::format(fmt::runtime(tr("unknown command '{0}'. Commands: {1}")), word, list)
              : fmt::format(fmt::runtime(tr("unknown command '{0}' in '{1}'. Commands: {2}")), word, path, list))
      << "\n";
}

void unknown_option(const CLI::App* cmd, const std::string& path, std::string_view option, std::ostream& err) {
  if (auto guess = nearest(option, option_names(cmd))) {
    err << "soquy: "
        << fmt::format(fmt::runtime(tr("unknown option '{0}' for '{1}'; did you mean '{2}'?")), option, path, *guess)
        << "\n";
    return;
  }
  err << "soquy: " << fmt::format(fmt::runtime(tr("unknown option '{0}' for '{1}'; see {1} --help")), option, path)
      << "\n";
}

// How many of the words after an option are its values (CLI11 takes every word up to the next
// option for an option of several values).
int values_after(const CLI::Option* o, bool value_attached, int i, int argc, const char* const* argv) {
  if (value_attached || o->get_items_expected_max() == 0) return 0;  // a flag takes none
  if (o->get_items_expected_max() <= 1) return 1;
  int n = 0;
  while (i + 1 + n < argc && argv[i + 1 + n][0] != '-') ++n;
  return n;
}

}  // namespace

bool names_unknown_words(CLI::App& app, int argc, const char* const* argv, std::ostream& err) {
  CLI::App* cmd = &app;
  std::string path = "soquy";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 2 && arg.substr(0, 2) == "--") {
      const auto eq = arg.find('=');
      const std::string name(arg.substr(0, eq));
      const auto* o = find_option(cmd, name);
      if (o == nullptr) {
        unknown_option(cmd, path, name, err);
        return true;
      }
      i += values_after(o, eq != std::string_view::npos, i, argc, argv);
      continue;
    }
    if (arg.size() > 1 && arg.front() == '-') {  // a short option (or a negative number): CLI11's
      const auto* o = find_option(cmd, std::string(arg.substr(0, 2)));
      if (o != nullptr && arg.size() == 2) i += values_after(o, false, i, argc, argv);
      continue;
    }
    auto subs = cmd->get_subcommands([&](CLI::App* sub) { return sub->get_name() == arg; });
    if (!subs.empty()) {
      cmd = subs.front();
      path += " " + std::string(arg);
      continue;
    }
    if (only_commands(cmd)) {
      unknown_command(cmd, path, arg, err);
      return true;
    }
  }
  return false;
}

}  // namespace soquy::cli

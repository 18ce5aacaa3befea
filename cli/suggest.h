// Typos forgiven: an unknown command word or option, at any level, is named with the nearest
// one ("did you mean 'soquy loan list'?") before CLI11 would answer "A subcommand is required"
// or "The following argument was not expected".
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace soquy::cli {

// Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions
// and transpositions of neighbours each cost 1), on bytes: command words and options are ASCII.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, when it is near enough to be what was meant: at most 2 edits
// (a third of the word's length for longer words) and fewer edits than its own length. The first
// candidate wins a tie.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

// Walks the arguments as CLI11 will: command words down the tree, options (with their values)
// of the command reached or its parents. At the first word that is neither a command of a group
// without arguments nor a known --option, writes the message to `err` (with a suggestion or the
// list of commands) and returns true: a usage error, exit 2. False when everything is known.
bool names_unknown_words(CLI::App& app, int argc, const char* const* argv, std::ostream& err);

}  // namespace soquy::cli

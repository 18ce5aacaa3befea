// soquy — the demo data set: a small fund with two years of plausible activity.
//
// Deterministic for a given seed, so the tour printed by `soquy demo` is reproducible. Later
// engines (loans, groups, VBSP) add their own demo data through the same Ledger calls.
#pragma once

#include <cstdint>
#include <string>

#include "soquy/ledger.h"

namespace soquy {

struct DemoOptions {
  std::uint64_t seed = 2020;  // the Trà Vinh work programme's year
  Date start = *Date::from_ymd(2025, 1, 2);
  int months = 22;            // up to October 2026
  int members = 40;
};

struct DemoSummary {
  std::int64_t entries = 0;
  std::int64_t reversals = 0;
  Date first;
  Date last;
};

// Creates the database of `soquy demo` at `path` (purpose "demo", admin user "admin"). A file
// already at `path` is replaced only when `replace` is set **and** it is empty or a demo database;
// a database of real books is never replaced, whoever asks (kCantCreate, the file untouched).
Result<std::unique_ptr<Ledger>> create_demo_ledger(const std::string& path, bool replace);

// Fills a freshly created ledger. Writes everything in one transaction.
Result<DemoSummary> build_demo(Ledger& ledger, const DemoOptions& options = {});

}  // namespace soquy

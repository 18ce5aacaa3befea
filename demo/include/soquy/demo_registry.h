// soquy — the demo province: the Trà Vinh 2020 unit tree, the 1 July 2025 merge into Vĩnh Long,
// 2,000 members with Kinh, Khmer and Hoa names, and groups of every kind.
//
// Built in code (nothing is read from disk, so `soquy demo` works from any directory) from the
// same data as fixtures/registry/tra_vinh_2020.csv and reform_2025.csv. Deterministic for a seed:
// it draws from its own std::mt19937_64, so the journal demo's random sequence (and its asserted
// entry count) is untouched. Every member joins on or before 2024-12-31 and nobody leaves, so a
// member count dated before the merge and one dated after add up to the same total.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "soquy/civil_date.h"
#include "soquy/ledger.h"

namespace soquy {

struct RegistryDemoSummary {
  std::int64_t units = 0;        // units created (the 2020 tree and the new province)
  std::int64_t merges = 0;       // merges recorded on `merge_on`
  std::int64_t members = 0;
  std::int64_t kinh = 0;
  std::int64_t khmer = 0;
  std::int64_t hoa = 0;
  std::int64_t poor = 0;
  std::int64_t near_poor = 0;
  std::int64_t groups = 0;
  std::int64_t memberships = 0;  // group joins, leaders included
  Date last_joined;              // the latest date a member joined the union
  Date merge_on;                 // 2025-07-01
};

// A woman's name as the demo province writes it, drawn from `rng`: "Khmer" gives a family name,
// "Thị" and a Khmer given name ("Thạch Thị Sa Ra"), "Hoa" a Hoa family and given name, anything
// else a Kinh family, middle and given name. The VBSP demo (demo_vbsp.h) names its borrowers
// with it too.
std::string demo_woman_name(std::mt19937_64& rng, std::string_view ethnicity);

// The number of members the demo registers.
inline constexpr std::int64_t kRegistryDemoMembers = 2000;

// Fills the registry of `ledger` (which must have no units yet) in one transaction; the
// acting user must be allowed to write in the fund book.
Result<RegistryDemoSummary> build_registry_demo(Ledger& ledger, std::uint64_t seed = 2020);

}  // namespace soquy

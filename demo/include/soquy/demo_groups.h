// soquy — the demo's hụi and savings groups: a year or two of rounds and meetings on the demo
// province's own groups (demo_registry.h), through the public Rosca and Savings engines only.
//
// Three hụi (the province's rosca groups, each held by its leader, shares held by its members in
// member-code order, a member holding two shares when the group is small):
//   HUI-CL-AT  fixed order, 12 shares of 2,000,000 a month, fee 100,000, 2025-02-10 … 2026-01-10,
//              closed 2026-01-15; in round 5 one member pays 12 days late and the holder advances
//              her due so the winner is paid on the day;
//   HUI-TC-KS  lottery, 10 shares of 1,000,000, fee 50,000, 2025-09-15 … 2026-06-15, each draw
//              with a recorded seed; closed 2026-06-20;
//   HUI-CN-KH  bidding, 12 shares of 3,000,000, fee 30,000, 2025-12-20 … 2026-11-20, two bidders
//              a round; round 1's winning bid of 300,000 gives its winner an implied rate above
//              the 20 %/year cap (rosca status warns, for her only); still open at the demo's end.
// Two savings groups, 12 monthly meetings then a share-out:
//   TK-CL-AT   shares of 50,000 (1–4 a meeting), social fund 5,000, share-out by shares on
//              2026-06-20 after meetings 2025-07-05 … 2026-06-05; three group loans, repaid;
//   TK-TC-KS   deposits (100,000–300,000), share-out time-weighted on 2026-07-25 after meetings
//              2025-08-10 … 2026-07-10; two group loans, repaid, and one withdrawal.
// Deterministic for a seed (SplitMix64, integer draws only).
#pragma once

#include <cstdint>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/ledger.h"

namespace soquy {

struct GroupsDemoSummary {
  std::int64_t roscas = 0;         // hụi with an agreement
  std::int64_t rounds = 0;         // opened
  std::int64_t payouts = 0;
  std::int64_t advances = 0;       // dues the holder advanced
  std::int64_t closed = 0;         // hụi wound down
  std::int64_t savings_groups = 0;
  std::int64_t meetings = 0;
  std::int64_t group_loans = 0;
  std::int64_t shareouts = 0;
  std::int64_t entries = 0;        // journal entries posted by this demo
  Date first;
  Date last;
};

// Needs the demo province (build_registry_demo) in `ledger`; writes in one transaction.
Result<GroupsDemoSummary> build_groups_demo(Ledger& ledger, std::uint64_t seed = 2026);

}  // namespace soquy

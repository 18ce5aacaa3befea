// soquy — report builders for the registry: units, members, and member counts. Each takes data
// from soquy::Registry and shapes a Report; JSON shapes are the ones documented in docs/cli.md.
#pragma once

#include <vector>

#include "soquy/civil_date.h"
#include "soquy/registry.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

// {"as_of","units":[{"code","name","kind","parent","valid_from","valid_to","merged_into"}]};
// parent, valid_to and merged_into are null when absent. `units` in tree order: the table
// indents each row by its depth.
Report unit_list(const std::vector<Unit>& units, Date as_of);
// {"id","name","national_id","unit","registered_unit","groups":[…],"born","ethnicity","poverty",
// "joined","left"}; born and left are null when unknown. `unit` is the unit after merges on `as_of`.
Report member_detail(const Member& member, Date as_of);
// [{…as member_detail…}] (JSON is an array).
Report member_list(const std::vector<Member>& members, Date as_of);
// {"code","name","kind","unit","registered_unit","unit_name","leader","book","from","members":[…]};
// `unit` is the unit holding the group on `as_of` (after merges) and `unit_name` its name then;
// `registered_unit` the one it was added in; leader and book are null when absent; members are
// the member ids in the group on `as_of`.
Report group_detail(const Group& group, Date as_of);
// [{…as group_detail…}] (JSON is an array, by code); the table gives the number of members.
Report group_list(const std::vector<Group>& groups, Date as_of);
// {"as_of","by","rows":[{"key","name","members"}],"total"}; by is unit, ethnicity or poverty.
Report member_counts(const MemberCounts& counts);

}  // namespace soquy::reports

// soquy — report builders for membership dues (hội phí): the dated settings and the arrears
// report. Each takes data from soquy::Dues and shapes a Report; JSON shapes are documented in
// docs/registry.md (Dues) and docs/cli.md.
#pragma once

#include "soquy/dues.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

// {"rates":[{"from","amount"}],"splits":[{"from","shares":[{"level","ratio"}]}],
//  "exemptions":[{"member","name","from","to","reason"}]}; periods "YYYY-MM", to null when open,
// ratio a 4-decimal string ("0.5000"). Three tables (CSV writes the rates only).
Report dues_settings(const DuesSettings& s);

// {"as_of","by","rows":[{"key","name","unit","members","members_in_arrears","periods_owed",
//  "oldest_owed","billed","paid","arrears"}],"total":{…same without key, name, unit…}};
// oldest_owed is a period "YYYY-MM" or null. By unit: every unit (on the date, after merges)
// with members billed; by member: the members with arrears. The total covers every member
// billed on the date in both groupings, so --by unit and --by member have the same total.
Report dues_arrears(const ArrearsReport& r);

}  // namespace soquy::reports

// Reports of VBSP entrustment fees, leaders' commissions and monthly group grades. Builders only
// shape figures computed by soquy::VbspFees (ledger/include/soquy/vbsp_fees.h); docs/vbsp.md
// "Fees, commissions and grades" shows each JSON shape (schemas/json/vbsp-fees.schema.json,
// vbsp-grades.schema.json). Amounts are strings of đồng; percentages exact decimal strings
// ("7.5" is 7.5 %); ratios 4-decimal and points 2-decimal strings.
#pragma once

#include <vector>

#include "soquy/reports/render.h"
#include "soquy/vbsp_fees.h"

namespace soquy::reports {

// [{"contract","unit","signed_on","rates":[{"effective_from","fee_percent","commission_percent"}]}]
// by contract code and date. Table: one row per rate version (a contract without one shows an
// empty version).
Report vbsp_fee_rates(const std::vector<VbspContract>& contracts, const std::vector<VbspFeeRate>& rates);

// {"month","from","to","group" (null for all),"posted":false,
//  "sessions":[{"group","group_name","commune","from","date","interest","contract" (null),
//               "rate_from","fee_percent","commission_percent","fee","commission" (null without
//               a rate),"note" (null, or why there is no rate)}],
//  "totals":{"sessions","without_rate","interest","fee","commission"}}.
// Table: one row per session with a totals row; a note says the figures are not posted.
Report vbsp_fees(const VbspFeeReport& r);

// {"month","from","to","group" (null),"statement","statement_before" (null when none),
//  "thresholds":{"weak_below","average_below","fair_below"},
//  "groups":[{"group","group_name","commune",
//             "criteria":[{"criterion","label","max_points","value","points" (null when missing),
//                          "missing","detail"}],
//             "total","grade","grade_label" (null when not graded)}],
//  "summary":{"good","fair","average","weak","not_graded"}}.
// Tables: per group the six points, total and grade (CSV writes this one); then one row per
// group and criterion with its value, points and the figures behind them.
Report vbsp_grades(const VbspGrades& g);

}  // namespace soquy::reports

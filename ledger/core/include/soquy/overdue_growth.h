// soquy — whether overdue loans grew between two dates, the one rule behind the union's target
// "nợ quá hạn không tăng so với cùng kỳ năm trước" (overdue must not grow year on year).
//
// The same rule judges the union's own fund (reports/overdue_report.h, OverdueFigures) and the
// loans it manages for VBSP (vbsp.h, VbspOverdueFigures), each comparing one row — a unit, group,
// commune, programme — or the totals; keeping it here keeps the two reports' verdicts alike.
#pragma once

#include "soquy/money.h"

namespace soquy {

// The overdue principal of some loans and their outstanding principal, on one date; both ≥ 0.
struct OverdueAmounts {
  Money overdue;
  Money outstanding;
};

// overdue ÷ outstanding, exactly; 0 when nothing is outstanding.
Rational overdue_ratio(const OverdueAmounts& a);

// True when overdue grew from `before` to `after`: the overdue principal is larger, or the
// overdue ratio is larger (so a smaller overdue amount on a portfolio that shrank faster still
// counts as growth). Equal figures are not growth.
bool overdue_grew(const OverdueAmounts& before, const OverdueAmounts& after);

}  // namespace soquy

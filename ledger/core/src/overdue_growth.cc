// Whether overdue grew between two dates (overdue_growth.h).
#include "soquy/overdue_growth.h"

namespace soquy {

Rational overdue_ratio(const OverdueAmounts& a) {
  if (a.outstanding.is_zero()) return Rational(0);
  return a.overdue.to_rational() / a.outstanding.to_rational();
}

bool overdue_grew(const OverdueAmounts& before, const OverdueAmounts& after) {
  return after.overdue > before.overdue || overdue_ratio(after) > overdue_ratio(before);
}

}  // namespace soquy

// The rules of the VBSP settings declared in vbsp.h and vbsp_fees.h.
#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/vbsp.h"
#include "soquy/vbsp_fees.h"

namespace soquy {

Result<void> validate_vbsp_loan_no_length_setting(std::string_view v) {
  if (v.empty() || v.size() > 2 || v.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoi(std::string(v)) < 6 || std::stoi(std::string(v)) > 30)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is not a number of digits from 6 to 30")), v)));
  return {};
}

Result<void> validate_vbsp_grade_thresholds_setting(std::string_view v) {
  auto t = parse_vbsp_grade_thresholds(v);
  if (!t) return fail(t.error());
  return {};
}

}  // namespace soquy

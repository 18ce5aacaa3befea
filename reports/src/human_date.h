// soquy — a date inside a report's title or note, as its reader writes it (docs/i18n.md).
#pragma once

#include <string>

#include "soquy/civil_date.h"
#include "soquy/i18n.h"

namespace soquy::reports {

// 31/01/2026 in Vietnamese, 2026-01-31 in English. Table cells keep ISO dates (CellKind::kDate).
inline std::string human_date(Date d) { return language() == Language::kVi ? d.to_vietnamese() : d.to_iso(); }

}  // namespace soquy::reports

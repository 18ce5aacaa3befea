// soquy — report builders for product settings (settings.h): the settings in force and the log
// of their changes. JSON shapes documented in docs/settings.md.
#pragma once

#include <vector>

#include "soquy/reports/render.h"
#include "soquy/settings.h"

namespace soquy::reports {

// [{"key","value","default","is_default","description"}], sorted by key.
Report setting_list(const std::vector<SettingValue>& settings);

// [{"id","key","old_value","new_value","user","recorded_at"}], oldest first; old_value null when
// the setting had its default.
Report setting_history(const std::vector<SettingChange>& changes);

}  // namespace soquy::reports

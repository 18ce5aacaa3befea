#include "soquy/reports/settings_reports.h"
#include "soquy/i18n.h"

namespace soquy::reports {

using nlohmann::ordered_json;

Report setting_list(const std::vector<SettingValue>& settings) {
  Report r;
  r.json = ordered_json::array();
  Table t{tr("Settings"),
          {{"key", tr("Key")}, {"value", tr("Value")}, {"default", tr("Default")},
           {"description", tr("Meaning")}}};
  for (const auto& s : settings) {
    r.json.push_back(ordered_json{{"key", s.key},
                                  {"value", s.value},
                                  {"default", s.default_value},
                                  {"is_default", s.is_default},
                                  {"description", s.description}});
    t.rows.push_back({s.key, s.value, s.default_value, s.description});
  }
  t.notes.push_back(tr("Change with: soquy setting set KEY VALUE — admin only; every change is logged "
                       "(soquy setting history)."));
  r.tables.push_back(std::move(t));
  return r;
}

Report setting_history(const std::vector<SettingChange>& changes) {
  Report r;
  r.json = ordered_json::array();
  Table t{tr("Setting changes"),
          {{"id", tr("No."), CellKind::kInteger},
           {"key", tr("Key")},
           {"old_value", tr("Old value")},
           {"new_value", tr("New value")},
           {"user", tr("Changed by")},
           {"recorded_at", tr("Recorded at")}}};
  for (const auto& c : changes) {
    r.json.push_back(ordered_json{{"id", c.id},
                                  {"key", c.key},
                                  {"old_value", c.old_value ? ordered_json(*c.old_value) : ordered_json(nullptr)},
                                  {"new_value", c.new_value},
                                  {"user", c.user},
                                  {"recorded_at", c.recorded_at}});
    t.rows.push_back({std::to_string(c.id), c.key, c.old_value.value_or(tr("(default)")),
                      c.new_value, c.user, c.recorded_at});
  }
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace soquy::reports

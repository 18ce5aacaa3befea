// The SettingStore (the log of setting changes), on either engine (sql_query.h).
#include "settings_store.h"
#include "sql_query.h"

namespace soquy {

void SettingStore::log_change(const std::string& key, const std::optional<std::string>& old_value,
                              const std::string& new_value, std::int64_t user_id, const std::string& recorded_at) {
  sql::Query q(store_,
                      "INSERT INTO setting_changes (key, old_value, new_value, user_id, recorded_at) "
                      "VALUES (?, ?, ?, ?, ?)");
  q.bind(1, key);
  sql::bind_opt(q, 2, old_value);
  q.bind(3, new_value);
  q.bind(4, user_id);
  q.bind(5, recorded_at);
  q.exec();
}

std::vector<SettingChange> SettingStore::changes() {
  sql::Query q(store_,
                      "SELECT c.id, c.key, c.old_value, c.new_value, u.name, c.recorded_at "
                      "FROM setting_changes c JOIN users u ON u.id = c.user_id ORDER BY c.id");
  std::vector<SettingChange> out;
  while (q.executeStep()) {
    SettingChange c;
    c.id = q.getColumn(0).getInt64();
    c.key = q.getColumn(1).getString();
    c.old_value = sql::opt_text(q.getColumn(2));
    c.new_value = q.getColumn(3).getString();
    c.user = q.getColumn(4).getString();
    c.recorded_at = q.getColumn(5).getString();
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace soquy

// The log of setting changes (schemas/0005_settings.sql) under soquy::Settings (not public API).
// The current values are read and written through Store::setting / put_setting; all SQL of the
// log is in settings_store.cc, on the journal's connection (either engine), so it joins the
// Ledger's transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "soquy/settings.h"

namespace soquy {

class Store;

class SettingStore {
 public:
  explicit SettingStore(Store& store) : store_(store) {}
  void log_change(const std::string& key, const std::optional<std::string>& old_value, const std::string& new_value,
                  std::int64_t user_id, const std::string& recorded_at);
  std::vector<SettingChange> changes();  // oldest first

 private:
  Store& store_;
};

}  // namespace soquy

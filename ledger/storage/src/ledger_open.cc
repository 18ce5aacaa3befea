// Where a Ledger is created or opened, and so where the storage engine is chosen: the SQLite
// file of sqlite/sqlite_store.cc. The Ledger's rules (ledger/journal/) see only the Store interface.
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "ledger_internal.h"
#include "soquy/charts.h"
#include "soquy/clock.h"
#include "soquy/i18n.h"
#include "soquy/ledger.h"
#include "store.h"

namespace soquy {
Result<std::unique_ptr<Ledger>> Ledger::create(const std::string& path, const std::string& admin_name,
                                               std::string_view purpose) {
  namespace fs = std::filesystem;
  if (auto ok = detail::check_code(admin_name, N_("admin user name")); !ok) return fail(ok.error());
  std::error_code ec;
  if (fs::exists(path, ec) && fs::file_size(path, ec) > 0) {
    return fail(Error::cant_create(fmt::format(
        fmt::runtime(tr("{}: the file already exists; not overwriting it")), path)));
  }
  auto remove_partial = [&] {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ec);
  };
  auto store = open_sqlite_store(path, StoreMode::kCreate);
  if (!store) return fail(store.error());
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(*store)));
  try {
    Store& s = ledger->store();
    auto tx = s.begin_write();
    auto now = now_timestamp();
    s.set_actor(admin_name);
    ledger->actor_ = s.insert_user(admin_name, Role::kAdmin, now);
    s.put_setting("created_at", now);
    s.put_setting("rounding", "half-up");
    s.put_setting("purpose", std::string(purpose));
    auto fund = s.insert_book(std::string(charts::fund::kBook), "Quỹ Hỗ trợ phụ nữ phát triển", "VND");
    detail::add_chart(s, fund, charts::fund_chart());
    auto entrust = s.insert_book(std::string(charts::entrust::kBook), "Ủy thác NHCSXH (ngoại bảng)", "VND");
    detail::add_chart(s, entrust, charts::entrust_chart());
    if (auto c = tx->commit(); !c) {
      ledger.reset();
      remove_partial();
      return fail(c.error());
    }
  } catch (...) {
    ledger.reset();
    remove_partial();
    throw;
  }
  return ledger;
}

Result<std::unique_ptr<Ledger>> Ledger::open(const std::string& path, Access access) {
  auto store = open_sqlite_store(path, access == Access::kReadOnly ? StoreMode::kReadOnly : StoreMode::kWrite);
  if (!store) return fail(store.error());
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(*store)));
  if (auto ok = ledger->act_as(""); !ok) return fail(ok.error());
  return ledger;
}

}  // namespace soquy

// Where a Ledger is created or opened, and so where the storage engine is chosen by --db: a
// PostgreSQL server for a postgresql:// or postgres:// URI (postgresql/pg_store.cc), else the
// SQLite file of sqlite/sqlite_store.cc. The Ledger's rules (ledger/journal/) see only the Store
// interface.
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
namespace {
// The first rows of a new database, in one transaction: the admin, the settings, the books fund
// and entrust with their charts.
Result<void> fill_new(Store& s, User& admin, const std::string& admin_name, std::string_view purpose) {
  auto tx = s.begin_write();
  auto now = now_timestamp();
  s.set_actor(admin_name);
  admin = s.insert_user(admin_name, Role::kAdmin, now);
  s.put_setting("created_at", now);
  s.put_setting("rounding", "half-up");
  s.put_setting("purpose", std::string(purpose));
  auto fund = s.insert_book(std::string(charts::fund::kBook), "Quỹ Hỗ trợ phụ nữ phát triển", "VND");
  detail::add_chart(s, fund, charts::fund_chart());
  auto entrust = s.insert_book(std::string(charts::entrust::kBook), "Ủy thác NHCSXH (ngoại bảng)", "VND");
  detail::add_chart(s, entrust, charts::entrust_chart());
  return tx->commit();
}
}  // namespace

// On a server the first admin is the connecting login (`admin_name` is not used): its users row
// is made here, and open_pg_store made it a member of soquy_admin.
Result<std::unique_ptr<Ledger>> Ledger::create(const std::string& path, const std::string& admin_name,
                                               std::string_view purpose) {
  namespace fs = std::filesystem;
  if (is_server_uri(path)) {
    auto store = open_pg_store(path, StoreMode::kCreate);
    if (!store) return fail(store.error());
    std::unique_ptr<Ledger> ledger(new Ledger(std::move(*store)));
    const std::string login = ledger->store().login().value_or("");
    if (auto ok = detail::check_code(login, N_("admin user name")); !ok) return fail(ok.error());
    if (auto ok = fill_new(ledger->store(), ledger->actor_, login, purpose); !ok) return fail(ok.error());
    return ledger;
  }
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
    if (auto c = fill_new(ledger->store(), ledger->actor_, admin_name, purpose); !c) {
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

// On a server the acting user is the login's users row, from the start and for good.
Result<std::unique_ptr<Ledger>> Ledger::open(const std::string& path, Access access) {
  const StoreMode mode = access == Access::kReadOnly ? StoreMode::kReadOnly : StoreMode::kWrite;
  auto store = is_server_uri(path) ? open_pg_store(path, mode) : open_sqlite_store(path, mode);
  if (!store) return fail(store.error());
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(*store)));
  const auto login = ledger->store().login();
  if (login && !ledger->store().find_user(*login))
    return fail(Error::permission(fmt::format(
        fmt::runtime(tr("the database login '{}' is not a soquy user (an admin adds it with `soquy user add {} --role "
                        "ROLE`)")),
        *login, *login)));
  if (auto ok = ledger->act_as(login.value_or("")); !ok) return fail(ok.error());
  return ledger;
}

std::optional<std::string> Ledger::server_login() { return store_->login(); }

}  // namespace soquy

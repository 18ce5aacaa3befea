// SQLite implementation of the RegistryStore. All SQL of the registry lives here; it runs on
// the journal's connection (sqlite_database), so it joins the Ledger's transactions.
#include <SQLiteCpp/SQLiteCpp.h>

#include <fmt/format.h>

#include "registry_store.h"
#include "sqlite_rows.h"
#include "store.h"

namespace soquy {
namespace {

using sqlite_rows::bind_opt;
using sqlite_rows::opt_date;
using sqlite_rows::opt_int;
using sqlite_rows::to_date;

constexpr const char* kUnitCols = "id, code, kind, valid_from, valid_to, merged_into";
UnitRow read_unit(SQLite::Statement& q) {
  return UnitRow{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                 to_date(q.getColumn(3).getString()), opt_date(q.getColumn(4)), opt_int(q.getColumn(5))};
}

constexpr const char* kMemberCols = "id, code, name, national_id, unit_id, born, ethnicity, joined, left_on";
MemberRow read_member(SQLite::Statement& q) {
  return MemberRow{q.getColumn(0).getInt64(),
                   q.getColumn(1).getString(),
                   q.getColumn(2).getString(),
                   q.getColumn(3).isNull() ? "" : q.getColumn(3).getString(),
                   q.getColumn(4).getInt64(),
                   opt_date(q.getColumn(5)),
                   q.getColumn(6).getString(),
                   to_date(q.getColumn(7).getString()),
                   opt_date(q.getColumn(8))};
}

constexpr const char* kGroupCols = "id, code, name, kind, unit_id, leader_id, book_id, created_on";
GroupRow read_group(SQLite::Statement& q) {
  return GroupRow{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                  q.getColumn(3).getString(), q.getColumn(4).getInt64(),  opt_int(q.getColumn(5)),
                  opt_int(q.getColumn(6)),     to_date(q.getColumn(7).getString())};
}

}  // namespace

std::optional<UnitRow> RegistryStore::find_unit(const std::string& code) {
  SQLite::Statement q(sqlite_database(store_), fmt::format("SELECT {} FROM units WHERE code = ?", kUnitCols));
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return read_unit(q);
}

std::vector<UnitRow> RegistryStore::all_units() {
  SQLite::Statement q(sqlite_database(store_), fmt::format("SELECT {} FROM units ORDER BY id", kUnitCols));
  std::vector<UnitRow> out;
  while (q.executeStep()) out.push_back(read_unit(q));
  return out;
}

std::vector<UnitVersion> RegistryStore::all_unit_versions() {
  SQLite::Statement q(sqlite_database(store_),
                      "SELECT unit_id, valid_from, name, parent_id FROM unit_history ORDER BY unit_id, valid_from");
  std::vector<UnitVersion> out;
  while (q.executeStep())
    out.push_back(UnitVersion{q.getColumn(0).getInt64(), to_date(q.getColumn(1).getString()),
                              q.getColumn(2).getString(), opt_int(q.getColumn(3))});
  return out;
}

std::int64_t RegistryStore::insert_unit(const std::string& code, const std::string& kind, Date from) {
  SQLite::Statement q(sqlite_database(store_), "INSERT INTO units (code, kind, valid_from) VALUES (?, ?, ?)");
  q.bind(1, code);
  q.bind(2, kind);
  q.bind(3, from.to_iso());
  q.exec();
  return sqlite_database(store_).getLastInsertRowid();
}

void RegistryStore::put_unit_version(const UnitVersion& v) {
  SQLite::Statement q(sqlite_database(store_),
                      "INSERT OR REPLACE INTO unit_history (unit_id, valid_from, name, parent_id) VALUES (?, ?, ?, ?)");
  q.bind(1, v.unit_id);
  q.bind(2, v.valid_from.to_iso());
  q.bind(3, v.name);
  bind_opt(q, 4, v.parent_id);
  q.exec();
}

void RegistryStore::end_unit(std::int64_t unit_id, Date on, std::int64_t merged_into) {
  SQLite::Statement q(sqlite_database(store_), "UPDATE units SET valid_to = ?, merged_into = ? WHERE id = ?");
  q.bind(1, on.to_iso());
  q.bind(2, merged_into);
  q.bind(3, unit_id);
  q.exec();
}

std::optional<MemberRow> RegistryStore::find_member(const std::string& code) {
  SQLite::Statement q(sqlite_database(store_), fmt::format("SELECT {} FROM members WHERE code = ?", kMemberCols));
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return read_member(q);
}

std::optional<MemberRow> RegistryStore::find_member_by_id(std::int64_t id) {
  SQLite::Statement q(sqlite_database(store_), fmt::format("SELECT {} FROM members WHERE id = ?", kMemberCols));
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_member(q);
}

std::optional<MemberRow> RegistryStore::find_member_by_national_id(const std::string& national_id) {
  SQLite::Statement q(sqlite_database(store_),
                      fmt::format("SELECT {} FROM members WHERE national_id = ?", kMemberCols));
  q.bind(1, national_id);
  if (!q.executeStep()) return std::nullopt;
  return read_member(q);
}

std::vector<MemberRow> RegistryStore::all_members() {
  SQLite::Statement q(sqlite_database(store_), fmt::format("SELECT {} FROM members ORDER BY code", kMemberCols));
  std::vector<MemberRow> out;
  while (q.executeStep()) out.push_back(read_member(q));
  return out;
}

namespace {
void bind_member(SQLite::Statement& q, const MemberRow& m) {
  q.bind(1, m.name);
  if (m.national_id.empty()) q.bind(2); else q.bind(2, m.national_id);
  q.bind(3, m.unit_id);
  bind_opt(q, 4, m.born);
  q.bind(5, m.ethnicity);
  q.bind(6, m.joined.to_iso());
  bind_opt(q, 7, m.left_on);
}
}  // namespace

std::int64_t RegistryStore::insert_member(const MemberRow& m) {
  SQLite::Statement q(sqlite_database(store_),
                      "INSERT INTO members (name, national_id, unit_id, born, ethnicity, joined, left_on, code) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  bind_member(q, m);
  q.bind(8, m.code);
  q.exec();
  return sqlite_database(store_).getLastInsertRowid();
}

void RegistryStore::update_member(const MemberRow& m) {
  SQLite::Statement q(sqlite_database(store_),
                      "UPDATE members SET name = ?, national_id = ?, unit_id = ?, born = ?, ethnicity = ?, joined = ?, "
                      "left_on = ? WHERE id = ?");
  bind_member(q, m);
  q.bind(8, m.id);
  q.exec();
}

namespace {

std::vector<PovertyRow> read_poverty(SQLite::Statement& q) {
  std::vector<PovertyRow> out;
  while (q.executeStep())
    out.push_back(PovertyRow{q.getColumn(0).getInt64(), to_date(q.getColumn(1).getString()), q.getColumn(2).getString()});
  return out;
}

std::vector<MembershipRow> read_memberships(SQLite::Statement& q) {
  std::vector<MembershipRow> out;
  while (q.executeStep())
    out.push_back(MembershipRow{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                                to_date(q.getColumn(2).getString()), opt_date(q.getColumn(3))});
  return out;
}

}  // namespace

std::vector<PovertyRow> RegistryStore::all_poverty() {
  SQLite::Statement q(sqlite_database(store_),
                      "SELECT member_id, valid_from, status FROM member_poverty ORDER BY member_id, valid_from");
  return read_poverty(q);
}

std::vector<PovertyRow> RegistryStore::poverty_of(std::int64_t member_id) {
  SQLite::Statement q(sqlite_database(store_),
                      "SELECT member_id, valid_from, status FROM member_poverty WHERE member_id = ? ORDER BY valid_from");
  q.bind(1, member_id);
  return read_poverty(q);
}

void RegistryStore::put_poverty(const PovertyRow& p) {
  SQLite::Statement q(sqlite_database(store_),
                      "INSERT OR REPLACE INTO member_poverty (member_id, valid_from, status) VALUES (?, ?, ?)");
  q.bind(1, p.member_id);
  q.bind(2, p.valid_from.to_iso());
  q.bind(3, p.status);
  q.exec();
}

std::optional<GroupRow> RegistryStore::find_group(const std::string& code) {
  SQLite::Statement q(sqlite_database(store_), fmt::format("SELECT {} FROM groups WHERE code = ?", kGroupCols));
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return read_group(q);
}

std::vector<GroupRow> RegistryStore::all_groups() {
  SQLite::Statement q(sqlite_database(store_), fmt::format("SELECT {} FROM groups ORDER BY code", kGroupCols));
  std::vector<GroupRow> out;
  while (q.executeStep()) out.push_back(read_group(q));
  return out;
}

std::optional<GroupRow> RegistryStore::find_group_by_id(std::int64_t id) {
  SQLite::Statement q(sqlite_database(store_), fmt::format("SELECT {} FROM groups WHERE id = ?", kGroupCols));
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_group(q);
}

std::int64_t RegistryStore::insert_group(const GroupRow& g) {
  SQLite::Statement q(sqlite_database(store_),
                      "INSERT INTO groups (code, name, kind, unit_id, leader_id, book_id, created_on) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, g.code);
  q.bind(2, g.name);
  q.bind(3, g.kind);
  q.bind(4, g.unit_id);
  bind_opt(q, 5, g.leader_id);
  bind_opt(q, 6, g.book_id);
  q.bind(7, g.created_on.to_iso());
  q.exec();
  return sqlite_database(store_).getLastInsertRowid();
}

std::vector<MembershipRow> RegistryStore::all_memberships() {
  SQLite::Statement q(sqlite_database(store_),
                      "SELECT group_id, member_id, joined_on, left_on FROM group_members "
                      "ORDER BY group_id, member_id, joined_on");
  return read_memberships(q);
}

std::vector<MembershipRow> RegistryStore::memberships_of_member(std::int64_t member_id) {
  SQLite::Statement q(sqlite_database(store_),
                      "SELECT group_id, member_id, joined_on, left_on FROM group_members WHERE member_id = ? "
                      "ORDER BY group_id, joined_on");
  q.bind(1, member_id);
  return read_memberships(q);
}

std::vector<MembershipRow> RegistryStore::memberships_of_group(std::int64_t group_id) {
  SQLite::Statement q(sqlite_database(store_),
                      "SELECT group_id, member_id, joined_on, left_on FROM group_members WHERE group_id = ? "
                      "ORDER BY member_id, joined_on");
  q.bind(1, group_id);
  return read_memberships(q);
}

void RegistryStore::insert_membership(const MembershipRow& m) {
  SQLite::Statement q(sqlite_database(store_),
                      "INSERT INTO group_members (group_id, member_id, joined_on, left_on) VALUES (?, ?, ?, ?)");
  q.bind(1, m.group_id);
  q.bind(2, m.member_id);
  q.bind(3, m.joined_on.to_iso());
  bind_opt(q, 4, m.left_on);
  q.exec();
}

void RegistryStore::end_memberships(std::int64_t member_id, Date on) {
  SQLite::Statement q(sqlite_database(store_),
                      "UPDATE group_members SET left_on = ? WHERE member_id = ? AND left_on IS NULL");
  q.bind(1, on.to_iso());
  q.bind(2, member_id);
  q.exec();
}

}  // namespace soquy

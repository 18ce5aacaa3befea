// The RegistryStore, on either engine (sql_query.h). All SQL of the registry lives here; it runs
// on the journal's connection, so it joins the Ledger's transactions.
#include <fmt/format.h>

#include "registry_store.h"
#include "sql_query.h"

namespace soquy {
namespace {

using sql::bind_opt;
using sql::bind_text_or_null;
using sql::opt_date;
using sql::opt_int;
using sql::text_or_empty;
using sql::to_date;

constexpr const char* kUnitCols = "id, code, kind, valid_from, valid_to, merged_into";
UnitRow read_unit(sql::Query& q) {
  return UnitRow{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                 to_date(q.getColumn(3).getString()), opt_date(q.getColumn(4)), opt_int(q.getColumn(5))};
}

constexpr const char* kMemberCols = "id, code, name, national_id, unit_id, born, ethnicity, joined, left_on";
MemberRow read_member(sql::Query& q) {
  return MemberRow{q.getColumn(0).getInt64(),
                   q.getColumn(1).getString(),
                   q.getColumn(2).getString(),
                   text_or_empty(q.getColumn(3)),
                   q.getColumn(4).getInt64(),
                   opt_date(q.getColumn(5)),
                   text_or_empty(q.getColumn(6)),  // NULL: not known
                   to_date(q.getColumn(7).getString()),
                   opt_date(q.getColumn(8))};
}

constexpr const char* kGroupCols = "id, code, name, kind, unit_id, leader_id, book_id, created_on";
GroupRow read_group(sql::Query& q) {
  return GroupRow{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                  q.getColumn(3).getString(), q.getColumn(4).getInt64(),  opt_int(q.getColumn(5)),
                  opt_int(q.getColumn(6)),     to_date(q.getColumn(7).getString())};
}

}  // namespace

RegistryStore::RegistryStore(Store& store) : store_(store) {}
RegistryStore::~RegistryStore() = default;

sql::StatementCache& RegistryStore::cache() {
  if (!cache_) cache_ = std::make_unique<sql::StatementCache>(store_);
  return *cache_;
}

std::optional<UnitRow> RegistryStore::find_unit(const std::string& code) {
  auto use = cache().use(fmt::format("SELECT {} FROM units WHERE code = ?", kUnitCols));
  sql::Query& q = *use;
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return read_unit(q);
}

std::vector<UnitRow> RegistryStore::all_units() {
  auto use = cache().use(fmt::format("SELECT {} FROM units ORDER BY id", kUnitCols));
  sql::Query& q = *use;
  std::vector<UnitRow> out;
  while (q.executeStep()) out.push_back(read_unit(q));
  return out;
}

std::vector<UnitVersion> RegistryStore::all_unit_versions() {
  auto use = cache().use("SELECT unit_id, valid_from, name, parent_id FROM unit_history ORDER BY unit_id, valid_from");
  sql::Query& q = *use;
  std::vector<UnitVersion> out;
  while (q.executeStep())
    out.push_back(UnitVersion{q.getColumn(0).getInt64(), to_date(q.getColumn(1).getString()),
                              q.getColumn(2).getString(), opt_int(q.getColumn(3))});
  return out;
}

std::int64_t RegistryStore::insert_unit(const std::string& code, const std::string& kind, Date from) {
  auto use = cache().use("INSERT INTO units (code, kind, valid_from) VALUES (?, ?, ?) RETURNING id");
  sql::Query& q = *use;
  q.bind(1, code);
  q.bind(2, kind);
  q.bind(3, from.to_iso());
  q.executeStep();
  return q.getColumn(0).getInt64();
}

void RegistryStore::put_unit_version(const UnitVersion& v) {
  auto use = cache().use("INSERT INTO unit_history (unit_id, valid_from, name, parent_id) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (unit_id, valid_from) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id");
  sql::Query& q = *use;
  q.bind(1, v.unit_id);
  q.bind(2, v.valid_from.to_iso());
  q.bind(3, v.name);
  bind_opt(q, 4, v.parent_id);
  q.exec();
}

void RegistryStore::end_unit(std::int64_t unit_id, Date on, std::int64_t merged_into) {
  auto use = cache().use("UPDATE units SET valid_to = ?, merged_into = ? WHERE id = ?");
  sql::Query& q = *use;
  q.bind(1, on.to_iso());
  q.bind(2, merged_into);
  q.bind(3, unit_id);
  q.exec();
}

void RegistryStore::move_unit_start(std::int64_t unit_id, Date old_from, Date from) {
  sql::Query v(store_, "UPDATE unit_history SET valid_from = ? WHERE unit_id = ? AND valid_from = ?");
  v.bind(1, from.to_iso());
  v.bind(2, unit_id);
  v.bind(3, old_from.to_iso());
  v.exec();
  sql::Query u(store_, "UPDATE units SET valid_from = ? WHERE id = ?");
  u.bind(1, from.to_iso());
  u.bind(2, unit_id);
  u.exec();
}

namespace {

// Runs a dependents query (?1 = the unit's or group's id, ?2 = the date, more bound by `bind`)
// and returns its first row by date.
template <typename Bind>
std::optional<DependentRow> first_dependent(Store& store, const std::string& unions, std::int64_t id, Date before,
                                            Bind bind) {
  sql::Query q(store, "SELECT kind, code, d FROM (" + unions + ") AS dependents ORDER BY d, kind, code LIMIT 1");
  q.bind(1, id);
  q.bind(2, before.to_iso());
  bind(q);
  if (!q.executeStep()) return std::nullopt;
  return DependentRow{q.getColumn(0).getString(), q.getColumn(1).getString(), to_date(q.getColumn(2).getString())};
}

// What needs a unit (?1) to exist before ?2.
constexpr const char* kUnitDependents =
    "SELECT 'unit' AS kind, u.code AS code, h.valid_from AS d FROM unit_history h JOIN units u ON u.id = h.unit_id "
    "  WHERE h.parent_id = ?1 AND h.valid_from < ?2 "
    "UNION ALL SELECT 'merged unit', code, valid_to FROM units WHERE merged_into = ?1 AND valid_to < ?2 "
    "UNION ALL SELECT 'group', code, created_on FROM groups WHERE unit_id = ?1 AND created_on < ?2 "
    "UNION ALL SELECT 'member', code, joined FROM members WHERE unit_id = ?1 AND joined < ?2 "
    "UNION ALL SELECT 'loan', l.code, l.disbursed_on FROM loans l JOIN members m ON m.id = l.member_id "
    "  WHERE m.unit_id = ?1 AND l.disbursed_on < ?2 "
    "UNION ALL SELECT 'loan', l.code, l.disbursed_on FROM loans l JOIN groups g ON g.id = l.group_id "
    "  WHERE g.unit_id = ?1 AND l.disbursed_on < ?2 "
    "UNION ALL SELECT 'vbsp loan', v.loan_no, v.disbursed_on FROM vbsp_loans v JOIN groups g ON g.id = v.group_id "
    "  WHERE g.unit_id = ?1 AND v.disbursed_on < ?2 "
    "UNION ALL SELECT 'vbsp contract', code, signed_on FROM vbsp_contracts WHERE unit_id = ?1 AND signed_on < ?2 "
    "UNION ALL SELECT 'entry', '#' || e.id, e.date FROM entries e JOIN groups g ON g.book_id = e.book_id "
    "  WHERE g.unit_id = ?1 AND e.date < ?2 "
    "UNION ALL SELECT 'entry', '#' || e.id, e.date FROM entries e JOIN entry_owners o ON o.entry_id = e.id "
    "  JOIN loans l ON o.domain = 'loans' AND l.code = o.record JOIN members m ON m.id = l.member_id "
    "  WHERE m.unit_id = ?1 AND e.date < ?2 "
    "UNION ALL SELECT 'entry', '#' || e.id, e.date FROM entries e JOIN entry_owners o ON o.entry_id = e.id "
    "  JOIN members m ON o.domain = 'dues' AND m.code = o.record WHERE m.unit_id = ?1 AND e.date < ?2";

// What needs a group (?1) to exist before ?2; ?3/?4: the leader's founding membership, which
// moves with the start.
constexpr const char* kGroupDependents =
    "SELECT 'membership' AS kind, m.code AS code, gm.joined_on AS d FROM group_members gm "
    "  JOIN members m ON m.id = gm.member_id WHERE gm.group_id = ?1 AND gm.joined_on < ?2 "
    "  AND NOT (gm.member_id IS NOT DISTINCT FROM ?3 AND gm.joined_on = ?4) "
    "UNION ALL SELECT 'meeting', CAST(meeting_no AS TEXT), held_on FROM savings_meetings "
    "  WHERE group_id = ?1 AND held_on < ?2 "
    "UNION ALL SELECT 'share-out', CAST(cycle AS TEXT), held_on FROM savings_shareouts "
    "  WHERE group_id = ?1 AND held_on < ?2 "
    "UNION ALL SELECT 'savings loan', code, disbursed_on FROM savings_loans WHERE group_id = ?1 AND disbursed_on < ?2 "
    "UNION ALL SELECT 'savings', CAST(id AS TEXT), moved_on FROM savings_movements WHERE group_id = ?1 AND moved_on < ?2 "
    "UNION ALL SELECT 'hui agreement', '', start_on FROM rosca_agreements WHERE group_id = ?1 AND start_on < ?2 "
    "UNION ALL SELECT 'hui round', CAST(round_no AS TEXT), opened_on FROM rosca_rounds "
    "  WHERE group_id = ?1 AND opened_on < ?2 "
    "UNION ALL SELECT 'hui payment', receipt, moved_on FROM rosca_movements WHERE group_id = ?1 AND moved_on < ?2 "
    "UNION ALL SELECT 'loan', code, disbursed_on FROM loans WHERE group_id = ?1 AND disbursed_on < ?2 "
    "UNION ALL SELECT 'vbsp loan', loan_no, disbursed_on FROM vbsp_loans WHERE group_id = ?1 AND disbursed_on < ?2 "
    "UNION ALL SELECT 'collection sheet', '', meeting_date FROM loan_collection_rows "
    "  WHERE group_id = ?1 AND meeting_date < ?2 "
    "UNION ALL SELECT 'entry', '#' || e.id, e.date FROM entries e JOIN groups g ON g.book_id = e.book_id "
    "  WHERE g.id = ?1 AND e.date < ?2";

}  // namespace

std::optional<DependentRow> RegistryStore::first_unit_dependent(std::int64_t unit_id, Date before) {
  return first_dependent(store_, kUnitDependents, unit_id, before, [](sql::Query&) {});
}

std::optional<DependentRow> RegistryStore::first_group_dependent(std::int64_t group_id, Date before,
                                                                 std::optional<std::int64_t> leader, Date founded) {
  return first_dependent(store_, kGroupDependents, group_id, before, [&](sql::Query& q) {
    bind_opt(q, 3, leader);
    q.bind(4, founded.to_iso());
  });
}

void RegistryStore::move_membership_start(std::int64_t group_id, std::int64_t member_id, Date old_on, Date on) {
  auto use = cache().use("UPDATE group_members SET joined_on = ? WHERE group_id = ? AND member_id = ? AND joined_on = ?");
  sql::Query& q = *use;
  q.bind(1, on.to_iso());
  q.bind(2, group_id);
  q.bind(3, member_id);
  q.bind(4, old_on.to_iso());
  q.exec();
}

std::optional<MemberRow> RegistryStore::find_member(const std::string& code) {
  auto use = cache().use(fmt::format("SELECT {} FROM members WHERE code = ?", kMemberCols));
  sql::Query& q = *use;
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return read_member(q);
}

std::optional<MemberRow> RegistryStore::find_member_by_id(std::int64_t id) {
  auto use = cache().use(fmt::format("SELECT {} FROM members WHERE id = ?", kMemberCols));
  sql::Query& q = *use;
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_member(q);
}

std::optional<MemberRow> RegistryStore::find_member_by_national_id(const std::string& national_id) {
  auto use = cache().use(fmt::format("SELECT {} FROM members WHERE national_id = ?", kMemberCols));
  sql::Query& q = *use;
  q.bind(1, national_id);
  if (!q.executeStep()) return std::nullopt;
  return read_member(q);
}

std::vector<MemberRow> RegistryStore::all_members() {
  auto use = cache().use(fmt::format("SELECT {} FROM members ORDER BY code", kMemberCols));
  sql::Query& q = *use;
  std::vector<MemberRow> out;
  while (q.executeStep()) out.push_back(read_member(q));
  return out;
}

namespace {
void bind_member(sql::Query& q, const MemberRow& m) {
  q.bind(1, m.name);
  bind_text_or_null(q, 2, m.national_id);
  q.bind(3, m.unit_id);
  bind_opt(q, 4, m.born);
  bind_text_or_null(q, 5, m.ethnicity);
  q.bind(6, m.joined.to_iso());
  bind_opt(q, 7, m.left_on);
}
}  // namespace

std::int64_t RegistryStore::insert_member(const MemberRow& m) {
  auto use = cache().use("INSERT INTO members (name, national_id, unit_id, born, ethnicity, joined, left_on, code) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  sql::Query& q = *use;
  bind_member(q, m);
  q.bind(8, m.code);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

void RegistryStore::update_member(const MemberRow& m) {
  auto use = cache().use("UPDATE members SET name = ?, national_id = ?, unit_id = ?, born = ?, ethnicity = ?, joined = ?, "
                         "left_on = ? WHERE id = ?");
  sql::Query& q = *use;
  bind_member(q, m);
  q.bind(8, m.id);
  q.exec();
}

namespace {

std::vector<PovertyRow> read_poverty(sql::Query& q) {
  std::vector<PovertyRow> out;
  while (q.executeStep())
    out.push_back(PovertyRow{q.getColumn(0).getInt64(), to_date(q.getColumn(1).getString()), q.getColumn(2).getString()});
  return out;
}

std::vector<MembershipRow> read_memberships(sql::Query& q) {
  std::vector<MembershipRow> out;
  while (q.executeStep())
    out.push_back(MembershipRow{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                                to_date(q.getColumn(2).getString()), opt_date(q.getColumn(3))});
  return out;
}

}  // namespace

std::vector<PovertyRow> RegistryStore::all_poverty() {
  auto use = cache().use("SELECT member_id, valid_from, status FROM member_poverty ORDER BY member_id, valid_from");
  sql::Query& q = *use;
  return read_poverty(q);
}

std::vector<PovertyRow> RegistryStore::poverty_of(std::int64_t member_id) {
  auto use = cache().use("SELECT member_id, valid_from, status FROM member_poverty WHERE member_id = ? ORDER BY valid_from");
  sql::Query& q = *use;
  q.bind(1, member_id);
  return read_poverty(q);
}

void RegistryStore::put_poverty(const PovertyRow& p) {
  auto use = cache().use("INSERT INTO member_poverty (member_id, valid_from, status) VALUES (?, ?, ?) "
                         "ON CONFLICT (member_id, valid_from) DO UPDATE SET status = excluded.status");
  sql::Query& q = *use;
  q.bind(1, p.member_id);
  q.bind(2, p.valid_from.to_iso());
  q.bind(3, p.status);
  q.exec();
}

std::optional<GroupRow> RegistryStore::find_group(const std::string& code) {
  auto use = cache().use(fmt::format("SELECT {} FROM groups WHERE code = ?", kGroupCols));
  sql::Query& q = *use;
  q.bind(1, code);
  if (!q.executeStep()) return std::nullopt;
  return read_group(q);
}

std::vector<GroupRow> RegistryStore::all_groups() {
  auto use = cache().use(fmt::format("SELECT {} FROM groups ORDER BY code", kGroupCols));
  sql::Query& q = *use;
  std::vector<GroupRow> out;
  while (q.executeStep()) out.push_back(read_group(q));
  return out;
}

std::optional<GroupRow> RegistryStore::find_group_by_id(std::int64_t id) {
  auto use = cache().use(fmt::format("SELECT {} FROM groups WHERE id = ?", kGroupCols));
  sql::Query& q = *use;
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_group(q);
}

std::int64_t RegistryStore::insert_group(const GroupRow& g) {
  auto use = cache().use("INSERT INTO groups (code, name, kind, unit_id, leader_id, book_id, created_on) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  sql::Query& q = *use;
  q.bind(1, g.code);
  q.bind(2, g.name);
  q.bind(3, g.kind);
  q.bind(4, g.unit_id);
  bind_opt(q, 5, g.leader_id);
  bind_opt(q, 6, g.book_id);
  q.bind(7, g.created_on.to_iso());
  q.executeStep();
  return q.getColumn(0).getInt64();
}

void RegistryStore::update_group(const GroupRow& g) {
  auto use = cache().use("UPDATE groups SET name = ?, leader_id = ?, created_on = ? WHERE id = ?");
  sql::Query& q = *use;
  q.bind(1, g.name);
  bind_opt(q, 2, g.leader_id);
  q.bind(3, g.created_on.to_iso());
  q.bind(4, g.id);
  q.exec();
}

std::vector<MembershipRow> RegistryStore::all_memberships() {
  auto use = cache().use("SELECT group_id, member_id, joined_on, left_on FROM group_members "
                         "ORDER BY group_id, member_id, joined_on");
  sql::Query& q = *use;
  return read_memberships(q);
}

std::vector<MembershipRow> RegistryStore::memberships_of_member(std::int64_t member_id) {
  auto use = cache().use("SELECT group_id, member_id, joined_on, left_on FROM group_members WHERE member_id = ? "
                         "ORDER BY group_id, joined_on");
  sql::Query& q = *use;
  q.bind(1, member_id);
  return read_memberships(q);
}

std::vector<MembershipRow> RegistryStore::memberships_of_group(std::int64_t group_id) {
  auto use = cache().use("SELECT group_id, member_id, joined_on, left_on FROM group_members WHERE group_id = ? "
                         "ORDER BY member_id, joined_on");
  sql::Query& q = *use;
  q.bind(1, group_id);
  return read_memberships(q);
}

void RegistryStore::insert_membership(const MembershipRow& m) {
  auto use = cache().use("INSERT INTO group_members (group_id, member_id, joined_on, left_on) VALUES (?, ?, ?, ?)");
  sql::Query& q = *use;
  q.bind(1, m.group_id);
  q.bind(2, m.member_id);
  q.bind(3, m.joined_on.to_iso());
  bind_opt(q, 4, m.left_on);
  q.exec();
}

void RegistryStore::end_memberships(std::int64_t member_id, Date on) {
  auto use = cache().use("UPDATE group_members SET left_on = ? WHERE member_id = ? AND left_on IS NULL");
  sql::Query& q = *use;
  q.bind(1, on.to_iso());
  q.bind(2, member_id);
  q.exec();
}

}  // namespace soquy

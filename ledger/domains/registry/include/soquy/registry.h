// soquy — the registry: the dated organisation tree, members and groups.
//
// The union's tree changes over time (renames, moves, merges; the district level was abolished
// on 1 July 2025), so every question is asked "as of" a date. A unit exists from `valid_from`
// until `valid_to` (exclusive). A merged unit points at its successor: from the merge date on,
// its members, groups and sub-units belong to the successor, so a report dated before the merge
// shows the old tree and one dated after rolls the old unit into the new one.
//
// Every writing call is one transaction of the Ledger (all or nothing, and it joins a caller's
// transaction, e.g. an import); writes need the right to write in the fund book, so an auditor
// gets kPermission. Names are stored in Unicode NFC with single spaces (normalize_name).
//
// Thread-safety: as the Ledger (one per thread). The Registry borrows the Ledger.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soquy/civil_date.h"
#include "soquy/error.h"
#include "soquy/ledger.h"
#include "soquy/read_options.h"
#include "soquy/setting_key.h"

namespace soquy {

enum class UnitKind { kProvince, kDistrict, kCommune, kBranch };
std::string_view to_string(UnitKind k);
Result<UnitKind> parse_unit_kind(std::string_view s);

enum class Poverty { kPoor, kNearPoor, kNone };
std::string_view to_string(Poverty p);
Result<Poverty> parse_poverty(std::string_view s);

enum class GroupKind { kCredit, kSavings, kRosca, kVbsp, kPool };
std::string_view to_string(GroupKind k);
Result<GroupKind> parse_group_kind(std::string_view s);

struct UnitSpec {
  std::string code;
  std::string name;
  UnitKind kind = UnitKind::kCommune;
  std::string parent;  // "" for a province
  Date from;
};

// A unit as it stands on one date.
struct Unit {
  std::int64_t id = 0;
  std::string code;
  std::string name;    // the name on the date asked
  UnitKind kind = UnitKind::kCommune;
  std::string parent;  // the parent's code on the date asked ("" for none)
  Date valid_from;
  std::optional<Date> valid_to;  // exclusive
  std::string merged_into;       // successor's code, "" if not merged
  int depth = 0;                 // in tree listings: 0 for a root
};

struct MemberSpec {
  std::string id;
  std::string name;
  std::string national_id;  // CCCD, exactly 12 digits
  std::string unit;
  std::string group;        // optional: joins this group on `joined`
  std::optional<Date> born;
  std::string ethnicity;  // "" = unknown (no default: the file or the officer says it)
  Poverty poverty = Poverty::kNone;
  Date joined;
};

// A member as of a date.
struct Member {
  std::int64_t row_id = 0;
  std::string id;
  std::string name;
  std::string national_id;
  std::string unit;             // the unit registered in
  std::string unit_as_of;       // that unit after merges up to the date asked
  std::vector<std::string> groups;  // groups the member is in on the date asked
  std::optional<Date> born;
  std::string ethnicity;  // "" = unknown
  Poverty poverty = Poverty::kNone;  // status on the date asked
  Date joined;
  std::optional<Date> left;
};

// Corrections and dated changes of a member; unset fields stay as they are.
struct MemberUpdate {
  std::optional<std::string> name;
  std::optional<std::string> national_id;
  std::optional<Date> born;
  std::optional<std::string> ethnicity;
  std::optional<Poverty> poverty;  // dated: needs `on`
  std::optional<Date> on;
};

struct GroupSpec {
  std::string code;
  std::string name;
  GroupKind kind = GroupKind::kCredit;
  std::string unit;
  std::string leader;  // member id, optional; the leader joins on `from`
  Date from;
};

struct Group {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  GroupKind kind = GroupKind::kCredit;
  std::string unit;
  std::string leader;
  std::string book;  // "group:CODE" for savings, rosca and pool groups, else ""
  Date created_on;
  // Filled by groups() and group(code, as_of) only: the unit holding the group on the date
  // asked (after merges), that unit's name then, and the members in the group on the date
  // (codes, sorted).
  std::string unit_as_of;
  std::string unit_name;
  std::vector<std::string> members;
};

// Corrections of a group; unset fields stay as they are. `from` corrects the first day (a group
// added without --from started on the day it was typed in); `leader` names another member
// leader (she joins the group on the later of its start and `today` if she is not in it).
struct GroupUpdate {
  std::optional<std::string> name;
  std::optional<std::string> leader;  // member id
  std::optional<Date> from;
  std::optional<std::string> treasurer;  // a soquy user (see name_treasurer)
};

// Lean look-ups for the other domains (loans, …): one indexed read, no walk of the unit tree.
// `row_id` / `id` are the registry's row ids, which other domains store as references.
struct MemberRef {
  std::int64_t row_id = 0;
  std::string id;  // the member's code
  std::string name;
  Date joined;
  std::optional<Date> left;  // exclusive: no longer a member from this day
};
struct GroupRef {
  std::int64_t id = 0;
  std::string code;
  std::string name;
};

// What a join did; warnings (e.g. a VBSP group still below its minimum size) are not errors.
struct JoinResult {
  std::int64_t size = 0;  // members on the date after the join
  std::vector<std::string> warnings;
};

enum class MemberReportBy { kUnit, kEthnicity, kPoverty };
Result<MemberReportBy> parse_member_report_by(std::string_view s);

struct MemberCountRow {
  std::string key;   // unit code, ethnicity, or poverty status
  std::string name;  // unit name on the date (the key itself for the other groupings)
  std::int64_t members = 0;
};

struct MemberCounts {
  Date as_of;
  MemberReportBy by = MemberReportBy::kUnit;
  std::vector<MemberCountRow> rows;  // ordered by key
  std::int64_t total = 0;
};

enum class RegistryImportKind { kUnits, kMembers, kGroups };

struct RegistryImportOptions {
  // Write the valid rows and list the bad ones in `rejects_path` instead of failing.
  bool skip_invalid = false;
  std::string rejects_path;  // "" = FILE.rejects.csv
  std::function<void(std::int64_t, std::int64_t)> on_progress;  // rows validated so far, rows of the file
  CsvReadOptions read;  // delimiter and encoding, as the user gave them ("" = detect)
};

struct RegistryImportSummary {
  std::int64_t rows = 0;
  std::int64_t created = 0;
  std::int64_t unchanged = 0;  // identical rows already there (imports are idempotent)
  std::int64_t updated = 0;    // units: a merge recorded for an existing unit; groups: an existing
                               // group given a treasurer (the treasurer column) it did not have
  std::vector<std::string> rejected;  // FILE:LINE: column: what (only with skip_invalid)
  std::string rejects_path;           // written when rows were rejected
};

// Settings keys (the settings table) for group sizes: "group.KIND.max_members" and
// "group.KIND.min_members". VBSP groups default to 5–60; other kinds have no limit.
std::string group_size_setting(GroupKind kind, bool max);
inline constexpr std::string_view kVbspGroupMaxMembers = "60";
inline constexpr std::string_view kVbspGroupMinMembers = "5";
// "" (no limit) or a whole number of members from 1 to 10000; kBadInput otherwise.
Result<void> validate_member_count_setting(std::string_view text);
// The declaration of one group-size setting (default: the VBSP ones above, "" for the others).
const SettingKey& group_size_setting_key(GroupKind kind, bool max);
// Every group-size setting, kind by kind, the maximum before the minimum (settings.h lists them).
const std::vector<SettingKey>& group_size_settings();

class RegistryStore;

class Registry {
 public:
  explicit Registry(Ledger& ledger);
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // --- units ---------------------------------------------------------------------------------
  // Parent rules: a province has none; a district's is a province; a commune's a province or a
  // district; a branch's a commune. The parent must exist on `from`.
  Result<Unit> add_unit(const UnitSpec& spec);
  // Dated changes: from `on` the unit has the new name / parent. Changes go in date order.
  Result<void> rename_unit(const std::string& code, const std::string& name, Date on);
  Result<void> move_unit(const std::string& code, const std::string& parent, Date on);
  // FROM ends on `on` (valid_to = on) and INTO takes over its members, groups and sub-units
  // (the sub-units move under INTO from `on`). INTO must exist on `on`, be of the same level
  // or higher, and not be FROM or below it.
  Result<void> merge_unit(const std::string& from, const std::string& into, Date on);
  // Corrects the unit's first day (valid_from) to `from`. Earlier: its parent must exist on
  // `from`. Later: nothing dated before `from` may depend on it (a sub-unit, a unit merged into
  // it, a group, a member, a loan, a VBSP loan or contract, a journal entry of its groups or
  // members), it must still exist then, and `from` must come before its first rename or move.
  // A refusal is kBadInput in field "from" naming the first dependent (kind, code, date). The
  // change is an update of `units` and `unit_history`, so the change log records it.
  Result<Unit> change_unit_start(const std::string& code, Date from);
  Result<Unit> unit(const std::string& code, Date as_of);
  // Units existing on `as_of`, in tree order (parents before children, siblings by code).
  Result<std::vector<Unit>> units(Date as_of);
  // The unit that holds `code`'s members on `as_of`: itself, or its successor after merges.
  Result<std::string> successor(const std::string& code, Date as_of);

  // --- members -------------------------------------------------------------------------------
  Result<Member> add_member(const MemberSpec& spec);
  Result<Member> member(const std::string& id, Date as_of);
  // Adds members for a domain's bulk import (the VBSP register), inside the caller's
  // in_transaction: every rule of add_member, but the unit tree is read once per batch (no unit
  // may change while the batch is used) and add() returns only the new member's row id.
  class MemberBatch {
   public:
    explicit MemberBatch(Registry& registry);
    ~MemberBatch();
    MemberBatch(const MemberBatch&) = delete;
    MemberBatch& operator=(const MemberBatch&) = delete;
    Result<std::int64_t> add(const MemberSpec& spec);

   private:
    struct State;
    Registry& registry_;
    std::unique_ptr<State> state_;
  };
  // Members who joined on or before `as_of` (including those who left, with `left` set). With
  // `unit`: only those registered in that unit or a unit below it, as the tree stands on `as_of`
  // (after merges: the merged unit's members count under its successor). kBadInput (field "unit")
  // for an unknown unit.
  Result<std::vector<Member>> members(Date as_of, const std::string& unit = "");
  Result<Member> update_member(const std::string& id, const MemberUpdate& update);
  // The member leaves on `on` (no longer counted from that day), and leaves her groups.
  Result<void> member_leaves(const std::string& id, Date on);

  // --- groups --------------------------------------------------------------------------------
  Result<Group> add_group(const GroupSpec& spec);
  Result<Group> group(const std::string& code);
  // The group as of a date (members, unit after merges); unknown code: kBadInput in "group".
  Result<Group> group(const std::string& code, Date as_of);
  // Groups existing on `as_of` (created on or before it), by code; with `unit` non-empty only
  // those whose unit on the date is that unit or below it (a merged unit's code is taken as its
  // successor's on the date). Unknown unit: kBadInput in field "unit".
  Result<std::vector<Group>> groups(Date as_of, const std::string& unit = "");
  // Corrects a group's name, leader, first day or names a treasurer, in one transaction. A later
  // first day is refused while anything of the group is dated before it (kBadInput in "from",
  // naming the first: a membership other than the founding leader's, a meeting, a loan, a hụi
  // round, savings, an entry of its book, …); the group's unit must exist on the new first day.
  // The founding leader's membership moves with the first day. `today` dates a new leader's join.
  Result<Group> update_group(const std::string& code, const GroupUpdate& update, Date today);
  Result<JoinResult> join_group(const std::string& group, const std::string& member, Date on);
  // Names `user` treasurer of the group: she may then write its book (Ledger::name_treasurer has
  // the rules). A group without a book of its own (credit, vbsp) is kBadInput.
  Result<void> name_treasurer(const std::string& group, const std::string& user);

  // --- for the other domains -----------------------------------------------------------------
  // nullopt when no member has code `id` / no group has `code` (not an error: callers word it).
  std::optional<MemberRef> find_member(const std::string& id);
  std::optional<GroupRef> find_group(const std::string& code);
  // Whether the member (row id) is in the group on `on`: joined on or before, not left by then.
  // The one answer to "member in group on a date".
  bool member_in_group(std::int64_t member_row_id, std::int64_t group_id, Date on);

  // --- imports (CSV; columns are the long flags of the add commands) -------------------------
  Result<RegistryImportSummary> import_csv(RegistryImportKind kind, const std::string& path,
                                           const RegistryImportOptions& options = {});

  // --- reports -------------------------------------------------------------------------------
  // Members on `as_of` (joined on or before, not left), by unit (rolled into the units existing
  // on the date), ethnicity or poverty status on the date.
  Result<MemberCounts> count_members(MemberReportBy by, Date as_of);

 private:
  Ledger& ledger_;
  std::unique_ptr<RegistryStore> store_;
};

}  // namespace soquy

// Rows of the registry tables and the storage interface under the Registry (not public API).
// The Registry owns the rules (dates, parents, merges, sizes); the store only keeps and finds
// rows. All SQL is in registry_store.cc, on the journal's connection (SQLite or PostgreSQL), so
// registry writes join the Ledger's transactions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "soquy/civil_date.h"

namespace soquy {

class Store;
namespace sql {
class StatementCache;
}

struct UnitRow {
  std::int64_t id = 0;
  std::string code;
  std::string kind;
  Date valid_from;
  std::optional<Date> valid_to;
  std::optional<std::int64_t> merged_into;
};

// One dated version of a unit's name and parent.
struct UnitVersion {
  std::int64_t unit_id = 0;
  Date valid_from;
  std::string name;
  std::optional<std::int64_t> parent_id;
};

struct MemberRow {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::string national_id;
  std::int64_t unit_id = 0;
  std::optional<Date> born;
  std::string ethnicity;
  Date joined;
  std::optional<Date> left_on;
};

struct PovertyRow {
  std::int64_t member_id = 0;
  Date valid_from;
  std::string status;
};

struct GroupRow {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::string kind;
  std::int64_t unit_id = 0;
  std::optional<std::int64_t> leader_id;
  std::optional<std::int64_t> book_id;
  Date created_on;
};

struct MembershipRow {
  std::int64_t group_id = 0;
  std::int64_t member_id = 0;
  Date joined_on;
  std::optional<Date> left_on;
};

// A record that depends on a unit or a group and is dated (kind: "unit", "member", "group",
// "loan", "vbsp loan", "membership", "meeting", "entry", …; code: its code or number).
struct DependentRow {
  std::string kind;
  std::string code;
  Date date;
};

class RegistryStore {
 public:
  explicit RegistryStore(Store& store);
  ~RegistryStore();
  RegistryStore(const RegistryStore&) = delete;
  RegistryStore& operator=(const RegistryStore&) = delete;

  std::optional<UnitRow> find_unit(const std::string& code);
  std::vector<UnitRow> all_units();                  // by id
  std::vector<UnitVersion> all_unit_versions();      // by unit, then date
  std::int64_t insert_unit(const std::string& code, const std::string& kind, Date from);
  // Inserts the version, or replaces the one of the same unit and date.
  void put_unit_version(const UnitVersion& v);
  void end_unit(std::int64_t unit_id, Date on, std::int64_t merged_into);
  // Moves a unit's start from `old_from` to `from`, with its first unit_history version.
  void move_unit_start(std::int64_t unit_id, Date old_from, Date from);
  // The earliest record dated before `before` that needs the unit to exist: a sub-unit, a unit
  // merged into it, a group, a member, a loan of one of its members or groups, a VBSP loan of
  // one of its groups, a VBSP contract, or a journal entry of its groups' books or owned by its
  // members' loans and dues. These are read from the other domains' tables because the registry
  // is what they refer to; none of them is written here. nullopt: none.
  std::optional<DependentRow> first_unit_dependent(std::int64_t unit_id, Date before);

  std::optional<MemberRow> find_member(const std::string& code);
  std::optional<MemberRow> find_member_by_id(std::int64_t id);
  std::optional<MemberRow> find_member_by_national_id(const std::string& national_id);
  std::vector<MemberRow> all_members();              // by code
  std::int64_t insert_member(const MemberRow& m);
  void update_member(const MemberRow& m);            // every column but id and code
  std::vector<PovertyRow> all_poverty();             // by member, then date
  std::vector<PovertyRow> poverty_of(std::int64_t member_id);  // by date
  void put_poverty(const PovertyRow& p);

  std::optional<GroupRow> find_group(const std::string& code);
  std::vector<GroupRow> all_groups();
  std::optional<GroupRow> find_group_by_id(std::int64_t id);
  std::int64_t insert_group(const GroupRow& g);
  void update_group(const GroupRow& g);  // name, leader and start (created_on)
  // The earliest record dated before `before` that needs the group to exist: a membership
  // (except `leader`'s on `founded`, which moves with the start), a savings meeting, share-out,
  // loan or movement, a hụi agreement, round or movement, a fund or VBSP loan, a collection
  // sheet row, or an entry of its book. nullopt: none.
  std::optional<DependentRow> first_group_dependent(std::int64_t group_id, Date before,
                                                    std::optional<std::int64_t> leader, Date founded);
  // Moves one membership's start (the leader's, with the group's start).
  void move_membership_start(std::int64_t group_id, std::int64_t member_id, Date old_on, Date on);
  std::vector<MembershipRow> all_memberships();      // by group, member, date
  std::vector<MembershipRow> memberships_of_member(std::int64_t member_id);  // by group, date
  std::vector<MembershipRow> memberships_of_group(std::int64_t group_id);    // by member, date
  void insert_membership(const MembershipRow& m);
  // Ends every open group membership of a member on `on`.
  void end_memberships(std::int64_t member_id, Date on);

 private:
  // The statements of this store, prepared once (an import runs them for every row).
  sql::StatementCache& cache();

  Store& store_;
  std::unique_ptr<sql::StatementCache> cache_;
};

}  // namespace soquy

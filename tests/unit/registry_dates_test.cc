// Tests of issue 13 item 4: the first day of a unit or a group is correctable while nothing dated
// before the new day depends on it (unit update --from, group update --from/--name/--leader),
// group list/show as of a date, and members registered without an ethnicity (unknown, not Kinh).
// Expected values are worked out by hand from the rows each test writes.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::TempDir;
using test_support::write_file;

class RegistryDatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    reg_ = std::make_unique<Registry>(*ledger_);
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg_->add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg_->add_unit({"D", "Càng Long", UnitKind::kDistrict, "P", d}));
    ASSERT_TRUE(reg_->add_unit({"C1", "An Trường", UnitKind::kCommune, "D", d}));
  }
  MemberSpec member(const std::string& id, const std::string& nid, const std::string& unit, Date joined) {
    MemberSpec s;
    s.id = id;
    s.name = "Nguyễn Thị " + id;
    s.national_id = nid;
    s.unit = unit;
    s.joined = joined;
    return s;
  }
  // The error's field and whether its message contains `part`.
  template <class T>
  ::testing::AssertionResult refused(const Result<T>& r, const std::string& field, const std::string& part) {
    if (r) return ::testing::AssertionFailure() << "succeeded; expected a refusal in '" << field << "'";
    if (r.error().kind() != ErrorKind::kBadInput || r.error().field() != field ||
        r.error().message().find(part) == std::string::npos)
      return ::testing::AssertionFailure() << "got field '" << r.error().field() << "': " << r.error().message();
    return ::testing::AssertionSuccess();
  }
  void expect_check_passes() {
    auto report = ledger_->check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
  }

  TempDir dir_;
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Registry> reg_;
};

// --- units -------------------------------------------------------------------------------------

TEST_F(RegistryDatesTest, UnitStartMovesEarlierWhenItsParentExistsThen) {
  // Typed in without --from: it started "today".
  ASSERT_TRUE(reg_->add_unit({"C3", "Tân Bình", UnitKind::kCommune, "D", day(2026, 11, 28)}));
  EXPECT_TRUE(reg_->units(day(2021, 1, 1))->size() == 3u);
  auto u = reg_->change_unit_start("C3", day(2021, 1, 1));
  ASSERT_TRUE(u) << u.error().message();
  EXPECT_EQ(u->valid_from, day(2021, 1, 1));
  EXPECT_EQ(u->name, "Tân Bình");
  EXPECT_EQ(u->parent, "D");
  EXPECT_EQ(reg_->units(day(2021, 1, 1))->size(), 4u);
  // Members can now be registered from that day.
  EXPECT_TRUE(reg_->add_member(member("M1", "084185000001", "C3", day(2021, 2, 1))));
  expect_check_passes();  // the change log holds the update and still verifies
}

TEST_F(RegistryDatesTest, UnitStartEarlierThanItsParentIsRefused) {
  ASSERT_TRUE(reg_->add_unit({"C3", "Tân Bình", UnitKind::kCommune, "D", day(2026, 11, 28)}));
  EXPECT_TRUE(refused(reg_->change_unit_start("C3", day(2019, 6, 1)), "from", "parent unit 'D' does not exist on 2019-06-01"));
  EXPECT_EQ(reg_->unit("C3", day(2026, 11, 28))->valid_from, day(2026, 11, 28));
}

TEST_F(RegistryDatesTest, UnitStartLaterIsRefusedNamingTheFirstDependent) {
  ASSERT_TRUE(reg_->add_unit({"C3", "Tân Bình", UnitKind::kCommune, "D", day(2021, 1, 1)}));
  ASSERT_TRUE(reg_->add_member(member("M1", "084185000001", "C3", day(2021, 3, 1))));
  ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kCredit, "C3", "", day(2021, 6, 1)}));
  auto r = reg_->change_unit_start("C3", day(2022, 1, 1));
  EXPECT_TRUE(refused(r, "from", "member 'M1' is dated 2021-03-01"));
  EXPECT_TRUE(refused(r, "from", "cannot move the start of unit 'C3' to 2022-01-01"));
  // Later, but before every dependent: allowed.
  auto ok = reg_->change_unit_start("C3", day(2021, 2, 1));
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->valid_from, day(2021, 2, 1));
  expect_check_passes();
}

TEST_F(RegistryDatesTest, UnitStartLaterIsRefusedBySubUnitsAndGroups) {
  EXPECT_TRUE(refused(reg_->change_unit_start("D", day(2020, 6, 1)), "from", "unit 'C1' is dated 2020-01-01"));
  ASSERT_TRUE(reg_->add_unit({"C3", "Tân Bình", UnitKind::kCommune, "D", day(2021, 1, 1)}));
  ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kSavings, "C3", "", day(2021, 6, 1)}));
  EXPECT_TRUE(refused(reg_->change_unit_start("C3", day(2021, 7, 1)), "from", "group 'G1' is dated 2021-06-01"));
}

TEST_F(RegistryDatesTest, UnitStartCannotPassItsEndOrItsFirstRename) {
  ASSERT_TRUE(reg_->add_unit({"C3", "Tân Bình", UnitKind::kCommune, "D", day(2021, 1, 1)}));
  ASSERT_TRUE(reg_->rename_unit("C3", "Tân Bình A", day(2022, 1, 1)));
  EXPECT_TRUE(refused(reg_->change_unit_start("C3", day(2022, 1, 1)), "from", "rename or move dated 2022-01-01"));
  ASSERT_TRUE(reg_->add_unit({"C4", "Tân Hòa", UnitKind::kCommune, "D", day(2021, 1, 1)}));
  ASSERT_TRUE(reg_->merge_unit("C4", "C1", day(2023, 1, 1)));
  EXPECT_TRUE(refused(reg_->change_unit_start("C4", day(2023, 1, 1)), "from", "ended on 2023-01-01"));
  // C1 took over C4 on 2023-01-01: C1 may not start after that.
  EXPECT_TRUE(refused(reg_->change_unit_start("C1", day(2024, 1, 1)), "from", "merged unit 'C4' is dated 2023-01-01"));
}

TEST_F(RegistryDatesTest, UnknownUnitNamesItsCode) {
  EXPECT_TRUE(refused(reg_->change_unit_start("X", day(2021, 1, 1)), "code", "unknown unit 'X'"));
}

// --- groups ------------------------------------------------------------------------------------

TEST_F(RegistryDatesTest, GroupStartMovesEarlierWithItsFoundingLeader) {
  ASSERT_TRUE(reg_->add_member(member("M1", "084185000001", "C1", day(2021, 1, 1))));
  ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kSavings, "C1", "M1", day(2026, 11, 28)}));
  GroupUpdate up;
  up.from = day(2023, 1, 1);
  auto g = reg_->update_group("G1", up, day(2026, 11, 28));
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(g->created_on, day(2023, 1, 1));
  EXPECT_EQ(g->members, std::vector<std::string>{"M1"});  // the leader is in it from the new day
  EXPECT_EQ(reg_->group("G1", day(2022, 12, 31))->members, std::vector<std::string>{});
  expect_check_passes();
}

TEST_F(RegistryDatesTest, GroupStartLaterIsRefusedByAMembershipBeforeIt) {
  ASSERT_TRUE(reg_->add_member(member("M1", "084185000001", "C1", day(2021, 1, 1))));
  ASSERT_TRUE(reg_->add_member(member("M2", "084185000002", "C1", day(2021, 1, 1))));
  ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kCredit, "C1", "M1", day(2022, 1, 1)}));
  ASSERT_TRUE(reg_->join_group("G1", "M2", day(2022, 3, 1)));
  GroupUpdate up;
  up.from = day(2022, 6, 1);
  EXPECT_TRUE(refused(reg_->update_group("G1", up, day(2026, 11, 28)), "from", "membership 'M2' is dated 2022-03-01"));
  EXPECT_EQ(reg_->group("G1")->created_on, day(2022, 1, 1));  // nothing written
  up.from = day(2022, 2, 1);  // the founding leader's membership moves along
  auto g = reg_->update_group("G1", up, day(2026, 11, 28));
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(reg_->group("G1", day(2022, 2, 1))->members, std::vector<std::string>{"M1"});
  EXPECT_EQ(reg_->group("G1", day(2022, 1, 31))->members, std::vector<std::string>{});
  expect_check_passes();
}

TEST_F(RegistryDatesTest, GroupStartLaterIsRefusedByAnEntryOfItsBook) {
  ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kSavings, "C1", "", day(2022, 1, 1)}));
  auto posted = ledger_->post(EntryDraft{"group:G1", day(2022, 2, 1), "góp", "", {Posting{"1311", Money(1000)},
                                                                              Posting{"3311", Money(-1000)}}, std::nullopt});
  ASSERT_TRUE(posted) << posted.error().message();
  GroupUpdate up;
  up.from = day(2022, 3, 1);
  auto r = reg_->update_group("G1", up, day(2026, 11, 28));
  EXPECT_TRUE(refused(r, "from", "entry '#1' is dated 2022-02-01"));
  EXPECT_TRUE(refused(r, "from", "cannot move the start of group 'G1' to 2022-03-01"));
  // And its unit cannot start after the group (the group is the first dependent, then the entry).
  EXPECT_TRUE(refused(reg_->change_unit_start("C1", day(2022, 3, 1)), "from", "group 'G1' is dated 2022-01-01"));
  up.from = day(2022, 2, 1);  // on the entry's day: allowed
  ASSERT_TRUE(reg_->update_group("G1", up, day(2026, 11, 28)));
  expect_check_passes();
}

TEST_F(RegistryDatesTest, GroupStartIsRefusedWhenItsUnitDoesNotExistThen) {
  ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kCredit, "C1", "", day(2022, 1, 1)}));
  GroupUpdate up;
  up.from = day(2019, 1, 1);
  EXPECT_TRUE(refused(reg_->update_group("G1", up, day(2026, 11, 28)), "from", "unit 'C1' does not exist on 2019-01-01"));
}

TEST_F(RegistryDatesTest, GroupNameAndLeaderAreCorrected) {
  ASSERT_TRUE(reg_->add_member(member("M1", "084185000001", "C1", day(2021, 1, 1))));
  ASSERT_TRUE(reg_->add_member(member("M2", "084185000002", "C1", day(2021, 1, 1))));
  ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kCredit, "C1", "M1", day(2022, 1, 1)}));
  GroupUpdate up;
  up.name = "Tổ  Ấp  Một";
  up.leader = "M2";
  auto g = reg_->update_group("G1", up, day(2026, 11, 28));
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(g->name, "Tổ Ấp Một");
  EXPECT_EQ(g->leader, "M2");
  EXPECT_EQ(g->members, (std::vector<std::string>{"M1", "M2"}));  // M2 joined today
  EXPECT_EQ(reg_->group("G1", day(2026, 11, 27))->members, std::vector<std::string>{"M1"});
  GroupUpdate bad;
  bad.leader = "NOBODY";
  EXPECT_TRUE(refused(reg_->update_group("G1", bad, day(2026, 11, 28)), "leader", "unknown member 'NOBODY'"));
  EXPECT_TRUE(refused(reg_->update_group("NOPE", up, day(2026, 11, 28)), "group", "unknown group 'NOPE'"));
  expect_check_passes();
}

TEST_F(RegistryDatesTest, GroupsAsOfADateByUnitAfterMerges) {
  ASSERT_TRUE(reg_->add_unit({"C2", "Tân An", UnitKind::kCommune, "D", day(2020, 1, 1)}));
  ASSERT_TRUE(reg_->add_unit({"B1", "Ấp 1", UnitKind::kBranch, "C1", day(2020, 1, 1)}));
  ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kCredit, "B1", "", day(2021, 1, 1)}));
  ASSERT_TRUE(reg_->add_group({"G2", "Tổ 2", GroupKind::kCredit, "C2", "", day(2021, 1, 1)}));
  ASSERT_TRUE(reg_->add_group({"G3", "Tổ 3", GroupKind::kCredit, "C1", "", day(2024, 1, 1)}));
  ASSERT_TRUE(reg_->merge_unit("C2", "C1", day(2025, 7, 1)));
  auto before = reg_->groups(day(2025, 6, 30), "C1");
  ASSERT_TRUE(before);
  ASSERT_EQ(before->size(), 2u);  // G1 (in branch B1) and G3; G2 is C2's
  EXPECT_EQ((*before)[0].code, "G1");
  EXPECT_EQ((*before)[1].code, "G3");
  auto after = reg_->groups(day(2025, 7, 1), "C1");
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ((*after)[1].code, "G2");
  EXPECT_EQ((*after)[1].unit_as_of, "C1");
  EXPECT_EQ((*after)[1].unit, "C2");
  EXPECT_EQ((*after)[1].unit_name, "An Trường");
  EXPECT_EQ(reg_->groups(day(2023, 1, 1))->size(), 2u);  // G3 starts in 2024
  EXPECT_EQ(reg_->groups(day(2025, 7, 1), "C2")->size(), 3u);  // a merged unit is its successor then
  EXPECT_TRUE(refused(reg_->groups(day(2025, 7, 1), "X"), "unit", "unknown unit 'X'"));
}

// --- rows on both sides of a merger ----------------------------------------------------------

TEST_F(RegistryDatesTest, AFileAcrossAMergerImportsInOneGo) {
  // C2 merges into C1 (which existed before); C3 merges into NEW, a commune that begins with it.
  ASSERT_TRUE(reg_->add_unit({"C2", "Tân An", UnitKind::kCommune, "D", day(2020, 1, 1)}));
  ASSERT_TRUE(reg_->add_unit({"C3", "Tân Hòa", UnitKind::kCommune, "D", day(2020, 1, 1)}));
  ASSERT_TRUE(reg_->add_unit({"NEW", "xã Tân Phú", UnitKind::kCommune, "P", day(2025, 7, 1)}));
  ASSERT_TRUE(reg_->merge_unit("C2", "C1", day(2025, 7, 1)));
  ASSERT_TRUE(reg_->merge_unit("C3", "NEW", day(2025, 7, 1)));
  const std::string path = dir_.file("members.csv");
  write_file(path,
             "id,name,national_id,unit,joined\n"
             "M1,Lê Thị Một,084185000001,C2,2024-01-01\n"    // before: the old unit
             "M2,Lê Thị Hai,084185000002,C2,2025-08-01\n"    // after: its successor C1
             "M3,Lê Thị Ba,084185000003,NEW,2024-05-01\n"    // NEW before it began: C3, merged into it
             "M4,Lê Thị Tư,084185000004,NEW,2025-07-01\n");  // NEW itself
  auto r = reg_->import_csv(RegistryImportKind::kMembers, path);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->created, 4);
  EXPECT_EQ(reg_->member("M1", day(2024, 1, 1))->unit, "C2");
  EXPECT_EQ(reg_->member("M2", day(2025, 8, 1))->unit, "C1");
  EXPECT_EQ(reg_->member("M3", day(2024, 5, 1))->unit, "C3");
  EXPECT_EQ(reg_->member("M4", day(2025, 7, 1))->unit, "NEW");
  EXPECT_EQ(reg_->member("M1", day(2025, 7, 1))->unit_as_of, "C1");
  EXPECT_EQ(reg_->member("M3", day(2025, 7, 1))->unit_as_of, "NEW");
  auto again = reg_->import_csv(RegistryImportKind::kMembers, path);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->unchanged, 4);
  // Groups too, by their first day.
  const std::string groups = dir_.file("groups.csv");
  write_file(groups,
             "code,name,kind,unit,from\n"
             "G1,Tổ 1,credit,C2,2024-01-01\n"
             "G2,Tổ 2,credit,C2,2025-09-01\n"
             "G3,Tổ 3,credit,NEW,2023-01-01\n");
  auto g = reg_->import_csv(RegistryImportKind::kGroups, groups);
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(reg_->group("G1")->unit, "C2");
  EXPECT_EQ(reg_->group("G2")->unit, "C1");
  EXPECT_EQ(reg_->group("G3")->unit, "C3");
  EXPECT_EQ(reg_->group("G3", day(2025, 7, 1))->unit_name, "xã Tân Phú");
  // Reports count each on its date: before the merger in the old units, after in the successors.
  auto before = reg_->count_members(MemberReportBy::kUnit, day(2025, 6, 30));
  ASSERT_EQ(before->rows.size(), 2u);  // C2: M1; C3: M3
  EXPECT_EQ(before->rows[0].key, "C2");
  EXPECT_EQ(before->rows[1].key, "C3");
  auto after = reg_->count_members(MemberReportBy::kUnit, day(2025, 8, 1));
  ASSERT_EQ(after->rows.size(), 2u);  // C1: M1, M2; NEW: M3, M4
  EXPECT_EQ(after->rows[0].members, 2);
  EXPECT_EQ(after->rows[1].key, "NEW");
  EXPECT_EQ(after->rows[1].members, 2);
}

TEST_F(RegistryDatesTest, AUnitBegunByTwoMergersIsAmbiguousBeforeThem) {
  ASSERT_TRUE(reg_->add_unit({"C2", "Tân An", UnitKind::kCommune, "D", day(2020, 1, 1)}));
  ASSERT_TRUE(reg_->add_unit({"NEW", "Tân Phú", UnitKind::kCommune, "P", day(2025, 7, 1)}));
  ASSERT_TRUE(reg_->merge_unit("C1", "NEW", day(2025, 7, 1)));
  ASSERT_TRUE(reg_->merge_unit("C2", "NEW", day(2025, 7, 1)));
  EXPECT_TRUE(refused(reg_->add_member(member("M1", "084185000001", "NEW", day(2024, 1, 1))), "unit",
                      "unit 'NEW' does not exist on 2024-01-01 (joined)"));
}

// --- ethnicity -----------------------------------------------------------------------------------

TEST_F(RegistryDatesTest, MembersGetNoDefaultEthnicity) {
  auto m = reg_->add_member(member("M1", "084185000001", "C1", day(2021, 1, 1)));
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->ethnicity, "");
  const std::string path = dir_.file("members.csv");
  write_file(path,
             "id,name,national_id,unit,ethnicity,joined\n"
             "M2,Thạch Thị Sa Ra,084185000002,C1,Khmer,2021-01-01\n"
             "M3,Lê Thị Ba,084185000003,C1,,2021-01-01\n");
  auto r = reg_->import_csv(RegistryImportKind::kMembers, path);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(reg_->member("M2", day(2021, 1, 1))->ethnicity, "Khmer");
  EXPECT_EQ(reg_->member("M3", day(2021, 1, 1))->ethnicity, "");
  // A file without the column: nobody gets one.
  const std::string bare = dir_.file("bare.csv");
  write_file(bare, "id,name,national_id,unit,joined\nM4,Lê Thị Tư,084185000004,C1,2021-01-01\n");
  ASSERT_TRUE(reg_->import_csv(RegistryImportKind::kMembers, bare));
  EXPECT_EQ(reg_->member("M4", day(2021, 1, 1))->ethnicity, "");
  // The same files again change nothing (idempotent with an unknown ethnicity).
  auto again = reg_->import_csv(RegistryImportKind::kMembers, path);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->unchanged, 2);
  auto counts = reg_->count_members(MemberReportBy::kEthnicity, day(2021, 1, 1));
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->rows.size(), 2u);
  EXPECT_EQ(counts->rows[0].key, "");
  EXPECT_EQ(counts->rows[0].name, "unknown");
  EXPECT_EQ(counts->rows[0].members, 3);
  EXPECT_EQ(counts->rows[1].key, "Khmer");
  // Told later, it is recorded.
  MemberUpdate up;
  up.ethnicity = "Kinh";
  ASSERT_TRUE(reg_->update_member("M1", up));
  EXPECT_EQ(reg_->member("M1", day(2021, 1, 1))->ethnicity, "Kinh");
  expect_check_passes();
}

}  // namespace
}  // namespace soquy

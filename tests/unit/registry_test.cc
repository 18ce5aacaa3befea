// Tests of the Registry: the dated unit tree (add, rename, move, merge), members (CCCD, NFC,
// dated poverty, leaving), groups (own books, size limits), CSV imports (all-or-nothing,
// --skip-invalid, idempotency) and member counts as of a date. Expected values are worked out
// by hand from the rows each test writes.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "store.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;
using test_support::TempDir;
using test_support::write_file;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// `message` is "field: what" when the error names a field (Error::field, the spec's field name).
template <class T>
::testing::AssertionResult fails(const Result<T>& r, ErrorKind kind, const std::string& message) {
  if (r) return ::testing::AssertionFailure() << "succeeded; expected: " << message;
  const std::string got = r.error().words(Error::as_named);
  if (r.error().kind() != kind || got != message)
    return ::testing::AssertionFailure() << "got kind " << static_cast<int>(r.error().kind()) << " '" << got
                                         << "'; expected '" << message << "'";
  return ::testing::AssertionSuccess();
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    reg_ = std::make_unique<Registry>(*ledger_);
  }
  // A small tree: province P, district D under P, communes C1, C2 under D, branches B1 under C1
  // and B2 under C2, all from 2020-01-01.
  void small_tree() {
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg_->add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg_->add_unit({"D", "Càng Long", UnitKind::kDistrict, "P", d}));
    ASSERT_TRUE(reg_->add_unit({"C1", "An Trường", UnitKind::kCommune, "D", d}));
    ASSERT_TRUE(reg_->add_unit({"C2", "Tân An", UnitKind::kCommune, "D", d}));
    ASSERT_TRUE(reg_->add_unit({"B1", "Ấp 1", UnitKind::kBranch, "C1", d}));
    ASSERT_TRUE(reg_->add_unit({"B2", "Ấp 2", UnitKind::kBranch, "C2", d}));
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
  std::vector<std::string> codes(Date d) {
    std::vector<std::string> out;
    auto units = reg_->units(d);
    for (const auto& u : *units) out.push_back(std::string(u.depth * 2, ' ') + u.code);
    return out;
  }

  TempDir dir_;
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Registry> reg_;
};

using Strings = std::vector<std::string>;

TEST_F(RegistryTest, UnitTreeInTreeOrderWithParentRules) {
  small_tree();
  EXPECT_EQ(codes(day(2021, 1, 1)), (Strings{"P", "  D", "    C1", "      B1", "    C2", "      B2"}));
  EXPECT_TRUE(codes(day(2019, 12, 31)).empty());  // nothing existed yet
  const Date d = day(2020, 1, 1);
  EXPECT_TRUE(fails(reg_->add_unit({"X", "x", UnitKind::kBranch, "D", d}), ErrorKind::kBadInput,
                    "parent: a branch cannot be under a district ('D')"));
  EXPECT_TRUE(fails(reg_->add_unit({"X", "x", UnitKind::kProvince, "P", d}), ErrorKind::kBadInput,
                    "parent: a province has no parent unit"));
  EXPECT_TRUE(fails(reg_->add_unit({"X", "x", UnitKind::kCommune, "", d}), ErrorKind::kBadInput,
                    "parent: a commune needs a parent unit"));
  EXPECT_TRUE(fails(reg_->add_unit({"X", "x", UnitKind::kCommune, "NOPE", d}), ErrorKind::kBadInput,
                    "parent: unknown unit 'NOPE'"));
  EXPECT_TRUE(fails(reg_->add_unit({"X", "x", UnitKind::kCommune, "D", day(2019, 6, 1)}), ErrorKind::kBadInput,
                    "parent: unit 'D' does not exist on 2019-06-01: it exists from 2020-01-01"));
  EXPECT_TRUE(fails(reg_->add_unit({"C1", "x", UnitKind::kCommune, "D", d}), ErrorKind::kBadInput,
                    "code: unit 'C1' already exists (commune 'An Trường')"));
  EXPECT_TRUE(fails(reg_->add_unit({"X", "  ", UnitKind::kCommune, "D", d}), ErrorKind::kBadInput,
                    "name: the name is empty"));
}

TEST_F(RegistryTest, NamesAreStoredInNfc) {
  // "Hòa" written decomposed (o + combining grave) is stored composed.
  ASSERT_TRUE(reg_->add_unit({"P", "Ho\xCC\x80" "a  L\xE1\xBB\xA3i", UnitKind::kProvince, "", day(2020, 1, 1)}));
  EXPECT_EQ(reg_->unit("P", day(2020, 1, 1))->name, "H\xC3\xB2" "a L\xE1\xBB\xA3i");
}

TEST_F(RegistryTest, RenameAndMoveAreDated) {
  small_tree();
  ASSERT_TRUE(reg_->rename_unit("C1", "Thị trấn Càng Long", day(2023, 5, 1)));
  EXPECT_EQ(reg_->unit("C1", day(2023, 4, 30))->name, "An Trường");
  EXPECT_EQ(reg_->unit("C1", day(2023, 5, 1))->name, "Thị trấn Càng Long");
  ASSERT_TRUE(reg_->move_unit("B1", "C2", day(2024, 1, 1)));
  EXPECT_EQ(reg_->unit("B1", day(2023, 12, 31))->parent, "C1");
  EXPECT_EQ(reg_->unit("B1", day(2024, 1, 1))->parent, "C2");
  EXPECT_EQ(codes(day(2024, 1, 1)), (Strings{"P", "  D", "    C1", "    C2", "      B1", "      B2"}));
  // Errors.
  EXPECT_TRUE(fails(reg_->rename_unit("C1", "Thị trấn Càng Long", day(2023, 6, 1)), ErrorKind::kBadInput,
                    "name: unit 'C1' is already named 'Thị trấn Càng Long' on 2023-06-01"));
  EXPECT_TRUE(fails(reg_->rename_unit("C1", "Cũ", day(2022, 1, 1)), ErrorKind::kBadInput,
                    "on: unit 'C1' already has a change dated 2023-05-01; changes are recorded in date order"));
  EXPECT_TRUE(fails(reg_->rename_unit("ZZ", "x", day(2022, 1, 1)), ErrorKind::kBadInput, "code: unknown unit 'ZZ'"));
  EXPECT_TRUE(fails(reg_->move_unit("D", "C1", day(2024, 2, 1)), ErrorKind::kBadInput,
                    "parent: a district cannot be under a commune ('C1')"));
  EXPECT_TRUE(fails(reg_->move_unit("B2", "C2", day(2024, 2, 1)), ErrorKind::kBadInput,
                    "parent: unit 'B2' is already under 'C2' on 2024-02-01"));
  EXPECT_TRUE(fails(reg_->move_unit("B2", "B1", day(2024, 2, 1)), ErrorKind::kBadInput,
                    "parent: a branch cannot be under a branch ('B1')"));
}

TEST_F(RegistryTest, MergeRollsMembersAndSubUnitsIntoTheSuccessor) {
  small_tree();
  ASSERT_TRUE(reg_->add_member(member("M1", "084180000001", "B1", day(2021, 1, 1))));
  ASSERT_TRUE(reg_->add_member(member("M2", "084180000002", "B2", day(2021, 1, 1))));
  ASSERT_TRUE(reg_->add_member(member("M3", "084180000003", "C1", day(2021, 1, 1))));
  const Date on = day(2025, 7, 1);
  ASSERT_TRUE(reg_->merge_unit("C1", "C2", on));
  auto c1 = reg_->unit("C1", day(2025, 6, 30));
  EXPECT_EQ(c1->valid_to, on);
  EXPECT_EQ(c1->merged_into, "C2");
  // B1 moved under C2 from the merge date; C1 no longer exists then.
  EXPECT_EQ(codes(day(2025, 6, 30)), (Strings{"P", "  D", "    C1", "      B1", "    C2", "      B2"}));
  EXPECT_EQ(codes(on), (Strings{"P", "  D", "    C2", "      B1", "      B2"}));
  EXPECT_EQ(*reg_->successor("C1", day(2025, 6, 30)), "C1");
  EXPECT_EQ(*reg_->successor("C1", on), "C2");
  // Report by unit: before, M3 counts in C1; after, in C2. Totals equal (3).
  auto before = reg_->count_members(MemberReportBy::kUnit, day(2025, 6, 30));
  ASSERT_TRUE(before);
  ASSERT_EQ(before->rows.size(), 3u);
  EXPECT_EQ(before->rows[0].key, "B1");
  EXPECT_EQ(before->rows[1].key, "B2");
  EXPECT_EQ(before->rows[2].key, "C1");
  EXPECT_EQ(before->rows[2].name, "An Trường");
  EXPECT_EQ(before->rows[2].members, 1);
  auto after = reg_->count_members(MemberReportBy::kUnit, on);
  ASSERT_EQ(after->rows.size(), 3u);
  EXPECT_EQ(after->rows[2].key, "C2");
  EXPECT_EQ(after->rows[2].members, 1);
  EXPECT_EQ(before->total, 3);
  EXPECT_EQ(after->total, 3);
  // A member registered in the merged unit after the merge goes to its successor (issue 13 item 4).
  auto m4 = reg_->add_member(member("M4", "084180000004", "C1", day(2025, 8, 1)));
  ASSERT_TRUE(m4) << m4.error().message();
  EXPECT_EQ(m4->unit, "C2");
  // Merge errors.
  EXPECT_TRUE(fails(reg_->merge_unit("C1", "C2", day(2025, 8, 1)), ErrorKind::kBadInput,
                    "code: unit 'C1' already ended on 2025-07-01 (merged into 'C2')"));
  EXPECT_TRUE(fails(reg_->merge_unit("C2", "C2", on), ErrorKind::kBadInput,
                    "merged_into: unit 'C2' cannot be merged into itself"));
  EXPECT_TRUE(fails(reg_->merge_unit("D", "B1", day(2025, 8, 1)), ErrorKind::kBadInput,
                    "merged_into: a district ('D') cannot be merged into a branch ('B1')"));
  EXPECT_TRUE(fails(reg_->merge_unit("P", "D", day(2025, 8, 1)), ErrorKind::kBadInput,
                    "merged_into: a province ('P') cannot be merged into a district ('D')"));
  EXPECT_TRUE(fails(reg_->merge_unit("C2", "D", day(2020, 1, 1)), ErrorKind::kBadInput,
                    "merged_on: unit 'C2' starts on 2020-01-01: a merge must be dated after its start"));
}

TEST_F(RegistryTest, AbolishingDistrictsMovesCommunesUnderTheProvince) {
  small_tree();
  ASSERT_TRUE(reg_->add_unit({"VL", "Vĩnh Long", UnitKind::kProvince, "", day(2025, 7, 1)}));
  ASSERT_TRUE(reg_->merge_unit("P", "VL", day(2025, 7, 1)));
  ASSERT_TRUE(reg_->merge_unit("D", "VL", day(2025, 7, 1)));
  EXPECT_EQ(codes(day(2025, 7, 1)), (Strings{"VL", "  C1", "    B1", "  C2", "    B2"}));
  EXPECT_EQ(codes(day(2025, 6, 30)), (Strings{"P", "  D", "    C1", "      B1", "    C2", "      B2"}));
}

TEST_F(RegistryTest, MemberRulesAndView) {
  small_tree();
  auto spec = member("HV1", "084180000001", "B1", day(2021, 3, 1));
  spec.name = "  Đặng  Thi\xCC\xA3 Hue\xCC\xA3\xCC\x82 ";  // spaces and NFD
  spec.born = day(1981, 12, 25);
  spec.ethnicity = "Khmer";
  spec.poverty = Poverty::kPoor;
  auto m = reg_->add_member(spec);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->name, "Đặng Thị Huệ");
  EXPECT_EQ(m->unit, "B1");
  EXPECT_EQ(m->poverty, Poverty::kPoor);
  EXPECT_EQ(m->ethnicity, "Khmer");
  // Errors: CCCD length and digits, uniqueness, unknown unit, duplicate id, born after joined.
  EXPECT_TRUE(fails(reg_->add_member(member("HV2", "08418000001", "B1", day(2021, 3, 1))), ErrorKind::kBadInput,
                    "national_id: '08418000001' is not a national id (CCCD): it must be exactly 12 digits"));
  EXPECT_TRUE(fails(reg_->add_member(member("HV2", "08418000000A", "B1", day(2021, 3, 1))), ErrorKind::kBadInput,
                    "national_id: '08418000000A' is not a national id (CCCD): it must be exactly 12 digits"));
  EXPECT_TRUE(fails(reg_->add_member(member("HV2", "084180000001", "B1", day(2021, 3, 1))), ErrorKind::kBadInput,
                    "national_id: national id 084180000001 is already registered to member 'HV1' (Đặng Thị Huệ)"));
  EXPECT_TRUE(fails(reg_->add_member(member("HV1", "084180000002", "B1", day(2021, 3, 1))), ErrorKind::kBadInput,
                    "id: member 'HV1' already exists"));
  EXPECT_TRUE(fails(reg_->add_member(member("HV2", "084180000002", "NOPE", day(2021, 3, 1))), ErrorKind::kBadInput,
                    "unit: unknown unit 'NOPE'"));
  EXPECT_TRUE(fails(reg_->add_member(member("HV2", "084180000002", "B1", day(2019, 3, 1))), ErrorKind::kBadInput,
                    "unit: unit 'B1' does not exist on 2019-03-01 (joined): it exists from 2020-01-01"));
  auto late = member("HV2", "084180000002", "B1", day(2021, 3, 1));
  late.born = day(2022, 1, 1);
  EXPECT_TRUE(fails(reg_->add_member(late), ErrorKind::kBadInput, "born: born 2022-01-01 is after joined 2021-03-01"));
  EXPECT_TRUE(fails(reg_->member("HV9", day(2022, 1, 1)), ErrorKind::kBadInput, "id: unknown member 'HV9'"));
}

TEST_F(RegistryTest, PovertyIsDatedAndLeavingEndsMembership) {
  small_tree();
  auto spec = member("HV1", "084180000001", "B1", day(2021, 1, 1));
  spec.poverty = Poverty::kPoor;
  ASSERT_TRUE(reg_->add_member(spec));
  MemberUpdate up;
  up.poverty = Poverty::kNearPoor;
  up.on = day(2023, 1, 1);
  ASSERT_TRUE(reg_->update_member("HV1", up));
  EXPECT_EQ(reg_->member("HV1", day(2022, 12, 31))->poverty, Poverty::kPoor);
  EXPECT_EQ(reg_->member("HV1", day(2023, 1, 1))->poverty, Poverty::kNearPoor);
  auto by = reg_->count_members(MemberReportBy::kPoverty, day(2022, 12, 31));
  ASSERT_EQ(by->rows.size(), 1u);
  EXPECT_EQ(by->rows[0].key, "poor");
  MemberUpdate no_date;
  no_date.poverty = Poverty::kNone;
  EXPECT_TRUE(fails(reg_->update_member("HV1", no_date), ErrorKind::kBadInput,
                    "on: a change of poverty status needs its date"));
  MemberUpdate earlier;
  earlier.poverty = Poverty::kNone;
  earlier.on = day(2022, 1, 1);
  EXPECT_TRUE(fails(reg_->update_member("HV1", earlier), ErrorKind::kBadInput,
                    "on: member 'HV1' already has a poverty status dated 2023-01-01; changes are recorded in date order"));
  ASSERT_TRUE(reg_->add_group({"G1", "Tổ 1", GroupKind::kCredit, "B1", "", day(2021, 1, 1)}));
  ASSERT_TRUE(reg_->join_group("G1", "HV1", day(2021, 2, 1)));
  EXPECT_EQ(reg_->member("HV1", day(2021, 2, 1))->groups, Strings{"G1"});
  EXPECT_TRUE(fails(reg_->member_leaves("HV1", day(2021, 1, 1)), ErrorKind::kBadInput,
                    "on: member 'HV1' joined on 2021-01-01: she can leave only after that"));
  ASSERT_TRUE(reg_->member_leaves("HV1", day(2024, 6, 1)));
  EXPECT_TRUE(reg_->member("HV1", day(2024, 6, 1))->groups.empty());
  EXPECT_EQ(reg_->count_members(MemberReportBy::kUnit, day(2024, 5, 31))->total, 1);
  EXPECT_EQ(reg_->count_members(MemberReportBy::kUnit, day(2024, 6, 1))->total, 0);
  EXPECT_TRUE(fails(reg_->member_leaves("HV1", day(2024, 7, 1)), ErrorKind::kBadInput,
                    "id: member 'HV1' already left on 2024-06-01"));
  EXPECT_TRUE(fails(reg_->join_group("G1", "HV1", day(2024, 7, 1)), ErrorKind::kBadInput,
                    "member: 'HV1' is not a member on 2024-07-01 (joined 2021-01-01, left 2024-06-01)"));
}

TEST_F(RegistryTest, SavingsGroupsGetTheirOwnBook) {
  small_tree();
  auto g = reg_->add_group({"HUI1", "Hụi ấp 1", GroupKind::kRosca, "B1", "", day(2022, 1, 1)});
  ASSERT_TRUE(g) << g.error().message();
  EXPECT_EQ(g->book, "group:HUI1");
  EXPECT_TRUE(ledger_->book("group:HUI1"));
  auto credit = reg_->add_group({"TD1", "Tổ tín dụng", GroupKind::kCredit, "B1", "", day(2022, 1, 1)});
  EXPECT_EQ(credit->book, "");
  EXPECT_FALSE(ledger_->book("group:TD1"));
  EXPECT_TRUE(fails(reg_->add_group({"HUI1", "x", GroupKind::kPool, "B1", "", day(2022, 1, 1)}), ErrorKind::kBadInput,
                    "code: group 'HUI1' already exists"));
  EXPECT_TRUE(fails(reg_->add_group({"G9", "x", GroupKind::kPool, "B1", "HV9", day(2022, 1, 1)}), ErrorKind::kBadInput,
                    "leader: unknown member 'HV9'"));
}

TEST_F(RegistryTest, VbspGroupSizeLimitComesFromSettings) {
  small_tree();
  ledger_->store().put_setting(group_size_setting(GroupKind::kVbsp, true), "3");
  ASSERT_TRUE(reg_->add_group({"V1", "Tổ vay vốn", GroupKind::kVbsp, "B1", "", day(2021, 1, 1)}));
  const char* nids[] = {"084180000001", "084180000002", "084180000003", "084180000004"};
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(reg_->add_member(member("HV" + std::to_string(i + 1), nids[i], "B1", day(2021, 1, 1))));
  auto first = reg_->join_group("V1", "HV1", day(2021, 2, 1));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->size, 1);
  // The minimum (5 by default) only warns.
  ASSERT_EQ(first->warnings.size(), 1u);
  EXPECT_EQ(first->warnings[0], "group 'V1' (vbsp) has 1 member(s) on 2021-02-01, fewer than the minimum of 5");
  ASSERT_TRUE(reg_->join_group("V1", "HV2", day(2021, 2, 1)));
  ASSERT_TRUE(reg_->join_group("V1", "HV3", day(2021, 2, 1)));
  EXPECT_TRUE(fails(reg_->join_group("V1", "HV4", day(2021, 2, 1)), ErrorKind::kBadInput,
                    "group: group 'V1' (vbsp) already has 3 members on 2021-02-01: the limit is 3 (setting "
                    "group.vbsp.max_members)"));
  EXPECT_TRUE(fails(reg_->join_group("V1", "HV1", day(2021, 3, 1)), ErrorKind::kBadInput,
                    "member: 'HV1' is already in group 'V1' on 2021-03-01 (since 2021-02-01)"));
  EXPECT_TRUE(fails(reg_->join_group("V1", "HV4", day(2020, 12, 1)), ErrorKind::kBadInput,
                    "member: 'HV4' is not a member on 2020-12-01 (joined 2021-01-01)"));
  // Once HV3 leaves, there is room for HV4.
  ASSERT_TRUE(reg_->member_leaves("HV3", day(2021, 6, 1)));
  EXPECT_TRUE(reg_->join_group("V1", "HV4", day(2021, 6, 1)));
}

TEST_F(RegistryTest, AuditorsMayNotWrite) {
  ASSERT_TRUE(ledger_->add_user("kt", Role::kAuditor));
  ASSERT_TRUE(db_.act_as(ledger_, "kt"));
  reg_ = std::make_unique<Registry>(*ledger_);
  EXPECT_TRUE(fails(reg_->add_unit({"P", "x", UnitKind::kProvince, "", day(2020, 1, 1)}), ErrorKind::kPermission,
                    "user 'kt' is an auditor: auditors may read everything and write nothing"));
}

TEST_F(RegistryTest, ImportIsAllOrNothingWithEveryProblemListed) {
  small_tree();
  const std::string path = dir_.file("members.csv");
  write_file(path,
             "\xEF\xBB\xBFmã hội viên,họ tên,cccd,đơn vị,ngày sinh,dân tộc,hộ nghèo,ngày vào hội\n"
             "HV1,\"Thạch Thị, Sa Rênh\",084179000004,B1,09/09/1979,Khmer,poor,15/06/2020\n"
             "HV2,Kim Thị Khe,12345,B1,,Khmer,none,2020-06-15\n"
             "HV3,Lâm Thị Mỹ,084183000008,NOPE,,Hoa,rich,2020-06-15\n"
             "HV4,Sơn Thị Đa,084190000006,B2,31/02/1990,Khmer,poor,2020-06-15\n");
  auto r = reg_->import_csv(RegistryImportKind::kMembers, path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::kBadInput);
  EXPECT_EQ(r.error().message(),
            path + ": nothing was imported; 3 problem(s):\n  " + path +
                ":3: national_id: '12345' is not a national id (CCCD): it must be exactly 12 digits\n  " + path +
                ":4: poverty: 'rich' is not a poverty status (poor/nghèo, near-poor/cận nghèo, none/không)\n  " +
                path +
                ":5: born: '31/02/1990' is not a valid date (DD/MM/YYYY): February 1990 has 28 days, not 31");
  EXPECT_TRUE(reg_->members(day(2030, 1, 1))->empty());  // the good row HV1 was not written either

  RegistryImportOptions skip;
  skip.skip_invalid = true;
  auto s = reg_->import_csv(RegistryImportKind::kMembers, path, skip);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->rows, 4);
  EXPECT_EQ(s->created, 1);
  EXPECT_EQ(s->rejected.size(), 3u);
  EXPECT_EQ(s->rejects_path, path + ".rejects.csv");
  auto m = reg_->member("HV1", day(2021, 1, 1));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "Thạch Thị, Sa Rênh");
  EXPECT_EQ(m->joined, day(2020, 6, 15));
  EXPECT_EQ(m->born, day(1979, 9, 9));
  const std::string rejects = read_file(s->rejects_path);
  EXPECT_EQ(rejects.substr(0, rejects.find("\r\n")),  // a BOM first, for Excel
            "\xEF\xBB\xBFmã hội viên,họ tên,cccd,đơn vị,ngày sinh,dân tộc,hộ nghèo,ngày vào hội,error");
  EXPECT_NE(rejects.find("HV2,Kim Thị Khe,12345,B1,,Khmer,none,2020-06-15,"), std::string::npos);
}

TEST_F(RegistryTest, ImportTwiceChangesNothingAndADifferingRowIsAnError) {
  const std::string path = dir_.file("units.csv");
  write_file(path,
             "code,name,kind,parent,from\n"
             "P,Trà Vinh,province,,2020-01-01\n"
             "C1,An Trường,commune,P,01/01/2020\n");
  auto first = reg_->import_csv(RegistryImportKind::kUnits, path);
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(first->created, 2);
  auto second = reg_->import_csv(RegistryImportKind::kUnits, path);
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second->created, 0);
  EXPECT_EQ(second->unchanged, 2);
  write_file(path, "code,name,kind,parent,from\nC1,An Trường A,commune,P,2020-01-01\n");
  auto differing = reg_->import_csv(RegistryImportKind::kUnits, path);
  EXPECT_TRUE(fails(differing, ErrorKind::kBadInput,
                    path + ": nothing was imported; 1 problem(s):\n  " + path +
                        ":2: name: name is 'An Trường' in the registry but 'An Trường A' in the file"));
  write_file(path, "code,name,kind,boss\n");
  EXPECT_TRUE(fails(reg_->import_csv(RegistryImportKind::kUnits, path), ErrorKind::kBadInput,
                    path + ":1: header: unknown column 'boss'; accepted columns: code (mã, mã đơn vị); name (tên, "
                           "tên đơn vị); kind (cấp); optional: "
                           "parent (đơn vị cha, cấp trên); from (từ ngày); merged_into (sáp nhập vào); merged_on "
                           "(ngày sáp nhập)"));
  EXPECT_TRUE(fails(reg_->import_csv(RegistryImportKind::kUnits, dir_.file("none.csv")), ErrorKind::kNoInput,
                    dir_.file("none.csv") + ": cannot open the file (does it exist?)"));
}

// The fixture: Trà Vinh's tree of 2020, its members, and the reform of 1 July 2025. A report
// before the reform and one after count the same 12 members (fixtures/registry/members_2024.csv
// has 12 rows, nobody left); after it, the members of the merged branches CK-PT-1 (2) and
// TC-NB-1 (2) count in CK-HA-1 (1 + 2 = 3) and TC-KS-2 (1 + 2 = 3).
TEST_F(RegistryTest, TraVinhReformKeepsTheTotal) {
  const std::string dir = std::string(SOQUY_TEST_FIXTURES) + "/registry/";
  auto units = reg_->import_csv(RegistryImportKind::kUnits, dir + "tra_vinh_2020.csv");
  ASSERT_TRUE(units) << units.error().message();
  EXPECT_EQ(units->created, 36);
  auto members = reg_->import_csv(RegistryImportKind::kMembers, dir + "members_2024.csv");
  ASSERT_TRUE(members) << members.error().message();
  EXPECT_EQ(members->created, 12);
  auto reform = reg_->import_csv(RegistryImportKind::kUnits, dir + "reform_2025.csv");
  ASSERT_TRUE(reform) << reform.error().message();
  EXPECT_EQ(reform->created, 1);   // VL
  EXPECT_EQ(reform->updated, 14);  // TV, 9 districts, 2 communes, 2 branches merged
  auto again = reg_->import_csv(RegistryImportKind::kUnits, dir + "reform_2025.csv");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, 15);

  auto before = reg_->count_members(MemberReportBy::kUnit, day(2025, 6, 30));
  auto after = reg_->count_members(MemberReportBy::kUnit, day(2025, 7, 1));
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->total, 12);
  EXPECT_EQ(after->total, 12);
  std::vector<std::pair<std::string, std::int64_t>> got;
  for (const auto& r : after->rows) got.emplace_back(r.key, r.members);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::int64_t>>{
                     {"CK-HA-1", 3}, {"CL-AT-1", 2}, {"CL-AT-2", 1}, {"CN-KH-1", 1}, {"TC-KS-1", 2}, {"TC-KS-2", 3}}));
  EXPECT_EQ(before->rows.size(), 8u);
  // After the reform there are no districts: the communes hang under VL.
  auto tree = reg_->units(day(2025, 7, 1));
  EXPECT_EQ(tree->front().code, "VL");
  for (const auto& u : *tree) {
    EXPECT_NE(u.kind, UnitKind::kDistrict) << u.code;
    if (u.kind == UnitKind::kCommune) {
      EXPECT_EQ(u.parent, "VL") << u.code;
    }
  }
  // 2020: TV with 9 districts, 18 communes, 8 branches = 36 units.
  EXPECT_EQ(reg_->units(day(2020, 12, 31))->size(), 36u);
  // 2025-07-01: VL + 18 − 2 communes + 8 − 2 branches = 23 units.
  EXPECT_EQ(tree->size(), 23u);
  auto by_ethnicity = reg_->count_members(MemberReportBy::kEthnicity, day(2025, 7, 1));
  std::vector<std::pair<std::string, std::int64_t>> eth;
  for (const auto& r : by_ethnicity->rows) eth.emplace_back(r.key, r.members);
  EXPECT_EQ(eth, (std::vector<std::pair<std::string, std::int64_t>>{{"Hoa", 1}, {"Khmer", 5}, {"Kinh", 6}}));
}


// One file adds units, merges one of them and adds more after the merge: the import keeps one
// tree for all its rows (issue 17, defect 8), so every row must see what the rows before wrote.
TEST_F(RegistryTest, ImportSeesTheRowsBeforeItInTheSameFile) {
  const std::string path = dir_.file("units.csv");
  write_file(path,
             "code,name,kind,parent,from,merged_into,merged_on\n"
             "P,Trà Vinh,province,,2020-01-01,,\n"
             "D,Càng Long,district,P,2020-01-01,,\n"
             "C1,An Trường,commune,D,2020-01-01,,\n"
             "C2,Tân An,commune,D,2020-01-01,,\n"
             "B1,Ấp 1,branch,C1,2020-01-01,,\n"
             "D,Càng Long,district,P,2020-01-01,P,2025-07-01\n"
             "C3,Nhị Long,commune,P,2025-07-01,,\n"
             "C4,Đức Mỹ,commune,D,2025-07-01,,\n");
  auto r = reg_->import_csv(RegistryImportKind::kUnits, path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), path + ": nothing was imported; 1 problem(s):\n  " + path +
                                     ":9: parent: unit 'D' does not exist on 2025-07-01: it exists from 2020-01-01 "
                                     "until 2025-07-01");
  RegistryImportOptions skip;
  skip.skip_invalid = true;
  auto kept = reg_->import_csv(RegistryImportKind::kUnits, path, skip);
  ASSERT_TRUE(kept) << kept.error().message();
  EXPECT_EQ(kept->created, 6);
  EXPECT_EQ(kept->updated, 1);  // the merge of D
  EXPECT_EQ(kept->unchanged, 0);
  auto tree = [&](Date d) {
    std::vector<std::string> out;
    auto units = reg_->units(d);
    for (const auto& u : *units) out.push_back(u.code + "<" + u.parent);
    return out;
  };
  const auto after = tree(day(2025, 7, 1));
  EXPECT_EQ(after, (std::vector<std::string>{"P<", "C1<P", "B1<C1", "C2<P", "C3<P"}));
  EXPECT_EQ(tree(day(2025, 6, 30)), (std::vector<std::string>{"P<", "D<P", "C1<D", "B1<C1", "C2<D"}));
  // Again: every good row is already there, the merge included.
  auto again = reg_->import_csv(RegistryImportKind::kUnits, path, skip);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 7);
  EXPECT_EQ(again->rejected.size(), 1u);
}

// The treasurer column of the groups import (issue 17): users named on the groups' books, checked
// before anything is written, idempotent, and adding the treasurers a group does not have yet.
TEST_F(RegistryTest, ImportGroupsNamesTheTreasurers) {
  small_tree();
  ASSERT_TRUE(reg_->add_member(member("HV1", "084180000001", "B1", day(2021, 1, 1))));
  ASSERT_TRUE(ledger_->add_user("tuyet", Role::kTreasurer));
  ASSERT_TRUE(ledger_->add_user("lien", Role::kTreasurer));
  const std::string path = dir_.file("groups.csv");
  write_file(path,
             "code,name,kind,unit,leader,from,treasurer\n"
             "TK1,Tổ tiết kiệm 1,savings,B1,HV1,2022-01-01,tuyet\n"
             "H1,Hụi ấp 1,rosca,B1,,2022-01-01,\"lien; tuyet ,lien\"\n"
             "C1,Tổ tín dụng,credit,B1,,2022-01-01,\n");
  auto first = reg_->import_csv(RegistryImportKind::kGroups, path);
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(first->created, 3);
  EXPECT_EQ(*ledger_->treasurers("group:TK1"), Strings{"tuyet"});
  EXPECT_EQ(*ledger_->treasurers("group:H1"), (Strings{"lien", "tuyet"}));
  auto again = reg_->import_csv(RegistryImportKind::kGroups, path);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_EQ(again->updated, 0);
  // A row naming a treasurer the group does not have yet names her; the column never removes one.
  write_file(path, "code,name,kind,unit,leader,from,treasurer\nTK1,Tổ tiết kiệm 1,savings,B1,HV1,2022-01-01,lien\n");
  auto more = reg_->import_csv(RegistryImportKind::kGroups, path);
  ASSERT_TRUE(more) << more.error().message();
  EXPECT_EQ(more->updated, 1);
  EXPECT_EQ(*ledger_->treasurers("group:TK1"), (Strings{"lien", "tuyet"}));
  // She may now write the book, and only the books she is named on.
  ASSERT_TRUE(db_.act_as(ledger_, "tuyet"));
  EXPECT_TRUE(ledger_->require_write("group:TK1"));
  ASSERT_TRUE(db_.act_as(ledger_, "lien"));
  EXPECT_TRUE(ledger_->require_write("group:TK1"));
}

TEST_F(RegistryTest, ImportGroupsRefusesABadTreasurerAndWritesNothing) {
  small_tree();
  ASSERT_TRUE(ledger_->add_user("tuyet", Role::kTreasurer));
  ASSERT_TRUE(ledger_->add_user("phuong", Role::kOfficer));
  const std::string path = dir_.file("groups.csv");
  write_file(path,
             "mã tổ,tên tổ,loại,đơn vị,từ ngày,thủ quỹ\n"
             "TK1,Tổ tiết kiệm 1,savings,B1,2022-01-01,tuyet\n"
             "TK2,Tổ tiết kiệm 2,savings,B1,2022-01-01,tuyet;mai\n"
             "C1,Tổ tín dụng,credit,B1,2022-01-01,tuyet\n"
             "P1,Quỹ bảo hiểm,pool,B1,2022-01-01,phuong\n");
  auto r = reg_->import_csv(RegistryImportKind::kGroups, path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::kBadInput);
  EXPECT_EQ(r.error().message(),
            path + ": nothing was imported; 3 problem(s):\n  " + path +
                ":3: treasurer: unknown user 'mai' (an admin adds users with `soquy user add`)\n  " + path +
                ":4: treasurer: group 'C1' (credit) has no book of its own: its money is in the union's books, which "
                "officers keep\n  " +
                path + ":5: treasurer: user 'phuong' is officer, not a treasurer: only treasurers are named on a group's book");
  EXPECT_FALSE(reg_->find_group("TK1"));  // the good row was not written either
  EXPECT_FALSE(ledger_->book("group:TK1"));
  // With skip_invalid the good row is written, and the bad rows leave nothing behind.
  RegistryImportOptions skip;
  skip.skip_invalid = true;
  auto kept = reg_->import_csv(RegistryImportKind::kGroups, path, skip);
  ASSERT_TRUE(kept) << kept.error().message();
  EXPECT_EQ(kept->created, 1);
  EXPECT_EQ(kept->rejected.size(), 3u);
  EXPECT_EQ(*ledger_->treasurers("group:TK1"), Strings{"tuyet"});
  EXPECT_FALSE(reg_->find_group("TK2"));
  EXPECT_FALSE(reg_->find_group("C1"));
  EXPECT_FALSE(ledger_->book("group:P1"));
}

}  // namespace
}  // namespace soquy

namespace soquy {
namespace {

// Rows SQLite hands back to the ledger's connection while it is installed (SQLITE_TRACE_ROW).
class RowCounter {
 public:
  explicit RowCounter(Ledger& ledger) : db_(sqlite_database(ledger.store()).getHandle()) {
    const int rc = sqlite3_trace_v2(db_, SQLITE_TRACE_ROW, &RowCounter::on_row, this);
    EXPECT_EQ(rc, SQLITE_OK);
  }
  ~RowCounter() { sqlite3_trace_v2(db_, 0, nullptr, nullptr); }
  std::int64_t rows() const { return rows_; }

 private:
  static int on_row(unsigned, void* self, void*, void*) {
    ++static_cast<RowCounter*>(self)->rows_;
    return 0;
  }
  sqlite3* db_;
  std::int64_t rows_ = 0;
};

// `import units` of n communes under one province: the rows SQLite returned for it.
std::int64_t rows_read_importing(int n) {
  test_support::TempDir dir;
  test_support::TestDb db;
  auto ledger = db.create();
  EXPECT_TRUE(ledger);
  // A tree already there (a province and 50 communes), then the file of n more communes.
  std::string before = "code,name,kind,parent,from\nP,Trà Vinh,province,,2020-01-01\n";
  for (int i = 0; i < 50; ++i) before += "A" + std::to_string(i) + ",Xã A" + std::to_string(i) + ",commune,P,2020-01-01\n";
  std::string csv = "code,name,kind,parent,from\n";
  for (int i = 0; i < n; ++i) csv += "C" + std::to_string(i) + ",Xã " + std::to_string(i) + ",commune,P,2020-01-01\n";
  test_support::write_file(dir.file("before.csv"), before);
  test_support::write_file(dir.file("units.csv"), csv);
  Registry reg(**ledger);
  EXPECT_TRUE(reg.import_csv(RegistryImportKind::kUnits, dir.file("before.csv")));
  RowCounter counter(**ledger);
  auto imported = reg.import_csv(RegistryImportKind::kUnits, dir.file("units.csv"));
  EXPECT_TRUE(imported) << imported.error().message();
  if (imported) {
    EXPECT_EQ(imported->created, n);
  }
  return counter.rows();
}

// Defect 8 of issue 17, without a clock: `import units` read the whole unit tree again for every
// row (four times, two queries each: its units and their dated versions), so the rows SQLite
// returned grew with the square of the file (row k of 400 read about 4 × 2 × (51 + k) rows:
// 803,200 in all on the old code; 800 rows, 2,886,400). An import that reads the tree once
// returns rows in proportion to the tree and the file: twice the file, at most about twice as
// many rows, and a few rows per unit at most.
TEST(RegistryImportScaling, ImportUnitsReadsRowsInProportionToTheFile) {
  SOQUY_SQLITE_ONLY("counts the rows SQLite hands back (sqlite3_trace_v2)");
  const std::int64_t small = rows_read_importing(400);
  const std::int64_t large = rows_read_importing(800);
  EXPECT_GT(small, 0);  // the tree already there is read
  EXPECT_LE(large, small * 5 / 2) << "400 units: " << small << " rows read; 800 units: " << large;
  EXPECT_LT(small, 400 * 10) << "rows read per unit imported";
}

}  // namespace
}  // namespace soquy

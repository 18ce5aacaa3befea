// Tests of the demo province (build_registry_demo): the Trà Vinh tree and its 2025 merge, 2,000
// members with a Khmer share near Trà Vinh's 30 %, groups of every kind, totals that survive the
// merge, determinism, and that a failed build writes nothing. The expected numbers come from
// the demo's design (kCommunes in demo_registry.cc: 18 communes summing to 2,000 members,
// 3 groups each plus 3 hụi and 3 pools = 60), not from its output.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "soquy/demo_registry.h"
#include "soquy/ledger.h"
#include "soquy/registry.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

using test_support::day;
using test_support::failed_with;

std::map<std::string, std::int64_t> by_key(const MemberCounts& c) {
  std::map<std::string, std::int64_t> out;
  for (const auto& r : c.rows) out[r.key] = r.members;
  return out;
}

// Everything that identifies the members the demo wrote, for comparing two builds.
using MemberKey = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string, std::string>;
std::vector<MemberKey> member_keys(Registry& reg, Date as_of) {
  std::vector<MemberKey> out;
  auto ms = reg.members(as_of);
  EXPECT_TRUE(ms) << ms.error().message();
  if (!ms) return out;
  for (const auto& m : *ms) {
    std::string groups;
    for (const auto& g : m.groups) groups += g + ",";
    out.emplace_back(m.id, m.name, m.national_id, m.unit, m.ethnicity,
                     std::string(to_string(m.poverty)) + "/" + m.joined.to_iso(), groups);
  }
  return out;
}

class DemoRegistryTest : public ::testing::Test {
 protected:
  // One demo (seed 2020) shared by the tests that only read it: a build takes about a second.
  static void SetUpTestSuite() {
    shared_db_ = new test_support::TestDb("shared.db");
    auto l = shared_db_->create();
    ASSERT_TRUE(l) << l.error().message();
    shared_ = l->release();
    auto s = build_registry_demo(*shared_, 2020);
    ASSERT_TRUE(s) << s.error().message();
    summary_ = new RegistryDemoSummary(*s);
  }
  static void TearDownTestSuite() {
    delete summary_;
    delete shared_;
    delete shared_db_;
    summary_ = nullptr;
    shared_ = nullptr;
    shared_db_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(shared_, nullptr);
    ASSERT_NE(summary_, nullptr);
  }
  std::unique_ptr<Ledger> fresh(const std::string& name) {
    fresh_dbs_.push_back(std::make_unique<test_support::TestDb>(name));
    auto l = fresh_dbs_.back()->create();
    EXPECT_TRUE(l) << l.error().message();
    return l ? std::move(*l) : nullptr;
  }
  static test_support::TestDb* shared_db_;
  static Ledger* shared_;
  static RegistryDemoSummary* summary_;
  std::vector<std::unique_ptr<test_support::TestDb>> fresh_dbs_;
};
test_support::TestDb* DemoRegistryTest::shared_db_ = nullptr;
Ledger* DemoRegistryTest::shared_ = nullptr;
RegistryDemoSummary* DemoRegistryTest::summary_ = nullptr;

TEST_F(DemoRegistryTest, BuildsTheProvinceAsDesigned) {
  Ledger* ledger = shared_;
  const RegistryDemoSummary* s = summary_;
  EXPECT_EQ(s->units, 37);   // 36 rows of tra_vinh_2020.csv + Vĩnh Long
  EXPECT_EQ(s->merges, 14);  // the merged_into rows of reform_2025.csv
  EXPECT_EQ(s->members, kRegistryDemoMembers);
  EXPECT_EQ(kRegistryDemoMembers, 2000);
  EXPECT_EQ(s->kinh + s->khmer + s->hoa, 2000);
  EXPECT_EQ(s->groups, 60);
  EXPECT_LE(s->last_joined, day(2024, 12, 31));
  EXPECT_EQ(s->merge_on, day(2025, 7, 1));

  Registry reg(*ledger);
  // The tree: Trà Vinh with 9 districts before the merge; after it only Vĩnh Long and its
  // communes and branches (18 - 2 merged communes, 8 - 2 merged branches).
  auto before_units = reg.units(day(2025, 6, 30));
  ASSERT_TRUE(before_units);
  EXPECT_EQ(before_units->size(), 36u);
  EXPECT_EQ(before_units->front().code, "TV");
  auto after_units = reg.units(day(2025, 7, 1));
  ASSERT_TRUE(after_units);
  EXPECT_EQ(after_units->size(), 1u + 16u + 6u);
  EXPECT_EQ(after_units->front().code, "VL");
  for (const auto& u : *after_units)
    if (u.kind == UnitKind::kCommune) {
      EXPECT_EQ(u.parent, "VL") << u.code;
    }

  // Ethnicity: Khmer about 30 % (the design's expectation is 611.5 of 2,000), Hoa a few percent.
  auto eth = reg.count_members(MemberReportBy::kEthnicity, day(2024, 12, 31));
  ASSERT_TRUE(eth);
  auto e = by_key(*eth);
  EXPECT_EQ(e["Khmer"], s->khmer);
  EXPECT_EQ(e["Hoa"], s->hoa);
  EXPECT_EQ(e["Kinh"], s->kinh);
  EXPECT_EQ(e.size(), 3u);
  EXPECT_GE(s->khmer, 540);  // 27 %
  EXPECT_LE(s->khmer, 680);  // 34 %
  EXPECT_GE(s->hoa, 30);
  EXPECT_LE(s->hoa, 110);
  auto pov = reg.count_members(MemberReportBy::kPoverty, day(2024, 12, 31));
  ASSERT_TRUE(pov);
  auto p = by_key(*pov);
  EXPECT_EQ(p["poor"], s->poor);
  EXPECT_EQ(p["near-poor"], s->near_poor);
  EXPECT_GT(s->poor, 0);
  EXPECT_GT(s->near_poor, 0);
  EXPECT_LT(s->poor + s->near_poor, 2000 / 3);
}

TEST_F(DemoRegistryTest, TotalsAreTheSameBeforeAndAfterTheMerge) {
  Ledger* ledger = shared_;
  Registry reg(*ledger);
  auto before = reg.count_members(MemberReportBy::kUnit, day(2024, 12, 31));
  auto after = reg.count_members(MemberReportBy::kUnit, day(2026, 11, 28));
  ASSERT_TRUE(before);
  ASSERT_TRUE(after);
  EXPECT_EQ(before->total, 2000);
  EXPECT_EQ(after->total, 2000);
  auto b = by_key(*before), a = by_key(*after);
  std::int64_t sum_before = 0, sum_after = 0;
  for (const auto& [_, n] : b) sum_before += n;
  for (const auto& [_, n] : a) sum_after += n;
  EXPECT_EQ(sum_before, 2000);
  EXPECT_EQ(sum_after, 2000);
  // The merged communes and branches roll into their successors; nothing else changes.
  ASSERT_TRUE(b.count("CK-PT") && b.count("TC-NB") && b.count("CK-PT-1") && b.count("TC-NB-1"));
  EXPECT_FALSE(a.count("CK-PT") || a.count("TC-NB") || a.count("CK-PT-1") || a.count("TC-NB-1"));
  EXPECT_EQ(a["CK-HA"], b["CK-HA"] + b["CK-PT"]);
  EXPECT_EQ(a["TC-KS"], b["TC-KS"] + b["TC-NB"]);
  EXPECT_EQ(a["CK-HA-1"], b["CK-HA-1"] + b["CK-PT-1"]);
  EXPECT_EQ(a["TC-KS-2"], b["TC-KS-2"] + b["TC-NB-1"]);
  EXPECT_EQ(a["CL-AT"], b["CL-AT"]);
  // The plan: Kim Sơn 150 and Ngọc Biên 110 members (communes and their branches together).
  EXPECT_EQ(b["TC-KS"] + b["TC-KS-1"] + b["TC-KS-2"], 150);
  EXPECT_EQ(b["TC-NB"] + b["TC-NB-1"], 110);
  EXPECT_EQ(a["TC-KS"] + a["TC-KS-1"] + a["TC-KS-2"], 260);
}

TEST_F(DemoRegistryTest, EveryGroupKindHasMembersAndLimitsHold) {
  Ledger* ledger = shared_;
  const RegistryDemoSummary* s = summary_;
  Registry reg(*ledger);
  auto ms = reg.members(day(2024, 12, 31));
  ASSERT_TRUE(ms);
  std::map<std::string, std::int64_t> sizes;
  std::int64_t joins = 0;
  std::set<std::string> ids, national_ids;
  for (const auto& m : *ms) {
    for (const auto& g : m.groups) ++sizes[g];
    joins += static_cast<std::int64_t>(m.groups.size());
    ids.insert(m.id);
    national_ids.insert(m.national_id);
    EXPECT_EQ(m.national_id.substr(0, 3), "084") << m.id;
  }
  EXPECT_EQ(ids.size(), 2000u);
  EXPECT_EQ(national_ids.size(), 2000u);
  EXPECT_EQ(ids.count("HV0001") + ids.count("HV2000"), 2u);
  EXPECT_EQ(joins, s->memberships);
  EXPECT_EQ(sizes.size(), 60u);  // every group has members by the end of 2024
  std::map<GroupKind, std::int64_t> kinds;
  for (const auto& [code, n] : sizes) {
    auto g = reg.group(code);
    ASSERT_TRUE(g) << code;
    ++kinds[g->kind];
    EXPECT_FALSE(g->leader.empty()) << code;
    if (g->kind == GroupKind::kVbsp) {
      EXPECT_LE(n, 60) << code;
    }
    const bool own_book = g->kind == GroupKind::kSavings || g->kind == GroupKind::kRosca || g->kind == GroupKind::kPool;
    EXPECT_EQ(g->book, own_book ? "group:" + code : "") << code;
  }
  EXPECT_EQ(kinds[GroupKind::kVbsp], 18);
  EXPECT_EQ(kinds[GroupKind::kCredit], 18);
  EXPECT_EQ(kinds[GroupKind::kSavings], 18);
  EXPECT_EQ(kinds[GroupKind::kRosca], 3);
  EXPECT_EQ(kinds[GroupKind::kPool], 3);
  // The pool of Phong Thạnh belongs to Hòa Ân after the merge.
  auto pool = reg.group("GV-CK-PT");
  ASSERT_TRUE(pool);
  EXPECT_EQ(pool->unit, "CK-PT");
  auto succ = reg.successor("CK-PT", day(2025, 7, 1));
  ASSERT_TRUE(succ);
  EXPECT_EQ(*succ, "CK-HA");
}

TEST_F(DemoRegistryTest, NamesFollowTheEthnicity) {
  Ledger* ledger = shared_;
  Registry reg(*ledger);
  auto ms = reg.members(day(2024, 12, 31));
  ASSERT_TRUE(ms);
  const std::set<std::string> khmer_family{"Thạch", "Kim", "Sơn", "Lâm", "Triệu", "Danh", "Dương", "Chau", "Kiên"};
  for (const auto& m : *ms) {
    if (m.ethnicity != "Khmer") continue;
    auto sp = m.name.find(' ');
    ASSERT_NE(sp, std::string::npos) << m.name;
    EXPECT_TRUE(khmer_family.count(m.name.substr(0, sp))) << m.name;
    const std::string thi = " Thị ";  // 7 bytes in UTF-8
    EXPECT_EQ(m.name.substr(sp, thi.size()), thi) << m.name;
  }
}

TEST_F(DemoRegistryTest, IsDeterministicForASeed) {
  auto two = fresh("b.db");
  auto other = fresh("c.db");
  ASSERT_TRUE(two && other);
  const RegistryDemoSummary* s1 = summary_;  // the shared build, seed 2020
  auto s2 = build_registry_demo(*two, 2020);
  auto s3 = build_registry_demo(*other, 7);
  ASSERT_TRUE(s2 && s3);
  Registry r1(*shared_), r2(*two), r3(*other);
  auto k1 = member_keys(r1, day(2026, 1, 1));
  auto k2 = member_keys(r2, day(2026, 1, 1));
  auto k3 = member_keys(r3, day(2026, 1, 1));
  ASSERT_EQ(k1.size(), 2000u);
  EXPECT_EQ(k1, k2);
  EXPECT_EQ(s1->khmer, s2->khmer);
  EXPECT_EQ(s1->memberships, s2->memberships);
  // Another seed: the same design (2,000 members) but other people.
  ASSERT_EQ(k3.size(), 2000u);
  EXPECT_NE(k1, k3);
}

TEST_F(DemoRegistryTest, AFailedBuildWritesNothing) {
  auto ledger = fresh("a.db");
  ASSERT_TRUE(ledger);
  ASSERT_TRUE(build_registry_demo(*ledger, 2020));
  // A second build collides on the first unit code: an error, and no second set of anything.
  EXPECT_TRUE(failed_with(build_registry_demo(*ledger, 2020), ErrorKind::kBadInput));
  Registry reg(*ledger);
  auto c = reg.count_members(MemberReportBy::kUnit, day(2026, 1, 1));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->total, 2000);

  // An auditor may not build it, and the database stays empty.
  auto empty = fresh("b.db");
  ASSERT_TRUE(empty);
  ASSERT_TRUE(empty->add_user("kiemtoan", Role::kAuditor));
  ASSERT_TRUE(fresh_dbs_.back()->act_as(empty, "kiemtoan"));
  EXPECT_TRUE(failed_with(build_registry_demo(*empty, 2020), ErrorKind::kPermission));
  Registry reg2(*empty);
  auto units = reg2.units(day(2024, 1, 1));
  ASSERT_TRUE(units);
  EXPECT_TRUE(units->empty());
}

}  // namespace
}  // namespace soquy

// Tests of the audit trail (soquy/audit.h, reports/audit_reports.h): the log's filters by user
// and day of record, its hashes against the journal's, its error paths; the audit pack's files,
// manifest, PAR figures, and its refusals (a non-empty directory, a file, a stale DIR.part).
//
// Figures of the pack (../shared/vectors/loans.md, product A: 1 %/month flat, 12 monthly): L1 =
// 10,000,000 on 2026-01-15, paid 933,333 on 02-15 and 500,000 on 03-20. At 2026-04-30:
// outstanding 8,766,667, overdue principal 1,266,666, interest 100,000, DPD 46. It is the only
// loan, so PAR1 = PAR30 = 8,766,667 / 8,766,667 = 1.0000 and PAR90 = 0.0000.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "soquy/audit.h"
#include "soquy/checks.h"
#include "soquy/ledger.h"
#include "soquy/loans.h"
#include "soquy/rate.h"
#include "soquy/registry.h"
#include "soquy/reports/audit_reports.h"
#include "soquy/sha256.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy {
namespace {

namespace fs = std::filesystem;
using test_support::day;
using test_support::failed_with;
using test_support::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

EntryDraft draft(const std::string& memo, std::int64_t amount, Date on) {
  return EntryDraft{"fund", on, memo, "", {{"1011", Money(amount)}, {"6011", Money(-amount)}}, std::nullopt};
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    ASSERT_TRUE(ledger_->add_user("lien", Role::kOfficer));
  }
  PostResult post(const EntryDraft& d) {
    auto r = ledger_->post(d);
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : PostResult{};
  }
  TempDir dir_;
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(AuditTest, LogListsEveryEntryWithUserAndTheJournalsHash) {
  auto a = post(draft("Góp vốn", 5'000'000, day(2026, 1, 15)));
  ASSERT_TRUE(db_.act_as(ledger_, "lien"));
  auto b = post(draft("Thu tiền", 1'500'000, day(2026, 1, 20)));
  auto rev = ledger_->reverse(std::to_string(b.entry.id), day(2026, 1, 21), "rev-b");
  ASSERT_TRUE(rev) << rev.error().message();

  auto log = audit_log(*ledger_, {});
  ASSERT_TRUE(log) << log.error().message();
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].entry, a.entry.id);
  EXPECT_EQ((*log)[0].user, "admin");
  EXPECT_EQ((*log)[0].memo, "Góp vốn");
  EXPECT_EQ((*log)[0].debits, Money(5'000'000));
  EXPECT_EQ((*log)[0].postings, 2);
  EXPECT_EQ((*log)[0].hash, a.entry.hash);
  EXPECT_EQ((*log)[0].date, day(2026, 1, 15));
  EXPECT_FALSE((*log)[0].reverses.has_value());
  EXPECT_EQ((*log)[1].user, "lien");
  EXPECT_EQ((*log)[1].hash, b.entry.hash);
  EXPECT_EQ((*log)[2].user, "lien");
  EXPECT_EQ((*log)[2].client_id, "rev-b");
  ASSERT_TRUE((*log)[2].reverses.has_value());
  EXPECT_EQ(*(*log)[2].reverses, b.entry.id);
  EXPECT_EQ((*log)[2].hash, rev->entry.hash);
  for (const auto& e : *log) {
    EXPECT_EQ(e.hash.size(), 64u);
    EXPECT_EQ(e.hash.find_first_not_of("0123456789abcdef"), std::string::npos) << e.hash;  // lower hex
  }
  // The last hash is the chain head `soquy check` reports.
  EXPECT_EQ(log->back().hash, ledger_->check().last_hash);
}

TEST_F(AuditTest, LogFiltersByUser) {
  post(draft("Một", 1'000, day(2026, 1, 1)));
  ASSERT_TRUE(db_.act_as(ledger_, "lien"));
  auto b = post(draft("Hai", 2'000, day(2026, 1, 2)));
  ASSERT_TRUE(db_.act_as(ledger_, "admin"));
  post(draft("Ba", 3'000, day(2026, 1, 3)));

  auto lien = audit_log(*ledger_, {std::nullopt, std::nullopt, "lien"});
  ASSERT_TRUE(lien);
  ASSERT_EQ(lien->size(), 1u);
  EXPECT_EQ(lien->front().entry, b.entry.id);
  auto admin = audit_log(*ledger_, {std::nullopt, std::nullopt, "admin"});
  ASSERT_TRUE(admin);
  ASSERT_EQ(admin->size(), 2u);
  EXPECT_EQ((*admin)[0].memo, "Một");
  EXPECT_EQ((*admin)[1].memo, "Ba");
  // A user who recorded nothing: an empty log, not an error.
  ASSERT_TRUE(ledger_->add_user("ngoc", Role::kAuditor));
  auto ngoc = audit_log(*ledger_, {std::nullopt, std::nullopt, "ngoc"});
  ASSERT_TRUE(ngoc);
  EXPECT_TRUE(ngoc->empty());
}

TEST_F(AuditTest, LogFiltersByDayOfRecordNotEffectiveDate) {
  // Every entry of this process is recorded "now"; effective dates are years apart.
  post(draft("Cũ", 1'000, day(2020, 1, 1)));
  post(draft("Mới", 2'000, day(2026, 6, 1)));
  auto all = audit_log(*ledger_, {});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  auto rec = Date::parse_iso(all->front().recorded_at.substr(0, 10));
  ASSERT_TRUE(rec) << all->front().recorded_at;
  const Date recorded = *rec;
  auto count = [&](std::optional<Date> from, std::optional<Date> to) {
    auto r = audit_log(*ledger_, {from, to, ""});
    EXPECT_TRUE(r) << r.error().message();
    return r ? r->size() : 999u;
  };
  EXPECT_EQ(count(recorded, recorded), 2u);  // both bounds inclusive
  EXPECT_EQ(count(recorded, std::nullopt), 2u);
  EXPECT_EQ(count(std::nullopt, recorded), 2u);
  EXPECT_EQ(count(recorded.add_days(1), std::nullopt), 0u);
  EXPECT_EQ(count(std::nullopt, recorded.add_days(-1)), 0u);
  // The effective date 2020-01-01 is not what --from/--to select.
  EXPECT_EQ(count(day(2020, 1, 1), day(2020, 1, 1)), 0u);
}

TEST_F(AuditTest, LogRefusesReversedRangeAndUnknownUser) {
  EXPECT_TRUE(failed_with(audit_log(*ledger_, {day(2026, 2, 1), day(2026, 1, 31), ""}), ErrorKind::kUsage));
  EXPECT_TRUE(failed_with(audit_log(*ledger_, {std::nullopt, std::nullopt, "nobody"}), ErrorKind::kBadInput));
}

TEST_F(AuditTest, LogReportJsonAndTable) {
  ASSERT_TRUE(db_.act_as(ledger_, "lien"));
  auto a = post(EntryDraft{"fund", day(2026, 1, 15), "Góp vốn", "cid-1", {{"1011", Money(7)}, {"6011", Money(-7)}}, std::nullopt});
  AuditLogFilter f{day(2026, 1, 1), std::nullopt, "lien"};
  auto log = audit_log(*ledger_, {});
  ASSERT_TRUE(log);
  auto r = reports::audit_log_report(f, *log);
  EXPECT_EQ(r.json["from"], "2026-01-01");
  EXPECT_TRUE(r.json["to"].is_null());
  EXPECT_EQ(r.json["user"], "lien");
  ASSERT_EQ(r.json["entries"].size(), 1u);
  const auto& e = r.json["entries"][0];
  EXPECT_EQ(e["entry"], a.entry.id);
  EXPECT_EQ(e["user"], "lien");
  EXPECT_EQ(e["book"], "fund");
  EXPECT_EQ(e["date"], "2026-01-15");
  EXPECT_EQ(e["client_id"], "cid-1");
  EXPECT_TRUE(e["reverses"].is_null());
  EXPECT_EQ(e["postings"], 2);
  EXPECT_EQ(e["debits"], "7");
  EXPECT_EQ(e["hash"], a.entry.hash);
  ASSERT_EQ(r.tables.size(), 1u);
  ASSERT_EQ(r.tables[0].rows.size(), 1u);
  EXPECT_EQ(r.tables[0].rows[0].back(), a.entry.hash);
}

class AuditPackTest : public AuditTest {
 protected:
  void SetUp() override {
    AuditTest::SetUp();
    Registry reg(*ledger_);
    LoanBook book(*ledger_);
    const Date d = day(2020, 1, 1);
    ASSERT_TRUE(reg.add_unit({"P", "Trà Vinh", UnitKind::kProvince, "", d}));
    ASSERT_TRUE(reg.add_unit({"C1", "An Trường", UnitKind::kCommune, "P", d}));
    ASSERT_TRUE(reg.add_group({"G1", "Tổ 1", GroupKind::kCredit, "C1", "", d}));
    MemberSpec s;
    s.id = "M1";
    s.name = "Nguyễn Thị Hoa";
    s.national_id = "084185000001";
    s.unit = "C1";
    s.group = "G1";
    s.joined = d;
    ASSERT_TRUE(reg.add_member(s));
    ASSERT_TRUE(book.deposit(Money(100'000'000), day(2025, 12, 1), "Vốn", "cap-1"));
    LoanProduct a;
    a.code = "A";
    a.rate = *Rate::parse("1%/month");
    a.installments = 12;
    ASSERT_TRUE(book.add_product(a));
    auto l = book.disburse({"L1", "M1", "A", "G1", Money(10'000'000), day(2026, 1, 15), ""});
    ASSERT_TRUE(l) << l.error().message();
    ASSERT_TRUE(book.repay("L1", Money(933'333), Money(0), day(2026, 2, 15), "R1"));
    ASSERT_TRUE(book.repay("L1", Money(500'000), Money(0), day(2026, 3, 20), "R2"));
  }
  std::string out() const { return dir_.file("pack"); }
};

TEST_F(AuditPackTest, WritesEveryFileAndAManifestOfTheirHashes) {
  auto r = reports::write_audit_pack(*ledger_, day(2026, 4, 30), out());
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->check.ok());
  EXPECT_FALSE(fs::exists(out() + ".part"));
  const std::vector<std::string> expected = {"overdue.xlsx", "overdue.html",  "trial-balance.xlsx",
                                             "trial-balance.csv", "par.json", "vbsp-reconciliation.csv",
                                             "vbsp-reconciliation.html", "audit-log.csv",
                                             "check.json", "check.txt", "MANIFEST.sha256"};
  EXPECT_EQ(r->files, expected);
  std::set<std::string> on_disk;
  for (const auto& f : fs::directory_iterator(out())) on_disk.insert(f.path().filename().string());
  EXPECT_EQ(on_disk, std::set<std::string>(expected.begin(), expected.end()));
  for (const auto& f : expected) EXPECT_GT(fs::file_size(fs::path(out()) / f), 0u) << f;

  // MANIFEST.sha256: "HASH  FILE" per file but itself, sorted by name.
  std::istringstream manifest(slurp(fs::path(out()) / "MANIFEST.sha256"));
  std::string line;
  std::vector<std::string> listed;
  while (std::getline(manifest, line)) {
    ASSERT_EQ(line.size() > 66, true) << line;
    ASSERT_EQ(line.substr(64, 2), "  ") << line;
    std::string name = line.substr(66);
    listed.push_back(name);
    EXPECT_EQ(line.substr(0, 64), sha256_hex(slurp(fs::path(out()) / name))) << name;
  }
  EXPECT_EQ(listed, (std::vector<std::string>{"audit-log.csv", "check.json", "check.txt", "overdue.html",
                                              "overdue.xlsx", "par.json", "trial-balance.csv",
                                              "trial-balance.xlsx", "vbsp-reconciliation.csv",
                                              "vbsp-reconciliation.html"}));
  // No VBSP statement in this database: the summary says so.
  EXPECT_EQ(slurp(fs::path(out()) / "vbsp-reconciliation.csv"),
            "note\r\nNo VBSP statement on or before 2026-04-30: nothing reconciled.\r\n");

  // PAR by hand (header comment): the only loan is 46 days past due.
  auto par = nlohmann::json::parse(slurp(fs::path(out()) / "par.json"));
  EXPECT_EQ(par["as_of"], "2026-04-30");
  EXPECT_EQ(par["currency"], "VND");
  EXPECT_EQ(par["loans"], 1);
  EXPECT_EQ(par["outstanding_principal"], "8766667");
  EXPECT_EQ(par["overdue_principal"], "1266666");
  EXPECT_EQ(par["par1"], "1.0000");
  EXPECT_EQ(par["par30"], "1.0000");
  EXPECT_EQ(par["par90"], "0.0000");

  auto check = nlohmann::json::parse(slurp(fs::path(out()) / "check.json"));
  EXPECT_EQ(check["ok"], true);
  auto log = audit_log(*ledger_, {});
  ASSERT_TRUE(log);
  EXPECT_EQ(check["checks"][1]["name"], "journal.chain");
  EXPECT_EQ(check["checks"][1]["items"], static_cast<std::int64_t>(log->size()));
  EXPECT_EQ(check["last_entry"], log->back().entry);
  EXPECT_EQ(check["last_hash"], log->back().hash);
  // Every named check ran (the loan's records among them) and passed.
  EXPECT_EQ(check["checks"].size(), check_list().size());
  for (const auto& c : check["checks"]) EXPECT_EQ(c["ok"], true) << c["name"];
  // The audit log CSV: a header and one line per entry, each ending in its hash.
  std::string csv = slurp(fs::path(out()) / "audit-log.csv");
  EXPECT_EQ(csv.rfind("entry,recorded_at,user,book,date,memo,client_id,reverses,postings,debits,hash\r\n", 0), 0u);
  for (const auto& e : *log) EXPECT_NE(csv.find(e.hash + "\r\n"), std::string::npos) << e.entry;
  EXPECT_NE(slurp(fs::path(out()) / "trial-balance.csv").find("fund,2111,"), std::string::npos);
}

TEST_F(AuditPackTest, SameDataGivesTheSameBytes) {
  ASSERT_TRUE(reports::write_audit_pack(*ledger_, day(2026, 4, 30), out()));
  ASSERT_TRUE(reports::write_audit_pack(*ledger_, day(2026, 4, 30), dir_.file("again")));
  EXPECT_EQ(slurp(fs::path(out()) / "MANIFEST.sha256"), slurp(fs::path(dir_.file("again")) / "MANIFEST.sha256"));
}

TEST_F(AuditPackTest, AnEmptyDirectoryIsFilled) {
  fs::create_directory(out());
  auto r = reports::write_audit_pack(*ledger_, day(2026, 4, 30), out() + "/");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(fs::exists(fs::path(out()) / "MANIFEST.sha256"));
  EXPECT_FALSE(fs::exists(out() + ".part"));
}

TEST_F(AuditPackTest, RefusesANonEmptyDirectoryAndLeavesItAlone) {
  fs::create_directory(out());
  test_support::write_file(out() + "/notes.txt", "biên bản");
  EXPECT_TRUE(failed_with(reports::write_audit_pack(*ledger_, day(2026, 4, 30), out()), ErrorKind::kCantCreate));
  std::set<std::string> on_disk;
  for (const auto& f : fs::directory_iterator(out())) on_disk.insert(f.path().filename().string());
  EXPECT_EQ(on_disk, std::set<std::string>{"notes.txt"});
  EXPECT_EQ(slurp(out() + "/notes.txt"), "biên bản");
  EXPECT_FALSE(fs::exists(out() + ".part"));
}

TEST_F(AuditPackTest, RefusesAFileAStalePartAndAMissingParent) {
  test_support::write_file(out(), "x");
  EXPECT_TRUE(failed_with(reports::write_audit_pack(*ledger_, day(2026, 4, 30), out()), ErrorKind::kCantCreate));
  EXPECT_EQ(slurp(out()), "x");
  const std::string other = dir_.file("other");
  fs::create_directory(other + ".part");
  EXPECT_TRUE(failed_with(reports::write_audit_pack(*ledger_, day(2026, 4, 30), other), ErrorKind::kCantCreate));
  EXPECT_FALSE(fs::exists(other));
  EXPECT_TRUE(fs::exists(other + ".part"));  // not ours to remove
  EXPECT_TRUE(failed_with(reports::write_audit_pack(*ledger_, day(2026, 4, 30), dir_.file("no/such/dir")),
                          ErrorKind::kCantCreate));
  EXPECT_FALSE(fs::exists(dir_.file("no")));
}

}  // namespace
}  // namespace soquy

// The audit log report and the auditor's pack (docs/audit.md). The pack only calls the report
// builders every other command uses (overdue_report, trial_balance, check_result) and the one
// renderer layer; it adds the directory handling and the manifest.
#include "soquy/reports/audit_reports.h"
#include "human_date.h"
#include "soquy/i18n.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/reports/ledger_reports.h"
#include "soquy/reports/overdue_report.h"
#include "soquy/reports/row_stream.h"
#include "soquy/sha256.h"
#include "soquy/vbsp.h"

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

ordered_json null_or(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

// Writes one rendered file of the pack.
Result<void> write_file(const fs::path& path, const std::function<Result<void>(std::ostream&)>& writer) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return fail(Error::cant_create(fmt::format(fmt::runtime(tr("{}: cannot create the file")), path.string())));
  if (auto r = writer(f); !r) return r;
  f.close();
  if (!f) return fail(Error::io(fmt::format(fmt::runtime(tr("{}: write failed")), path.string())));
  return {};
}

Result<void> write_rendered(const fs::path& path, const Report& report, Format format) {
  RenderOptions options;  // fixed creation date: the same data gives the same bytes
  return write_file(path, [&](std::ostream& os) { return render(report, format, os, options); });
}

Result<std::string> file_sha256(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return fail(Error::io(fmt::format(fmt::runtime(tr("{}: cannot read it back")), path.string())));
  Sha256 h;
  char buf[65536];
  while (f.read(buf, sizeof buf) || f.gcount() > 0) h.update(std::string_view(buf, static_cast<std::size_t>(f.gcount())));
  if (f.bad()) return fail(Error::io(fmt::format(fmt::runtime(tr("{}: read failed")), path.string())));
  return h.finish_hex();
}

// Removes the half-built directory unless disarmed.
class PartGuard {
 public:
  explicit PartGuard(fs::path p) : path_(std::move(p)) {}
  ~PartGuard() {
    if (armed_) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  void disarm() { armed_ = false; }

 private:
  fs::path path_;
  bool armed_ = true;
};

std::vector<std::string> summary_cells(const VbspReconSummary& s) {
  return {std::to_string(s.loans),              std::to_string(s.matched),
          std::to_string(s.missing_in_ledger),  std::to_string(s.missing_in_bank),
          std::to_string(s.principal_mismatch), std::to_string(s.interest_mismatch),
          std::to_string(s.savings_mismatch),   std::to_string(s.identity_mismatch)};
}

// The VBSP reconciliation summary of the pack (audit_reports.h): per group, from reconcile_vbsp on
// the loans that touch the group (a loan whose group differs between the bank and the register
// counts in both groups, as `vbsp reconcile --group` counts it); totals from Vbsp::reconcile.
Result<Report> vbsp_reconciliation_summary(Ledger& ledger, Date as_of) {
  Report r;
  Vbsp vbsp(ledger);
  auto dates = vbsp.statement_dates();
  if (!dates) return fail(dates.error());
  std::optional<Date> statement_date;
  for (Date d : *dates)
    if (d <= as_of) statement_date = d;
  if (!statement_date) {
    Table t(fmt::format(fmt::runtime(tr("VBSP reconciliation summary as of {}")), human_date(as_of)),
            {{"note", tr("Note")}});
    t.rows.push_back(
        {fmt::format(fmt::runtime(tr("No VBSP statement on or before {}: nothing reconciled.")), human_date(as_of))});
    r.json = ordered_json{{"as_of", as_of.to_iso()}, {"statement", nullptr}};
    r.tables.push_back(std::move(t));
    return r;
  }
  const Date on = *statement_date;
  auto total = vbsp.reconcile(on);
  if (!total) return fail(total.error());
  auto statement = vbsp.statement(on);
  if (!statement) return fail(statement.error());
  auto loans = vbsp.ledger_loans(total->period_from, on);
  if (!loans) return fail(loans.error());
  const auto& rows = statement->second;
  std::map<std::string, std::set<std::string>> groups_of;  // loan number → the groups it names
  for (const auto& l : *loans) groups_of[l.loan_no].insert(l.group_code);
  for (const auto& b : rows) groups_of[b.loan_no].insert(b.group_code);
  std::map<std::string, std::pair<std::vector<VbspLedgerLoan>, std::vector<VbspBankRow>>> by_group;
  for (const auto& l : *loans)
    for (const auto& g : groups_of[l.loan_no]) by_group[g].first.push_back(l);
  for (const auto& b : rows)
    for (const auto& g : groups_of[b.loan_no]) by_group[g].second.push_back(b);
  Registry registry(ledger);
  Table t(fmt::format(fmt::runtime(tr("VBSP reconciliation summary by group, statement of {}")), human_date(on)),
          {{"group", tr("Group code")},
           {"name", tr("Group name")},
           {"loans", tr("Loans"), CellKind::kInteger},
           {"matched", tr("Matched"), CellKind::kInteger},
           {"missing_in_ledger", tr("Missing in ledger"), CellKind::kInteger},
           {"missing_in_bank", tr("Missing in bank"), CellKind::kInteger},
           {"principal_mismatch", tr("Principal differs"), CellKind::kInteger},
           {"interest_mismatch", tr("Interest differs"), CellKind::kInteger},
           {"savings_mismatch", tr("Savings differ"), CellKind::kInteger},
           {"identity_mismatch", tr("Identity"), CellKind::kInteger}});
  for (const auto& [g, sides] : by_group) {
    const auto rec = reconcile_vbsp(sides.first, sides.second, total->period_from, on, g);
    if (rec.summary.loans == 0) continue;  // only repaid or closed loans
    auto group = registry.group(g);
    std::vector<std::string> row = {g, group ? group->name : std::string()};
    for (auto& c : summary_cells(rec.summary)) row.push_back(std::move(c));
    t.rows.push_back(std::move(row));
  }
  std::vector<std::string> totals = {tr("Grand total"), ""};
  for (auto& c : summary_cells(total->summary)) totals.push_back(std::move(c));
  t.totals.push_back(std::move(totals));
  t.notes.push_back(fmt::format(
      fmt::runtime(tr("VBSP statement of {} (version {}), period from {}, reconciled with the Union's books up to the "
                      "same day; report as of {}. Each loan in detail: soquy vbsp reconcile --as-of {}.")),
      human_date(on), total->statement_version, human_date(total->period_from), human_date(as_of), on.to_iso()));
  r.json = ordered_json{{"as_of", as_of.to_iso()}, {"statement", on.to_iso()}};
  r.tables.push_back(std::move(t));
  return r;
}

Result<AuditPackResult> build_pack(Ledger& ledger, Date as_of, const fs::path& part) {
  AuditPackResult out;
  // The overdue report, rows by unit, exactly as `soquy report overdue --by unit --as-of D`.
  LoanBook book(ledger);
  Registry registry(ledger);
  OverdueReportInput in;
  in.by = OverdueBy::kUnit;
  auto at = collect_overdue(book, registry, as_of, in.by, as_of, book.class_table());
  if (!at) return fail(at.error());
  in.at = std::move(*at);
  auto names = overdue_row_names(registry, in.by, as_of, in.at, in.compare_to);
  if (!names) return fail(names.error());
  in.names = std::move(*names);
  Report overdue = overdue_report(in);
  if (auto r = write_rendered(part / "overdue.xlsx", overdue, Format::kXlsx); !r) return fail(r.error());
  if (auto r = write_rendered(part / "overdue.html", overdue, Format::kHtml); !r) return fail(r.error());

  auto tb = ledger.trial_balance("", as_of);
  if (!tb) return fail(tb.error());
  Report trial = trial_balance(*tb);
  if (auto r = write_rendered(part / "trial-balance.xlsx", trial, Format::kXlsx); !r) return fail(r.error());
  if (auto r = write_rendered(part / "trial-balance.csv", trial, Format::kCsv); !r) return fail(r.error());

  // PAR: the overdue report's totals, as the report computed them.
  Report par;
  par.json = ordered_json{{"as_of", as_of.to_iso()}, {"currency", overdue.json.value("currency", "VND")}};
  for (const auto& [key, value] : overdue.json["totals"].items()) par.json[key] = value;
  if (auto r = write_rendered(part / "par.json", par, Format::kJson); !r) return fail(r.error());

  auto recon = vbsp_reconciliation_summary(ledger, as_of);
  if (!recon) return fail(recon.error());
  if (auto r = write_rendered(part / "vbsp-reconciliation.csv", *recon, Format::kCsv); !r) return fail(r.error());
  if (auto r = write_rendered(part / "vbsp-reconciliation.html", *recon, Format::kHtml); !r) return fail(r.error());

  // Written as the log is read, like `audit log --format csv`: a pack of millions of entries
  // does not hold them in memory.
  if (auto r = write_file(part / "audit-log.csv",
                          [&ledger](std::ostream& os) {
                            return write_audit_log(ledger, AuditLogFilter{}, Format::kCsv, os, RenderOptions{});
                          });
      !r)
    return fail(r.error());

  auto checked = run_checks(ledger);
  if (!checked) return fail(checked.error());
  out.check = std::move(*checked);
  Report check = check_result(out.check);
  if (auto r = write_rendered(part / "check.json", check, Format::kJson); !r) return fail(r.error());
  if (auto r = write_rendered(part / "check.txt", check, Format::kTable); !r) return fail(r.error());

  std::vector<std::string> names_sorted = kAuditPackFiles;
  std::sort(names_sorted.begin(), names_sorted.end());
  std::string manifest;
  for (const auto& name : names_sorted) {
    auto h = file_sha256(part / name);
    if (!h) return fail(h.error());
    manifest += fmt::format("{}  {}\n", *h, name);
  }
  if (auto r = write_file(part / kAuditPackManifest,
                          [&](std::ostream& os) -> Result<void> {
                            os << manifest;
                            return {};
                          });
      !r)
    return fail(r.error());
  out.files = kAuditPackFiles;
  out.files.emplace_back(kAuditPackManifest);
  return out;
}


Report audit_log_skeleton(const AuditLogFilter& filter) {
  Report r;
  Table t{tr("Audit log: who recorded which entry, and when"),
          {{"entry", tr("Entry no."), CellKind::kInteger},
           {"recorded_at", tr("Recorded at UTC")},
           {"user", tr("Recorded by")},
           {"book", tr("Book")},
           {"date", tr("Entry date"), CellKind::kDate},
           {"memo", tr("Memo")},
           {"client_id", tr("Id")},
           {"reverses", tr("Reverses"), CellKind::kInteger},
           {"postings", tr("Postings"), CellKind::kInteger},
           {"debits", tr("Debits"), CellKind::kMoney},
           {"hash", tr("Hash")}}};
  r.json = ordered_json{{"from", filter.from ? ordered_json(filter.from->to_iso()) : ordered_json(nullptr)},
                        {"to", filter.to ? ordered_json(filter.to->to_iso()) : ordered_json(nullptr)},
                        {"user", null_or(filter.user)},
                        {"entries", ordered_json::array()}};
  r.tables.push_back(std::move(t));
  return r;
}

ordered_json audit_log_item(const AuditLogEntry& e) {
  return ordered_json{{"entry", e.entry},
                      {"recorded_at", e.recorded_at},
                      {"user", e.user},
                      {"book", e.book},
                      {"date", e.date.to_iso()},
                      {"memo", e.memo},
                      {"client_id", null_or(e.client_id)},
                      {"reverses", e.reverses ? ordered_json(*e.reverses) : ordered_json(nullptr)},
                      {"postings", e.postings},
                      {"debits", e.debits.to_plain_string()},
                      {"hash", e.hash}};
}

std::vector<std::string> audit_log_cells(const AuditLogEntry& e) {
  return {std::to_string(e.entry), e.recorded_at, e.user, e.book, e.date.to_iso(), e.memo, e.client_id,
          e.reverses ? std::to_string(*e.reverses) : "", std::to_string(e.postings), e.debits.to_plain_string(),
          e.hash};
}

void complete_audit_log(Report& report, std::size_t entries) {
  report.tables.front().notes.push_back(fmt::format(
      fmt::runtime(trn("{} entry. Filtered by the day of record (UTC), not the effective date. `soquy check` "
                       "verifies the hash chain.",
                       "{} entries. Filtered by the day of record (UTC), not the effective date. `soquy check` "
                       "verifies the hash chain.",
                       entries)),
      entries));
}

}  // namespace

Report audit_log_report(const AuditLogFilter& filter, const std::vector<AuditLogEntry>& entries) {
  Report r = audit_log_skeleton(filter);
  auto& list = r.json["entries"];
  for (const auto& e : entries) {
    list.push_back(audit_log_item(e));
    r.tables.front().rows.push_back(audit_log_cells(e));
  }
  complete_audit_log(r, entries.size());
  return r;
}

Result<void> write_audit_log(Ledger& ledger, const AuditLogFilter& filter, Format format, std::ostream& out,
                             const RenderOptions& options) {
  auto sink = RowSink::open(audit_log_skeleton(filter), "/entries", format, out, options);
  if (!sink) return fail(sink.error());
  auto walked = for_each_audit_log_entry(ledger, filter, [&sink](const AuditLogEntry& e) {
    return sink->row(audit_log_item(e), audit_log_cells(e));
  });
  if (!walked) return walked;
  const std::size_t n = sink->rows();
  return sink->finish([n](Report& r) { complete_audit_log(r, n); });
}

Report change_log_report(const ChangeLogFilter& filter, const std::vector<ChangeLogRow>& changes) {
  Report r;
  ordered_json list = ordered_json::array();
  Table t{tr("Change log: who added, changed or deleted which record, and when"),
          {{"seq", tr("Seq."), CellKind::kInteger},
           {"recorded_at", tr("Changed at UTC")},
           {"user", tr("Done by")},
           {"table", tr("Table")},
           {"record", tr("Record")},
           {"action", tr("Action")},
           {"content", tr("Content")},
           {"hash", tr("Hash")}}};
  for (const auto& c : changes) {
    list.push_back(ordered_json{{"seq", c.seq},
                                {"recorded_at", c.recorded_at},
                                {"user", c.user},
                                {"table", c.table},
                                {"record", c.record},
                                {"action", c.action},
                                {"content", c.content.empty() ? ordered_json(nullptr)
                                                              : ordered_json::parse(c.content, nullptr, false)},
                                {"hash", c.hash}});
    t.rows.push_back({std::to_string(c.seq), c.recorded_at, c.user, c.table, c.record, c.action, c.content, c.hash});
  }
  t.notes.push_back(fmt::format(
      fmt::runtime(trn("{} change. Filtered by the day of record (UTC). `soquy check` verifies the chain and each "
                       "record against its last change.",
                       "{} changes. Filtered by the day of record (UTC). `soquy check` verifies the chain and each "
                       "record against its last change.",
                       changes.size())),
      changes.size()));
  r.json = ordered_json{{"from", filter.from ? ordered_json(filter.from->to_iso()) : ordered_json(nullptr)},
                        {"to", filter.to ? ordered_json(filter.to->to_iso()) : ordered_json(nullptr)},
                        {"user", null_or(filter.user)},
                        {"table", null_or(filter.table)},
                        {"changes", list}};
  r.tables.push_back(std::move(t));
  return r;
}

Result<AuditPackResult> write_audit_pack(Ledger& ledger, Date as_of, const std::string& dir_text) {
  std::error_code ec;
  fs::path dir(dir_text);
  while (!dir.empty() && !dir.has_filename()) dir = dir.parent_path();  // "out/" → "out"
  if (dir.empty()) return fail(Error::usage(tr("an empty directory name")).in_field("out"));
  fs::path part = dir;
  part += ".part";
  auto st = fs::symlink_status(dir, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st))
      return fail(Error::cant_create(fmt::format(fmt::runtime(tr("{}: exists and is not a directory; not overwriting it")), dir.string())));
    if (!fs::is_empty(dir, ec) || ec)
      return fail(Error::cant_create(fmt::format(fmt::runtime(tr("{}: exists and is not empty; not overwriting it")), dir.string())));
  }
  if (fs::exists(fs::symlink_status(part, ec)))
    return fail(Error::cant_create(fmt::format(fmt::runtime(tr("{}: already there (left by an interrupted run?); remove it first")),
                                               part.string())));
  if (!fs::create_directory(part, ec) || ec)
    return fail(Error::cant_create(fmt::format(fmt::runtime(tr("{}: cannot create the directory: {}")), part.string(),
                                               ec ? ec.message() : std::string(tr("already there")))));
  PartGuard guard(part);
  auto built = build_pack(ledger, as_of, part);
  if (!built) return built;
  // rename(2) replaces an empty directory; otherwise `dir` does not exist.
  fs::rename(part, dir, ec);
  if (ec)
    return fail(Error::cant_create(fmt::format(fmt::runtime(tr("{}: cannot move the finished pack into place: {}")), dir.string(),
                                               ec.message())));
  guard.disarm();
  return built;
}

}  // namespace soquy::reports

// The audit log report and the auditor's pack (docs/audit.md). The pack only calls the report
// builders every other command uses (overdue_report, trial_balance, check_result) and the one
// renderer layer; it adds the directory handling and the manifest.
#include "soquy/reports/audit_reports.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include <fmt/format.h>

#include "soquy/loans.h"
#include "soquy/registry.h"
#include "soquy/reports/ledger_reports.h"
#include "soquy/reports/overdue_report.h"
#include "soquy/sha256.h"

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

ordered_json null_or(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

// Writes one rendered file of the pack.
Result<void> write_file(const fs::path& path, const std::function<Result<void>(std::ostream&)>& writer) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return fail(Error::cant_create(fmt::format("{}: cannot create the file", path.string())));
  if (auto r = writer(f); !r) return r;
  f.close();
  if (!f) return fail(Error::io(fmt::format("{}: write failed", path.string())));
  return {};
}

Result<void> write_rendered(const fs::path& path, const Report& report, Format format) {
  RenderOptions options;  // fixed creation date: the same data gives the same bytes
  return write_file(path, [&](std::ostream& os) { return render(report, format, os, options); });
}

Result<std::string> file_sha256(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return fail(Error::io(fmt::format("{}: cannot read it back", path.string())));
  Sha256 h;
  char buf[65536];
  while (f.read(buf, sizeof buf) || f.gcount() > 0) h.update(std::string_view(buf, static_cast<std::size_t>(f.gcount())));
  if (f.bad()) return fail(Error::io(fmt::format("{}: read failed", path.string())));
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

  auto log = audit_log(ledger, AuditLogFilter{});
  if (!log) return fail(log.error());
  if (auto r = write_rendered(part / "audit-log.csv", audit_log_report(AuditLogFilter{}, *log), Format::kCsv); !r)
    return fail(r.error());

  out.check = ledger.check();
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

}  // namespace

Report audit_log_report(const AuditLogFilter& filter, const std::vector<AuditLogEntry>& entries) {
  Report r;
  ordered_json list = ordered_json::array();
  Table t{"Nhật ký ghi sổ (audit log): ai ghi bút toán nào, lúc nào",
          {{"entry", "Số CT (Entry)", CellKind::kInteger},
           {"recorded_at", "Ghi lúc UTC (Recorded at)"},
           {"user", "Người ghi (User)"},
           {"book", "Sổ (Book)"},
           {"date", "Ngày CT (Date)", CellKind::kDate},
           {"memo", "Diễn giải (Memo)"},
           {"client_id", "Mã (Id)"},
           {"reverses", "Đảo CT (Reverses)", CellKind::kInteger},
           {"postings", "Số dòng (Postings)", CellKind::kInteger},
           {"debits", "Số tiền (Debits)", CellKind::kMoney},
           {"hash", "Mã hash SHA-256 (Hash)"}}};
  for (const auto& e : entries) {
    list.push_back(ordered_json{{"entry", e.entry},
                                {"recorded_at", e.recorded_at},
                                {"user", e.user},
                                {"book", e.book},
                                {"date", e.date.to_iso()},
                                {"memo", e.memo},
                                {"client_id", null_or(e.client_id)},
                                {"reverses", e.reverses ? ordered_json(*e.reverses) : ordered_json(nullptr)},
                                {"postings", e.postings},
                                {"debits", e.debits.to_plain_string()},
                                {"hash", e.hash}});
    t.rows.push_back({std::to_string(e.entry), e.recorded_at, e.user, e.book, e.date.to_iso(), e.memo, e.client_id,
                      e.reverses ? std::to_string(*e.reverses) : "", std::to_string(e.postings),
                      e.debits.to_plain_string(), e.hash});
  }
  t.notes.push_back(fmt::format("{} bút toán (entries). Lọc theo ngày ghi sổ UTC, không theo ngày chứng từ "
                                "(filtered by the day of record, not the effective date). `soquy check` kiểm tra "
                                "chuỗi hash (verifies the hash chain).",
                                entries.size()));
  r.json = ordered_json{{"from", filter.from ? ordered_json(filter.from->to_iso()) : ordered_json(nullptr)},
                        {"to", filter.to ? ordered_json(filter.to->to_iso()) : ordered_json(nullptr)},
                        {"user", null_or(filter.user)},
                        {"entries", list}};
  r.tables.push_back(std::move(t));
  return r;
}

Result<AuditPackResult> write_audit_pack(Ledger& ledger, Date as_of, const std::string& dir_text) {
  std::error_code ec;
  fs::path dir(dir_text);
  while (!dir.empty() && !dir.has_filename()) dir = dir.parent_path();  // "out/" → "out"
  if (dir.empty()) return fail(Error::usage("--out: an empty directory name"));
  fs::path part = dir;
  part += ".part";
  auto st = fs::symlink_status(dir, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st))
      return fail(Error::cant_create(fmt::format("{}: exists and is not a directory; not overwriting it", dir.string())));
    if (!fs::is_empty(dir, ec) || ec)
      return fail(Error::cant_create(fmt::format("{}: exists and is not empty; not overwriting it", dir.string())));
  }
  if (fs::exists(fs::symlink_status(part, ec)))
    return fail(Error::cant_create(fmt::format("{}: already there (left by an interrupted run?); remove it first",
                                               part.string())));
  if (!fs::create_directory(part, ec) || ec)
    return fail(Error::cant_create(fmt::format("{}: cannot create the directory: {}", part.string(),
                                               ec ? ec.message() : "already there")));
  PartGuard guard(part);
  auto built = build_pack(ledger, as_of, part);
  if (!built) return built;
  // rename(2) replaces an empty directory; otherwise `dir` does not exist.
  fs::rename(part, dir, ec);
  if (ec)
    return fail(Error::cant_create(fmt::format("{}: cannot move the finished pack into place: {}", dir.string(),
                                               ec.message())));
  guard.disarm();
  return built;
}

}  // namespace soquy::reports

// VBSP entrustment, the engine: register, transactions and statement imports, the union's side
// of the loans, the stored statements, the session check and form 15/TD (vbsp.h). The files are
// read in vbsp_files.cc, reconciled in vbsp_reconcile.cc; all SQL is in vbsp_store.cc.
#include "soquy/i18n.h"
#include "soquy/vbsp.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "soquy/charts.h"
#include "soquy/clock.h"
#include "soquy/registry.h"
#include "soquy/sha256.h"
#include "store.h"
#include "vbsp_internal.h"
#include "vbsp_store.h"

namespace soquy {
namespace {

using vbsp_detail::all_digits;
using vbsp_detail::amount_field;
using vbsp_detail::code_field;
using vbsp_detail::Columns;
using vbsp_detail::date_field;
using vbsp_detail::from_store;
using vbsp_detail::loan_field;
using vbsp_detail::name_field;
using vbsp_detail::read_rows;
using vbsp_detail::register_columns;
using vbsp_detail::text_field;
using vbsp_detail::transaction_columns;

const std::map<std::string, std::string> kRegistryColumns = {
    {"id", "member_id"}, {"name", "borrower_name"}, {"national_id", "national_id"}, {"unit", "unit"},
    {"code", "group_code"}, {"group", "group_code"},
};

// A registry error names the spec's field (Error::field); `columns` maps it to the file's column.
// Another error goes to `default_column`, with its field, if any, by name.
void add_field_error(ImportProblems& problems, std::size_t line, const Error& e, std::string_view default_column,
                     const std::map<std::string, std::string>& columns) {
  if (auto it = columns.find(e.field()); it != columns.end()) {
    problems.add(line, it->second, e.message());
    return;
  }
  problems.add(line, default_column, e.words(Error::as_named));
}

std::string statement_hash(Date from, const std::vector<VbspBankRow>& rows) {
  std::vector<const VbspBankRow*> sorted;
  for (const auto& r : rows) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->loan_no < b->loan_no; });
  Sha256 h;
  h.update(from.to_iso());
  h.update("\n");
  for (const auto* r : sorted) {
    h.update(fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\n",
                         r->loan_no, r->group_code, r->commune_code, r->office_code, r->customer_code,
                         r->borrower_name, r->programme, r->disbursed_on ? r->disbursed_on->to_iso() : "",
                         r->principal_outstanding, r->principal_overdue, r->principal_frozen, r->interest_collected,
                         r->interest_unpaid, r->savings_balance, r->closed ? "CLOSE" : "OPEN", ""));
  }
  return h.finish_hex();
}

// A statement row as the store keeps it, its strings taken from `r` (which is written once and
// not read again): the file's memory is given back row by row as the rows are stored.
void to_store(VbspBankRow& r, VbspStatementRow& s) {
  s.loan_no = std::move(r.loan_no);
  s.line = static_cast<std::int64_t>(r.line);
  s.group_code = std::move(r.group_code);
  s.commune_code = std::move(r.commune_code);
  s.office_code = std::move(r.office_code);
  s.customer_code = std::move(r.customer_code);
  s.borrower_name = std::move(r.borrower_name);
  s.programme = std::move(r.programme);
  s.disbursed_on = r.disbursed_on;
  s.principal_outstanding = r.principal_outstanding.minor_units();
  s.principal_overdue = r.principal_overdue.minor_units();
  s.principal_frozen = r.principal_frozen.minor_units();
  s.interest_collected = r.interest_collected.minor_units();
  s.interest_unpaid = r.interest_unpaid.minor_units();
  s.savings_balance = r.savings_balance.minor_units();
  s.status = r.closed ? "CLOSE" : "OPEN";
}

}  // namespace

namespace vbsp_detail {

VbspBankRow from_store(const VbspStatementRow& s) {
  VbspBankRow r;
  r.loan_no = s.loan_no;
  r.line = static_cast<std::size_t>(s.line);
  r.group_code = s.group_code;
  r.commune_code = s.commune_code;
  r.office_code = s.office_code;
  r.customer_code = s.customer_code;
  r.borrower_name = s.borrower_name;
  r.programme = s.programme;
  r.disbursed_on = s.disbursed_on;
  r.principal_outstanding = Money(s.principal_outstanding);
  r.principal_overdue = Money(s.principal_overdue);
  r.principal_frozen = Money(s.principal_frozen);
  r.interest_collected = Money(s.interest_collected);
  r.interest_unpaid = Money(s.interest_unpaid);
  r.savings_balance = Money(s.savings_balance);
  r.closed = s.status == "CLOSE";
  return r;
}


}  // namespace vbsp_detail

// --- the engine ----------------------------------------------------------------------------------

Vbsp::Vbsp(Ledger& ledger) : ledger_(ledger), store_(std::make_unique<VbspStore>(ledger.store())) {}
Vbsp::~Vbsp() = default;

std::size_t Vbsp::loan_no_length(const VbspImportOptions& options) {
  if (options.loan_no_length > 0) return options.loan_no_length;
  // A stored length the setting's rule refuses is bad input naming the setting, not a silent 16.
  auto length = setting_value<std::int64_t>(ledger_.store(), kVbspLoanNoLength);
  if (!length) throw SoquyException(length.error());
  return static_cast<std::size_t>(*length);
}

namespace {

// --- the register import ----------------------------------------------------------------------

// A row of the register file, with its line.
struct RegisterRow {
  std::size_t line;
  VbspLoanRow loan;
};

// The loan of one register record, or nullopt after reporting its problems; `seen` holds the
// loan numbers read so far (loan → line).
std::optional<VbspLoanRow> register_loan(const Columns& h, const CsvRecord& rec, std::size_t length,
                                         std::map<std::string, std::size_t>& seen, ImportProblems& problems) {
  const auto line = rec.line;
  auto loan = loan_field(h.get(rec, "loan_no"), length, line, problems);
  auto group = code_field(h.get(rec, "group_code"), "group_code", kVbspGroupCodeWidth, line, problems);
  auto member = text_field(h.get(rec, "member_id"), "member_id", line, problems);
  auto customer = code_field(h.get(rec, "customer_code"), "customer_code", 0, line, problems);
  std::optional<std::string> nid = std::string();
  if (!h.get(rec, "national_id").empty()) nid = code_field(h.get(rec, "national_id"), "national_id", 12, line, problems);
  auto name = name_field(h.get(rec, "borrower_name"), line, problems);
  auto programme = code_field(h.get(rec, "programme"), "programme", 2, line, problems);
  auto disbursed = date_field(h.get(rec, "disbursed_on"), "disbursed_on", line, problems);
  auto amount = amount_field(h.get(rec, "amount"), "amount", true, line, problems);
  auto maturity = date_field(h.get(rec, "maturity_on"), "maturity_on", line, problems);
  bool ok = loan && group && member && customer && nid && name && programme && disbursed && amount && maturity;
  if (disbursed && maturity && *maturity <= *disbursed) {
    problems.add(line, "maturity_on", fmt::format(fmt::runtime(tr("{} is not after the disbursement on {}")), *maturity, *disbursed));
    ok = false;
  }
  if (loan) {
    if (auto [it, fresh] = seen.emplace(*loan, line); !fresh) {
      problems.add(line, "loan_no", fmt::format(fmt::runtime(tr("'{}' is also on line {}")), *loan, it->second));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  VbspLoanRow l;
  l.loan_no = *loan;
  l.group_code = *group;
  l.member_code = *member;
  l.customer_code = *customer;
  l.national_id = *nid;
  l.borrower_name = *name;
  l.programme = *programme;
  l.disbursed_on = *disbursed;
  l.amount = amount->minor_units();
  l.maturity_on = *maturity;
  return l;
}

// The register file's good rows, by disbursement date (file order within a day): groups and
// members are then created as of their first disbursement.
Result<std::vector<RegisterRow>> read_register(const std::string& path, const CsvReadOptions& read,
                                               std::size_t length, ImportProblems& problems, std::int64_t& rows_read) {
  std::vector<RegisterRow> rows;
  std::map<std::string, std::size_t> seen;
  auto header = read_rows(path, read, register_columns(), problems, rows_read, [&](const Columns& h, const CsvRecord& rec) {
    if (auto l = register_loan(h, rec, length, seen, problems)) rows.push_back({rec.line, std::move(*l)});
  });
  if (!header) return fail(header.error());
  std::stable_sort(rows.begin(), rows.end(), [](const RegisterRow& a, const RegisterRow& b) {
    return std::tie(a.loan.disbursed_on, a.line) < std::tie(b.loan.disbursed_on, b.line);
  });
  return rows;
}

using GroupIds = std::map<std::string, std::pair<std::int64_t, std::string>>;  // code → (id, unit); id 0: refused
using MemberIds = std::map<std::string, std::int64_t>;                          // code → row id; 0: refused

// Groups: existing ones must be VBSP groups; unknown ones are created in `unit`.
Result<GroupIds> register_groups(Registry& registry, const std::vector<RegisterRow>& rows, const std::string& unit,
                                 ImportProblems& problems, VbspImportSummary& summary) {
  GroupIds groups;
  for (const auto& row : rows) {
    const auto& code = row.loan.group_code;
    if (groups.contains(code)) continue;
    auto g = registry.group(code);
    if (g) {
      if (g->kind != GroupKind::kVbsp) {
        problems.add(row.line, "group_code",
                     fmt::format(fmt::runtime(tr("group '{}' is a {} group, not a VBSP group")), code, to_string(g->kind)));
        groups[code] = {0, ""};
        continue;
      }
      groups[code] = {g->id, g->unit};
      continue;
    }
    if (unit.empty()) {
      problems.add(row.line, "group_code",
                   fmt::format(fmt::runtime(tr("unknown group '{}': give --unit COMMUNE to create it as a VBSP group")), code));
      groups[code] = {0, ""};
      continue;
    }
    GroupSpec spec;
    spec.code = code;
    spec.name = "Tổ TK&VV " + code;
    spec.kind = GroupKind::kVbsp;
    spec.unit = unit;
    spec.from = row.loan.disbursed_on;  // rows are by date: the group's first disbursement
    auto made = registry.add_group(spec);
    if (!made) {
      if (made.error().kind() != ErrorKind::kBadInput) return fail(made.error());
      add_field_error(problems, row.line, made.error(), "group_code", kRegistryColumns);
      groups[code] = {0, ""};
      continue;
    }
    ++summary.groups_created;
    groups[code] = {made->id, made->unit};
  }
  return groups;
}

// Members: unknown ones are created from the row, in her group's commune (one batch: the unit
// tree is read once).
Result<MemberIds> register_members(Registry& registry, const std::vector<RegisterRow>& rows, GroupIds& groups,
                                   ImportProblems& problems, VbspImportSummary& summary) {
  MemberIds members;
  Registry::MemberBatch batch(registry);
  for (const auto& row : rows) {
    const auto& code = row.loan.member_code;
    if (members.contains(code)) continue;
    if (auto m = registry.find_member(code)) {
      members[code] = m->row_id;
      continue;
    }
    const auto& g = groups[row.loan.group_code];
    if (g.first == 0) {
      members[code] = 0;
      continue;
    }
    MemberSpec spec;
    spec.id = code;
    spec.name = row.loan.borrower_name;
    spec.national_id = row.loan.national_id;
    spec.unit = g.second;
    spec.group = row.loan.group_code;
    spec.joined = row.loan.disbursed_on;
    auto made = batch.add(spec);
    if (!made) {
      if (made.error().kind() != ErrorKind::kBadInput) return fail(made.error());
      add_field_error(problems, row.line, made.error(), "member_id", kRegistryColumns);
      members[code] = 0;
      continue;
    }
    ++summary.members_created;
    members[code] = *made;
  }
  return members;
}

// How a loan already in the register differs from the file's ("" when it does not): its fields
// as recorded.
std::string register_differences(const VbspLoanRow& old, const VbspLoanRow& l) {
  std::vector<std::string> diffs;
  if (old.group_code != l.group_code) diffs.push_back(fmt::format("group_code {}", old.group_code));
  if (old.member_code != l.member_code) diffs.push_back(fmt::format("member_id {}", old.member_code));
  if (old.customer_code != l.customer_code) diffs.push_back(fmt::format("customer_code {}", old.customer_code));
  if (old.national_id != l.national_id)
    diffs.push_back(fmt::format("national_id '{}'", old.national_id));
  if (old.borrower_name != l.borrower_name) diffs.push_back(fmt::format("borrower_name '{}'", old.borrower_name));
  if (old.programme != l.programme) diffs.push_back(fmt::format("programme {}", old.programme));
  if (old.disbursed_on != l.disbursed_on) diffs.push_back(fmt::format("disbursed_on {}", old.disbursed_on));
  if (old.amount != l.amount) diffs.push_back(fmt::format("amount {}", old.amount));
  if (old.maturity_on != l.maturity_on) diffs.push_back(fmt::format("maturity_on {}", old.maturity_on));
  std::string d;
  for (const auto& x : diffs) d += (d.empty() ? "" : ", ") + x;
  return d;
}

// Posts each new loan's disbursement and records it; a loan already there must be the same. The
// entries go through one BulkPoster (the entrust book's accounts and the chain tip read once).
Result<void> record_register_loans(Ledger& ledger, VbspStore& store, const std::vector<RegisterRow>& rows,
                                   GroupIds& groups, MemberIds& members, ImportProblems& problems,
                                   VbspImportSummary& summary, const VbspImportOptions& options) {
  const auto now = now_timestamp();
  const auto total = static_cast<std::int64_t>(rows.size());
  std::int64_t done = 0;
  Ledger::BulkPoster poster(ledger);
  for (const auto& row : rows) {
    if (options.on_progress) options.on_progress(done++, total);
    auto l = row.loan;
    l.group_id = groups[l.group_code].first;
    l.member_id = members[l.member_code];
    if (auto old = store.find_loan(l.loan_no)) {
      if (auto d = register_differences(*old, l); d.empty())
        ++summary.existing;
      else
        problems.add(row.line, "loan_no",
                     fmt::format(fmt::runtime(tr("loan {} is already in the register with other content ({})")), l.loan_no, d));
      continue;
    }
    if (l.group_id == 0 || l.member_id == 0) continue;  // already reported
    EntryDraft e;
    e.book = std::string(charts::entrust::kBook);
    e.date = l.disbursed_on;
    e.memo = fmt::format("VBSP loan {} disbursed (group {}, member {})", l.loan_no, l.group_code, l.member_code);
    e.client_id = "vbsp:loan:" + l.loan_no;
    e.owner = EntryOwner{"vbsp", l.loan_no};
    e.postings = {{std::string(charts::entrust::kVbspLoans), Money(l.amount)},
                  {std::string(charts::entrust::kContra), Money(-l.amount)}};
    auto posted = poster.post(e);
    if (!posted) {
      if (posted.error().kind() != ErrorKind::kBadInput) return fail(posted.error());
      problems.add(row.line, "loan_no", posted.error().message());
      continue;
    }
    l.entry_id = posted->entry.id;
    store.insert_loan(l, now, ledger.actor().id);
    ++summary.created;
  }
  return {};
}

// --- the transactions import ------------------------------------------------------------------

// A row of the transactions file, with its line.
struct TransactionRow {
  std::size_t line;
  Date date;
  std::string loan_no;
  VbspTxKind kind;
  Money amount;
  std::string receipt;
};

// The transactions file's good rows, by date (file order within a day).
Result<std::vector<TransactionRow>> read_transactions(const std::string& path, const CsvReadOptions& read,
                                                      std::size_t length, ImportProblems& problems,
                                                      std::int64_t& rows_read) {
  std::vector<TransactionRow> rows;
  std::map<std::string, std::size_t> seen;
  auto header =
      read_rows(path, read, transaction_columns(), problems, rows_read, [&](const Columns& h, const CsvRecord& rec) {
        const auto line = rec.line;
        auto date = date_field(h.get(rec, "date"), "date", line, problems);
        auto loan = loan_field(h.get(rec, "loan_no"), length, line, problems);
        std::optional<VbspTxKind> kind;
        if (auto k = parse_vbsp_tx_kind(h.get(rec, "kind")); k)
          kind = *k;
        else
          problems.add(line, "kind", h.get(rec, "kind").empty() ? "empty" : k.error().message());
        auto amount = amount_field(h.get(rec, "amount"), "amount", true, line, problems);
        auto receipt = text_field(h.get(rec, "receipt_no"), "receipt_no", line, problems);
        if (receipt) {
          for (unsigned char c : *receipt)
            if (c < 0x20 || c == 0x7f) {
              problems.add(line, "receipt_no", tr("must not contain control characters"));
              receipt.reset();
              break;
            }
        }
        if (receipt) {
          if (auto [it, fresh] = seen.emplace(*receipt, line); !fresh) {
            problems.add(line, "receipt_no", fmt::format(fmt::runtime(tr("'{}' is also on line {}")), *receipt, it->second));
            receipt.reset();
          }
        }
        if (!date || !loan || !kind || !amount || !receipt) return;
        rows.push_back({line, *date, *loan, *kind, *amount, *receipt});
      });
  if (!header) return fail(header.error());
  std::stable_sort(rows.begin(), rows.end(), [](const TransactionRow& a, const TransactionRow& b) {
    return std::tie(a.date, a.line) < std::tie(b.date, b.line);
  });
  return rows;
}

// Records the rows of a transactions file, inside the import's transaction, keeping what its
// checks need: the principal paid on each loan and each member's savings movements.
class TransactionRecorder {
 public:
  TransactionRecorder(Ledger& ledger, VbspStore& store, ImportProblems& problems, VbspImportSummary& summary)
      : ledger_(ledger), store_(store), problems_(problems), summary_(summary) {}

  // Records one row, or reports why not; fails only on errors that are not the file's.
  Result<void> record(const TransactionRow& row) {
    const auto& found = loan(row.loan_no);
    if (!found) {
      problems_.add(row.line, "loan_no", fmt::format(fmt::runtime(tr("loan {} is not in the register")), row.loan_no));
      return {};
    }
    const auto& loan = *found;
    const std::string kind(to_string(row.kind));
    if (already_recorded(row, kind)) return {};
    if (row.date < loan.disbursed_on) {
      problems_.add(row.line, "date",
                    fmt::format(fmt::runtime(tr("{} is before loan {} was disbursed on {}")), row.date, loan.loan_no, loan.disbursed_on));
      return {};
    }
    if (row.kind == VbspTxKind::kPrincipal && !principal_fits(row, loan)) return {};
    if (row.kind == VbspTxKind::kSavingsIn || row.kind == VbspTxKind::kSavingsOut) {
      load_member(loan.member_id);
      const bool out = row.kind == VbspTxKind::kSavingsOut;
      savings_[loan.member_id].push_back({row.date, out ? 1 : 0, out ? -row.amount : row.amount, row.line});
    }
    std::optional<std::int64_t> entry_id;
    if (row.kind != VbspTxKind::kInterest) {
      auto posted = post(row, loan, kind);
      if (!posted) return fail(posted.error());
      if (!*posted) return {};
      entry_id = **posted;
    }
    VbspTransactionRow t;
    t.receipt_no = row.receipt;
    t.loan_id = loan.id;
    t.paid_on = row.date;
    t.kind = kind;
    t.amount = row.amount.minor_units();
    t.entry_id = entry_id;
    store_.insert_transaction(t, now_, ledger_.actor().id);
    ++summary_.created;
    return {};
  }

  // A member's savings never go below zero, in date order (ins before outs on one day).
  void check_savings() {
    for (auto& [member, moves] : savings_) {
      std::stable_sort(moves.begin(), moves.end(),
                       [](const Move& a, const Move& b) { return std::tie(a.date, a.order) < std::tie(b.date, b.order); });
      Money balance(0);
      for (const auto& m : moves) {
        balance += m.amount;
        if (balance.is_negative() && m.line != 0) {
          problems_.add(m.line, "amount",
                        fmt::format(fmt::runtime(tr("the member's savings would fall to {} on {}")), balance, m.date));
          break;
        }
      }
    }
  }

 private:
  // A savings movement: (date, order, signed amount, line or 0 for recorded).
  struct Move {
    Date date;
    int order;  // ins before outs on one day
    Money amount;
    std::size_t line;
  };

  // The loan of a number (nullopt when it is not in the register), read once.
  const std::optional<VbspLoanRow>& loan(const std::string& loan_no) {
    auto it = loans_.find(loan_no);
    if (it == loans_.end()) {
      it = loans_.emplace(loan_no, store_.find_loan(loan_no)).first;
      if (it->second) {
        Money paid(0);
        for (const auto& t : store_.transactions(it->second->id))
          if (t.kind == "principal") paid += Money(t.amount);
        principal_paid_[it->second->id] = paid;
      }
    }
    return it->second;
  }

  // Whether the receipt is already recorded: the same (counted as existing) or other content
  // (reported).
  bool already_recorded(const TransactionRow& row, const std::string& kind) {
    auto old = store_.find_transaction(row.receipt);
    if (!old) return false;
    if (old->loan_no == row.loan_no && old->paid_on == row.date && old->kind == kind &&
        old->amount == row.amount.minor_units())
      ++summary_.existing;
    else
      problems_.add(row.line, "receipt_no",
                    fmt::format(fmt::runtime(tr("receipt '{}' is already recorded with other content (loan {}, {}, {} {}){}")),
                                row.receipt, old->loan_no, old->paid_on, old->kind, old->amount,
                                old->reversed_by ? fmt::format(fmt::runtime(tr(" and was reversed (entry #{}): a corrected transaction "
                                                               "takes a new receipt number")),
                                                               *old->reversed_by)
                                                 : std::string()));
    return true;
  }

  // Principal paid never exceeds the loan; counts the row's when it fits.
  bool principal_fits(const TransactionRow& row, const VbspLoanRow& loan) {
    auto& paid = principal_paid_[loan.id];
    if (paid + row.amount > Money(loan.amount)) {
      problems_.add(row.line, "amount",
                    fmt::format(fmt::runtime(tr("principal paid on loan {} would reach {}, more than the loan's {}")), loan.loan_no,
                                paid + row.amount, loan.amount));
      return false;
    }
    paid += row.amount;
    return true;
  }

  // The savings movements already recorded for a member, over all her loans, loaded once.
  void load_member(std::int64_t member_id) {
    if (!members_loaded_.insert(member_id).second) return;
    if (!loans_of_) {
      loans_of_.emplace();
      for (const auto& [member, loan] : store_.loan_members()) loans_of_->emplace(member, loan);
    }
    for (auto [it, end] = loans_of_->equal_range(member_id); it != end; ++it)
      for (const auto& t : store_.transactions(it->second)) {
        if (t.kind == "savings-in") savings_[member_id].push_back({t.paid_on, 0, Money(t.amount), 0});
        if (t.kind == "savings-out") savings_[member_id].push_back({t.paid_on, 1, Money(-t.amount), 0});
      }
  }

  // Posts the entry of a principal or savings row: its id, or nullopt when the ledger refused
  // it (reported).
  Result<std::optional<std::int64_t>> post(const TransactionRow& row, const VbspLoanRow& loan, const std::string& kind) {
    EntryDraft e;
    e.book = std::string(charts::entrust::kBook);
    e.date = row.date;
    e.client_id = "vbsp:receipt:" + row.receipt;
    e.owner = EntryOwner{"vbsp", loan.loan_no};
    e.memo = fmt::format("VBSP loan {} {} (receipt {})", loan.loan_no, kind, row.receipt);
    const std::string loans_acc(charts::entrust::kVbspLoans), savings_acc(charts::entrust::kMemberSavings),
        contra(charts::entrust::kContra);
    switch (row.kind) {
      case VbspTxKind::kPrincipal: e.postings = {{contra, row.amount}, {loans_acc, -row.amount}}; break;
      case VbspTxKind::kSavingsIn: e.postings = {{savings_acc, row.amount}, {contra, -row.amount}}; break;
      default: e.postings = {{contra, row.amount}, {savings_acc, -row.amount}}; break;
    }
    auto posted = poster_.post(e);
    if (!posted) {
      if (posted.error().kind() != ErrorKind::kBadInput) return fail(posted.error());
      problems_.add(row.line, "receipt_no", posted.error().message());
      return std::optional<std::int64_t>();
    }
    return std::optional<std::int64_t>(posted->entry.id);
  }

  Ledger& ledger_;
  Ledger::BulkPoster poster_{ledger_};  // the entries of the whole file, as import entries appends them
  VbspStore& store_;
  ImportProblems& problems_;
  VbspImportSummary& summary_;
  const std::string now_ = now_timestamp();
  std::map<std::string, std::optional<VbspLoanRow>> loans_;
  std::map<std::int64_t, Money> principal_paid_;  // loan id → recorded + this file's so far
  std::map<std::int64_t, std::vector<Move>> savings_;
  std::set<std::int64_t> members_loaded_;
  std::optional<std::multimap<std::int64_t, std::int64_t>> loans_of_;  // member id → loan ids, loaded once
};

}  // namespace

Result<VbspImportSummary> Vbsp::import_register(const std::string& path, const VbspImportOptions& options) {
  if (auto ok = ledger_.require_write(std::string(charts::entrust::kBook)); !ok) return fail(ok.error());
  VbspImportSummary summary;
  ImportProblems problems(path);
  auto rows = read_register(path, options.read, loan_no_length(options), problems, summary.rows);
  if (!rows) return fail(rows.error());

  Registry registry(ledger_);
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto groups = register_groups(registry, *rows, options.unit, problems, summary);
    if (!groups) return fail(groups.error());
    auto members = register_members(registry, *rows, *groups, problems, summary);
    if (!members) return fail(members.error());
    if (auto ok = record_register_loans(ledger_, *store_, *rows, *groups, *members, problems, summary, options);
        !ok)
      return ok;
    if (!problems.empty()) return fail(problems.error());
    return {};
  });
  if (!r) return fail(r.error());
  return summary;
}

Result<VbspImportSummary> Vbsp::import_transactions(const std::string& path, const VbspImportOptions& options) {
  if (auto ok = ledger_.require_write(std::string(charts::entrust::kBook)); !ok) return fail(ok.error());
  VbspImportSummary summary;
  ImportProblems problems(path);
  auto rows = read_transactions(path, options.read, loan_no_length(options), problems, summary.rows);
  if (!rows) return fail(rows.error());

  auto r = ledger_.in_transaction([&]() -> Result<void> {
    TransactionRecorder recorder(ledger_, *store_, problems, summary);
    std::int64_t done = 0;
    for (const auto& row : *rows) {
      if (auto ok = recorder.record(row); !ok) return ok;
      if (options.on_progress) options.on_progress(++done, static_cast<std::int64_t>(rows->size()));
    }
    recorder.check_savings();
    if (!problems.empty()) return fail(problems.error());
    return {};
  });
  if (!r) return fail(r.error());
  return summary;
}

Result<VbspStatementSummary> Vbsp::import_statement(const std::string& path, Date from, Date as_of,
                                                    const VbspImportOptions& options) {
  if (auto ok = ledger_.require_write(std::string(charts::entrust::kBook)); !ok) return fail(ok.error());
  if (from > as_of)
    return fail(Error::out_of_order(ErrorKind::kBadInput, "from", fmt::format("{}", from), tr("is after"), "as_of",
                                    fmt::format("{}", as_of)));
  std::vector<std::pair<std::string, std::string>> extra;
  if (!options.map_path.empty()) {
    auto m = read_vbsp_map(options.map_path, options.read);
    if (!m) return fail(m.error());
    extra = std::move(*m);
  }
  auto file = read_vbsp_statement(path, loan_no_length(options), extra, options.read);
  if (!file) return fail(file.error());
  VbspStatementSummary s;
  s.period_from = from;
  s.as_of = as_of;
  s.rows = static_cast<std::int64_t>(file->rows.size());
  s.closed = std::count_if(file->rows.begin(), file->rows.end(), [](const auto& r) { return r.closed; });
  s.total_rows = file->total_rows;
  s.notes = file->notes;
  const auto hash = statement_hash(from, file->rows);
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto newest = store_->newest_statement(as_of);
    if (newest && newest->content_hash == hash) {
      s.version = newest->version;
      s.created = false;
      return {};
    }
    VbspStatementHead h;
    h.as_of = as_of;
    h.period_from = from;
    h.version = newest ? newest->version + 1 : 1;
    h.source = path;
    h.content_hash = hash;
    h.row_count = s.rows;
    h.recorded_at = now_timestamp();
    const auto total = static_cast<std::int64_t>(file->rows.size());
    std::function<void(std::int64_t)> on_rows;
    if (options.on_progress) on_rows = [&options, total](std::int64_t done) { options.on_progress(done, total); };
    auto& bank_rows = file->rows;
    store_->insert_statement(
        h, total,
        [&bank_rows](std::int64_t i, VbspStatementRow& row) { to_store(bank_rows[static_cast<std::size_t>(i)], row); },
        ledger_.actor().id, on_rows);
    s.version = h.version;
    s.created = true;
    return {};
  });
  if (!r) return fail(r.error());
  return s;
}

Result<std::vector<VbspLedgerLoan>> Vbsp::ledger_loans(Date period_from, Date as_of) {
  std::vector<VbspLedgerLoan> out;
  std::map<std::int64_t, std::size_t> by_id;
  std::map<std::int64_t, Money> member_savings;
  std::vector<std::int64_t> member_of;
  for (const auto& l : store_->loans()) {
    if (l.disbursed_on > as_of) continue;
    VbspLedgerLoan v;
    v.loan_no = l.loan_no;
    v.group_code = l.group_code;
    v.member = l.member_code;
    v.customer_code = l.customer_code;
    v.borrower_name = l.borrower_name;
    v.programme = l.programme;
    v.disbursed_on = l.disbursed_on;
    v.maturity_on = l.maturity_on;
    v.amount = Money(l.amount);
    v.principal_outstanding = Money(l.amount);
    by_id[l.id] = out.size();
    member_of.push_back(l.member_id);
    out.push_back(std::move(v));
  }
  // Savings belong to the member: sum over every loan of hers (also loans not yet disbursed
  // by as_of cannot have transactions before as_of, so only listed loans count).
  std::map<std::int64_t, std::int64_t> loan_member;
  for (const auto& [id, i] : by_id) loan_member[id] = member_of[i];
  for (const auto& t : store_->all_transactions(as_of)) {
    auto it = by_id.find(t.loan_id);
    if (it == by_id.end()) continue;
    auto& v = out[it->second];
    const Money amount(t.amount);
    if (t.kind == "principal") v.principal_outstanding -= amount;
    if (t.kind == "interest" && t.paid_on >= period_from) v.interest_collected += amount;
    if (t.kind == "savings-in") member_savings[loan_member[t.loan_id]] += amount;
    if (t.kind == "savings-out") member_savings[loan_member[t.loan_id]] -= amount;
  }
  for (std::size_t i = 0; i < out.size(); ++i) out[i].savings_balance = member_savings[member_of[i]];
  return out;
}

Result<std::pair<VbspStatementSummary, std::vector<VbspBankRow>>> Vbsp::statement(Date as_of) {
  auto head = store_->newest_statement(as_of);
  if (!head) {
    std::string dates;
    std::set<Date> seen;
    for (const auto& h : store_->statements())
      if (seen.insert(h.as_of).second) dates += (dates.empty() ? "" : ", ") + h.as_of.to_iso();
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("there is no VBSP statement as of {} (imported: {})")), as_of,
                                             dates.empty() ? std::string("none") : dates)));
  }
  VbspStatementSummary s;
  s.period_from = head->period_from;
  s.as_of = head->as_of;
  s.version = head->version;
  s.rows = head->row_count;
  std::vector<VbspBankRow> rows;
  for (const auto& r : store_->statement_rows(head->id)) {
    rows.push_back(from_store(r));
    if (rows.back().closed) ++s.closed;
  }
  return std::pair{s, std::move(rows)};
}

Result<std::vector<Date>> Vbsp::statement_dates() {
  std::vector<Date> dates;
  for (const auto& h : store_->statements())
    if (dates.empty() || dates.back() != h.as_of) dates.push_back(h.as_of);  // ordered by as_of
  return dates;
}

// The same result as reconcile_vbsp(ledger_loans(…), statement(…).second, …), without holding
Result<VbspSessionCheck> Vbsp::session_check(const std::string& group, Date date, Money cash_paid_in,
                                             std::optional<Date> from) {
  if (cash_paid_in.is_negative())
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{} cannot be negative")), cash_paid_in)).in_field("cash_paid_in"));
  Registry registry(ledger_);
  auto g = registry.group(group);
  if (!g) return fail(g.error());
  VbspSessionCheck out;
  out.group = group;
  out.group_name = g->name;
  // The commune holding the group on the date (its successor after a merger), named as then.
  out.commune = g->unit;
  if (auto dated = registry.group(group, date)) {
    out.commune = dated->unit_as_of;
    out.commune_name = dated->unit_name;
  }
  if (!g->leader.empty())
    if (auto m = registry.member(g->leader, date)) out.leader = m->name;
  out.date = date;
  out.from = from ? *from : *Date::from_ymd(date.year(), date.month(), 1);
  if (out.from > date)
    return fail(Error::out_of_order(ErrorKind::kBadInput, "from", fmt::format("{}", out.from), tr("is after"), "date",
                                    fmt::format("{}", date)));
  out.cash_paid_in = cash_paid_in;
  std::map<std::int64_t, VbspLoanRow> loans;
  for (auto& l : store_->loans())
    if (l.group_code == group) loans.emplace(l.id, std::move(l));
  std::map<std::string, VbspSessionLine> lines;
  for (const auto& t : store_->all_transactions(date)) {
    auto it = loans.find(t.loan_id);
    if (it == loans.end() || t.paid_on < out.from) continue;
    if (t.kind != "interest" && t.kind != "savings-in" && t.kind != "savings-out") continue;
    auto& line = lines[t.loan_no];
    line.loan_no = t.loan_no;
    line.member = it->second.member_code;
    line.borrower_name = it->second.borrower_name;
    if (t.kind == "savings-out") {
      line.savings_out += Money(t.amount);
      out.savings_out += Money(t.amount);
      continue;
    }
    (t.kind == "interest" ? line.interest : line.savings) += Money(t.amount);
    (t.kind == "interest" ? out.interest : out.savings) += Money(t.amount);
  }
  for (auto& [no, l] : lines) out.lines.push_back(std::move(l));
  out.receipts = out.interest + out.savings;
  out.gap = out.receipts - out.cash_paid_in;
  return out;
}

Result<VbspForm15> Vbsp::form_15td(const std::string& group, Date as_of) {
  Registry registry(ledger_);
  auto g = registry.group(group);
  if (!g) return fail(g.error());
  auto st = statement(as_of);
  if (!st) return fail(st.error());
  auto mine = ledger_loans(st->first.period_from, as_of);
  if (!mine) return fail(mine.error());
  VbspForm15 out;
  out.group = group;
  out.group_name = g->name;
  // The commune holding the group on the date (its successor after a merger), named as then.
  out.commune = g->unit;
  if (auto dated = registry.group(group, as_of)) {
    out.commune = dated->unit_as_of;
    out.commune_name = dated->unit_name;
  }
  if (!g->leader.empty())
    if (auto m = registry.member(g->leader, as_of)) out.leader = m->name;
  out.as_of = as_of;
  std::map<std::string, VbspFormLine> lines;
  std::set<std::string> closed;  // CLOSE at the bank
  for (const auto& l : *mine) {
    if (l.group_code != group) continue;
    auto& f = lines[l.loan_no];
    f.loan_no = l.loan_no;
    f.member = l.member;
    f.borrower_name = l.borrower_name;
    f.programme = l.programme;
    f.union_principal = l.principal_outstanding;
    f.union_savings = l.savings_balance;
    f.union_interest_collected = l.interest_collected;
  }
  for (const auto& b : st->second) {
    if (b.group_code != group) continue;
    auto& f = lines[b.loan_no];
    f.loan_no = b.loan_no;
    if (f.borrower_name.empty()) f.borrower_name = b.borrower_name;
    if (f.programme.empty()) f.programme = b.programme;
    f.bank_principal = b.closed ? Money(0) : b.principal_outstanding;
    f.bank_interest_unpaid = b.interest_unpaid;
    f.bank_savings = b.savings_balance;
    f.bank_interest_collected = b.interest_collected;
    if (b.closed) closed.insert(b.loan_no);
  }
  for (auto& [no, f] : lines) {
    // The reconciliation's rule: repaid and absent or CLOSE there, or CLOSE and unknown here → left out.
    const bool repaid_here = f.union_principal && f.union_principal->is_zero();
    const bool closed_row = closed.contains(no);
    if ((repaid_here && (!f.bank_principal || closed_row)) || (!f.union_principal && closed_row)) continue;
    const Money bp = f.bank_principal.value_or(Money(0)), up = f.union_principal.value_or(Money(0));
    const Money bs = f.bank_savings.value_or(Money(0)), us = f.union_savings.value_or(Money(0));
    f.principal_difference = bp - up;
    f.savings_difference = bs - us;
    out.bank_principal += bp;
    out.union_principal += up;
    out.bank_savings += bs;
    out.union_savings += us;
    out.bank_interest_unpaid += f.bank_interest_unpaid.value_or(Money(0));
    out.principal_difference += f.principal_difference;
    out.savings_difference += f.savings_difference;
    out.bank_interest_collected += f.bank_interest_collected;
    out.union_interest_collected += f.union_interest_collected;
    if (!f.principal_difference.is_zero() || !f.savings_difference.is_zero() || !f.bank_principal ||
        !f.union_principal)
      ++out.loans_with_difference;
    out.lines.push_back(std::move(f));
  }
  return out;
}

}  // namespace soquy

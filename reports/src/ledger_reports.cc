#include "soquy/reports/ledger_reports.h"
#include "human_date.h"
#include "soquy/i18n.h"

#include <map>
#include <ostream>

#include <fmt/format.h>

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

std::string natural_label(AccountType t) { return is_debit_normal(t) ? tr("debit") : tr("credit"); }

std::vector<Column> debit_credit_columns() {
  return {{"debit", tr("Debit"), CellKind::kMoney}, {"credit", tr("Credit"), CellKind::kMoney}};
}

// Splits a signed balance into the debit and credit cells of a table row.
std::pair<std::string, std::string> sides(Money m) {
  if (m.is_zero()) return {"", ""};
  if (m.is_negative()) return {"", (-m).to_plain_string()};
  return {m.to_plain_string(), ""};
}

}  // namespace

Report account_list(const std::string& book, const std::vector<Account>& accounts) {
  Report r;
  r.json = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Chart of accounts — book {}")), book),
          {{"code", tr("Account code")},
           {"name", tr("Account name")},
           {"type", tr("Type")},
           {"parent", "TK cha (Parent)"},
           {"closed_on", tr("Closed"), CellKind::kDate}}};
  for (const auto& a : accounts) {
    r.json.push_back(ordered_json{{"code", a.code}, {"name", a.name}, {"type", to_string(a.type)},
                                  {"parent", a.parent.empty() ? ordered_json(nullptr) : ordered_json(a.parent)}});
    t.rows.push_back({a.code, a.name, std::string(to_string(a.type)), a.parent,
                      a.closed_on ? a.closed_on->to_iso() : ""});
  }
  r.tables.push_back(std::move(t));
  return r;
}

Report balance_sheet(const BalanceSheet& sheet) {
  Report r;
  ordered_json accounts = ordered_json::array();
  std::vector<Column> cols = {{"code", tr("Account code")}, {"name", tr("Account name")}, {"type", tr("Type")}};
  for (auto& c : debit_credit_columns()) cols.push_back(c);
  Table t{fmt::format(fmt::runtime(tr("Account balances — book {} — as of {}")), sheet.book.code,
                      human_date(sheet.as_of), sheet.as_of),
          cols};
  for (const auto& ab : sheet.accounts) {
    accounts.push_back(ordered_json{{"code", ab.account.code},
                                    {"name", ab.account.name},
                                    {"type", to_string(ab.account.type)},
                                    {"balance", ab.balance.to_plain_string()}});
    auto [debit, credit] = sides(ab.balance);
    t.rows.push_back({ab.account.code, ab.account.name, std::string(to_string(ab.account.type)), debit, credit});
    t.indent.push_back(ab.depth);
  }
  t.notes.push_back(tr("A parent account's balance includes its sub-accounts."));
  r.json = ordered_json{{"book", sheet.book.code}, {"as_of", sheet.as_of.to_iso()}, {"accounts", accounts}};
  r.tables.push_back(std::move(t));
  return r;
}

Report account_register(const AccountRegister& reg, const std::optional<PassbookHolder>& holder) {
  Report r;
  ordered_json lines = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Account register {} {} — book {}")), reg.account.code, reg.account.name,
                      reg.account.book),
          {{"date", tr("Date"), CellKind::kDate},
           {"entry", tr("Entry no."), CellKind::kInteger},
           {"client_id", tr("Id")},
           {"memo", tr("Memo")},
           {"amount", tr("Movement"), CellKind::kMoney},
           {"balance", tr("Balance"), CellKind::kMoney}}};
  if (reg.from) t.rows.push_back({reg.from->to_iso(), "", "", tr("Opening balance"), "", reg.opening.to_plain_string()});
  for (const auto& l : reg.lines) {
    lines.push_back(ordered_json{{"entry", l.entry_id},
                                 {"date", l.date.to_iso()},
                                 {"client_id", l.client_id},
                                 {"memo", l.memo},
                                 {"amount", l.amount.to_plain_string()},
                                 {"balance", l.balance.to_plain_string()}});
    t.rows.push_back({l.date.to_iso(), std::to_string(l.entry_id), l.client_id, l.memo, l.amount.to_plain_string(),
                      l.balance.to_plain_string()});
  }
  t.totals.push_back({reg.as_of.to_iso(), "", "", tr("Closing balance"), "", reg.closing.to_plain_string()});
  t.notes.push_back(fmt::format(fmt::runtime(tr("A positive balance is a debit balance, a negative one a credit "
                                                "balance; this account's normal side: {}.")),
                                natural_label(reg.account.type)));
  r.json = ordered_json{{"book", reg.account.book},
                        {"account", reg.account.code},
                        {"name", reg.account.name},
                        {"from", reg.from ? ordered_json(reg.from->to_iso()) : ordered_json(nullptr)},
                        {"as_of", reg.as_of.to_iso()},
                        {"opening", reg.opening.to_plain_string()},
                        {"lines", lines},
                        {"closing", reg.closing.to_plain_string()}};
  r.tables.push_back(std::move(t));
  if (holder) {  // a member's passbook statement: a printable form (docs/exports.md, "Printable forms")
    Form f;
    f.organisation = {tr("WOMEN'S UNION"), tr("WOMEN'S DEVELOPMENT SUPPORT FUND")};
    f.title = tr("MEMBER'S ACCOUNT STATEMENT");
    f.subtitle = reg.from ? fmt::format(fmt::runtime(tr("From {} to {}")), human_date(*reg.from), human_date(reg.as_of))
                          : fmt::format(fmt::runtime(tr("Up to {}")), human_date(reg.as_of));
    const auto dong = [](Money m) { return fmt::format(fmt::runtime(tr("{} dong")), m.to_grouped_string()); };
    f.fields = {{tr("Member"), fmt::format("{} ({})", holder->name, holder->member)},
                {tr("Group"), holder->group.empty() ? "—" : holder->group},
                {tr("Account"), fmt::format(fmt::runtime(tr("{} {} — book {}")), reg.account.code, reg.account.name,
                                            reg.account.book)},
                {tr("Opening balance"), dong(reg.opening)},
                {tr("Closing balance"), dong(reg.closing)}};
    f.place_date = form_place_date("", reg.as_of.year(), static_cast<int>(reg.as_of.month()),
                                   static_cast<int>(reg.as_of.day()));
    f.signatures = {{tr("Member"), holder->name}, {tr("Prepared by"), ""}, {tr("Accountant"), ""}};
    r.form = std::move(f);
  }
  return r;
}

Report trial_balance(const TrialBalance& tb) {
  Report r;
  ordered_json books = ordered_json::array();
  std::vector<Column> cols = {{"book", tr("Book")}, {"code", tr("Account code")}, {"name", tr("Account name")}};
  for (auto& c : debit_credit_columns()) cols.push_back(c);
  Table t{fmt::format(fmt::runtime(tr("Trial balance — balances as of {}")), human_date(tb.as_of)),
          cols};
  for (const auto& b : tb.books) {
    ordered_json accounts = ordered_json::array();
    for (const auto& ab : b.accounts) {
      auto [debit, credit] = sides(ab.own);
      accounts.push_back(ordered_json{{"code", ab.account.code},
                                      {"name", ab.account.name},
                                      {"type", to_string(ab.account.type)},
                                      {"debit", debit.empty() ? "0" : debit},
                                      {"credit", credit.empty() ? "0" : credit}});
      t.rows.push_back({b.book.code, ab.account.code, ab.account.name, debit, credit});
    }
    bool balanced = b.total_debit == b.total_credit;
    books.push_back(ordered_json{{"book", b.book.code},
                                 {"accounts", accounts},
                                 {"total_debit", b.total_debit.to_plain_string()},
                                 {"total_credit", b.total_credit.to_plain_string()},
                                 {"balanced", balanced}});
    t.totals.push_back({b.book.code, "", balanced ? tr("Total") : tr("Total — NOT BALANCED"),
                        b.total_debit.to_plain_string(), b.total_credit.to_plain_string()});
  }
  r.json = ordered_json{{"as_of", tb.as_of.to_iso()}, {"books", books}};
  r.tables.push_back(std::move(t));
  return r;
}

namespace {

std::string check_outcome(const NamedCheck& c) {
  if (c.ok()) return "OK";
  std::string out;
  const auto differences = static_cast<std::int64_t>(c.differences.size()) + c.not_shown;
  if (differences > 0)
    out = fmt::format(fmt::runtime(trn("{} difference", "{} differences", static_cast<unsigned long>(differences))),
                      differences);
  if (!c.problems.empty())
    out += (out.empty() ? "" : ", ") +
           fmt::format(fmt::runtime(trn("{} problem", "{} problems", c.problems.size())), c.problems.size());
  return out;
}

ordered_json check_json(const NamedCheck& c) {
  ordered_json differences = ordered_json::array();
  for (const auto& d : c.differences)
    differences.push_back(ordered_json{{"book", d.book},
                                       {"account", d.account},
                                       {"record", d.record},
                                       {"date", d.date ? ordered_json(d.date->to_iso()) : ordered_json(nullptr)},
                                       {"expected", d.expected.to_plain_string()},
                                       {"actual", d.actual.to_plain_string()}});
  return ordered_json{{"name", c.name},
                      {"ok", c.ok()},
                      {"items", c.items},
                      {"differences", differences},
                      {"problems", c.problems}};
}

// The differences of every check, one row each (only when there are some).
Table differences_table(const ChecksResult& result) {
  Table t{tr("Differences: the records against the journal"),
          {{"check", tr("Check")},
           {"book", tr("Book")},
           {"account", tr("Account")},
           {"record", tr("Subject")},
           {"date", tr("From date"), CellKind::kDate},
           {"expected", tr("Records"), CellKind::kMoney},
           {"actual", tr("Journal"), CellKind::kMoney}}};
  for (const auto& c : result.checks)
    for (const auto& d : c.differences)
      t.rows.push_back({c.name, d.book, d.account, d.record, d.date ? d.date->to_iso() : "",
                        d.expected.to_plain_string(), d.actual.to_plain_string()});
  t.notes.push_back(tr("Figures as of the first date on which they differ; no date: the records disagree among "
                       "themselves."));
  return t;
}

}  // namespace

Report check_result(const ChecksResult& result) {
  Report r;
  ordered_json checks = ordered_json::array();
  Table t{tr("Ledger check"),
          {{"check", tr("Check")}, {"result", tr("Result")}, {"items", tr("Items"), CellKind::kInteger}}};
  bool any_difference = false;
  for (const auto& c : result.checks) {
    checks.push_back(check_json(c));
    t.rows.push_back({c.name, check_outcome(c), std::to_string(c.items)});
    any_difference = any_difference || !c.differences.empty();
    for (const auto& p : c.problems) t.notes.push_back(fmt::format(fmt::runtime(tr("PROBLEM ({}): {}")), c.name, p));
  }
  r.json = ordered_json{{"ok", result.ok()},
                        {"checks", checks},
                        {"last_entry", result.last_entry ? ordered_json(*result.last_entry) : ordered_json(nullptr)},
                        {"last_hash", result.last_entry ? ordered_json(result.last_hash) : ordered_json(nullptr)}};
  if (result.last_entry) {
    t.notes.push_back(result.last_hash.empty() ? std::string(tr("last entry: none (the journal is empty)"))
                                               : fmt::format(fmt::runtime(tr("last entry #{} {}")), *result.last_entry,
                                                             result.last_hash));
    t.notes.push_back(tr("Record the last entry's number and hash elsewhere (the check minutes): deleting the "
                         "newest entries changes it."));
  }
  r.tables.push_back(std::move(t));
  if (any_difference) r.tables.push_back(differences_table(result));
  return r;
}

Report posted_entry(const PostResult& pr) {
  const Entry& e = pr.entry;
  Report r;
  ordered_json postings = ordered_json::array();
  Table t{fmt::format(fmt::runtime(pr.created ? tr("Posted #{} — {} — book {} — {}")
                                              : tr("Already posted #{} — {} — book {} — {}")),
                      e.id, human_date(e.date), e.book, e.memo),
          {{"account", tr("Account")}, {"debit", tr("Debit"), CellKind::kMoney}, {"credit", tr("Credit"), CellKind::kMoney}}};
  for (const auto& p : e.postings) {
    postings.push_back(ordered_json{{"account", p.account}, {"amount", p.amount.to_plain_string()}});
    auto [debit, credit] = sides(p.amount);
    t.rows.push_back({p.account, debit, credit});
  }
  r.json = ordered_json{{"entry", e.id},
                        {"client_id", e.client_id.empty() ? ordered_json(nullptr) : ordered_json(e.client_id)},
                        {"book", e.book},
                        {"date", e.date.to_iso()},
                        {"memo", e.memo},
                        {"reverses", e.reverses ? ordered_json(*e.reverses) : ordered_json(nullptr)},
                        {"created", pr.created},
                        {"hash", e.hash},
                        {"postings", postings}};
  r.tables.push_back(std::move(t));
  return r;
}

Report correction(const CorrectionResult& c, const std::string& reason) {
  Report r;
  if (c.entries.empty()) return r;
  for (const auto& e : c.entries) {
    Report one = posted_entry(PostResult{e, c.created});
    if (r.tables.empty()) {
      r.json = std::move(one.json);
      r.json["further_entries"] = ordered_json::array();
    } else {
      r.json["further_entries"].push_back(std::move(one.json));
    }
    r.tables.push_back(std::move(one.tables.front()));
  }
  const auto& o = c.original.owner;
  r.json["original"] = c.original.id;
  r.json["owner"] = o ? ordered_json{{"domain", o->domain}, {"record", o->record}} : ordered_json(nullptr);
  r.json["reason"] = reason;
  r.json["notes"] = c.notes;
  if (!c.notes.empty()) {
    Table t{tr("What the correction changed"), {{"note", tr("Note")}}};
    for (const auto& n : c.notes) t.rows.push_back({n});
    r.tables.push_back(std::move(t));
  }
  return r;
}

Result<void> write_ledger_journal(Ledger& ledger, const std::string& book, std::ostream& out) {
  // Full account names: BOOK:ANCESTOR:…:CODE, so ledger's tree rolls up like soquy's.
  std::map<std::pair<std::string, std::string>, std::string> names;
  std::map<std::string, std::string> currencies;
  for (const auto& b : ledger.books()) {
    if (!book.empty() && b.code != book) continue;
    currencies[b.code] = b.currency;
    auto accounts = ledger.accounts(b.code);
    if (!accounts) return fail(accounts.error());
    std::map<std::string, std::string> parent;
    for (const auto& a : *accounts) parent[a.code] = a.parent;
    for (const auto& a : *accounts) {
      std::string path = a.code;
      for (std::string p = a.parent; !p.empty(); p = parent[p]) path = p + ":" + path;
      // ledger-cli treats ':' as the separator; "group:CODE" books become "group-CODE".
      std::string root = b.code;
      for (auto& c : root)
        if (c == ':') c = '-';
      names[{b.code, a.code}] = root + ":" + path;
    }
  }
  if (!book.empty() && currencies.empty()) return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown book '{}'")), book)));
  // No commodity directives: ledger-cli and hledger disagree on their syntax, and both print
  // whole numbers as written when none is given.
  out << "; soquy journal export — every amount in minor units (đồng)\n\n";
  auto r = ledger.for_each_entry(
      [&](const Entry& e) {
        std::string memo = e.memo;
        for (auto& c : memo)
          if (c == '\n' || c == '\r') c = ' ';
        out << e.date.to_iso() << " * (" << e.id << ") " << memo << "\n";
        if (!e.client_id.empty()) out << "    ; client_id: " << e.client_id << "\n";
        for (const auto& p : e.postings) {
          out << "    " << names[{e.book, p.account}] << "  " << p.amount.minor_units() << " " << currencies[e.book]
              << "\n";
        }
        out << "\n";
      },
      book);
  if (!r) return r;
  out.flush();
  if (!out) return fail(Error::io(tr("cannot write the journal")));
  return {};
}

}  // namespace soquy::reports

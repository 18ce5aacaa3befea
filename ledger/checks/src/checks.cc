// The list of named checks of `soquy check`, in order. Each line names a check and calls the
// function of the target that owns it; journal.chain and journal.balanced share one walk over
// the journal (the costliest part), and the five loans.* figures one query, each made once
// however many of their checks run.
#include "soquy/checks.h"

#include <functional>

#include <fmt/format.h>

#include "soquy/dues_checks.h"
#include "soquy/group_checks.h"
#include "soquy/i18n.h"
#include "soquy/loan_checks.h"
#include "soquy/vbsp_checks.h"

namespace soquy {
namespace {

// What a check's function gets: the ledger, and the journal walk made at most once.
class CheckRun {
 public:
  explicit CheckRun(Ledger& ledger) : ledger(ledger) {}
  Ledger& ledger;
  const JournalWalk& walk() {
    if (!walk_) walk_ = ledger.check_entries();
    return *walk_;
  }
  const std::optional<JournalWalk>& walked() const { return walk_; }
  // The five loans.* figure checks come from one query, made once.
  const NamedCheck& loan_figure(LoanFigure f) {
    if (!loan_figures_) loan_figures_ = check_loan_figures(ledger);
    return (*loan_figures_)[static_cast<std::size_t>(f)];
  }

 private:
  std::optional<JournalWalk> walk_;
  std::optional<std::vector<NamedCheck>> loan_figures_;
};

struct CheckEntry {
  CheckDescription description;
  std::function<NamedCheck(CheckRun&)> run;
};

const std::vector<CheckEntry>& entries() {
  using R = CheckRun;
  static const std::vector<CheckEntry> kChecks = {
      {{"journal.guards", N_("the append-only triggers of entries and postings are in place")},
       [](R& r) { return r.ledger.check_guards(); }},
      {{"journal.chain", N_("entries are numbered without gaps and each hash follows from the previous one")},
       [](R& r) { return r.walk().chain; }},
      {{"journal.balanced", N_("every entry has two or more postings in its own book that sum to zero")},
       [](R& r) { return r.walk().balanced; }},
      {{"journal.balances", N_("every stored balance equals the sum of the postings up to its day")},
       [](R& r) { return r.ledger.check_balances(); }},
      {{"records.changes", N_("every record outside the journal (loans, events, members, units, groups, users and roles, "
                   "settings, hụi, savings, dues, VBSP) equals its last change in the hash-chained change log")},
       [](R& r) { return r.ledger.check_records(); }},
      {{"loans.principal", N_("each loan's outstanding principal equals its share of 2111, as of every date")},
       [](R& r) { return r.loan_figure(LoanFigure::kPrincipal); }},
      {{"loans.interest", N_("each loan's interest received equals its share of 7021, as of every date")},
       [](R& r) { return r.loan_figure(LoanFigure::kInterest); }},
      {{"loans.penalty", N_("each loan's penalty received equals its share of 7022, as of every date")},
       [](R& r) { return r.loan_figure(LoanFigure::kPenalty); }},
      {{"loans.savings", N_("each loan's compulsory savings collected equal its share of 4231, as of every date")},
       [](R& r) { return r.loan_figure(LoanFigure::kSavings); }},
      {{"loans.overpayment", N_("each loan's overpayments equal its share of 4591, as of every date")},
       [](R& r) { return r.loan_figure(LoanFigure::kOverpayment); }},
      {{"loans.schedule", N_("each loan's schedule repays exactly the principal disbursed")},
       [](R& r) { return check_loan_schedules(r.ledger); }},
      {{"savings.members", N_("in each savings group and pool, the members' savings equal the book's 4111, as of every date")},
       [](R& r) { return check_savings_members(r.ledger); }},
      {{"savings.loans", N_("in each savings group, the group loans' outstanding principal equals the book's 2111, as of every date")},
       [](R& r) { return check_savings_loans(r.ledger); }},
      {{"savings.share_out", N_("each share-out pays out exactly the group's fund, in cash from 1011")},
       [](R& r) { return check_savings_shareouts(r.ledger); }},
      {{"rosca.book", N_("in each hụi, dues owed, advances and payouts equal the group book, as of every date")},
       [](R& r) { return check_rosca_book(r.ledger); }},
      {{"rosca.rounds", N_("each hụi round's dues add up to its payout plus the holder's fee")},
       [](R& r) { return check_rosca_rounds(r.ledger); }},
      {{"vbsp.memo", N_("each VBSP loan's outstanding and savings equal its shares of 9121 and 9131, as of every date")},
       [](R& r) { return check_vbsp_memo(r.ledger); }},
      {{"dues.receivable", N_("dues billed less dues paid equal the union book's 1318, as of every date")},
       [](R& r) { return check_dues_receivable(r.ledger); }},
  };
  return kChecks;
}

}  // namespace

std::vector<CheckDescription> check_list() {
  std::vector<CheckDescription> out;
  for (const auto& e : entries()) out.push_back({e.description.name, tr(e.description.what.data())});
  return out;
}

bool ChecksResult::ok() const { return failed() == 0; }

std::int64_t ChecksResult::failed() const {
  std::int64_t n = 0;
  for (const auto& c : checks) n += c.ok() ? 0 : 1;
  return n;
}

Result<ChecksResult> run_checks(Ledger& ledger, const std::optional<std::string>& only) {
  if (only) {
    bool known = false;
    std::string names;
    for (const auto& e : entries()) {
      known = known || e.description.name == *only;
      names += (names.empty() ? "" : ", ") + std::string(e.description.name);
    }
    if (!known) return fail(Error::usage(fmt::format(
        fmt::runtime(tr("there is no check '{}'; the checks are: {}")), *only, names)));
  }
  CheckRun run(ledger);
  ChecksResult out;
  for (const auto& e : entries()) {
    if (only && e.description.name != *only) continue;
    NamedCheck c = e.run(run);
    if (c.not_shown > 0)
      c.problems.push_back(fmt::format(
          fmt::runtime(tr("{} more difference(s) not shown (the first {} are)")), c.not_shown,
                                       NamedCheck::kMaxDifferences));
    out.checks.push_back(std::move(c));
  }
  if (run.walked()) {
    out.last_entry = run.walked()->last_entry;
    out.last_hash = run.walked()->last_hash;
  }
  return out;
}

}  // namespace soquy

// soquy — the Ledger: the one way money enters the books.
//
// A Ledger is an open database file plus the acting user. Every writing call is one
// transaction: it either succeeds whole or leaves the file exactly as it was, and returns the
// failure as an Error (bad input → ErrorKind::kBadInput, a role that may not write →
// kPermission). Domain engines (loans, groups, entrustment, dues) post through `post()` like
// everything else; nothing else writes journal rows or balances.
//
// Thread-safety: one Ledger per thread. Ownership: the Ledger owns its store connection.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "soquy/journal.h"
#include "soquy/named_check.h"
#include "soquy/read_options.h"

namespace soquy {

class Store;
namespace charts {
struct ChartLine;
}
struct ChainTip;
struct PostingContext;

struct PostResult {
  Entry entry;
  bool created = true;  // false when the client id was already posted with the same content
};

struct AccountBalance {
  Account account;
  Money own;      // postings to this account itself
  Money balance;  // own + every descendant: the figure of an account tree
  int depth = 0;  // 0 for a top-level account
};

struct BalanceSheet {
  Book book;
  Date as_of;
  std::vector<AccountBalance> accounts;  // in tree order (parents before children, by code)
};

struct RegisterLine {
  std::int64_t entry_id = 0;
  Date date;
  std::string client_id;
  std::string memo;
  Money amount;
  Money balance;  // running balance after this line
};

struct AccountRegister {
  Account account;
  std::optional<Date> from;
  Date as_of;
  Money opening;  // balance before `from` (zero without `from`)
  std::vector<RegisterLine> lines;
  Money closing;
};

struct TrialBalanceBook {
  Book book;
  std::vector<AccountBalance> accounts;  // accounts with a non-zero own balance
  Money total_debit;
  Money total_credit;  // as a positive figure
};

struct TrialBalance {
  Date as_of;
  std::vector<TrialBalanceBook> books;
};

struct CheckReport {
  std::int64_t entries = 0;
  std::int64_t postings = 0;
  std::int64_t balance_rows = 0;
  // The change log of the records outside the journal (loans, members, users, settings, ...):
  // its rows, and the records proven equal to their last logged change.
  std::int64_t changes = 0;
  std::int64_t records = 0;
  // The head of the chain. Recorded outside the file (in the audit minutes), it also proves
  // that no newest entries were removed later.
  std::int64_t last_entry = 0;
  std::string last_hash;
  std::vector<std::string> problems;  // one precise sentence per break found
  bool ok() const { return problems.empty(); }
};

// The two checks of one walk over the journal in chain order, with the head of the chain.
struct JournalWalk {
  NamedCheck chain;     // journal.chain: numbering without gaps, each hash from the previous one
  NamedCheck balanced;  // journal.balanced: ≥ 2 postings summing to zero, all in the entry's book
  std::int64_t postings = 0;
  std::int64_t last_entry = 0;  // the head of the chain (0 and "" for an empty journal)
  std::string last_hash;
};

struct ImportSummary {
  std::int64_t rows = 0;
  std::int64_t entries_created = 0;
  std::int64_t entries_existing = 0;  // already posted with the same content (idempotent)
};

struct ImportOptions {
  // Called every `progress_every` entries with the number done and the total (0: a file is read
  // as it is posted, so the total is not known) — for a TTY progress line.
  std::function<void(std::int64_t, std::int64_t)> on_progress;
  std::int64_t progress_every = 50000;
  CsvReadOptions read;  // delimiter and encoding, as the user gave them ("" = detect)
};

class Ledger {
 public:
  // Creates a new database at `path` with the books fund and entrust, their default charts and
  // the first admin user. Fails (kCantCreate) if a soquy database already exists there.
  // `purpose` records what the database is for (setting `purpose`, kBooks = real money): a
  // program that would replace a database checks purpose() first, and a book of real money is
  // never replaced.
  static constexpr std::string_view kBooks = "books";
  static Result<std::unique_ptr<Ledger>> create(const std::string& path, const std::string& admin_name,
                                                std::string_view purpose = kBooks);
  enum class Access { kWrite, kReadOnly };
  // Opens an existing database. kWrite applies pending migrations (after a backup copy);
  // kReadOnly never writes the file (reports, check, exports; works on a read-only copy).
  // Fails with kNoInput if there is no file, kIo if it is not a soquy database.
  static Result<std::unique_ptr<Ledger>> open(const std::string& path, Access access = Access::kWrite);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // --- who acts --------------------------------------------------------------------------
  // Selects the acting user; "" means the first admin. Unknown user → kPermission. On a
  // PostgreSQL server the acting user is the database login: "" means it, any other name is
  // refused (kUsage, field "user").
  Result<void> act_as(const std::string& user_name);
  // Who acts in a writing command (docs/security.md, "Who acts"): `named` (--user or SOQUY_USER)
  // when given; else the soquy user whose name is `os_login` (the operating-system login), when
  // there is one; else the only user of a file that has one. Otherwise kPermission (exit 77), the
  // message saying how to name yourself and listing the file's users — never a silent admin.
  Result<void> act_as_writer(const std::string& named, const std::string& os_login);
  const User& actor() const { return actor_; }
  // On a PostgreSQL server: the database login, which is the acting user (identities are the
  // server's; act_as and act_as_writer accept only that name). nullopt on a SQLite file.
  std::optional<std::string> server_login();
  // What the database was created for (`purpose` of create; kBooks for files made before it was
  // recorded).
  std::string purpose();
  Result<User> add_user(const std::string& name, Role role);
  // Names `user` (a treasurer) on the group book `book` ("group:CODE"): from then on she may write
  // it. A treasurer writes only the group books she is named on (require_write). Only an admin or
  // an officer names treasurers (kPermission); an unknown book or user, a book that is not a
  // group's, or a user who is not a treasurer is kBadInput. Naming her again changes nothing.
  Result<void> name_treasurer(const std::string& book, const std::string& user);
  // The treasurers named on `book`, by name.
  Result<std::vector<std::string>> treasurers(const std::string& book);
  std::vector<User> users();

  // --- books and accounts ----------------------------------------------------------------
  std::vector<Book> books();
  Result<Book> book(const std::string& code);
  // Creates the book "group:CODE" with the default chart of a group's treasury.
  Result<Book> add_group_book(const std::string& group_code, const std::string& name);
  // The book `code`, created with `name` and `chart` (in the caller's transaction, if any) when it
  // does not exist yet; creating needs the right to write in it. Domain engines use it for books
  // made on first use (the union's book of dues).
  Result<Book> ensure_book(const std::string& code, const std::string& name,
                           const std::vector<charts::ChartLine>& chart);
  Result<Account> add_account(const Account& spec);
  // Closes an account whose balance (with its sub-accounts) is zero; it takes no new postings.
  Result<void> close_account(const std::string& book, const std::string& code, Date on);
  Result<std::vector<Account>> accounts(const std::string& book);
  Result<Account> account(const std::string& book, const std::string& code);

  // --- the journal -----------------------------------------------------------------------
  // Posts one balanced entry. With a client id already used: the same content returns the
  // original (created = false); other content is kBadInput.
  Result<PostResult> post(const EntryDraft& draft);
  // Posts several entries in one transaction: all of them, or (on the first error) none.
  Result<std::vector<PostResult>> post_all(const std::vector<EntryDraft>& drafts);
  // Posts the reversal of an entry (found by client id, or by number as "N" or "#N") on `date`,
  // not before the original's. The memo names the original and `reason`. An entry that belongs to
  // a domain record (Entry::owner) is refused (kBadInput, naming the owner): it is corrected only
  // through its domain (soquy/corrections.h), so that the domain's records move with it.
  Result<PostResult> reverse(const std::string& entry_ref, Date date, const std::string& client_id = "",
                             const std::string& reason = "");
  // For domain engines, inside their own transaction: posts the exact negation of entry
  // `entry_id`, which must belong to `owner` (else kBadInput), dated request.date, with the same
  // owner and a memo naming the original and request.reason. Idempotent on request.client_id
  // (created = false); an entry already reversed is refused.
  Result<PostResult> reverse_owned(const EntryOwner& owner, std::int64_t entry_id, const ReversalRequest& request);
  // A domain correction whose records need no change of their own (they stop counting because
  // their entry is reversed): reverse_owned(*original.owner, original.id, request) in one
  // transaction, as a CorrectionResult with the original, the reversal and `created`; the domain
  // adds its notes. `original` must have an owner (else kBadInput).
  Result<CorrectionResult> correct_owned(const Entry& original, const ReversalRequest& request);
  // Imports a CSV of postings (entry_id,date,book,account,amount,memo) in one transaction.
  Result<ImportSummary> import_entries(const std::string& path, const ImportOptions& options = {});
  Result<Entry> entry(const std::string& entry_ref);
  // Every entry in chain order (optionally of one book), for exports.
  Result<void> for_each_entry(const std::function<void(const Entry&)>& fn, const std::string& book = "");

  // --- reports (reads) -------------------------------------------------------------------
  Result<BalanceSheet> balances(const std::string& book, Date as_of);
  Result<Money> balance(const std::string& book, const std::string& code, Date as_of);
  Result<AccountRegister> account_register(const std::string& book, const std::string& code,
                                           std::optional<Date> from, Date as_of);
  Result<TrialBalance> trial_balance(const std::string& book, Date as_of);  // book "" = all books
  // Re-verifies the hash chain, that every entry balances in one book, that stored balances
  // equal the sum of postings, and that the append-only triggers are in place: the four journal
  // checks below as one report (its problems in that order, at most 50), then the records'
  // (check_records, at most 50 more). `soquy check` runs
  // them as named checks, beside the domains' (soquy/checks.h).
  CheckReport check();
  // journal.guards: the append-only triggers are in place (items: the triggers looked for).
  NamedCheck check_guards();
  // journal.chain and journal.balanced, in one walk over every entry and posting.
  JournalWalk check_entries();
  // journal.balances: every stored balance row equals the sum of postings up to its day (items:
  // the stored rows).
  NamedCheck check_balances();
  // records.changes: every record outside the journal (loans and their events, members, units, groups,
  // users and roles, settings, hụi, savings, dues, VBSP) equals its last change in the change
  // log, the log's hash chain is intact and its triggers are in place (items: the records).
  NamedCheck check_records();

  // Posts many entries of a domain's bulk import inside the caller's in_transaction, the way
  // import_entries does: the same rules as post() (require_write, validate, idempotent client
  // ids, owners), but each book's accounts and the chain tip are read once, not per entry, and
  // every entry carries one record time. Nothing else may append to the journal while a
  // BulkPoster is in use (it holds the chain tip); create it after any other post of the work.
  class BulkPoster {
   public:
    explicit BulkPoster(Ledger& ledger);
    ~BulkPoster();
    BulkPoster(const BulkPoster&) = delete;
    BulkPoster& operator=(const BulkPoster&) = delete;
    Result<PostResult> post(const EntryDraft& draft);

   private:
    struct State;
    Ledger& ledger_;
    std::unique_ptr<State> state_;
  };

  // Runs `work` as one write transaction: every post(), add_account()… called inside joins
  // it, and if `work` returns an error (or throws) nothing of it is written. Domain engines use
  // this to write their own rows and their entries atomically. Nested calls join the outer one.
  Result<void> in_transaction(const std::function<Result<void>()>& work);

  // Acting-user checks for domain engines: kPermission unless the actor may write in `book`.
  // Admins and officers write every book; a treasurer only the group books she is named on
  // (name_treasurer); an auditor none (docs/security.md has the whole table).
  Result<void> require_write(const std::string& book);

  Store& store() { return *store_; }

 private:
  explicit Ledger(std::unique_ptr<Store> store);
  // The book and its accounts by code, loaded once per command.
  Result<PostingContext> posting_context(const std::string& book);
  // posting_context(book) read once per write transaction: inside in_transaction the book and
  // its accounts are kept (contexts_) until the outermost transaction ends or this Ledger adds
  // a book or adds or closes an account (which clears them). Outside a transaction: read afresh.
  Result<const PostingContext*> cached_context(const std::string& book);
  void forget_contexts();
  // Checks an entry against the rules (balance, accounts open and known, text); returns the
  // account ids of its postings.
  Result<std::vector<std::int64_t>> validate(const EntryDraft& draft, const PostingContext& ctx);
  // Validates and appends one entry inside the caller's transaction, advancing `tip`.
  Result<PostResult> append(const EntryDraft& draft, std::optional<std::int64_t> reverses,
                            const PostingContext& ctx, ChainTip& tip);
  Result<Entry> find_entry_ref(const std::string& ref);
  // The reversal of `original` (found by the caller) on `date`, with `client_id`, `reason` and
  // `owner` (nullopt for an entry of no domain).
  Result<PostResult> post_reversal(const Entry& original, Date date, const std::string& client_id,
                                   const std::string& reason, const std::optional<EntryOwner>& owner);

  std::unique_ptr<Store> store_;
  User actor_;
  int tx_depth_ = 0;
  struct Contexts;                     // the write transaction's posting contexts, by book code
  std::unique_ptr<Contexts> contexts_;  // empty outside a transaction
};

}  // namespace soquy

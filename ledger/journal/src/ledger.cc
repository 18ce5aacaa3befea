#include "soquy/ledger.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "ledger_internal.h"
#include "soquy/charts.h"
#include "soquy/clock.h"
#include "soquy/i18n.h"
#include "store.h"
#include "store_failure.h"

namespace soquy {

namespace detail {

Result<void> add_chart(Store& store, const Book& book, const std::vector<charts::ChartLine>& chart) {
  std::map<std::string, std::int64_t, std::less<>> ids;
  for (const auto& line : chart) {
    Account a;
    a.book = book.code;
    a.code = line.code;
    a.name = line.name_vi;
    a.name_en = line.name_en;
    a.type = line.type;
    a.parent = line.parent;
    std::optional<std::int64_t> parent;
    if (!line.parent.empty()) parent = ids.at(std::string(line.parent));
    ids[a.code] = store.insert_account(book.id, a, parent).id;
  }
  return {};
}

}  // namespace detail

namespace {

// Same entry content (what the client sent), regardless of posting order.
bool same_content(const EntryDraft& d, const Entry& e) {
  if (d.book != e.book || d.date != e.date || d.memo != e.memo) return false;
  auto key = [](const Posting& p) { return std::make_pair(p.account, p.amount.minor_units()); };
  std::vector<std::pair<std::string, std::int64_t>> a, b;
  for (const auto& p : d.postings) a.push_back(key(p));
  for (const auto& p : e.postings) b.push_back(key(p));
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace

struct Ledger::Contexts {
  std::map<std::string, PostingContext, std::less<>> by_book;
};

Ledger::Ledger(std::unique_ptr<Store> store) : store_(std::move(store)) {}
Ledger::~Ledger() = default;

std::string Ledger::purpose() { return store_->setting("purpose").value_or(std::string(kBooks)); }

// On a server the acting user is the database login: naming anyone else is refused.
Result<void> Ledger::act_as(const std::string& user_name) {
  if (const auto login = store_->login(); login && !user_name.empty() && user_name != *login)
    return fail(Error::usage(fmt::format(fmt::runtime(tr("cannot be used with a PostgreSQL server (SOQUY_USER "
                                                         "neither): there you act as the database login ('{}'); "
                                                         "connect as another login to act as someone else")),
                                         *login))
                    .of_field("user"));
  if (const auto login = store_->login(); login && user_name.empty()) return act_as(*login);
  auto user = user_name.empty() ? store_->first_admin() : store_->find_user(user_name);
  if (!user) {
    if (user_name.empty()) return fail(Error::io(tr("the database has no admin user")));
    return fail(Error::permission(
        fmt::format(fmt::runtime(tr("unknown user '{}' (an admin adds users with `soquy user add`)")), user_name)));
  }
  actor_ = *user;
  store_->set_actor(actor_.name);
  return {};
}

Result<void> Ledger::act_as_writer(const std::string& named, const std::string& os_login) {
  if (!named.empty() || store_->login()) return act_as(named);
  if (!os_login.empty() && store_->find_user(os_login)) return act_as(os_login);
  auto all = store_->list_users();
  if (all.size() == 1) return act_as(all.front().name);
  std::string names;
  for (const auto& u : all) names += (names.empty() ? "" : ", ") + u.name;
  return fail(Error::permission(
      fmt::format(fmt::runtime(tr("this file has several users ({}): say who you are with --user NAME or "
                                  "SOQUY_USER=NAME (a user named like your operating-system login is taken without it)")),
                  names)));
}

// A transaction the engine rolled back as a serialization failure or deadlock (a server under
// concurrent writers) is run again from its start, up to kAttempts times in all.
Result<void> Ledger::in_transaction(const std::function<Result<void>()>& work) {
  if (tx_depth_ > 0) return work();  // joins the caller's transaction
  constexpr int kAttempts = 4;
  for (int attempt = 1;; ++attempt) {
    try {
      auto tx = store_->begin_write();
      ++tx_depth_;
      contexts_ = std::make_unique<Contexts>();  // books and accounts as this transaction reads them
      Result<void> r;
      try {
        r = work();
      } catch (...) {
        --tx_depth_;
        contexts_.reset();
        throw;
      }
      --tx_depth_;
      contexts_.reset();
      if (!r) return r;  // the transaction rolls back as `tx` goes
      if (auto f = store_->flush_balances(); !f) return f;
      return tx->commit();
    } catch (const RetryableStoreFailure&) {
      if (attempt == kAttempts) throw;
    }
  }
}

Result<void> Ledger::require_write(const std::string& book) {
  switch (actor_.role) {
    case Role::kAdmin:
    case Role::kOfficer: return {};
    case Role::kTreasurer: {
      if (book.rfind("group:", 0) != 0)
        return fail(Error::permission(fmt::format(
            fmt::runtime(tr("user '{}' is a treasurer and may write only in group books, not in '{}'")), actor_.name, book)));
      auto b = store_->find_book(book);
      if (b && store_->is_book_treasurer(b->id, actor_.id)) return {};
      return fail(Error::permission(fmt::format(
          fmt::runtime(tr("user '{}' is not a treasurer of '{}': a treasurer writes only her own groups' books (an "
                          "admin or officer names her with `soquy group update {} --treasurer {}`)")),
          actor_.name, book, book.substr(6), actor_.name)));
    }
    case Role::kAuditor: break;
  }
  return fail(Error::permission(
      fmt::format(fmt::runtime(tr("user '{}' is an auditor: auditors may read everything and write nothing")), actor_.name)));
}

Result<void> Ledger::name_treasurer(const std::string& book, const std::string& user) {
  if (actor_.role != Role::kAdmin && actor_.role != Role::kOfficer)
    return fail(Error::permission(fmt::format(fmt::runtime(tr("only an admin or an officer names treasurers ('{}' is {})")),
                                              actor_.name, to_string(actor_.role))));
  auto b = store_->find_book(book);
  if (!b || book.rfind("group:", 0) != 0)
    return fail(Error::bad_input(
        fmt::format(fmt::runtime(tr("'{}' is not a group's book: treasurers are named on group books")), book)));
  auto u = store_->find_user(user);
  if (!u)
    return fail(Error::bad_input(
        fmt::format(fmt::runtime(tr("unknown user '{}' (an admin adds users with `soquy user add`)")), user)));
  if (u->role != Role::kTreasurer)
    return fail(Error::bad_input(
        fmt::format(fmt::runtime(tr("user '{}' is {}, not a treasurer: only treasurers are named on a group's book")),
                    user, to_string(u->role))));
  return in_transaction([&]() -> Result<void> {
    store_->insert_book_treasurer(b->id, u->id, actor_.id, now_timestamp());
    return {};
  });
}

Result<std::vector<std::string>> Ledger::treasurers(const std::string& book) {
  auto b = store_->find_book(book);
  if (!b) return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown book '{}'")), book)));
  return store_->book_treasurers(b->id);
}

Result<User> Ledger::add_user(const std::string& name, Role role) {
  if (actor_.role != Role::kAdmin)
    return fail(Error::permission(fmt::format(
        fmt::runtime(tr("only an admin may add users ('{}' is {})")), actor_.name, to_string(actor_.role))));
  if (auto ok = detail::check_code(name, N_("user name")); !ok) return fail(ok.error());
  if (store_->find_user(name)) return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("user '{}' already exists")), name)));
  User user;
  auto r = in_transaction([&]() -> Result<void> {
    store_->add_login(name, role);  // on a server: the login role, in the same transaction
    user = store_->insert_user(name, role, now_timestamp());
    return {};
  });
  if (!r) return fail(r.error());
  return user;
}

std::vector<User> Ledger::users() { return store_->list_users(); }

std::vector<Book> Ledger::books() { return store_->list_books(); }

Result<Book> Ledger::book(const std::string& code) {
  if (auto b = store_->find_book(code)) return *b;
  std::string known;
  for (const auto& b : store_->list_books()) known += (known.empty() ? "" : ", ") + b.code;
  return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown book '{}' (books: {})")), code, known)));
}

Result<Book> Ledger::add_group_book(const std::string& group_code, const std::string& name) {
  if (auto ok = detail::check_code(group_code, N_("group code")); !ok) return fail(ok.error());
  const std::string code = "group:" + group_code;
  if (auto ok = require_write(code); !ok) return fail(ok.error());
  if (store_->find_book(code)) return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("book '{}' already exists")), code)));
  Book b;
  auto r = in_transaction([&]() -> Result<void> {
    forget_contexts();
    b = store_->insert_book(code, name, "VND");
    return detail::add_chart(*store_, b, charts::group_chart());
  });
  if (!r) return fail(r.error());
  return b;
}

Result<Book> Ledger::ensure_book(const std::string& code, const std::string& name,
                                 const std::vector<charts::ChartLine>& chart) {
  if (auto b = store_->find_book(code)) return *b;
  if (auto ok = detail::check_code(code, N_("book code")); !ok) return fail(ok.error());
  if (auto ok = require_write(code); !ok) return fail(ok.error());
  Book b;
  auto r = in_transaction([&]() -> Result<void> {
    forget_contexts();
    b = store_->insert_book(code, name, "VND");
    return detail::add_chart(*store_, b, chart);
  });
  if (!r) return fail(r.error());
  return b;
}

Result<Account> Ledger::add_account(const Account& spec) {
  if (auto ok = require_write(spec.book); !ok) return fail(ok.error());
  auto b = book(spec.book);
  if (!b) return fail(b.error());
  if (auto ok = detail::check_code(spec.code, N_("account code")); !ok) return fail(ok.error());
  if (auto ok = detail::check_code(spec.name, N_("account name"), true); !ok) return fail(ok.error());
  if (spec.code.find(':') != std::string::npos)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("account code '{}' must not contain ':'")), spec.code)));
  if (store_->find_account(b->id, spec.code))
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("account {} already exists in book {}")), spec.code, spec.book)));
  std::optional<std::int64_t> parent_id;
  if (!spec.parent.empty()) {
    auto parent = store_->find_account(b->id, spec.parent);
    if (!parent)
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(tr("parent account {} does not exist in book {}")), spec.parent, spec.book)));
    if (parent->closed_on)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("parent account {} is closed")), spec.parent)));
    parent_id = parent->id;
  }
  Account a;
  auto r = in_transaction([&]() -> Result<void> {
    forget_contexts();
    a = store_->insert_account(b->id, spec, parent_id);
    return {};
  });
  if (!r) return fail(r.error());
  return a;
}

Result<void> Ledger::close_account(const std::string& book_code, const std::string& code, Date on) {
  if (auto ok = require_write(book_code); !ok) return fail(ok.error());
  auto a = account(book_code, code);
  if (!a) return fail(a.error());
  if (a->closed_on) return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("account {} is already closed (on {})")), code, *a->closed_on)));
  auto sheet = balances(book_code, *Date::from_ymd(2999, 12, 31));  // every entry, whatever its date
  if (!sheet) return fail(sheet.error());
  for (const auto& ab : sheet->accounts) {
    if (ab.account.code == code && !ab.balance.is_zero()) {
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(tr("account {} cannot be closed: its balance (with sub-accounts) is {}, not 0; move the balance first")), code,
          ab.balance.to_plain_string())));
    }
    if (ab.account.parent == code && !ab.account.closed_on) {
      return fail(Error::bad_input(
          fmt::format(
              fmt::runtime(tr("account {} cannot be closed: its sub-account {} is still open")), code, ab.account.code)));
    }
  }
  return in_transaction([&]() -> Result<void> {
    forget_contexts();
    store_->close_account(a->id, on);
    return {};
  });
}

Result<std::vector<Account>> Ledger::accounts(const std::string& book_code) {
  auto b = book(book_code);
  if (!b) return fail(b.error());
  return store_->list_accounts(b->id);
}

Result<Account> Ledger::account(const std::string& book_code, const std::string& code) {
  auto b = book(book_code);
  if (!b) return fail(b.error());
  if (auto a = store_->find_account(b->id, code)) return *a;
  return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown account {} in book {}")), code, book_code)));
}

Result<PostingContext> Ledger::posting_context(const std::string& book_code) {
  auto b = book(book_code);
  if (!b) return fail(b.error());
  PostingContext ctx;
  ctx.book = *b;
  for (auto& a : store_->list_accounts(b->id)) ctx.accounts.emplace(a.code, std::move(a));
  return ctx;
}

void Ledger::forget_contexts() {
  if (contexts_) contexts_->by_book.clear();
}

Result<const PostingContext*> Ledger::cached_context(const std::string& book_code) {
  if (!contexts_) return fail(Error::internal("Ledger::cached_context outside a transaction"));
  auto it = contexts_->by_book.find(book_code);
  if (it == contexts_->by_book.end()) {
    auto loaded = posting_context(book_code);
    if (!loaded) return fail(loaded.error());
    it = contexts_->by_book.emplace(book_code, std::move(*loaded)).first;
  }
  return &it->second;
}

Result<std::vector<std::int64_t>> Ledger::validate(const EntryDraft& d, const PostingContext& ctx) {
  if (d.postings.size() < 2)
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("an entry needs at least two postings (got {})")), d.postings.size())));
  if (auto ok = detail::check_free_text(d.memo, N_("memo")); !ok) return fail(ok.error());
  if (!d.client_id.empty())
    if (auto ok = detail::check_code(d.client_id, N_("client id")); !ok) return fail(ok.error());
  std::vector<std::int64_t> account_ids;
  account_ids.reserve(d.postings.size());
  Money sum;
  for (const auto& p : d.postings) {
    auto it = ctx.accounts.find(p.account);
    if (it == ctx.accounts.end())
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown account {} in book {}")), p.account, d.book)));
    const Account& a = it->second;
    if (a.closed_on)
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(tr("account {} in book {} is closed (since {})")), p.account, d.book, *a.closed_on)));
    if (p.amount.is_zero()) return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("the posting to {} is 0")), p.account)));
    if (p.amount.currency().code != ctx.book.currency)
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(tr("book {} keeps {}, not {}")), d.book, ctx.book.currency, p.amount.currency().code)));
    auto s = sum.plus(p.amount);
    if (!s) return fail(s.error());
    sum = *s;
    account_ids.push_back(a.id);
  }
  if (!sum.is_zero()) {
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("the entry does not balance: debits and credits differ by {} (postings must sum to 0; debits positive, "
        "credits negative)")),
        sum.to_plain_string())));
  }
  return account_ids;
}

Result<PostResult> Ledger::append(const EntryDraft& d, std::optional<std::int64_t> reverses,
                                  const PostingContext& ctx, ChainTip& tip) {
  auto account_ids = validate(d, ctx);
  if (!account_ids) return fail(account_ids.error());
  Entry e;
  e.book = d.book;
  e.date = d.date;
  e.memo = d.memo;
  e.client_id = d.client_id;
  e.reverses = reverses;
  e.user = actor_.name;
  e.postings = d.postings;
  e.id = tip.id + 1;
  e.prev_hash = tip.hash;
  e.recorded_at = tip.recorded_at.empty() ? now_timestamp() : tip.recorded_at;
  e.hash = entry_hash(e.prev_hash, e);
  if (!store_->append_entry(e, ctx.book.id, actor_.id, *account_ids)) {
    auto original = store_->find_entry_by_client_id(d.client_id);
    if (original && same_content(d, *original)) return PostResult{*original, false};
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("client id '{}' was already used for entry #{} with other content; use a new id for a new entry")),
        d.client_id, original ? original->id : 0)));
  }
  if (d.owner) {
    store_->insert_entry_owner(e.id, *d.owner);
    e.owner = d.owner;
  }
  tip.id = e.id;
  tip.hash = e.hash;
  return PostResult{std::move(e), true};
}

Result<PostResult> Ledger::post(const EntryDraft& draft) {
  if (auto ok = require_write(draft.book); !ok) return fail(ok.error());
  std::optional<PostResult> out;
  auto r = in_transaction([&]() -> Result<void> {
    auto ctx = cached_context(draft.book);
    if (!ctx) return fail(ctx.error());
    auto tip = store_->chain_tip();
    auto a = append(draft, std::nullopt, **ctx, tip);
    if (!a) return fail(a.error());
    out = std::move(*a);
    return {};
  });
  if (!r) return fail(r.error());
  return std::move(*out);
}

struct Ledger::BulkPoster::State {
  std::map<std::string, PostingContext> contexts;  // by book code, with the right to write it checked
  std::optional<ChainTip> tip;                      // read at the first post
};

Ledger::BulkPoster::BulkPoster(Ledger& ledger) : ledger_(ledger), state_(std::make_unique<State>()) {}
Ledger::BulkPoster::~BulkPoster() = default;

Result<PostResult> Ledger::BulkPoster::post(const EntryDraft& draft) {
  if (ledger_.tx_depth_ == 0)
    return fail(Error::internal("Ledger::BulkPoster::post outside Ledger::in_transaction"));
  auto ctx = state_->contexts.find(draft.book);
  if (ctx == state_->contexts.end()) {
    if (auto ok = ledger_.require_write(draft.book); !ok) return fail(ok.error());
    auto loaded = ledger_.posting_context(draft.book);
    if (!loaded) return fail(loaded.error());
    ctx = state_->contexts.emplace(draft.book, std::move(*loaded)).first;
  }
  if (!state_->tip) state_->tip = ledger_.store_->chain_tip();
  return ledger_.append(draft, std::nullopt, ctx->second, *state_->tip);
}

Result<std::vector<PostResult>> Ledger::post_all(const std::vector<EntryDraft>& drafts) {
  std::map<std::string, PostingContext> contexts;
  for (const auto& d : drafts) {
    if (contexts.count(d.book)) continue;
    if (auto ok = require_write(d.book); !ok) return fail(ok.error());
    auto ctx = posting_context(d.book);
    if (!ctx) return fail(ctx.error());
    contexts.emplace(d.book, std::move(*ctx));
  }
  std::vector<PostResult> out;
  out.reserve(drafts.size());
  auto r = in_transaction([&]() -> Result<void> {
    out.clear();  // a retried attempt starts afresh
    auto tip = store_->chain_tip();
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      auto a = append(drafts[i], std::nullopt, contexts.at(drafts[i].book), tip);
      if (!a) return fail(a.error().with_context(fmt::format(
          fmt::runtime(tr("entry {} of {}: ")), i + 1, drafts.size())));
      out.push_back(std::move(*a));
    }
    return {};
  });
  if (!r) return fail(r.error());
  return out;
}

Result<Entry> Ledger::entry(const std::string& ref) {
  auto found = find_entry_ref(ref);
  if (!found) return fail(found.error());
  found->owner = store_->entry_owner(found->id);
  return found;
}

Result<Entry> Ledger::find_entry_ref(const std::string& ref) {
  if (auto e = store_->find_entry_by_client_id(ref)) return *e;
  std::string_view digits = ref;
  if (!digits.empty() && digits.front() == '#') digits.remove_prefix(1);
  bool numeric = !digits.empty() && digits.size() < 19 &&
                 std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numeric)
    if (auto e = store_->find_entry(std::stoll(std::string(digits)))) return *e;
  return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("no entry '{}' (give its number, e.g. 42 or #42, or its client id)")), ref)));
}

Result<PostResult> Ledger::reverse(const std::string& ref, Date date, const std::string& client_id,
                                   const std::string& reason) {
  auto original = entry(ref);
  if (!original) return fail(original.error());
  if (original->owner) {
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("entry #{} belongs to {} record {}: it is corrected through its domain, with "
                        "`soquy reverse {} --reason …`")),
        original->id, original->owner->domain, original->owner->record, original->id)));
  }
  return post_reversal(*original, date, client_id, reason, std::nullopt);
}

Result<PostResult> Ledger::reverse_owned(const EntryOwner& owner, std::int64_t entry_id,
                                         const ReversalRequest& request) {
  auto original = entry(fmt::format("#{}", entry_id));
  if (!original) return fail(original.error());
  if (original->owner != owner) {
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("entry #{} does not belong to {} {}")), entry_id, owner.domain,
                                             owner.record)));
  }
  return post_reversal(*original, request.date, request.client_id, request.reason, owner);
}

Result<CorrectionResult> Ledger::correct_owned(const Entry& original, const ReversalRequest& request) {
  if (!original.owner)
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("entry #{} belongs to no domain record")), original.id)));
  CorrectionResult out;
  out.original = original;
  auto tx = in_transaction([&]() -> Result<void> {
    auto posted = reverse_owned(*original.owner, original.id, request);
    if (!posted) return fail(posted.error());
    out.created = posted->created;
    out.entries.assign(1, posted->entry);  // a retried attempt replaces, never adds
    return {};
  });
  if (!tx) return fail(tx.error());
  return out;
}

Result<PostResult> Ledger::post_reversal(const Entry& original, Date date, const std::string& client_id,
                                         const std::string& reason, const std::optional<EntryOwner>& owner) {
  if (auto ok = require_write(original.book); !ok) return fail(ok.error());
  EntryDraft d;
  d.book = original.book;
  d.date = date;
  d.client_id = client_id;
  d.owner = owner;
  d.memo = fmt::format("Đảo bút toán #{} (reversal): {}", original.id, original.memo);
  if (!reason.empty()) d.memo += fmt::format(" — lý do (reason): {}", reason);
  for (const auto& p : original.postings) {
    auto neg = p.amount.negated();
    if (!neg) return fail(neg.error());
    d.postings.push_back(Posting{p.account, *neg});
  }
  if (!client_id.empty()) {
    if (auto existing = store_->find_entry_by_client_id(client_id);
        existing && existing->reverses == original.id && same_content(d, *existing)) {
      return PostResult{*existing, false};
    }
  }
  if (auto by = store_->reversal_of(original.id))
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("entry #{} was already reversed by entry #{}")), original.id, *by)));
  if (date < original.date) {
    return fail(Error::bad_input(
        fmt::format(
            fmt::runtime(tr("a reversal cannot be dated {}, before the entry it reverses ({})")), date, original.date)));
  }
  auto ctx = posting_context(d.book);
  if (!ctx) return fail(ctx.error());
  std::optional<PostResult> out;
  auto r = in_transaction([&]() -> Result<void> {
    auto tip = store_->chain_tip();
    auto a = append(d, original.id, *ctx, tip);
    if (!a) return fail(a.error());
    out = std::move(*a);
    return {};
  });
  if (!r) return fail(r.error());
  return std::move(*out);
}

Result<void> Ledger::for_each_entry(const std::function<void(const Entry&)>& fn, const std::string& book_code) {
  std::int64_t book_id = 0;
  if (!book_code.empty()) {
    auto b = book(book_code);
    if (!b) return fail(b.error());
    book_id = b->id;
  }
  store_->for_each_entry(book_id, fn);
  return {};
}

Result<BalanceSheet> Ledger::balances(const std::string& book_code, Date as_of) {
  auto b = book(book_code);
  if (!b) return fail(b.error());
  BalanceSheet sheet;
  sheet.book = *b;
  sheet.as_of = as_of;
  auto accounts = store_->list_accounts(b->id);  // by code
  std::map<std::string, std::size_t> index;
  std::vector<AccountBalance> rows;
  for (auto& a : accounts) {
    AccountBalance ab;
    ab.own = store_->balance_as_of(a.id, as_of);
    ab.balance = ab.own;
    ab.account = std::move(a);
    index[ab.account.code] = rows.size();
    rows.push_back(std::move(ab));
  }
  // Roll each account's own balance up to every ancestor; depth = number of ancestors.
  for (auto& r : rows) {
    std::string parent = r.account.parent;
    for (int guard = 0; !parent.empty() && guard < 64; ++guard) {
      auto& p = rows[index.at(parent)];
      auto sum = p.balance.plus(r.own);
      if (!sum) return fail(sum.error());
      p.balance = *sum;
      ++r.depth;
      parent = p.account.parent;
    }
  }
  // Tree order: children right after their parent, siblings by code.
  std::map<std::string, std::vector<std::size_t>> children;
  for (std::size_t i = 0; i < rows.size(); ++i) children[rows[i].account.parent].push_back(i);
  std::function<void(const std::string&)> visit = [&](const std::string& parent) {
    for (auto i : children[parent]) {
      sheet.accounts.push_back(rows[i]);
      visit(rows[i].account.code);
    }
  };
  visit("");
  return sheet;
}

// The account's own balance plus its sub-accounts' (as balances() rolls them up), read for that
// subtree only: a domain's check reads one account per row (the fund's cash per disbursement).
Result<Money> Ledger::balance(const std::string& book_code, const std::string& code, Date as_of) {
  std::optional<PostingContext> fresh;
  const PostingContext* ctx = nullptr;
  if (contexts_) {
    auto cached = cached_context(book_code);
    if (!cached) return fail(cached.error());
    ctx = *cached;
  } else {
    auto loaded = posting_context(book_code);
    if (!loaded) return fail(loaded.error());
    ctx = &fresh.emplace(std::move(*loaded));
  }
  if (!ctx->accounts.count(code))
    return fail(Error::bad_input(fmt::format(fmt::runtime(tr("unknown account {} in book {}")), code, book_code)));
  auto under = [&](const Account& a) {  // a is `code` or one of its descendants
    std::string at = a.code;
    for (int guard = 0; !at.empty() && guard < 64; ++guard) {
      if (at == code) return true;
      auto p = ctx->accounts.find(at);
      at = p == ctx->accounts.end() ? std::string() : p->second.parent;
    }
    return false;
  };
  Money sum;
  for (const auto& entry : ctx->accounts) {
    if (!under(entry.second)) continue;
    auto next = sum.plus(store_->balance_as_of(entry.second.id, as_of));
    if (!next) return fail(next.error());
    sum = *next;
  }
  return sum;
}

Result<AccountRegister> Ledger::account_register(const std::string& book_code, const std::string& code,
                                                 std::optional<Date> from, Date as_of) {
  auto a = account(book_code, code);
  if (!a) return fail(a.error());
  AccountRegister reg;
  reg.account = *a;
  reg.from = from;
  reg.as_of = as_of;
  reg.opening = from ? store_->balance_as_of(a->id, from->add_days(-1)) : Money();
  reg.lines = store_->register_lines(a->id, from, as_of);
  Money running = reg.opening;
  for (auto& l : reg.lines) {
    auto next = running.plus(l.amount);
    if (!next) return fail(next.error());
    running = *next;
    l.balance = running;
  }
  reg.closing = running;
  return reg;
}

Result<TrialBalance> Ledger::trial_balance(const std::string& book_code, Date as_of) {
  TrialBalance tb;
  tb.as_of = as_of;
  std::vector<Book> books;
  if (book_code.empty()) {
    books = store_->list_books();
  } else {
    auto b = book(book_code);
    if (!b) return fail(b.error());
    books.push_back(*b);
  }
  for (const auto& b : books) {
    auto sheet = balances(b.code, as_of);
    if (!sheet) return fail(sheet.error());
    TrialBalanceBook tbb;
    tbb.book = b;
    for (const auto& ab : sheet->accounts) {
      if (ab.own.is_zero()) continue;
      auto& side = ab.own.is_negative() ? tbb.total_credit : tbb.total_debit;
      auto sum = ab.own.is_negative() ? side.minus(ab.own) : side.plus(ab.own);
      if (!sum) return fail(sum.error());
      side = *sum;
      tbb.accounts.push_back(ab);
    }
    tb.books.push_back(std::move(tbb));
  }
  return tb;
}

namespace {
constexpr std::size_t kMaxProblems = 50;
void add_problem(NamedCheck& c, std::string p) {
  if (c.problems.size() < kMaxProblems) c.problems.push_back(std::move(p));
}
}  // namespace

NamedCheck Ledger::check_guards() {
  NamedCheck c;
  c.name = "journal.guards";
  const auto guards = store_->guards();
  // Items: the four append-only triggers, on both engines (so that a report reads the same on
  // each); a server's two identity triggers are checked as well, without changing the count.
  c.items = std::count_if(guards.begin(), guards.end(),
                          [](const GuardTrigger& g) { return g.kind == GuardTrigger::Kind::kAppendOnly; });
  for (const auto& g : guards) {
    if (g.present && g.enabled) continue;
    const std::string name = g.present ? fmt::format(fmt::runtime(tr("{} (disabled)")), g.name) : g.name;
    const char* what = g.kind == GuardTrigger::Kind::kAuthor
                           ? tr("the trigger {} is missing: a login could record entries in another user's name, or in a book or "
                                "under a user that does not exist")
                       : g.kind == GuardTrigger::Kind::kSameBook
                           ? tr("the trigger {} is missing: a posting could go to an account of another book, or name an entry or "
                                "an account that does not exist")
                           : tr("the append-only trigger {} is missing: someone could edit posted rows");
    add_problem(c, fmt::format(fmt::runtime(what), name));
  }
  return c;
}

// The chain: each stored hash must be SHA-256 of the previous entry's stored hash and this
// entry's content. A content edit breaks the edited entry's hash; an edit whose hash was
// recomputed by the forger breaks the next entry's (its hash was made from the old one).
static void check_link(NamedCheck& chain, const Entry& e, std::int64_t& expected_id, std::string& expected_prev) {
  ++chain.items;
  if (e.id != expected_id)
    add_problem(chain, fmt::format(
        fmt::runtime(tr("entries are missing: after #{} comes #{}")), expected_id - 1, e.id));
  expected_id = e.id + 1;
  std::string computed = entry_hash(expected_prev, e);
  if (computed != e.hash) {
    if (e.id == 1) {
      add_problem(chain, fmt::format(
          fmt::runtime(tr("entry #{} ({}, {}): its content does not match its hash: it was changed after "
                                     "posting")),
                                     e.id, e.date, e.book));
    } else {
      add_problem(chain, fmt::format(
          fmt::runtime(tr("entry #{} ({}, {}): its hash does not match its content and the previous "
                                     "entry's hash: it was changed after posting, or the entry before it was removed "
                                     "or rewritten")),
                                     e.id, e.date, e.book));
    }
  }
  expected_prev = e.hash;
}

// At least two postings, all in the entry's book, summing to zero; returns the postings counted.
static std::int64_t check_balance(NamedCheck& balanced, const Entry& e, std::int64_t book_id,
                                  const std::vector<CheckedPosting>& ps) {
  ++balanced.items;
  Money sum;
  std::int64_t real_postings = 0;
  for (const auto& p : ps) {
    if (p.book_id == -1) continue;  // LEFT JOIN row of an entry without postings
    ++real_postings;
    if (p.book_id != book_id)
      add_problem(balanced, fmt::format(
          fmt::runtime(tr("entry #{}: posting to {} is in another book than the entry")), e.id, p.account));
    auto s = sum.plus(p.amount);
    if (!s) {
      add_problem(balanced, fmt::format(fmt::runtime(tr("entry #{}: the sum of its postings overflows")), e.id));
      return real_postings;
    }
    sum = *s;
  }
  if (real_postings < 2)
    add_problem(balanced, fmt::format(
        fmt::runtime(tr("entry #{} has {} posting(s); at least 2 are needed")), e.id, real_postings));
  if (!sum.is_zero())
    add_problem(balanced,
                fmt::format(
                    fmt::runtime(tr("entry #{} ({}) does not balance: its postings sum to {}")), e.id, e.date, sum.to_plain_string()));
  return real_postings;
}

JournalWalk Ledger::check_entries() {
  JournalWalk w;
  w.chain.name = "journal.chain";
  w.balanced.name = "journal.balanced";
  std::int64_t expected_id = 1;
  std::string expected_prev = kGenesisHash;
  store_->for_each_entry_checked([&](const Entry& e, std::int64_t book_id, const std::vector<CheckedPosting>& ps) {
    check_link(w.chain, e, expected_id, expected_prev);
    w.last_entry = e.id;
    w.last_hash = e.hash;
    w.postings += check_balance(w.balanced, e, book_id, ps);
  });
  return w;
}

NamedCheck Ledger::check_balances() {
  NamedCheck c;
  c.name = "journal.balances";
  c.problems = store_->verify_balances(kMaxProblems, c.items);
  return c;
}

NamedCheck Ledger::check_records() {
  NamedCheck c;
  c.name = "records.changes";
  std::int64_t changes = 0;
  c.problems = store_->verify_records(kMaxProblems, changes, c.items);
  return c;
}

CheckReport Ledger::check() {
  CheckReport report;
  auto take = [&](const NamedCheck& c) {
    for (const auto& p : c.problems)
      if (report.problems.size() < kMaxProblems) report.problems.push_back(p);
  };
  take(check_guards());
  auto walk = check_entries();
  take(walk.chain);
  take(walk.balanced);
  auto balances = check_balances();
  take(balances);
  report.entries = walk.chain.items;
  report.postings = walk.postings;
  report.balance_rows = balances.items;
  report.last_entry = walk.last_entry;
  report.last_hash = walk.last_hash;
  // The records' own limit: a journal with many breaks does not hide a changed loan or role.
  for (auto& p : store_->verify_records(kMaxProblems, report.changes, report.records))
    report.problems.push_back(std::move(p));
  return report;
}

}  // namespace soquy

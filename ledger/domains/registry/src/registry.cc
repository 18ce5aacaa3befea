// The registry's rules: dated units, members and groups. Rows are kept by RegistryStore
// (registry_store.cc); every write runs inside Ledger::in_transaction.
//
// Error messages name the field as "COLUMN: what", with the column names of the import files
// (which are the long flags of the add commands), so an import only has to prefix FILE:LINE.
#include "soquy/registry.h"

#include <algorithm>
#include <deque>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "ledger_internal.h"
#include "registry_store.h"
#include "soquy/clock.h"
#include "soquy/csv_reader.h"
#include "soquy/i18n.h"
#include "soquy/names.h"
#include "store.h"

namespace soquy {

// --- enums ---------------------------------------------------------------------------------

std::string_view to_string(UnitKind k) {
  switch (k) {
    case UnitKind::kProvince: return "province";
    case UnitKind::kDistrict: return "district";
    case UnitKind::kCommune: return "commune";
    case UnitKind::kBranch: return "branch";
  }
  return "?";
}

Result<UnitKind> parse_unit_kind(std::string_view text) {
  const std::string folded = fold_for_matching(text);
  const std::string_view s = folded;
  if (s == "province" || s == "tỉnh") return UnitKind::kProvince;
  if (s == "district" || s == "huyện") return UnitKind::kDistrict;
  if (s == "commune" || s == "xã" || s == "phường") return UnitKind::kCommune;
  if (s == "branch" || s == "chi hội") return UnitKind::kBranch;
  return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("'{}' is not a unit kind (province/tỉnh, district/huyện, commune/xã, branch/chi hội)")), text)));
}

std::string_view to_string(Poverty p) {
  switch (p) {
    case Poverty::kPoor: return "poor";
    case Poverty::kNearPoor: return "near-poor";
    case Poverty::kNone: return "none";
  }
  return "?";
}

Result<Poverty> parse_poverty(std::string_view text) {
  const std::string folded = fold_for_matching(text);
  const std::string_view s = folded;
  if (s == "poor" || s == "nghèo") return Poverty::kPoor;
  if (s == "near-poor" || s == "cận nghèo") return Poverty::kNearPoor;
  if (s == "none" || s == "không") return Poverty::kNone;
  return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("'{}' is not a poverty status (poor/nghèo, near-poor/cận nghèo, none/không)")), text)));
}

std::string_view to_string(GroupKind k) {
  switch (k) {
    case GroupKind::kCredit: return "credit";
    case GroupKind::kSavings: return "savings";
    case GroupKind::kRosca: return "rosca";
    case GroupKind::kVbsp: return "vbsp";
    case GroupKind::kPool: return "pool";
  }
  return "?";
}

Result<GroupKind> parse_group_kind(std::string_view s) {
  for (auto k : {GroupKind::kCredit, GroupKind::kSavings, GroupKind::kRosca, GroupKind::kVbsp, GroupKind::kPool})
    if (s == to_string(k)) return k;
  // The Vietnamese names, in any letter case.
  static const std::vector<std::pair<std::string, GroupKind>> kNames = {
      {"tín dụng", GroupKind::kCredit}, {"tổ tín dụng", GroupKind::kCredit}, {"tiết kiệm", GroupKind::kSavings},
      {"tổ tiết kiệm", GroupKind::kSavings}, {"hụi", GroupKind::kRosca}, {"họ", GroupKind::kRosca},
      {"nhcsxh", GroupKind::kVbsp}, {"tổ tiết kiệm và vay vốn", GroupKind::kVbsp}, {"hùn", GroupKind::kPool},
      {"nhóm hùn", GroupKind::kPool}};
  const std::string folded = fold_for_matching(s);
  for (const auto& [name, kind] : kNames)
    if (folded == name) return kind;
  return fail(Error::bad_input(fmt::format(
      fmt::runtime(tr("'{}' is not a group kind (credit/tín dụng, savings/tiết kiệm, rosca/hụi, "
                                           "vbsp/NHCSXH, pool/hùn)")),
                                           s)));
}

Result<MemberReportBy> parse_member_report_by(std::string_view s) {
  if (s == "unit") return MemberReportBy::kUnit;
  if (s == "ethnicity") return MemberReportBy::kEthnicity;
  if (s == "poverty") return MemberReportBy::kPoverty;
  return fail(Error::usage(fmt::format(
      fmt::runtime(tr("'{}' is not one of unit, ethnicity, poverty")), s)).in_field("by"));
}

std::string group_size_setting(GroupKind kind, bool max) {
  return fmt::format("group.{}.{}_members", to_string(kind), max ? "max" : "min");
}

Result<void> validate_member_count_setting(std::string_view v) {
  if (v.empty()) return {};
  if (v.size() > 5 || v.find_first_not_of("0123456789") != std::string_view::npos || v.front() == '0' ||
      std::stoll(std::string(v)) > 10000)
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("'{}' is not a number of members (1 to 10000, or empty for no limit)")), v)));
  return {};
}

namespace {

constexpr GroupKind kGroupKinds[] = {GroupKind::kCredit, GroupKind::kSavings, GroupKind::kRosca, GroupKind::kVbsp,
                                     GroupKind::kPool};

// The keys are built from the kinds' names, so their text lives here, for the program's life
// (a deque: the SettingKeys' views stay valid as it grows).
struct GroupSizeSettings {
  std::deque<std::string> text;
  std::vector<SettingKey> keys;  // kind by kind, max then min
};

const GroupSizeSettings& group_size_declarations() {
  static const GroupSizeSettings all = [] {
    GroupSizeSettings s;
    for (auto kind : kGroupKinds)
      for (bool max : {true, false}) {
        const std::string& key = s.text.emplace_back(group_size_setting(kind, max));
        const std::string& description = s.text.emplace_back(
            max ? fmt::format("the most members a {} group may have (empty: no limit)", to_string(kind))
                : fmt::format("fewer members than this in a {} group gives a warning (empty: none)", to_string(kind)));
        std::string_view fallback;
        if (kind == GroupKind::kVbsp) fallback = max ? kVbspGroupMaxMembers : kVbspGroupMinMembers;
        s.keys.push_back(SettingKey{key, fallback, description, validate_member_count_setting});
      }
    return s;
  }();
  return all;
}

}  // namespace

const std::vector<SettingKey>& group_size_settings() { return group_size_declarations().keys; }

const SettingKey& group_size_setting_key(GroupKind kind, bool max) {
  const auto i = static_cast<std::size_t>(std::find(std::begin(kGroupKinds), std::end(kGroupKinds), kind) -
                                          std::begin(kGroupKinds));
  return group_size_settings().at(2 * i + (max ? 0 : 1));
}

namespace {

// A bad input `name` (a field of UnitSpec, MemberSpec, GroupSpec: also the import files' column).
Error field(std::string_view name, std::string what) {
  return Error::bad_input(std::move(what)).in_field(std::string(name));
}
Error field(std::string_view name, const Error& e) { return e.in_field(std::string(name)); }

// A unit kind ("district", as stored) in the current language, for messages.
std::string kind_words(std::string_view kind) {
  static const std::map<std::string, const char*, std::less<>> kKinds = {
      {"province", N_("province")}, {"district", N_("district")}, {"commune", N_("commune")}, {"branch", N_("branch")}};
  auto it = kKinds.find(kind);
  return it == kKinds.end() ? std::string(kind) : std::string(tr(it->second));
}

int level(UnitKind k) { return static_cast<int>(k); }

UnitKind kind_of(const UnitRow& r) { return *parse_unit_kind(r.kind); }

// Which kinds may be the parent of a kind (the district level is optional for communes, so
// the tree after 1 July 2025 needs no change of rules).
bool parent_allowed(UnitKind child, UnitKind parent) {
  switch (child) {
    case UnitKind::kProvince: return false;
    case UnitKind::kDistrict: return parent == UnitKind::kProvince;
    case UnitKind::kCommune: return parent == UnitKind::kProvince || parent == UnitKind::kDistrict;
    case UnitKind::kBranch: return parent == UnitKind::kCommune;
  }
  return false;
}

std::string period(const UnitRow& u) {
  return u.valid_to ? fmt::format(fmt::runtime(tr("it exists from {} until {}")), u.valid_from, *u.valid_to)
                    : fmt::format(fmt::runtime(tr("it exists from {}")), u.valid_from);
}

bool exists_on(const UnitRow& u, Date d) { return u.valid_from <= d && (!u.valid_to || d < *u.valid_to); }

// The whole tree, loaded once per call, or once per import and kept up to date as the import
// writes (add, put_version, end), so an import does not read the tree again for every row.
struct Tree {
  std::deque<UnitRow> rows;  // by id; a deque, so pointers from find() survive add()
  std::map<std::int64_t, std::size_t> index;
  std::map<std::string, std::int64_t, std::less<>> by_code;
  std::map<std::int64_t, std::vector<UnitVersion>> versions;  // by date
  std::map<std::int64_t, std::set<std::int64_t>> children;    // every unit some version puts under a parent

  explicit Tree(RegistryStore& s);
  void add(UnitRow r) {
    index[r.id] = rows.size();
    by_code[r.code] = r.id;
    rows.push_back(std::move(r));
  }
  // As RegistryStore::put_unit_version: inserts the version, or replaces the one of that date.
  void put_version(const UnitVersion& v);
  void end(std::int64_t id, Date on, std::int64_t merged_into) {
    auto& r = rows[index.at(id)];
    r.valid_to = on;
    r.merged_into = merged_into;
  }
  const UnitRow& row(std::int64_t id) const { return rows[index.at(id)]; }
  const UnitRow* find(std::string_view code) const {
    auto it = by_code.find(code);
    return it == by_code.end() ? nullptr : &row(it->second);
  }
  // The version in force on `d` (the first one for a date before the unit's start).
  const UnitVersion& version(std::int64_t id, Date d) const {
    const auto& vs = versions.at(id);
    const UnitVersion* best = &vs.front();
    for (const auto& v : vs)
      if (v.valid_from <= d) best = &v;
    return *best;
  }
  std::string parent_code(std::int64_t id, Date d) const {
    auto p = version(id, d).parent_id;
    return p ? row(*p).code : "";
  }
  // Follows merges that took effect on or before `d`.
  const UnitRow& successor(std::int64_t id, Date d) const {
    const UnitRow* u = &row(id);
    for (int guard = 0; guard < 1000 && u->valid_to && *u->valid_to <= d && u->merged_into; ++guard)
      u = &row(*u->merged_into);
    return *u;
  }
  Unit unit(std::int64_t id, Date d) const {
    const auto& r = row(id);
    const auto& v = version(id, d);
    return Unit{r.id, r.code, v.name, kind_of(r), parent_code(id, d), r.valid_from, r.valid_to,
                r.merged_into ? row(*r.merged_into).code : "", 0};
  }
  // Whether `id` is `ancestor` or below it on `d`.
  bool under(std::int64_t id, std::int64_t ancestor, Date d) const {
    std::optional<std::int64_t> cur = id;
    for (int guard = 0; cur && guard < 1000; ++guard) {
      if (*cur == ancestor) return true;
      cur = version(*cur, d).parent_id;
    }
    return false;
  }
};

Tree::Tree(RegistryStore& s) {
  for (auto& r : s.all_units()) add(std::move(r));
  for (auto& v : s.all_unit_versions()) {
    if (v.parent_id) children[*v.parent_id].insert(v.unit_id);
    versions[v.unit_id].push_back(std::move(v));
  }
}

void Tree::put_version(const UnitVersion& v) {
  auto& vs = versions[v.unit_id];
  auto it = std::lower_bound(vs.begin(), vs.end(), v.valid_from,
                             [](const UnitVersion& a, Date d) { return a.valid_from < d; });
  if (it != vs.end() && it->valid_from == v.valid_from) *it = v;
  else vs.insert(it, v);
  if (v.parent_id) children[*v.parent_id].insert(v.unit_id);
}

Result<std::string> checked_name(std::string_view text, std::string_view column = "name") {
  auto n = normalize_name(text);
  if (!n) return fail(field(column, n.error()));
  return n;
}

Result<void> check_national_id(std::string_view nid) {
  if (nid.size() != 12 || !std::all_of(nid.begin(), nid.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fail(field("national_id", fmt::format(
        fmt::runtime(tr("'{}' is not a national id (CCCD): it must be exactly 12 digits")), nid)));
  return {};
}

// An ethnicity as written, or "" when the file or the officer does not say (no default).
Result<std::string> checked_ethnicity(std::string_view text) {
  if (text.find_first_not_of(" \t") == std::string_view::npos) return std::string();
  return checked_name(text, "ethnicity");
}

bool member_active(const MemberRow& m, Date d) { return m.joined <= d && (!m.left_on || d < *m.left_on); }
bool membership_active(const MembershipRow& m, Date d) {
  return m.joined_on <= d && (!m.left_on || d < *m.left_on);
}

// The unit that holds records of `u` on `d`, so that a file whose rows fall on both sides of a
// merger imports in one go: `u` itself while it exists; its successor from the merger on; and,
// for a unit that begins with a merger and is named for a day before it, the one unit merged
// into it that existed then. nullptr when there is none (two or more predecessors: ambiguous).
const UnitRow* holder_on(const Tree& tree, const UnitRow& u, Date d) {
  if (exists_on(u, d)) return &u;
  if (u.valid_to && *u.valid_to <= d) {
    const auto& s = tree.successor(u.id, d);
    return exists_on(s, d) ? &s : nullptr;
  }
  const UnitRow* only = nullptr;
  for (const auto& r : tree.rows)
    if (r.merged_into == u.id && r.valid_to && *r.valid_to <= u.valid_from && exists_on(r, d)) {
      if (only) return nullptr;
      only = &r;
    }
  return only;
}

// As holder_on, for the unit named `code` ("unit" errors: unknown, or no holder on `d`, the day
// a member joined when `joined`).
Result<const UnitRow*> unit_holding(const Tree& tree, const std::string& code, Date d, bool joined) {
  const auto* named = tree.find(code);
  if (!named) return fail(field("unit", fmt::format(fmt::runtime(tr("unknown unit '{}'")), code)));
  if (const auto* u = holder_on(tree, *named, d)) return u;
  const char* message = joined ? tr("unit '{}' does not exist on {} (joined): {}") : tr("unit '{}' does not exist on {}: {}");
  return fail(field("unit", fmt::format(fmt::runtime(message), code, d, period(*named))));
}

Poverty poverty_on(const std::vector<PovertyRow>& rows, Date d) {
  Poverty p = Poverty::kNone;
  for (const auto& r : rows)
    if (r.valid_from <= d) p = *parse_poverty(r.status);
  return p;
}

}  // namespace

// --- units ---------------------------------------------------------------------------------

Registry::Registry(Ledger& ledger) : ledger_(ledger), store_(std::make_unique<RegistryStore>(ledger.store())) {}
Registry::~Registry() = default;

namespace {

// Checks and writes one unit (in the caller's transaction, or its own) against `tree`, and adds
// it to the tree: an import keeps one tree for all its rows.
Result<std::int64_t> add_unit_in(Ledger& ledger, RegistryStore& store, Tree& tree, const UnitSpec& spec) {
  if (auto ok = detail::check_code(spec.code, N_("unit code")); !ok) return fail(field("code", ok.error()));
  auto name = checked_name(spec.name);
  if (!name) return fail(name.error());
  if (const auto* u = tree.find(spec.code))
    return fail(field("code", fmt::format(
        fmt::runtime(tr("unit '{}' already exists ({} '{}')")), spec.code, kind_words(u->kind),
                                          tree.version(u->id, spec.from).name)));
  std::optional<std::int64_t> parent_id;
  if (spec.kind == UnitKind::kProvince) {
    if (!spec.parent.empty()) return fail(field("parent", tr("a province has no parent unit")));
  } else {
    if (spec.parent.empty()) return fail(field("parent", fmt::format(
        fmt::runtime(tr("a {} needs a parent unit")), kind_words(to_string(spec.kind)))));
    const auto* p = tree.find(spec.parent);
    if (!p) return fail(field("parent", fmt::format(fmt::runtime(tr("unknown unit '{}'")), spec.parent)));
    if (!exists_on(*p, spec.from))
      return fail(field("parent", fmt::format(
          fmt::runtime(tr("unit '{}' does not exist on {}: {}")), spec.parent, spec.from, period(*p))));
    if (!parent_allowed(spec.kind, kind_of(*p)))
      return fail(field("parent", fmt::format(
          fmt::runtime(tr("a {} cannot be under a {} ('{}')")), kind_words(to_string(spec.kind)), kind_words(p->kind),
                                              spec.parent)));
    parent_id = p->id;
  }
  UnitRow row{0, spec.code, std::string(to_string(spec.kind)), spec.from, std::nullopt, std::nullopt};
  UnitVersion version{0, spec.from, *name, parent_id};
  auto r = ledger.in_transaction([&]() -> Result<void> {
    row.id = version.unit_id = store.insert_unit(row.code, row.kind, spec.from);
    store.put_unit_version(version);
    return {};
  });
  if (!r) return fail(r.error());
  tree.add(row);
  tree.put_version(version);
  return row.id;
}

}  // namespace

Result<Unit> Registry::add_unit(const UnitSpec& spec) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  Tree tree(*store_);
  auto id = add_unit_in(ledger_, *store_, tree, spec);
  if (!id) return fail(id.error());
  return tree.unit(*id, spec.from);
}

namespace {
// A dated change of name or parent: the unit must exist on `on`, and no later change may exist
// (changes are recorded in date order, so the history never has to be rewritten).
Result<void> check_change(const Tree& tree, const UnitRow& u, Date on) {
  if (!exists_on(u, on)) return fail(field("on", fmt::format(
      fmt::runtime(tr("unit '{}' does not exist on {}: {}")), u.code, on, period(u))));
  const auto& last = tree.versions.at(u.id).back();
  if (last.valid_from > on)
    return fail(field("on", fmt::format(
        fmt::runtime(tr("unit '{}' already has a change dated {}; changes are recorded in date order")),
                                        u.code, last.valid_from)));
  return {};
}
}  // namespace

Result<void> Registry::rename_unit(const std::string& code, const std::string& name, Date on) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  auto n = checked_name(name);
  if (!n) return fail(n.error());
  Tree tree(*store_);
  const auto* u = tree.find(code);
  if (!u) return fail(field("code", fmt::format(fmt::runtime(tr("unknown unit '{}'")), code)));
  if (auto ok = check_change(tree, *u, on); !ok) return ok;
  auto v = tree.version(u->id, on);
  if (v.name == *n) return fail(field("name", fmt::format(
      fmt::runtime(tr("unit '{}' is already named '{}' on {}")), code, *n, on)));
  v.valid_from = on;
  v.name = *n;
  return ledger_.in_transaction([&]() -> Result<void> {
    store_->put_unit_version(v);
    return {};
  });
}

Result<void> Registry::move_unit(const std::string& code, const std::string& parent, Date on) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  Tree tree(*store_);
  const auto* u = tree.find(code);
  if (!u) return fail(field("code", fmt::format(fmt::runtime(tr("unknown unit '{}'")), code)));
  if (auto ok = check_change(tree, *u, on); !ok) return ok;
  const auto* p = tree.find(parent);
  if (!p) return fail(field("parent", fmt::format(fmt::runtime(tr("unknown unit '{}'")), parent)));
  if (!exists_on(*p, on))
    return fail(field("parent", fmt::format(
        fmt::runtime(tr("unit '{}' does not exist on {}: {}")), parent, on, period(*p))));
  if (!parent_allowed(kind_of(*u), kind_of(*p)))
    return fail(field("parent", fmt::format(
        fmt::runtime(tr("a {} cannot be under a {} ('{}')")), kind_words(u->kind), kind_words(p->kind), parent)));
  if (tree.under(p->id, u->id, on))
    return fail(field("parent", fmt::format(
        fmt::runtime(tr("'{}' is '{}' itself or below it: a unit cannot move under itself")), parent, code)));
  auto v = tree.version(u->id, on);
  if (v.parent_id == p->id) return fail(field("parent", fmt::format(
      fmt::runtime(tr("unit '{}' is already under '{}' on {}")), code, parent, on)));
  v.valid_from = on;
  v.parent_id = p->id;
  return ledger_.in_transaction([&]() -> Result<void> {
    store_->put_unit_version(v);
    return {};
  });
}

namespace {

// Whether unit `f` may be merged into `t` on `on` (the rules in registry.h).
Result<void> check_merge(const Tree& tree, const UnitRow& f, const UnitRow& t, Date on) {
  if (f.id == t.id) return fail(field("merged_into", fmt::format(
      fmt::runtime(tr("unit '{}' cannot be merged into itself")), f.code)));
  if (f.valid_to)
    return fail(field("code", f.merged_into ? fmt::format(
        fmt::runtime(tr("unit '{}' already ended on {} (merged into '{}')")),
                                                          f.code, *f.valid_to, tree.row(*f.merged_into).code)
                                            : fmt::format(
                                                fmt::runtime(tr("unit '{}' already ended on {}")), f.code, *f.valid_to)));
  if (on <= f.valid_from)
    return fail(field("merged_on", fmt::format(
        fmt::runtime(tr("unit '{}' starts on {}: a merge must be dated after its start")), f.code,
                                               f.valid_from)));
  if (!exists_on(t, on))
    return fail(field("merged_into", fmt::format(
        fmt::runtime(tr("unit '{}' does not exist on {}: {}")), t.code, on, period(t))));
  if (level(kind_of(t)) > level(kind_of(f)))
    return fail(field("merged_into",
                      fmt::format(
                          fmt::runtime(tr("a {} ('{}') cannot be merged into a {} ('{}')")), kind_words(f.kind), f.code,
                                  kind_words(t.kind), t.code)));
  if (tree.under(t.id, f.id, on))
    return fail(field("merged_into",
                      fmt::format(
                          fmt::runtime(tr("'{}' is below '{}': a unit cannot be merged into its own sub-unit")), t.code, f.code)));
  return {};
}

// Checks and writes one merge against `tree`, and records it in the tree (as add_unit_in).
Result<void> merge_unit_in(Ledger& ledger, RegistryStore& store, Tree& tree, const std::string& from,
                           const std::string& into, Date on) {
  const auto* f = tree.find(from);
  if (!f) return fail(field("code", fmt::format(fmt::runtime(tr("unknown unit '{}'")), from)));
  const auto* t = tree.find(into);
  if (!t) return fail(field("merged_into", fmt::format(fmt::runtime(tr("unknown unit '{}'")), into)));
  if (auto ok = check_merge(tree, *f, *t, on); !ok) return ok;
  // Sub-units existing on the date move under the successor (only the units some version put
  // under `f` are looked at, in id order, so a merge costs its sub-units, not the whole tree).
  std::vector<UnitVersion> moves;
  if (auto kids = tree.children.find(f->id); kids != tree.children.end())
    for (auto id : kids->second) {
      const auto& r = tree.row(id);
      if (!exists_on(r, on) || tree.version(r.id, on).parent_id != f->id) continue;
      if (!parent_allowed(kind_of(r), kind_of(*t)))
        return fail(field("merged_into", fmt::format(
            fmt::runtime(tr("sub-unit '{}' ({}) of '{}' cannot be under a {} ('{}'): move it first")),
                                                     r.code, kind_words(r.kind), from, kind_words(t->kind), into)));
      if (auto ok = check_change(tree, r, on); !ok) return ok;
      auto v = tree.version(r.id, on);
      v.valid_from = on;
      v.parent_id = t->id;
      moves.push_back(v);
    }
  auto r = ledger.in_transaction([&]() -> Result<void> {
    for (const auto& v : moves) store.put_unit_version(v);
    store.end_unit(f->id, on, t->id);
    return {};
  });
  if (!r) return r;
  for (const auto& v : moves) tree.put_version(v);
  tree.end(f->id, on, t->id);
  return {};
}

}  // namespace

Result<void> Registry::merge_unit(const std::string& from, const std::string& into, Date on) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  Tree tree(*store_);
  return merge_unit_in(ledger_, *store_, tree, from, into, on);
}

namespace {

// A dependent as the officer reads it: "member 'HV1' is dated 2021-03-01" (its kind translated).
std::string dependent_words(const DependentRow& d) {
  static const std::map<std::string, const char*, std::less<>> kKinds = {
      {"unit", N_("unit")}, {"merged unit", N_("merged unit")}, {"group", N_("group")}, {"member", N_("member")},
      {"loan", N_("loan")}, {"vbsp loan", N_("vbsp loan")}, {"vbsp contract", N_("vbsp contract")},
      {"entry", N_("entry")}, {"membership", N_("membership")}, {"meeting", N_("meeting")},
      {"share-out", N_("share-out")}, {"savings loan", N_("savings loan")}, {"savings", N_("savings")},
      {"hui agreement", N_("hui agreement")}, {"hui round", N_("hui round")}, {"hui payment", N_("hui payment")},
      {"collection sheet", N_("collection sheet")}};
  auto it = kKinds.find(d.kind);
  const std::string kind = it == kKinds.end() ? d.kind : tr(it->second);
  if (d.code.empty()) return fmt::format(fmt::runtime(tr("{} is dated {}")), kind, d.date);
  return fmt::format(fmt::runtime(tr("{} '{}' is dated {}")), kind, d.code, d.date);
}

// A start moved after something that depends on it: names the first dependent (kind, code, date).
// `what` is "unit" or "group".
Error start_refused(std::string_view what, const std::string& code, Date from, const DependentRow& d) {
  const char* message = what == "unit" ? tr("cannot move the start of unit '{}' to {}: {}, before it")
                                       : tr("cannot move the start of group '{}' to {}: {}, before it");
  return field("from", fmt::format(fmt::runtime(message), code, from, dependent_words(d)));
}

// Whether unit `u` may start on `from` instead (the rules in registry.h).
Result<void> check_unit_start(const Tree& tree, RegistryStore& store, const UnitRow& u, Date from) {
  if (u.valid_to && from >= *u.valid_to)
    return fail(field("from", fmt::format(fmt::runtime(tr("unit '{}' ended on {}: its start must come before that")),
                                          u.code, *u.valid_to)));
  const auto& versions = tree.versions.at(u.id);
  if (versions.size() > 1 && from >= versions[1].valid_from)
    return fail(field("from", fmt::format(
        fmt::runtime(tr("unit '{}' has a rename or move dated {}: its start must come "
                                                          "before that")),
                                          u.code, versions[1].valid_from)));
  if (auto p = versions.front().parent_id; p && !exists_on(tree.row(*p), from))
    return fail(field("from", fmt::format(fmt::runtime(tr("parent unit '{}' does not exist on {}: {}")),
                                          tree.row(*p).code, from, period(tree.row(*p)))));
  if (from > u.valid_from)
    if (auto d = store.first_unit_dependent(u.id, from)) return fail(start_refused("unit", u.code, from, *d));
  return {};
}

}  // namespace

Result<Unit> Registry::change_unit_start(const std::string& code, Date from) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    // Read inside the write transaction, so no other writer adds a dependent meanwhile.
    Tree tree(*store_);
    const auto* u = tree.find(code);
    if (!u) return fail(field("code", fmt::format(fmt::runtime(tr("unknown unit '{}'")), code)));
    if (u->valid_from == from) return {};
    if (auto ok = check_unit_start(tree, *store_, *u, from); !ok) return ok;
    store_->move_unit_start(u->id, u->valid_from, from);
    return {};
  });
  if (!r) return fail(r.error());
  return unit(code, from);
}

Result<Unit> Registry::unit(const std::string& code, Date as_of) {
  Tree tree(*store_);
  const auto* u = tree.find(code);
  if (!u) return fail(field("unit", fmt::format(fmt::runtime(tr("unknown unit '{}'")), code)));
  return tree.unit(u->id, as_of);
}

Result<std::vector<Unit>> Registry::units(Date as_of) {
  Tree tree(*store_);
  std::map<std::int64_t, std::vector<std::int64_t>> children;  // parent 0 = root
  for (const auto& r : tree.rows) {
    if (!exists_on(r, as_of)) continue;
    auto p = tree.version(r.id, as_of).parent_id;
    children[p && exists_on(tree.row(*p), as_of) ? *p : 0].push_back(r.id);
  }
  for (auto& [_, ids] : children)
    std::sort(ids.begin(), ids.end(), [&](auto a, auto b) { return tree.row(a).code < tree.row(b).code; });
  std::vector<Unit> out;
  std::function<void(std::int64_t, int)> walk = [&](std::int64_t parent, int depth) {
    auto it = children.find(parent);
    if (it == children.end()) return;
    for (auto id : it->second) {
      out.push_back(tree.unit(id, as_of));
      out.back().depth = depth;
      walk(id, depth + 1);
    }
  };
  walk(0, 0);
  return out;
}

Result<std::string> Registry::successor(const std::string& code, Date as_of) {
  Tree tree(*store_);
  const auto* u = tree.find(code);
  if (!u) return fail(field("unit", fmt::format(fmt::runtime(tr("unknown unit '{}'")), code)));
  return tree.successor(u->id, as_of).code;
}

// --- members -------------------------------------------------------------------------------

namespace {

// Everything a member view needs, loaded once.
struct MemberData {
  std::map<std::int64_t, std::vector<PovertyRow>> poverty;
  std::map<std::int64_t, std::vector<MembershipRow>> memberships;  // by member
  std::map<std::int64_t, std::string> group_codes;
  // For every member (lists and reports).
  explicit MemberData(RegistryStore& s) {
    for (auto& p : s.all_poverty()) poverty[p.member_id].push_back(std::move(p));
    for (auto& m : s.all_memberships()) memberships[m.member_id].push_back(m);
    for (auto& g : s.all_groups()) group_codes[g.id] = g.code;
  }
  // For one member: only her rows, so showing or adding a member does not read the registry.
  MemberData(RegistryStore& s, std::int64_t member_id) {
    poverty[member_id] = s.poverty_of(member_id);
    for (auto& m : s.memberships_of_member(member_id)) {
      if (!group_codes.count(m.group_id)) group_codes[m.group_id] = s.find_group_by_id(m.group_id)->code;
      memberships[member_id].push_back(m);
    }
  }
};

Member view(const MemberRow& m, const Tree& tree, const MemberData& data, Date d) {
  Member out;
  out.row_id = m.id;
  out.id = m.code;
  out.name = m.name;
  out.national_id = m.national_id;
  out.unit = tree.row(m.unit_id).code;
  out.unit_as_of = tree.successor(m.unit_id, d).code;
  if (auto it = data.memberships.find(m.id); it != data.memberships.end())
    for (const auto& gm : it->second)
      if (membership_active(gm, d)) out.groups.push_back(data.group_codes.at(gm.group_id));
  std::sort(out.groups.begin(), out.groups.end());
  out.born = m.born;
  out.ethnicity = m.ethnicity;
  if (auto it = data.poverty.find(m.id); it != data.poverty.end()) out.poverty = poverty_on(it->second, d);
  out.joined = m.joined;
  out.left = m.left_on;
  return out;
}

}  // namespace

namespace {

Result<JoinResult> join_group_in(Ledger& ledger, RegistryStore& store, std::int64_t group_id,
                                 std::int64_t member_row_id, const std::string& member_code, Date on);

// Checks and writes one member against `tree` (loaded once by an import, per call otherwise).
Result<void> add_member_in(Ledger& ledger, RegistryStore& store, const Tree& tree, const MemberSpec& spec) {
  if (auto ok = detail::check_code(spec.id, N_("member id")); !ok) return fail(field("id", ok.error()));
  auto name = checked_name(spec.name);
  if (!name) return fail(name.error());
  // An empty national id is stored as NULL: VBSP registers may not carry one (vbsp.h).
  if (!spec.national_id.empty())
    if (auto ok = check_national_id(spec.national_id); !ok) return fail(ok.error());
  auto ethnicity = checked_ethnicity(spec.ethnicity);
  if (!ethnicity) return fail(ethnicity.error());
  if (store.find_member(spec.id)) return fail(field("id", fmt::format(
      fmt::runtime(tr("member '{}' already exists")), spec.id)));
  if (auto other = spec.national_id.empty() ? std::nullopt : store.find_member_by_national_id(spec.national_id))
    return fail(field("national_id", fmt::format(
        fmt::runtime(tr("national id {} is already registered to member '{}' ({})")),
                                                 spec.national_id, other->code, other->name)));
  auto held = unit_holding(tree, spec.unit, spec.joined, true);
  if (!held) return fail(held.error());
  const UnitRow* u = *held;
  if (spec.born && *spec.born > spec.joined)
    return fail(field("born", fmt::format(fmt::runtime(tr("born {} is after joined {}")), *spec.born, spec.joined)));
  std::optional<GroupRow> group;
  if (!spec.group.empty()) {
    group = store.find_group(spec.group);
    if (!group) return fail(field("group", fmt::format(fmt::runtime(tr("unknown group '{}'")), spec.group)));
  }
  return ledger.in_transaction([&]() -> Result<void> {
    MemberRow row{0, spec.id, *name, spec.national_id, u->id, spec.born, *ethnicity, spec.joined, std::nullopt};
    row.id = store.insert_member(row);
    store.put_poverty(PovertyRow{row.id, spec.joined, std::string(to_string(spec.poverty))});
    if (group)
      if (auto j = join_group_in(ledger, store, group->id, row.id, spec.id, spec.joined); !j) return fail(j.error());
    return {};
  });
}

}  // namespace

Result<Member> Registry::add_member(const MemberSpec& spec) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  if (auto ok = add_member_in(ledger_, *store_, Tree(*store_), spec); !ok) return fail(ok.error());
  return member(spec.id, spec.joined);
}

struct Registry::MemberBatch::State {
  Tree tree;  // read at the first add, inside the caller's transaction
};

Registry::MemberBatch::MemberBatch(Registry& registry) : registry_(registry) {}
Registry::MemberBatch::~MemberBatch() = default;

Result<std::int64_t> Registry::MemberBatch::add(const MemberSpec& spec) {
  if (!state_) {
    if (auto ok = registry_.ledger_.require_write("fund"); !ok) return fail(ok.error());
    state_ = std::make_unique<State>(State{Tree(*registry_.store_)});
  }
  if (auto ok = add_member_in(registry_.ledger_, *registry_.store_, state_->tree, spec); !ok) return fail(ok.error());
  auto row = registry_.store_->find_member(spec.id);
  if (!row) return fail(Error::internal(fmt::format("member '{}' vanished after it was added", spec.id)));
  return row->id;
}

Result<Member> Registry::member(const std::string& id, Date as_of) {
  auto m = store_->find_member(id);
  if (!m) return fail(field("id", fmt::format(fmt::runtime(tr("unknown member '{}'")), id)));
  Tree tree(*store_);
  MemberData data(*store_, m->id);
  return view(*m, tree, data, as_of);
}

Result<std::vector<Member>> Registry::members(Date as_of, const std::string& unit) {
  Tree tree(*store_);
  const UnitRow* within = nullptr;
  if (!unit.empty()) {
    within = tree.find(unit);
    if (!within) return fail(field("unit", fmt::format(fmt::runtime(tr("unknown unit '{}'")), unit)));
    within = &tree.successor(within->id, as_of);
  }
  MemberData data(*store_);
  std::vector<Member> out;
  for (const auto& m : store_->all_members()) {
    if (m.joined > as_of) continue;
    if (within && !tree.under(tree.successor(m.unit_id, as_of).id, within->id, as_of)) continue;
    out.push_back(view(m, tree, data, as_of));
  }
  return out;
}

Result<Member> Registry::update_member(const std::string& id, const MemberUpdate& up) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  auto m = store_->find_member(id);
  if (!m) return fail(field("id", fmt::format(fmt::runtime(tr("unknown member '{}'")), id)));
  MemberRow row = *m;
  if (up.name) {
    auto n = checked_name(*up.name);
    if (!n) return fail(n.error());
    row.name = *n;
  }
  if (up.national_id) {
    if (auto ok = check_national_id(*up.national_id); !ok) return fail(ok.error());
    if (auto other = store_->find_member_by_national_id(*up.national_id); other && other->id != row.id)
      return fail(field("national_id", fmt::format(
          fmt::runtime(tr("national id {} is already registered to member '{}' ({})")),
                                                   *up.national_id, other->code, other->name)));
    row.national_id = *up.national_id;
  }
  if (up.born) {
    if (*up.born > row.joined) return fail(field("born", fmt::format(
        fmt::runtime(tr("born {} is after joined {}")), *up.born, row.joined)));
    row.born = up.born;
  }
  if (up.ethnicity) {
    auto e = checked_name(*up.ethnicity, "ethnicity");
    if (!e) return fail(e.error());
    row.ethnicity = *e;
  }
  std::optional<PovertyRow> poverty;
  if (up.poverty) {
    if (!up.on) return fail(field("on", tr("a change of poverty status needs its date")));
    if (*up.on < row.joined)
      return fail(field("on", fmt::format(
          fmt::runtime(tr("{} is before the member joined ({})")), *up.on, row.joined)));
    if (row.left_on && *up.on >= *row.left_on)
      return fail(field("on", fmt::format(fmt::runtime(tr("member '{}' left on {}")), id, *row.left_on)));
    MemberData data(*store_, row.id);
    const auto& history = data.poverty[row.id];
    if (!history.empty() && history.back().valid_from > *up.on)
      return fail(field("on", fmt::format(
          fmt::runtime(tr("member '{}' already has a poverty status dated {}; changes are recorded in "
                                          "date order")), id, history.back().valid_from)));
    if (poverty_on(history, *up.on) != *up.poverty)
      poverty = PovertyRow{row.id, *up.on, std::string(to_string(*up.poverty))};
  } else if (up.on) {
    return fail(field("on", tr("a date is only needed with a change of poverty status")));
  }
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    store_->update_member(row);
    if (poverty) store_->put_poverty(*poverty);
    return {};
  });
  if (!r) return fail(r.error());
  return member(id, up.on ? *up.on : today());
}

Result<void> Registry::member_leaves(const std::string& id, Date on) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  auto m = store_->find_member(id);
  if (!m) return fail(field("id", fmt::format(fmt::runtime(tr("unknown member '{}'")), id)));
  if (m->left_on) return fail(field("id", fmt::format(
      fmt::runtime(tr("member '{}' already left on {}")), id, *m->left_on)));
  if (on <= m->joined)
    return fail(field("on", fmt::format(
        fmt::runtime(tr("member '{}' joined on {}: she can leave only after that")), id, m->joined)));
  MemberRow row = *m;
  row.left_on = on;
  return ledger_.in_transaction([&]() -> Result<void> {
    store_->update_member(row);
    store_->end_memberships(row.id, on);
    return {};
  });
}

// --- groups --------------------------------------------------------------------------------

namespace {

// Checks and writes one group against `tree` (as add_member_in).
Result<void> add_group_in(Ledger& ledger, RegistryStore& store, const Tree& tree, const GroupSpec& spec) {
  if (auto ok = detail::check_code(spec.code, N_("group code")); !ok) return fail(field("code", ok.error()));
  if (spec.code.find(':') != std::string::npos)
    return fail(field("code", fmt::format(fmt::runtime(tr("group code '{}' must not contain ':'")), spec.code)));
  auto name = checked_name(spec.name);
  if (!name) return fail(name.error());
  if (store.find_group(spec.code)) return fail(field("code", fmt::format(
      fmt::runtime(tr("group '{}' already exists")), spec.code)));
  auto held = unit_holding(tree, spec.unit, spec.from, false);
  if (!held) return fail(held.error());
  const UnitRow* u = *held;
  std::optional<MemberRow> leader;
  if (!spec.leader.empty()) {
    leader = store.find_member(spec.leader);
    if (!leader) return fail(field("leader", fmt::format(fmt::runtime(tr("unknown member '{}'")), spec.leader)));
    if (!member_active(*leader, spec.from))
      return fail(field("leader", fmt::format(
          fmt::runtime(tr("member '{}' is not a member on {}")), spec.leader, spec.from)));
  }
  const bool own_book =
      spec.kind == GroupKind::kSavings || spec.kind == GroupKind::kRosca || spec.kind == GroupKind::kPool;
  return ledger.in_transaction([&]() -> Result<void> {
    GroupRow g{0, spec.code, *name, std::string(to_string(spec.kind)), u->id,
               leader ? std::optional(leader->id) : std::nullopt, std::nullopt, spec.from};
    if (own_book) {
      auto b = ledger.add_group_book(spec.code, *name);
      if (!b) return fail(field("code", b.error()));
      g.book_id = b->id;
    }
    g.id = store.insert_group(g);
    if (leader)
      if (auto j = join_group_in(ledger, store, g.id, leader->id, leader->code, spec.from); !j)
        return fail(field("leader", j.error()));
    return {};
  });
}

// A group as callers see it: its unit's and leader's codes (one indexed read, not a scan).
Group group_view(RegistryStore& store, const Tree& tree, const GroupRow& g) {
  Group out;
  out.id = g.id;
  out.code = g.code;
  out.name = g.name;
  out.kind = *parse_group_kind(g.kind);
  out.unit = tree.row(g.unit_id).code;
  out.created_on = g.created_on;
  if (g.leader_id)
    if (auto m = store.find_member_by_id(*g.leader_id)) out.leader = m->code;
  if (g.book_id) out.book = "group:" + g.code;
  return out;
}

}  // namespace

Result<Group> Registry::add_group(const GroupSpec& spec) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  if (auto ok = add_group_in(ledger_, *store_, Tree(*store_), spec); !ok) return fail(ok.error());
  return group(spec.code);
}

Result<Group> Registry::group(const std::string& code) {
  auto g = store_->find_group(code);
  if (!g) return fail(field("group", fmt::format(fmt::runtime(tr("unknown group '{}'")), code)));
  return group_view(*store_, Tree(*store_), *g);
}

namespace {

// `g` as of `d`: its unit after merges, that unit's name then, and its members then.
Group dated_group_view(RegistryStore& store, const Tree& tree, const GroupRow& g, const std::vector<MembershipRow>& ms,
                       const std::map<std::int64_t, std::string>& member_codes, Date d) {
  Group out = group_view(store, tree, g);
  const auto& u = tree.successor(g.unit_id, d);
  out.unit_as_of = u.code;
  out.unit_name = tree.version(u.id, d).name;
  for (const auto& m : ms)
    if (m.group_id == g.id && membership_active(m, d)) out.members.push_back(member_codes.at(m.member_id));
  std::sort(out.members.begin(), out.members.end());
  return out;
}

}  // namespace

Result<Group> Registry::group(const std::string& code, Date as_of) {
  auto g = store_->find_group(code);
  if (!g) return fail(field("group", fmt::format(fmt::runtime(tr("unknown group '{}'")), code)));
  Tree tree(*store_);
  auto ms = store_->memberships_of_group(g->id);
  std::map<std::int64_t, std::string> codes;
  for (const auto& m : ms)
    if (!codes.count(m.member_id)) codes[m.member_id] = store_->find_member_by_id(m.member_id)->code;
  return dated_group_view(*store_, tree, *g, ms, codes, as_of);
}

Result<std::vector<Group>> Registry::groups(Date as_of, const std::string& unit) {
  Tree tree(*store_);
  const UnitRow* within = nullptr;
  if (!unit.empty()) {
    within = tree.find(unit);
    if (!within) return fail(field("unit", fmt::format(fmt::runtime(tr("unknown unit '{}'")), unit)));
    within = &tree.successor(within->id, as_of);
  }
  std::map<std::int64_t, std::vector<MembershipRow>> by_group;
  for (auto& m : store_->all_memberships()) by_group[m.group_id].push_back(m);
  std::map<std::int64_t, std::string> codes;
  for (const auto& m : store_->all_members()) codes[m.id] = m.code;
  std::vector<Group> out;
  for (const auto& g : store_->all_groups()) {
    if (g.created_on > as_of) continue;
    if (within && !tree.under(tree.successor(g.unit_id, as_of).id, within->id, as_of)) continue;
    out.push_back(dated_group_view(*store_, tree, g, by_group[g.id], codes, as_of));
  }
  return out;
}

namespace {

// The founding leader's membership (she joined on the group's first day) moves with that day
// when she is a member of the union on the new day and had not left the group by then.
bool founding_leader_moves(RegistryStore& store, const GroupRow& g, Date from) {
  if (!g.leader_id) return false;
  auto leader = store.find_member_by_id(*g.leader_id);
  if (!leader || !member_active(*leader, from)) return false;
  for (const auto& m : store.memberships_of_member(*g.leader_id))
    if (m.group_id == g.id && m.joined_on == g.created_on) return !m.left_on || from < *m.left_on;
  return false;
}

// Checks a new first day of group `g` and moves it (with the founding leader's membership).
Result<void> move_group_start(RegistryStore& store, const Tree& tree, GroupRow& g, Date from) {
  const auto& u = tree.row(g.unit_id);
  if (!exists_on(u, from))
    return fail(field("from", fmt::format(fmt::runtime(tr("the group's unit '{}' does not exist on {}: {}")),
                                          u.code, from, period(u))));
  const bool leader_moves = founding_leader_moves(store, g, from);
  if (from > g.created_on)
    if (auto d = store.first_group_dependent(g.id, from, leader_moves ? g.leader_id : std::nullopt, g.created_on))
      return fail(start_refused("group", g.code, from, *d));
  if (leader_moves) store.move_membership_start(g.id, *g.leader_id, g.created_on, from);
  g.created_on = from;
  return {};
}

// Names member `code` leader of `g`; she joins it on the later of its start and `today` if she
// is not in it then.
Result<void> change_group_leader(Ledger& ledger, RegistryStore& store, GroupRow& g, const std::string& code,
                                 Date today) {
  auto m = store.find_member(code);
  if (!m) return fail(field("leader", fmt::format(fmt::runtime(tr("unknown member '{}'")), code)));
  const Date on = std::max(g.created_on, today);
  if (!member_active(*m, on))
    return fail(field("leader", fmt::format(fmt::runtime(tr("member '{}' is not a member on {}")), code, on)));
  bool in_group = false;
  for (const auto& gm : store.memberships_of_member(m->id))
    if (gm.group_id == g.id && membership_active(gm, on)) in_group = true;
  if (!in_group)
    if (auto j = join_group_in(ledger, store, g.id, m->id, m->code, on); !j) return fail(field("leader", j.error()));
  g.leader_id = m->id;
  return {};
}

}  // namespace

Result<Group> Registry::update_group(const std::string& code, const GroupUpdate& up, Date today) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  std::optional<std::string> name;
  if (up.name) {
    auto n = checked_name(*up.name);
    if (!n) return fail(n.error());
    name = *n;
  }
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto found = store_->find_group(code);
    if (!found) return fail(field("group", fmt::format(fmt::runtime(tr("unknown group '{}'")), code)));
    GroupRow g = *found;
    if (name) g.name = *name;
    if (up.from && *up.from != g.created_on)
      if (auto ok = move_group_start(*store_, Tree(*store_), g, *up.from); !ok) return ok;
    // Written only when something changed (the change log records no empty update), and before
    // the leader: a new leader joins the group as it starts now.
    if (g.name != found->name || g.created_on != found->created_on) store_->update_group(g);
    if (up.leader) {
      if (auto ok = change_group_leader(ledger_, *store_, g, *up.leader, today); !ok) return ok;
      if (g.leader_id != found->leader_id) store_->update_group(g);
    }
    if (up.treasurer)
      if (auto ok = name_treasurer(code, *up.treasurer); !ok) return fail(field("treasurer", ok.error()));
    return {};
  });
  if (!r) return fail(r.error());
  return group(code, up.from ? *up.from : today);
}

std::optional<MemberRef> Registry::find_member(const std::string& id) {
  auto m = store_->find_member(id);
  if (!m) return std::nullopt;
  return MemberRef{m->id, m->code, m->name, m->joined, m->left_on};
}

std::optional<GroupRef> Registry::find_group(const std::string& code) {
  auto g = store_->find_group(code);
  if (!g) return std::nullopt;
  return GroupRef{g->id, g->code, g->name};
}

bool Registry::member_in_group(std::int64_t member_row_id, std::int64_t group_id, Date on) {
  for (const auto& m : store_->memberships_of_member(member_row_id))
    if (m.group_id == group_id && m.joined_on <= on && (!m.left_on || on < *m.left_on)) return true;
  return false;
}

Result<JoinResult> Registry::join_group(const std::string& group_code, const std::string& member_id, Date on) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  auto g = store_->find_group(group_code);
  if (!g) return fail(field("group", fmt::format(fmt::runtime(tr("unknown group '{}'")), group_code)));
  auto m = store_->find_member(member_id);
  if (!m) return fail(field("member", fmt::format(fmt::runtime(tr("unknown member '{}'")), member_id)));
  if (!member_active(*m, on))
    return fail(field("member", m->left_on ? fmt::format(
        fmt::runtime(tr("'{}' is not a member on {} (joined {}, left {})")),
                                                         member_id, on, m->joined, *m->left_on)
                                           : fmt::format(
                                               fmt::runtime(tr("'{}' is not a member on {} (joined {})")), member_id,
                                                         on, m->joined)));
  JoinResult out;
  auto r = ledger_.in_transaction([&]() -> Result<void> {
    auto j = join_group_in(ledger_, *store_, g->id, m->id, m->code, on);
    if (!j) return fail(j.error());
    out = *j;
    return {};
  });
  if (!r) return fail(r.error());
  return out;
}

namespace {

// Checks and writes one join inside the caller's transaction.
Result<JoinResult> join_group_in(Ledger& ledger, RegistryStore& store, std::int64_t group_id,
                                 std::int64_t member_row_id, const std::string& member_code, Date on) {
  auto found = store.find_group_by_id(group_id);
  if (!found) return fail(Error::internal(fmt::format("group #{} vanished", group_id)));
  const GroupRow& g = *found;
  if (on < g.created_on)
    return fail(field("on", fmt::format(
        fmt::runtime(tr("group '{}' starts on {}: nobody can join it on {}")), g.code, g.created_on, on)));
  std::int64_t size = 1;
  for (const auto& gm : store.memberships_of_group(group_id)) {
    if (!membership_active(gm, on)) continue;
    if (gm.member_id == member_row_id)
      return fail(field("member", fmt::format(
          fmt::runtime(tr("'{}' is already in group '{}' on {} (since {})")), member_code, g.code, on,
                                              gm.joined_on)));
    ++size;
  }
  auto kind = *parse_group_kind(g.kind);
  auto max_setting = setting_value<std::optional<std::int64_t>>(ledger.store(), group_size_setting_key(kind, true));
  if (!max_setting) return fail(max_setting.error());
  auto min_setting = setting_value<std::optional<std::int64_t>>(ledger.store(), group_size_setting_key(kind, false));
  if (!min_setting) return fail(min_setting.error());
  const auto max = *max_setting, min = *min_setting;
  if (max && size > *max)
    return fail(field("group", fmt::format(
        fmt::runtime(tr("group '{}' ({}) already has {} members on {}: the limit is {} (setting {})")),
                                           g.code, g.kind, size - 1, on, *max, group_size_setting(kind, true))));
  JoinResult out;
  out.size = size;
  if (min && size < *min)
    out.warnings.push_back(fmt::format(
        fmt::runtime(tr("group '{}' ({}) has {} member(s) on {}, fewer than the minimum of {}")), g.code,
                                       g.kind, size, on, *min));
  store.insert_membership(MembershipRow{group_id, member_row_id, on, std::nullopt});
  return out;
}

}  // namespace

// --- imports -------------------------------------------------------------------------------

namespace {

struct ImportColumns {
  std::vector<std::string> required;
  std::vector<std::string> optional;
  std::vector<std::pair<std::string, std::string>> aliases;
};

// English names are the long flags of the add commands; Vietnamese names as the union's forms
// write them (CsvHeader compares them case-folded).
ImportColumns columns_for(RegistryImportKind kind) {
  switch (kind) {
    case RegistryImportKind::kUnits:
      return {{"code", "name", "kind"},
              {"parent", "from", "merged_into", "merged_on"},
              {{"mã", "code"}, {"mã đơn vị", "code"}, {"tên", "name"}, {"tên đơn vị", "name"}, {"cấp", "kind"},
               {"đơn vị cha", "parent"}, {"cấp trên", "parent"}, {"từ ngày", "from"},
               {"sáp nhập vào", "merged_into"}, {"ngày sáp nhập", "merged_on"}}};
    case RegistryImportKind::kMembers:
      return {{"id", "name", "national_id", "unit"},
              {"group", "born", "ethnicity", "poverty", "joined"},
              {{"mã hội viên", "id"}, {"mã", "id"}, {"họ tên", "name"}, {"họ và tên", "name"}, {"cccd", "national_id"},
               {"số cccd", "national_id"}, {"đơn vị", "unit"}, {"chi hội", "unit"},
               {"tổ", "group"}, {"ngày sinh", "born"}, {"dân tộc", "ethnicity"}, {"hộ nghèo", "poverty"},
               {"ngày vào hội", "joined"}}};
    case RegistryImportKind::kGroups:
      return {{"code", "name", "kind", "unit"},
              {"leader", "from", "treasurer"},
              {{"mã tổ", "code"}, {"mã", "code"}, {"tên tổ", "name"}, {"tên", "name"}, {"loại", "kind"},
               {"đơn vị", "unit"}, {"tổ trưởng", "leader"}, {"từ ngày", "from"},
               {"thủ quỹ", "treasurer"}}};
  }
  return {};
}

Result<Date> date_field(std::string_view text, std::string_view column, Date fallback) {
  if (text.empty()) return fallback;
  auto d = Date::parse_any(text);
  if (!d) return fail(field(column, d.error()));
  return d;
}

Result<std::optional<Date>> opt_date_field(std::string_view text, std::string_view column) {
  if (text.empty()) return std::optional<Date>{};
  auto d = Date::parse_any(text);
  if (!d) return fail(field(column, d.error()));
  return std::optional<Date>(*d);
}

std::string csv_quote(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string differs(std::string_view column, std::string_view stored, std::string_view given) {
  return fmt::format(fmt::runtime(tr("{} is '{}' in the registry but '{}' in the file")), column, stored, given);
}

// What an import reads once and shares between its rows: the unit tree (kept up to date as rows
// add and merge units, so no row reads the whole tree again: an import is linear in its rows)
// and, for groups, the users by name (the treasurer column).
struct ImportRun {
  Ledger& ledger;
  RegistryStore& store;
  const CsvHeader& header;
  Date default_date;
  RegistryImportSummary& summary;
  Tree tree;
  std::map<std::string, User, std::less<>> users;

  std::string get(const CsvRecord& rec, std::string_view column) const { return std::string(header.get(rec, column)); }
};

// Each row importer parses its row, compares it with what is there (idempotency), then adds
// it. Each add validates before it writes, so a bad row leaves nothing behind even when good
// rows are kept.

// A units row; a unit that is there is also merged when the row says so and it is not yet.
Result<void> import_unit_row(ImportRun& run, const CsvRecord& rec) {
  auto get = [&](std::string_view col) { return run.get(rec, col); };
  auto k = parse_unit_kind(get("kind"));
  if (!k) return fail(field("kind", k.error()));
  auto from = date_field(get("from"), "from", run.default_date);
  if (!from) return fail(from.error());
  auto merged_on = opt_date_field(get("merged_on"), "merged_on");
  if (!merged_on) return fail(merged_on.error());
  const std::string into = get("merged_into");
  if (into.empty() != !*merged_on)
    return fail(field(into.empty() ? "merged_into" : "merged_on", "merged_into and merged_on go together"));
  auto name = checked_name(get("name"));
  if (!name) return fail(name.error());
  const std::string code = get("code");
  Tree& tree = run.tree;
  bool created = false;
  if (const auto* u = tree.find(code)) {
    auto v = tree.version(u->id, *from);
    if (u->kind != to_string(*k)) return fail(field("kind", differs("kind", u->kind, to_string(*k))));
    if (u->valid_from != *from)
      return fail(field("from", differs("from", u->valid_from.to_iso(), from->to_iso())));
    if (v.name != *name) return fail(field("name", differs("name", v.name, *name)));
    if (tree.parent_code(u->id, *from) != get("parent"))
      return fail(field("parent", differs("parent", tree.parent_code(u->id, *from), get("parent"))));
  } else {
    auto added = add_unit_in(run.ledger, run.store, tree, UnitSpec{code, get("name"), *k, get("parent"), *from});
    if (!added) return fail(added.error());
    created = true;
  }
  bool merged = false;
  if (*merged_on) {
    const auto* u = tree.find(code);
    if (u->valid_to) {
      std::string stored_into = u->merged_into ? tree.row(*u->merged_into).code : "";
      if (stored_into != into) return fail(field("merged_into", differs("merged_into", stored_into, into)));
      if (*u->valid_to != **merged_on)
        return fail(field("merged_on", differs("merged_on", u->valid_to->to_iso(), (*merged_on)->to_iso())));
    } else {
      if (auto ok = merge_unit_in(run.ledger, run.store, tree, code, into, **merged_on); !ok) return ok;
      merged = true;
    }
  }
  if (created) ++run.summary.created;
  else if (merged) ++run.summary.updated;
  else ++run.summary.unchanged;
  return {};
}

// Whether the file's unit `given` on `d` resolves to the stored unit `stored` (the other side of a
// merger: the old unit named after it, or the successor named before it).
bool same_holder(const Tree& tree, const std::string& stored, const std::string& given, Date d) {
  const auto* g = tree.find(given);
  const auto* h = g ? holder_on(tree, *g, d) : nullptr;
  return h && h->code == stored;
}

// A member who is there must match her row.
Result<void> compare_member(ImportRun& run, const MemberRow& row, const MemberSpec& spec) {
  auto m = view(row, run.tree, MemberData(run.store, row.id), spec.joined);
  auto name = checked_name(spec.name);
  if (!name) return fail(name.error());
  auto eth = checked_ethnicity(spec.ethnicity);
  if (!eth) return fail(eth.error());
  auto iso = [](const std::optional<Date>& d) { return d ? d->to_iso() : std::string(); };
  if (m.name != *name) return fail(field("name", differs("name", m.name, *name)));
  if (m.national_id != spec.national_id)
    return fail(field("national_id", differs("national_id", m.national_id, spec.national_id)));
  if (m.unit != spec.unit && !same_holder(run.tree, m.unit, spec.unit, spec.joined))
    return fail(field("unit", differs("unit", m.unit, spec.unit)));
  if (m.joined != spec.joined) return fail(field("joined", differs("joined", m.joined.to_iso(), spec.joined.to_iso())));
  if (iso(m.born) != iso(spec.born)) return fail(field("born", differs("born", iso(m.born), iso(spec.born))));
  if (m.ethnicity != *eth) return fail(field("ethnicity", differs("ethnicity", m.ethnicity, *eth)));
  if (m.poverty != spec.poverty)
    return fail(field("poverty", differs("poverty", to_string(m.poverty), to_string(spec.poverty))));
  if (!spec.group.empty() && std::find(m.groups.begin(), m.groups.end(), spec.group) == m.groups.end())
    return fail(field("group", fmt::format(
        fmt::runtime(tr("member '{}' is not in group '{}' on {}")), spec.id, spec.group, spec.joined)));
  return {};
}

// A members row; a member who is there must match it.
Result<void> import_member_row(ImportRun& run, const CsvRecord& rec) {
  auto get = [&](std::string_view col) { return run.get(rec, col); };
  MemberSpec spec;
  spec.id = get("id");
  spec.name = get("name");
  spec.national_id = get("national_id");
  spec.unit = get("unit");
  spec.group = get("group");
  auto born = opt_date_field(get("born"), "born");
  if (!born) return fail(born.error());
  spec.born = *born;
  spec.ethnicity = get("ethnicity");  // no default: unknown unless the file says it
  if (!get("poverty").empty()) {
    auto p = parse_poverty(get("poverty"));
    if (!p) return fail(field("poverty", p.error()));
    spec.poverty = *p;
  }
  auto joined = date_field(get("joined"), "joined", run.default_date);
  if (!joined) return fail(joined.error());
  spec.joined = *joined;
  if (auto row = run.store.find_member(spec.id)) {
    if (auto ok = compare_member(run, *row, spec); !ok) return ok;
    ++run.summary.unchanged;
    return {};
  }
  if (auto ok = add_member_in(run.ledger, run.store, run.tree, spec); !ok) return ok;
  ++run.summary.created;
  return {};
}

// The treasurer column: soquy user names separated by ';' or ',', each a user with the
// treasurer role, on a group with a book of its own. Checked before anything is written.
Result<std::vector<std::string>> treasurers_field(const ImportRun& run, std::string_view text, const GroupSpec& spec) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find_first_of(";,", start);
    if (end == std::string_view::npos) end = text.size();
    auto name = text.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
    start = end + 1;
  }
  if (out.empty()) return out;
  if (spec.kind != GroupKind::kSavings && spec.kind != GroupKind::kRosca && spec.kind != GroupKind::kPool)
    return fail(field("treasurer", fmt::format(
        fmt::runtime(tr("group '{}' ({}) has no book of its own: its money is in the union's "
                                               "books, which officers keep")),
                                               spec.code, to_string(spec.kind))));
  for (const auto& name : out) {
    auto u = run.users.find(name);
    if (u == run.users.end())
      return fail(field("treasurer", fmt::format(
          fmt::runtime(tr("unknown user '{}' (an admin adds users with `soquy user add`)")), name)));
    if (u->second.role != Role::kTreasurer)
      return fail(field("treasurer", fmt::format(
          fmt::runtime(tr("user '{}' is {}, not a treasurer: only treasurers are named on a "
                                                 "group's book")),
                                                 name, to_string(u->second.role))));
  }
  return out;
}

// Names the treasurers not named yet on the group's book; whether it named any.
Result<bool> name_treasurers(ImportRun& run, const std::string& group, const std::vector<std::string>& names) {
  if (names.empty()) return false;
  auto named = run.ledger.treasurers("group:" + group);
  if (!named) return fail(field("treasurer", named.error()));
  bool any = false;
  for (const auto& name : names) {
    if (std::find(named->begin(), named->end(), name) != named->end()) continue;
    if (auto ok = run.ledger.name_treasurer("group:" + group, name); !ok) return fail(field("treasurer", ok.error()));
    any = true;
  }
  return any;
}

// A group that is there must match its row (its treasurers may be added to: see import_group_row).
Result<void> compare_group(ImportRun& run, const GroupRow& row, const GroupSpec& spec) {
  auto g = group_view(run.store, run.tree, row);
  auto name = checked_name(spec.name);
  if (!name) return fail(name.error());
  if (g.name != *name) return fail(field("name", differs("name", g.name, *name)));
  if (g.kind != spec.kind) return fail(field("kind", differs("kind", to_string(g.kind), to_string(spec.kind))));
  if (g.unit != spec.unit && !same_holder(run.tree, g.unit, spec.unit, spec.from))
    return fail(field("unit", differs("unit", g.unit, spec.unit)));
  if (g.leader != spec.leader) return fail(field("leader", differs("leader", g.leader, spec.leader)));
  if (g.created_on != spec.from) return fail(field("from", differs("from", g.created_on.to_iso(), spec.from.to_iso())));
  return {};
}

// A groups row; a group that is there must match it. Treasurers listed and not named yet are
// named (the row counts as updated); the column never removes one.
Result<void> import_group_row(ImportRun& run, const CsvRecord& rec) {
  auto get = [&](std::string_view col) { return run.get(rec, col); };
  GroupSpec spec;
  spec.code = get("code");
  spec.name = get("name");
  auto k = parse_group_kind(get("kind"));
  if (!k) return fail(field("kind", k.error()));
  spec.kind = *k;
  spec.unit = get("unit");
  spec.leader = get("leader");
  auto from = date_field(get("from"), "from", run.default_date);
  if (!from) return fail(from.error());
  spec.from = *from;
  auto treasurers = treasurers_field(run, get("treasurer"), spec);
  if (!treasurers) return fail(treasurers.error());
  const auto existing = run.store.find_group(spec.code);
  if (existing) {
    if (auto ok = compare_group(run, *existing, spec); !ok) return ok;
  } else if (auto ok = add_group_in(run.ledger, run.store, run.tree, spec); !ok) {
    return ok;
  }
  auto named = name_treasurers(run, spec.code, *treasurers);
  if (!named) return fail(named.error());
  if (!existing) ++run.summary.created;
  else if (*named) ++run.summary.updated;
  else ++run.summary.unchanged;
  return {};
}

// Writes the rejected rows, each with its problem in a last "error" column, to the rejects file:
// UTF-8 with a BOM (so that Excel shows its Vietnamese), and importable again once corrected
// (the reader ignores the "error" column).
Result<void> write_rejects(const std::string& rejects_path, const CsvRecord& header_record,
                           const std::vector<const CsvRecord*>& rejected_records, const std::vector<std::string>& problems) {
  std::ofstream out(rejects_path, std::ios::binary | std::ios::trunc);
  if (!out) return fail(Error::cant_create(fmt::format(
      fmt::runtime(tr("{}: cannot create the rejects file")), rejects_path)));
  auto write_row = [&](const std::vector<std::string>& fields, std::string_view error) {
    for (const auto& f : fields) out << csv_quote(f) << ',';
    out << csv_quote(error) << "\r\n";
  };
  out << "\xEF\xBB\xBF";
  write_row(header_record.fields, "error");
  for (std::size_t i = 0; i < rejected_records.size(); ++i) {
    auto fields = rejected_records[i]->fields;
    fields.resize(header_record.fields.size());
    write_row(fields, problems[i]);
  }
  if (!out) return fail(Error::io(fmt::format(fmt::runtime(tr("{}: write failed")), rejects_path)));
  return {};
}

// An import file read: its header, its non-blank records, and the rows whose identifiers
// (members: id, national_id) Excel rounded, by line.
struct ImportFile {
  CsvHeader header;
  CsvRecord header_record;
  std::vector<CsvRecord> records;
  std::map<std::size_t, Error> rounded;
};

Result<ImportFile> read_import_file(RegistryImportKind kind, const std::string& path, const CsvReadOptions& read_options) {
  const auto cols = columns_for(kind);
  std::optional<ImportFile> file;
  std::optional<IdentifierCheck> ids;
  auto read = read_csv_file(path, read_options, [&](CsvRecord& rec) -> Result<void> {
    if (!file) {
      auto h = CsvHeader::from_record(rec, cols.required, cols.optional, cols.aliases);
      if (!h) return fail(h.error().with_context(path + ":"));
      file.emplace(ImportFile{*h, rec, {}, {}});
      if (kind == RegistryImportKind::kMembers) ids.emplace(h->positions({"id", "national_id"}));
      return {};
    }
    bool blank = std::all_of(rec.fields.begin(), rec.fields.end(), [](const auto& f) { return f.empty(); });
    if (blank) return {};
    if (ids) ids->add(rec);
    file->records.push_back(std::move(rec));
    return {};
  });
  if (!read) return fail(read.error());
  if (!file) return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{}: the file is empty (no header)")), path)));
  if (ids)
    for (const auto& p : ids->problems())
      file->rounded.try_emplace(p.line, Error::bad_input(p.message).in_field(p.column));
  return std::move(*file);
}

}  // namespace

Result<RegistryImportSummary> Registry::import_csv(RegistryImportKind kind, const std::string& path,
                                                   const RegistryImportOptions& options) {
  if (auto ok = ledger_.require_write("fund"); !ok) return fail(ok.error());
  auto file = read_import_file(kind, path, options.read);
  if (!file) return fail(file.error());
  // Named references, not a structured binding: clang 14 can't capture those in a lambda.
  const auto& header = file->header;
  const auto& records = file->records;
  const auto& header_record = file->header_record;
  const auto& rounded = file->rounded;
  const Date default_date = today();

  RegistryImportSummary summary;
  std::vector<std::string> problems;
  std::vector<const CsvRecord*> rejected_records;

  // One row: parse, compare with what is there (idempotency), then add.
  auto import_row = [&](ImportRun& run, const CsvRecord& rec) -> Result<void> {
    if (auto it = rounded.find(rec.line); it != rounded.end()) return fail(it->second);
    switch (kind) {
      case RegistryImportKind::kUnits: return import_unit_row(run, rec);
      case RegistryImportKind::kMembers: return import_member_row(run, rec);
      case RegistryImportKind::kGroups: return import_group_row(run, rec);
    }
    return {};
  };

  auto r = ledger_.in_transaction([&]() -> Result<void> {
    // Read inside the write transaction, so no other writer changes the tree under it.
    ImportRun run{ledger_, *store_, header, default_date, summary, Tree(*store_), {}};
    if (kind == RegistryImportKind::kGroups)
      for (auto& u : ledger_.users()) run.users.emplace(u.name, std::move(u));
    for (const auto& rec : records) {
      ++summary.rows;
      if (auto ok = import_row(run, rec); !ok) {
        // The import's columns are the specs' field names.
        const auto& e = ok.error();
        problems.push_back(e.field().empty() ? fmt::format("{}:{}: {}", path, rec.line, e.message())
                                             : fmt::format("{}:{}: {}: {}", path, rec.line, e.field(), e.message()));
        rejected_records.push_back(&rec);
      }
      if (options.on_progress) options.on_progress(summary.rows, static_cast<std::int64_t>(records.size()));
    }
    if (!problems.empty() && !options.skip_invalid) {
      std::string msg = fmt::format(
          fmt::runtime(tr("{}: nothing was imported; {} problem(s):")), path, problems.size());
      for (const auto& p : problems) msg += "\n  " + p;
      return fail(Error::bad_input(msg));
    }
    return {};
  });
  if (!r) return fail(r.error());
  if (!problems.empty()) {
    summary.rejected = problems;
    summary.rejects_path = options.rejects_path.empty() ? path + ".rejects.csv" : options.rejects_path;
    if (auto ok = write_rejects(summary.rejects_path, header_record, rejected_records, problems); !ok)
      return fail(ok.error());
  }
  return summary;
}

// --- reports -------------------------------------------------------------------------------

Result<MemberCounts> Registry::count_members(MemberReportBy by, Date as_of) {
  Tree tree(*store_);
  MemberData data(*store_);
  std::map<std::string, MemberCountRow> rows;
  MemberCounts out;
  out.as_of = as_of;
  out.by = by;
  for (const auto& m : store_->all_members()) {
    if (!member_active(m, as_of)) continue;
    std::string key, name;
    switch (by) {
      case MemberReportBy::kUnit: {
        const auto& u = tree.successor(m.unit_id, as_of);
        key = u.code;
        name = tree.version(u.id, as_of).name;
        break;
      }
      case MemberReportBy::kEthnicity:
        key = m.ethnicity;
        name = m.ethnicity.empty() ? std::string(tr("unknown")) : m.ethnicity;
        break;
      case MemberReportBy::kPoverty:
        key = name = std::string(to_string(poverty_on(data.poverty[m.id], as_of)));
        break;
    }
    auto& row = rows[key];
    row.key = key;
    row.name = name;
    ++row.members;
    ++out.total;
  }
  for (auto& [_, r] : rows) out.rows.push_back(std::move(r));
  return out;
}

Result<void> Registry::name_treasurer(const std::string& group, const std::string& user) {
  auto g = store_->find_group(group);
  if (!g) return fail(field("group", fmt::format(fmt::runtime(tr("unknown group '{}'")), group)));
  if (!g->book_id)
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("group '{}' ({}) has no book of its own: its money is in the union's books, "
                                             "which officers keep")),
                                             group, g->kind)));
  return ledger_.name_treasurer("group:" + g->code, user);
}

}  // namespace soquy

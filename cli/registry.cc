// soquy unit …, soquy member …, soquy group …, soquy import units|members|groups, soquy report
// members (the registry). The rules are in soquy::Registry; this file parses and prints.

#include <functional>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "context.h"
#include "progress.h"
#include "soquy/clock.h"
#include "soquy/registry.h"
#include "soquy/reports/registry_reports.h"

namespace soquy::cli {
namespace {

// The date of an option, today when it is not given.
Result<Date> date_or_today(const std::string& text, std::string_view option) {
  if (text.empty()) return today();
  return parse_date_option(text, option);
}

void add_unit_add(CLI::App& unit, Context& ctx) {
  struct AddArgs { std::string code, name, kind, parent, from; };
  auto a = std::make_shared<AddArgs>();
  auto* add = unit.add_subcommand("add", tr("Add a unit (a province has no parent; a district's is a province; a "
                                            "commune's a province or district; a branch's a commune)"));
  add->add_option("CODE", a->code, tr("Unit code"))->required();
  add->add_option("--name", a->name, tr("Name"))->required();
  add->add_option("--kind", a->kind, tr("province, district, commune or branch"))->required();
  add->add_option("--parent", a->parent, tr("Parent unit code"));
  add->add_option("--from", a->from, tr("First day of the unit (default today)"));
  add->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto kind = parse_unit_kind(a->kind);
      if (!kind) return fail(kind.error().with_context("--kind: "));
      auto from = date_or_today(a->from, "--from");
      if (!from) return fail(from.error());
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        auto u = reg.add_unit(UnitSpec{a->code, a->name, *kind, a->parent, *from});
        if (!u) return fail(u.error());
        if (u->parent.empty())
          std::cout << fmt::format(fmt::runtime(tr("unit {} added: {} '{}' from {}")), u->code, to_string(u->kind),
                                   u->name, u->valid_from);
        else
          std::cout << fmt::format(fmt::runtime(tr("unit {} added: {} '{}' under {} from {}")), u->code,
                                   to_string(u->kind), u->name, u->parent, u->valid_from);
        std::cout << "\n";
        return 0;
      });
    };
  });
}

// The reading commands of the registry (unit list, member show|list, group show|list): the caller
// declares the command's own arguments into `a` (ID or CODE → key, --unit → unit); this adds --as-of
// and the output options, and prints the report `read` builds from the registry on the date.
struct ReadArgs { std::string key, unit, as_of; OutputOptions out; };
using ReadReport = std::function<Result<reports::Report>(Registry&, const ReadArgs&, Date)>;

void declare_read_command(CLI::App* cmd, Context& ctx, std::shared_ptr<ReadArgs> a, ReadReport read) {
  cmd->add_option("--as-of", a->as_of, tr("Date (default today)"));
  a->out.add_to(*cmd);
  cmd->callback([&ctx, a, read] {
    ctx.action = [&ctx, a, read]() -> Result<int> {
      auto as_of = as_of_or_today(a->as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<Registry>(ctx, Ledger::Access::kReadOnly, [&](Registry& reg) -> Result<int> {
        auto rep = read(reg, *a, *as_of);
        if (!rep) return fail(rep.error());
        if (auto ok = a->out.emit(*rep); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

void add_unit_list(CLI::App& unit, Context& ctx) {
  auto a = std::make_shared<ReadArgs>();
  auto* list = unit.add_subcommand("list", tr("Units existing on a date, in tree order"));
  declare_read_command(list, ctx, a, [](Registry& reg, const ReadArgs&, Date as_of) -> Result<reports::Report> {
    auto units = reg.units(as_of);
    if (!units) return fail(units.error());
    return reports::unit_list(*units, as_of);
  });
}

void add_unit_tree(CLI::App& unit, Context& ctx) {
  auto t_as_of = std::make_shared<std::string>();
  auto* tree = unit.add_subcommand("tree", tr("The tree of units on a date, indented"));
  tree->add_option("--as-of", *t_as_of, tr("Date (default today)"));
  tree->callback([&ctx, t_as_of] {
    ctx.action = [&ctx, t_as_of]() -> Result<int> {
      auto as_of = as_of_or_today(*t_as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<Registry>(ctx, Ledger::Access::kReadOnly, [&](Registry& reg) -> Result<int> {
        auto units = reg.units(*as_of);
        if (!units) return fail(units.error());
        for (const auto& u : *units)
          std::cout << fmt::format("{:{}}{} {} ({})\n", "", 2 * u.depth, u.code, u.name, to_string(u.kind));
        return 0;
      });
    };
  });
}

// CODE, the new value (name, parent or INTO) and the date: rename, move and merge.
struct ChangeArgs { std::string code, value, on; };

void add_unit_rename(CLI::App& unit, Context& ctx) {
  auto rn = std::make_shared<ChangeArgs>();
  auto* rename = unit.add_subcommand("rename", tr("Rename a unit from a date on"));
  rename->add_option("CODE", rn->code, tr("Unit code"))->required();
  rename->add_option("--name", rn->value, tr("New name"))->required();
  rename->add_option("--on", rn->on, tr("Date of the new name"))->required();
  rename->callback([&ctx, rn] {
    ctx.action = [&ctx, rn]() -> Result<int> {
      auto on = parse_date_option(rn->on, "--on");
      if (!on) return fail(on.error());
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        if (auto ok = reg.rename_unit(rn->code, rn->value, *on); !ok) return fail(ok.error());
        auto u = reg.unit(rn->code, *on);
        std::cout << fmt::format(fmt::runtime(tr("unit {} is named '{}' from {}")), rn->code, u ? u->name : rn->value, *on)
                  << "\n";
        return 0;
      });
    };
  });
}

void add_unit_move(CLI::App& unit, Context& ctx) {
  auto mv = std::make_shared<ChangeArgs>();
  auto* move = unit.add_subcommand("move", tr("Move a unit under another parent from a date on"));
  move->add_option("CODE", mv->code, tr("Unit code"))->required();
  move->add_option("--parent", mv->value, tr("New parent unit"))->required();
  move->add_option("--on", mv->on, tr("Date of the move"))->required();
  move->callback([&ctx, mv] {
    ctx.action = [&ctx, mv]() -> Result<int> {
      auto on = parse_date_option(mv->on, "--on");
      if (!on) return fail(on.error());
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        if (auto ok = reg.move_unit(mv->code, mv->value, *on); !ok) return fail(ok.error());
        std::cout << fmt::format(fmt::runtime(tr("unit {} is under {} from {}")), mv->code, mv->value, *on) << "\n";
        return 0;
      });
    };
  });
}

void add_unit_merge(CLI::App& unit, Context& ctx) {
  auto mg = std::make_shared<ChangeArgs>();
  auto* merge = unit.add_subcommand("merge", tr("Merge FROM into INTO: FROM ends on the date; its members, groups and "
                                                "sub-units belong to INTO from that day"));
  merge->add_option("FROM", mg->code, tr("Unit that ends"))->required();
  merge->add_option("INTO", mg->value, tr("Unit that takes over"))->required();
  merge->add_option("--on", mg->on, tr("First day under INTO"))->required();
  merge->callback([&ctx, mg] {
    ctx.action = [&ctx, mg]() -> Result<int> {
      auto on = parse_date_option(mg->on, "--on");
      if (!on) return fail(on.error());
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        if (auto ok = reg.merge_unit(mg->code, mg->value, *on); !ok) return fail(ok.error());
        std::cout << fmt::format(fmt::runtime(tr("unit {} merged into {} on {}")), mg->code, mg->value, *on) << "\n";
        return 0;
      });
    };
  });
}

// unit update CODE --from D: corrects the unit's first day.
void add_unit_update(CLI::App& unit, Context& ctx) {
  struct Args { std::string code, from; };
  auto a = std::make_shared<Args>();
  auto* update = unit.add_subcommand("update", tr("Correct a unit's first day: refused while something of the unit "
                                                  "is dated before the new day"));
  update->add_option("CODE", a->code, tr("Unit code"))->required();
  update->add_option("--from", a->from, tr("The unit's corrected first day"))->required();
  update->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto from = parse_date_option(a->from, "--from");
      if (!from) return fail(from.error());
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        auto u = reg.change_unit_start(a->code, *from);
        if (!u) return fail(u.error());
        std::cout << fmt::format(fmt::runtime(tr("unit {} starts on {}")), u->code, u->valid_from) << "\n";
        return 0;
      });
    };
  });
}

void add_unit_commands(CLI::App& app, Context& ctx) {
  auto* unit = app.add_subcommand("unit", tr("The dated organisation tree: province, district, commune, branch"));
  unit->require_subcommand(1);
  add_unit_add(*unit, ctx);
  add_unit_list(*unit, ctx);
  add_unit_tree(*unit, ctx);
  add_unit_rename(*unit, ctx);
  add_unit_move(*unit, ctx);
  add_unit_merge(*unit, ctx);
  add_unit_update(*unit, ctx);
}

void add_member_add(CLI::App& member, Context& ctx) {
  struct AddArgs { std::string id, name, national_id, unit, group, born, ethnicity, poverty = "none", joined; };
  auto a = std::make_shared<AddArgs>();
  auto* add = member.add_subcommand("add", tr("Register a member"));
  add->add_option("ID", a->id, tr("Member id"))->required();
  add->add_option("--name", a->name, tr("Full name (stored in Unicode NFC)"))->required();
  add->add_option("--national-id", a->national_id, tr("Citizen id (CCCD), 12 digits, unique"))->required();
  add->add_option("--unit", a->unit, tr("Unit (usually a branch)"))->required();
  add->add_option("--group", a->group, tr("Group to join on the joining date"));
  add->add_option("--born", a->born, tr("Date of birth"));
  add->add_option("--ethnicity", a->ethnicity, tr("Kinh, Khmer, Hoa, … (default: not known)"));
  add->add_option("--poverty", a->poverty, tr("poor, near-poor or none (default none)"));
  add->add_option("--joined", a->joined, tr("Date she joined (default today)"));
  add->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      MemberSpec spec;
      spec.id = a->id;
      spec.name = a->name;
      spec.national_id = a->national_id;
      spec.unit = a->unit;
      spec.group = a->group;
      spec.ethnicity = a->ethnicity;
      if (!a->born.empty()) {
        auto b = parse_date_option(a->born, "--born");
        if (!b) return fail(b.error());
        spec.born = *b;
      }
      auto p = parse_poverty(a->poverty);
      if (!p) return fail(p.error().with_context("--poverty: "));
      spec.poverty = *p;
      auto j = date_or_today(a->joined, "--joined");
      if (!j) return fail(j.error());
      spec.joined = *j;
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        auto m = reg.add_member(spec);
        if (!m) return fail(m.error());
        std::cout << fmt::format(fmt::runtime(tr("member {} added: {}, unit {}, joined {}")), m->id, m->name, m->unit,
                                 m->joined)
                  << "\n";
        return 0;
      });
    };
  });
}

void add_member_show(CLI::App& member, Context& ctx) {
  auto a = std::make_shared<ReadArgs>();
  auto* show = member.add_subcommand("show", tr("One member as of a date"));
  show->add_option("ID", a->key, tr("Member id"))->required();
  declare_read_command(show, ctx, a, [](Registry& reg, const ReadArgs& args, Date as_of) -> Result<reports::Report> {
    auto m = reg.member(args.key, as_of);
    if (!m) return fail(m.error());
    return reports::member_detail(*m, as_of);
  });
}

void add_member_list(CLI::App& member, Context& ctx) {
  auto a = std::make_shared<ReadArgs>();
  auto* list = member.add_subcommand("list", tr("Members who joined on or before a date (with those who left)"));
  list->add_option("--unit", a->unit, tr("Only the members of this unit and the units below it (after merges)"));
  declare_read_command(list, ctx, a, [](Registry& reg, const ReadArgs& args, Date as_of) -> Result<reports::Report> {
    auto ms = reg.members(as_of, args.unit);
    if (!ms) return fail(ms.error());
    return reports::member_list(*ms, as_of);
  });
}

void add_member_update(CLI::App& member, Context& ctx) {
  struct UpdateArgs { std::string id, name, national_id, born, ethnicity, poverty, on; };
  auto u = std::make_shared<UpdateArgs>();
  auto* update = member.add_subcommand("update", tr("Correct a member's data, or change her poverty status from a date"));
  update->add_option("ID", u->id, tr("Member id"))->required();
  update->add_option("--name", u->name, tr("Corrected name"));
  update->add_option("--national-id", u->national_id, tr("Corrected CCCD"));
  update->add_option("--born", u->born, tr("Corrected date of birth"));
  update->add_option("--ethnicity", u->ethnicity, tr("Corrected ethnicity"));
  update->add_option("--poverty", u->poverty, tr("New poverty status (poor, near-poor, none), with --on"));
  update->add_option("--on", u->on, tr("Date of the new poverty status"));
  update->callback([&ctx, u] {
    ctx.action = [&ctx, u]() -> Result<int> {
      MemberUpdate up;
      if (!u->name.empty()) up.name = u->name;
      if (!u->national_id.empty()) up.national_id = u->national_id;
      if (!u->ethnicity.empty()) up.ethnicity = u->ethnicity;
      if (!u->born.empty()) {
        auto b = parse_date_option(u->born, "--born");
        if (!b) return fail(b.error());
        up.born = *b;
      }
      if (!u->poverty.empty()) {
        auto p = parse_poverty(u->poverty);
        if (!p) return fail(p.error().with_context("--poverty: "));
        up.poverty = *p;
      }
      if (!u->on.empty()) {
        auto on = parse_date_option(u->on, "--on");
        if (!on) return fail(on.error());
        up.on = *on;
      }
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        auto m = reg.update_member(u->id, up);
        if (!m) return fail(m.error());
        std::cout << fmt::format(fmt::runtime(tr("member {} updated")), m->id) << "\n";
        return 0;
      });
    };
  });
}

void add_member_leave(CLI::App& member, Context& ctx) {
  struct LeaveArgs { std::string id, on; };
  auto lv = std::make_shared<LeaveArgs>();
  auto* leave = member.add_subcommand("leave", tr("A member leaves the union (and her groups) on a date"));
  leave->add_option("ID", lv->id, tr("Member id"))->required();
  leave->add_option("--on", lv->on, tr("First day she is no longer a member"))->required();
  leave->callback([&ctx, lv] {
    ctx.action = [&ctx, lv]() -> Result<int> {
      auto on = parse_date_option(lv->on, "--on");
      if (!on) return fail(on.error());
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        if (auto ok = reg.member_leaves(lv->id, *on); !ok) return fail(ok.error());
        std::cout << fmt::format(fmt::runtime(tr("member {} left on {}")), lv->id, *on) << "\n";
        return 0;
      });
    };
  });
}

void add_member_commands(CLI::App& app, Context& ctx) {
  auto* member = app.add_subcommand("member", tr("Members of the union (hội viên)"));
  member->require_subcommand(1);
  add_member_add(*member, ctx);
  add_member_show(*member, ctx);
  add_member_list(*member, ctx);
  add_member_update(*member, ctx);
  add_member_leave(*member, ctx);
}

// group update CODE [--from D] [--name N] [--leader M] [--treasurer USER]: corrections of a group.
void add_group_update(CLI::App* group, Context& ctx) {
  struct Args { std::string code, from, name, leader, treasurer; };
  auto a = std::make_shared<Args>();
  auto* update = group->add_subcommand(
      "update", tr("Correct a group: --from its first day, --name, --leader; --treasurer names the treasurer who "
                   "may write the group's book"));
  update->add_option("CODE", a->code, tr("Group code"))->required();
  update->add_option("--from", a->from, tr("The group's corrected first day (refused while something of the group is "
                                           "dated before it)"));
  update->add_option("--name", a->name, tr("Corrected name"));
  update->add_option("--leader", a->leader, tr("New leader (a member id; she joins the group if she is not in it)"));
  update->add_option("--treasurer", a->treasurer,
                     tr("A user with the treasurer role; she writes this group's book and no other group's"));
  update->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      if (a->from.empty() && a->name.empty() && a->leader.empty() && a->treasurer.empty())
        return fail(Error::usage(tr("give at least one of --from, --name, --leader, --treasurer")));
      GroupUpdate up;
      if (!a->from.empty()) {
        auto from = parse_date_option(a->from, "--from");
        if (!from) return fail(from.error());
        up.from = *from;
      }
      if (!a->name.empty()) up.name = a->name;
      if (!a->leader.empty()) up.leader = a->leader;
      if (!a->treasurer.empty()) up.treasurer = a->treasurer;
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        auto g = reg.update_group(a->code, up, today());
        if (!g) return fail(g.error());
        if (up.from || up.name || up.leader)
          std::cout << fmt::format(fmt::runtime(tr("group {} updated: '{}', from {}, leader {}")), g->code, g->name,
                                   g->created_on, g->leader.empty() ? "-" : g->leader)
                    << "\n";
        if (up.treasurer)
          std::cout << fmt::format(fmt::runtime(tr("group {}: {} is its treasurer and may write book group:{}")),
                                   a->code, a->treasurer, a->code)
                    << "\n";
        return 0;
      });
    };
  });
}

// group show CODE [--as-of D]: one group, its unit after merges and its members on the date.
void add_group_show(CLI::App* group, Context& ctx) {
  auto a = std::make_shared<ReadArgs>();
  auto* show = group->add_subcommand("show", tr("One group as of a date, with its members"));
  show->add_option("CODE", a->key, tr("Group code"))->required();
  declare_read_command(show, ctx, a, [](Registry& reg, const ReadArgs& args, Date as_of) -> Result<reports::Report> {
    auto g = reg.group(args.key, as_of);
    if (!g) return fail(g.error());
    return reports::group_detail(*g, as_of);
  });
}

// group list [--unit U] [--as-of D]: the groups existing on the date.
void add_group_list(CLI::App* group, Context& ctx) {
  auto a = std::make_shared<ReadArgs>();
  auto* list = group->add_subcommand("list", tr("Groups existing on a date, by code"));
  list->add_option("--unit", a->unit, tr("Only the groups of this unit and the units below it (after merges)"));
  declare_read_command(list, ctx, a, [](Registry& reg, const ReadArgs& args, Date as_of) -> Result<reports::Report> {
    auto gs = reg.groups(as_of, args.unit);
    if (!gs) return fail(gs.error());
    return reports::group_list(*gs, as_of);
  });
}

void add_group_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("group", tr("Groups (tổ): credit, savings, rosca (hụi/họ), vbsp, pool"));
  group->require_subcommand(1);

  struct AddArgs { std::string code, name, kind, unit, leader, from; };
  auto a = std::make_shared<AddArgs>();
  auto* add = group->add_subcommand("add", tr("Add a group; savings, rosca and pool groups get their own book group:CODE"));
  add->add_option("CODE", a->code, tr("Group code"))->required();
  add->add_option("--name", a->name, tr("Name"))->required();
  add->add_option("--kind", a->kind, tr("credit, savings, rosca, vbsp or pool"))->required();
  add->add_option("--unit", a->unit, tr("Unit the group belongs to"))->required();
  add->add_option("--leader", a->leader, tr("Leader (a member id; she joins the group)"));
  add->add_option("--from", a->from, tr("First day of the group (default today)"));
  add->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto kind = parse_group_kind(a->kind);
      if (!kind) return fail(kind.error().with_context("--kind: "));
      auto from = date_or_today(a->from, "--from");
      if (!from) return fail(from.error());
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        auto g = reg.add_group(GroupSpec{a->code, a->name, *kind, a->unit, a->leader, *from});
        if (!g) return fail(g.error());
        if (g->book.empty())
          std::cout << fmt::format(fmt::runtime(tr("group {} added: {} '{}', unit {}")), g->code, to_string(g->kind),
                                   g->name, g->unit);
        else
          std::cout << fmt::format(fmt::runtime(tr("group {} added: {} '{}', unit {}, book {}")), g->code,
                                   to_string(g->kind), g->name, g->unit, g->book);
        std::cout << "\n";
        return 0;
      });
    };
  });

  struct JoinArgs { std::string group, member, on; };
  auto j = std::make_shared<JoinArgs>();
  auto* join = group->add_subcommand("join", tr("A member joins a group on a date (size limits are checked)"));
  join->add_option("GROUP", j->group, tr("Group code"))->required();
  join->add_option("MEMBER", j->member, tr("Member id"))->required();
  join->add_option("--on", j->on, tr("Date she joins"))->required();
  join->callback([&ctx, j] {
    ctx.action = [&ctx, j]() -> Result<int> {
      auto on = parse_date_option(j->on, "--on");
      if (!on) return fail(on.error());
      return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
        auto r = reg.join_group(j->group, j->member, *on);
        if (!r) return fail(r.error());
        for (const auto& w : r->warnings) std::cerr << fmt::format(fmt::runtime(tr("soquy: warning: {}")), w) << "\n";
        std::cout << fmt::format(fmt::runtime(trn("member {} joined group {} on {} ({} member)",
                                                  "member {} joined group {} on {} ({} members)", r->size)),
                                 j->member, j->group, *on, r->size)
                  << "\n";
        return 0;
      });
    };
  });
  add_group_update(group, ctx);
  add_group_show(group, ctx);
  add_group_list(group, ctx);
}

void add_registry_imports(CLI::App& app, Context& ctx) {
  // The import group belongs to cli/import.cc; the registry's files join it here.
  auto* import = app.get_subcommand("import");
  struct Args {
    std::string file;
    bool skip_invalid = false;
    CsvReadOptions read;
  };
  const std::pair<RegistryImportKind, const char*> kinds[] = {
      {RegistryImportKind::kUnits, "units"}, {RegistryImportKind::kMembers, "members"},
      {RegistryImportKind::kGroups, "groups"}};
  const char* help[] = {
      N_("Import units: code,name,kind[,parent,from,merged_into,merged_on] (a unit with merged_into/merged_on is "
      "merged into that unit on that date)"),
      N_("Import members: id,name,national_id,unit[,group,born,ethnicity,poverty,joined]"),
      N_("Import groups: code,name,kind,unit[,leader,from]")};
  for (std::size_t i = 0; i < 3; ++i) {
    auto a = std::make_shared<Args>();
    auto kind = kinds[i].first;
    auto* cmd = import->add_subcommand(
        kinds[i].second,
        std::string(tr(help[i])) + ".\n" +
            tr("Vietnamese column names are accepted too; dates YYYY-MM-DD or DD/MM/YYYY. Every row is checked first "
               "and every problem listed as FILE:LINE: column: what; one bad row and nothing is written, unless "
               "--skip-invalid. Rows already in the registry with the same data are skipped, so a second import "
               "changes nothing."));
    cmd->add_option("FILE", a->file, tr("CSV file"))->required();
    cmd->add_flag("--skip-invalid", a->skip_invalid,
                  tr("Write the good rows; list the bad ones in FILE.rejects.csv (with a BOM; correct it and import it "
                     "again: its error column is ignored)"));
    add_read_options(*cmd, a->read);
    cmd->callback([&ctx, a, kind] {
      ctx.fields.by_name = true;
      ctx.action = [&ctx, a, kind]() -> Result<int> {
        return with_engine<Registry>(ctx, Ledger::Access::kWrite, [&](Registry& reg) -> Result<int> {
          RegistryImportOptions options;
          options.skip_invalid = a->skip_invalid;
          options.read = a->read;
          ProgressLine progress(std::cerr, ProgressLine::for_stderr(ctx.quiet));
          options.on_progress = progress.callback();
          auto r = reg.import_csv(kind, a->file, options);
          progress.finish();
          if (!r) return fail(r.error());
          // `updated`: units merged by the row; groups given a treasurer named in the row.
          const char* summary = kind == RegistryImportKind::kGroups
                                    ? tr("{}: {} rows; {} added, {} given treasurers, {} already there (unchanged)")
                                    : tr("{}: {} rows; {} added, {} merged, {} already there (unchanged)");
          std::cout << fmt::format(fmt::runtime(summary), a->file, r->rows, r->created, r->updated, r->unchanged);
          if (!r->rejected.empty())
            std::cout << fmt::format(fmt::runtime(tr("; {} rejected (listed in {})")), r->rejected.size(),
                                     r->rejects_path);
          std::cout << ".\n";
          for (const auto& p : r->rejected) std::cerr << fmt::format(fmt::runtime(tr("soquy: rejected: {}")), p) << "\n";
          return 0;
        });
      };
    });
  }
}

void add_member_report(CLI::App& report, Context& ctx) {
  struct Args { std::string by = "unit", as_of; OutputOptions out; };
  auto a = std::make_shared<Args>();
  auto* members = report.add_subcommand("members", tr("Members on a date by unit (rolled up through merges), "
                                                    "ethnicity or poverty status"));
  members->add_option("--by", a->by, tr("unit, ethnicity or poverty (default unit)"))
      ->check(CLI::IsMember({"unit", "ethnicity", "poverty"}));
  members->add_option("--as-of", a->as_of, tr("Date (default today)"));
  a->out.add_to(*members);
  members->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> Result<int> {
      auto by = parse_member_report_by(a->by);
      if (!by) return fail(by.error());
      auto as_of = as_of_or_today(a->as_of);
      if (!as_of) return fail(as_of.error());
      return with_engine<Registry>(ctx, Ledger::Access::kReadOnly, [&](Registry& reg) -> Result<int> {
        auto counts = reg.count_members(*by, *as_of);
        if (!counts) return fail(counts.error());
        if (auto ok = a->out.emit(reports::member_counts(*counts)); !ok) return fail(ok.error());
        return 0;
      });
    };
  });
}

}  // namespace

void add_registry_commands(CLI::App& app, Context& ctx) {
  add_unit_commands(app, ctx);
  add_member_commands(app, ctx);
  add_group_commands(app, ctx);
  add_registry_imports(app, ctx);
  // The registry commands word an error's field by its name ("national_id: …"), as the registry's
  // import files name their columns.
  for (const char* name : {"unit", "member", "group"})
    app.get_subcommand(name)->parse_complete_callback([&ctx] { ctx.fields.by_name = true; });
}

void add_registry_reports(CLI::App& report, Context& ctx) { add_member_report(report, ctx); }

}  // namespace soquy::cli

#include "soquy/reports/registry_reports.h"
#include "human_date.h"
#include "soquy/i18n.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;

ordered_json opt_json(const std::optional<Date>& d) { return d ? ordered_json(d->to_iso()) : ordered_json(nullptr); }
ordered_json opt_json(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

// The word the CLI's --by option takes, which the title and JSON repeat.
std::string_view by_name(MemberReportBy by) {
  switch (by) {
    case MemberReportBy::kUnit: return "unit";
    case MemberReportBy::kEthnicity: return "ethnicity";
    case MemberReportBy::kPoverty: return "poverty";
  }
  return "unit";
}

ordered_json member_json(const Member& m) {
  return ordered_json{{"id", m.id},
                      {"name", m.name},
                      {"national_id", m.national_id},
                      {"unit", m.unit_as_of},
                      {"registered_unit", m.unit},
                      {"groups", m.groups},
                      {"born", opt_json(m.born)},
                      {"ethnicity", opt_json(m.ethnicity)},  // null: not known
                      {"poverty", to_string(m.poverty)},
                      {"joined", m.joined.to_iso()},
                      {"left", opt_json(m.left)}};
}

Table member_table(std::string title) {
  return Table{std::move(title),
               {{"id", tr("Id")},
                {"name", tr("Full name")},
                {"national_id", tr("National ID")},
                {"unit", tr("Unit")},
                {"groups", tr("Groups")},
                {"born", tr("Born"), CellKind::kDate},
                {"ethnicity", tr("Ethnicity")},
                {"poverty", tr("Poverty")},
                {"joined", tr("Joined"), CellKind::kDate},
                {"left", tr("Left"), CellKind::kDate}}};
}

std::vector<std::string> member_row(const Member& m) {
  std::string groups;
  for (const auto& g : m.groups) groups += (groups.empty() ? "" : " ") + g;
  return {m.id,
          m.name,
          m.national_id,
          m.unit_as_of,
          groups,
          m.born ? m.born->to_iso() : "",
          m.ethnicity,
          std::string(to_string(m.poverty)),
          m.joined.to_iso(),
          m.left ? m.left->to_iso() : ""};
}

ordered_json group_json(const Group& g) {
  return ordered_json{{"code", g.code},
                      {"name", g.name},
                      {"kind", to_string(g.kind)},
                      {"unit", g.unit_as_of},
                      {"registered_unit", g.unit},
                      {"unit_name", g.unit_name},
                      {"leader", opt_json(g.leader)},
                      {"book", opt_json(g.book)},
                      {"from", g.created_on.to_iso()},
                      {"members", g.members}};
}

Table group_table(std::string title, bool member_codes) {
  return Table{std::move(title),
               {{"code", tr("Group code")},
                {"name", tr("Group name")},
                {"kind", tr("Kind")},
                {"unit", tr("Unit")},
                {"unit_name", tr("Unit name")},
                {"leader", tr("Leader")},
                {"book", tr("Book")},
                {"from", tr("From date"), CellKind::kDate},
                member_codes ? Column{"members", tr("Member list")}
                             : Column{"members", tr("Number of members"), CellKind::kInteger}}};
}

std::vector<std::string> group_row(const Group& g, bool member_codes) {
  std::string members;
  if (member_codes)
    for (const auto& m : g.members) members += (members.empty() ? "" : " ") + m;
  else
    members = std::to_string(g.members.size());
  return {g.code, g.name, std::string(to_string(g.kind)), g.unit_as_of, g.unit_name, g.leader, g.book,
          g.created_on.to_iso(), members};
}

}  // namespace

Report group_detail(const Group& group, Date as_of) {
  Report r;
  r.json = group_json(group);
  auto t = group_table(fmt::format(fmt::runtime(tr("Group {} as of {}")), group.code, human_date(as_of)), true);
  t.rows.push_back(group_row(group, true));
  r.tables.push_back(std::move(t));
  return r;
}

Report group_list(const std::vector<Group>& groups, Date as_of) {
  Report r;
  r.json = ordered_json::array();
  auto t = group_table(fmt::format(fmt::runtime(tr("Groups as of {}")), human_date(as_of)), false);
  for (const auto& g : groups) {
    r.json.push_back(group_json(g));
    t.rows.push_back(group_row(g, false));
  }
  r.tables.push_back(std::move(t));
  return r;
}

Report unit_list(const std::vector<Unit>& units, Date as_of) {
  Report r;
  ordered_json rows = ordered_json::array();
  Table t{fmt::format(fmt::runtime(tr("Units as of {}")), human_date(as_of)),
          {{"code", tr("Code")},
           {"name", tr("Name")},
           {"kind", tr("Level")},
           {"parent", tr("Parent")},
           {"valid_from", tr("From"), CellKind::kDate},
           {"valid_to", tr("To"), CellKind::kDate},
           {"merged_into", tr("Merged into")}}};
  for (const auto& u : units) {
    rows.push_back(ordered_json{{"code", u.code},
                                {"name", u.name},
                                {"kind", to_string(u.kind)},
                                {"parent", opt_json(u.parent)},
                                {"valid_from", u.valid_from.to_iso()},
                                {"valid_to", opt_json(u.valid_to)},
                                {"merged_into", opt_json(u.merged_into)}});
    t.rows.push_back({u.code, u.name, std::string(to_string(u.kind)), u.parent, u.valid_from.to_iso(),
                      u.valid_to ? u.valid_to->to_iso() : "", u.merged_into});
    t.indent.push_back(u.depth);
  }
  r.json = ordered_json{{"as_of", as_of.to_iso()}, {"units", rows}};
  r.tables.push_back(std::move(t));
  return r;
}

Report member_detail(const Member& member, Date as_of) {
  Report r;
  r.json = member_json(member);
  auto t = member_table(fmt::format(fmt::runtime(tr("Member {} as of {}")), member.id, human_date(as_of)));
  t.rows.push_back(member_row(member));
  r.tables.push_back(std::move(t));
  return r;
}

Report member_list(const std::vector<Member>& members, Date as_of) {
  Report r;
  r.json = ordered_json::array();
  auto t = member_table(fmt::format(fmt::runtime(tr("Members as of {}")), human_date(as_of)));
  for (const auto& m : members) {
    r.json.push_back(member_json(m));
    t.rows.push_back(member_row(m));
  }
  r.tables.push_back(std::move(t));
  return r;
}

Report member_counts(const MemberCounts& counts) {
  const std::string by(by_name(counts.by));
  Report r;
  ordered_json rows = ordered_json::array();
  const char* title = by == "ethnicity" ? tr("Members by ethnicity as of {}")
                      : by == "poverty"  ? tr("Members by poverty status as of {}")
                                         : tr("Members by unit as of {}");
  Table t{fmt::format(fmt::runtime(title), human_date(counts.as_of)),
          {{"key", tr("Code")}, {"name", tr("Name")}, {"members", tr("Members"), CellKind::kInteger}}};
  for (const auto& row : counts.rows) {
    rows.push_back(ordered_json{{"key", row.key}, {"name", row.name}, {"members", row.members}});
    t.rows.push_back({row.key, row.name, std::to_string(row.members)});
  }
  t.totals.push_back({"", tr("Grand total"), std::to_string(counts.total)});
  r.json = ordered_json{{"as_of", counts.as_of.to_iso()}, {"by", by}, {"rows", rows}, {"total", counts.total}};
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace soquy::reports

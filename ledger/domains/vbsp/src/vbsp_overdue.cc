// VBSP overdue year on year: the bank's statements at two dates compared by group, commune or
// programme (vbsp.h).
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/overdue_growth.h"
#include "soquy/vbsp.h"

namespace soquy {

Result<VbspOverdueBy> parse_vbsp_overdue_by(std::string_view s) {
  if (s == "group") return VbspOverdueBy::kGroup;
  if (s == "commune") return VbspOverdueBy::kCommune;
  if (s == "programme") return VbspOverdueBy::kProgramme;
  return fail(Error::usage(fmt::format(fmt::runtime(tr("'{}' is not one of group, commune, programme")), std::string(s))).in_field("by"));
}

std::string_view to_string(VbspOverdueBy b) {
  switch (b) {
    case VbspOverdueBy::kGroup: return "group";
    case VbspOverdueBy::kCommune: return "commune";
    case VbspOverdueBy::kProgramme: return "programme";
  }
  return "?";
}

Rational VbspOverdueFigures::overdue_ratio() const {
  return soquy::overdue_ratio({.overdue = overdue, .outstanding = outstanding});
}

VbspOverdue compare_vbsp_overdue(const std::vector<VbspBankRow>& now, const std::vector<VbspBankRow>& before,
                                 Date as_of, Date compare_to, VbspOverdueBy by) {
  auto key_of = [by](const VbspBankRow& r) -> std::string {
    switch (by) {
      case VbspOverdueBy::kGroup: return r.group_code;
      case VbspOverdueBy::kCommune: return r.commune_code.empty() ? "?" : r.commune_code;
      case VbspOverdueBy::kProgramme: return r.programme.empty() ? "?" : r.programme;
    }
    return "?";
  };
  auto add = [](VbspOverdueFigures& f, const VbspBankRow& r) {
    ++f.loans;
    f.outstanding += r.principal_outstanding;
    f.overdue += r.principal_overdue;
    f.frozen += r.principal_frozen;
  };
  std::map<std::string, VbspOverdueFigures> a, b;
  VbspOverdue out;
  out.as_of = as_of;
  out.compare_to = compare_to;
  out.by = by;
  for (const auto& r : now)
    if (!r.closed) {
      add(a[key_of(r)], r);
      add(out.total_now, r);
    }
  for (const auto& r : before)
    if (!r.closed) {
      add(b[key_of(r)], r);
      add(out.total_before, r);
    }
  auto grew = [](const VbspOverdueFigures& n, const std::optional<VbspOverdueFigures>& p) {
    if (!p) return !n.overdue.is_zero();
    return overdue_grew({.overdue = p->overdue, .outstanding = p->outstanding},
                        {.overdue = n.overdue, .outstanding = n.outstanding});
  };
  std::set<std::string> keys;
  for (const auto& [k, v] : a) keys.insert(k);
  for (const auto& [k, v] : b) keys.insert(k);
  for (const auto& k : keys) {
    VbspOverdueRow row;
    row.key = k;
    if (by == VbspOverdueBy::kProgramme) row.name = std::string(vbsp_programme_name(k));
    if (auto it = a.find(k); it != a.end()) row.now = it->second;
    if (auto it = b.find(k); it != b.end()) row.before = it->second;
    row.grew = grew(row.now, row.before);
    out.rows.push_back(std::move(row));
  }
  out.total_grew = grew(out.total_now, out.total_before);
  return out;
}

Result<VbspOverdue> Vbsp::overdue(Date as_of, Date compare_to, VbspOverdueBy by) {
  if (compare_to >= as_of)
    return fail(Error::out_of_order(ErrorKind::kUsage, "compare_to", fmt::format("{}", compare_to), tr("must be before"),
                                    "as_of", fmt::format("{}", as_of)));
  auto now = statement(as_of);
  if (!now) return fail(now.error());
  auto before = statement(compare_to);
  if (!before) return fail(before.error());
  return compare_vbsp_overdue(now->second, before->second, as_of, compare_to, by);
}

}  // namespace soquy

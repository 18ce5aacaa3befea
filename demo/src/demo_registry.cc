#include "soquy/demo_registry.h"

#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "soquy/registry.h"

namespace soquy {
namespace {

// Uniform integer in [lo, hi], independent of the standard library's distributions so the demo
// is the same with every compiler (the journal demo does the same with its own generator).
std::int64_t pick(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
}
// True with probability percent/100.
bool chance(std::mt19937_64& rng, std::int64_t percent) { return pick(rng, 0, 99) < percent; }
template <class T, std::size_t N>
const T& one_of(std::mt19937_64& rng, const std::array<T, N>& items) {
  return items[static_cast<std::size_t>(pick(rng, 0, static_cast<std::int64_t>(N) - 1))];
}

Date ymd(int y, unsigned m, unsigned d) { return *Date::from_ymd(y, m, d); }

struct UnitRow {
  std::string_view code, name;
  UnitKind kind;
  std::string_view parent;
};

// fixtures/registry/tra_vinh_2020.csv, all from 2020-01-01 (parents before children).
constexpr std::array<UnitRow, 36> kTree2020{{
    {"TV", "Trà Vinh", UnitKind::kProvince, ""},
    {"TV-TP", "Thành phố Trà Vinh", UnitKind::kDistrict, "TV"},
    {"TV-TXDH", "Thị xã Duyên Hải", UnitKind::kDistrict, "TV"},
    {"TV-CL", "Càng Long", UnitKind::kDistrict, "TV"},
    {"TV-CK", "Cầu Kè", UnitKind::kDistrict, "TV"},
    {"TV-TCN", "Tiểu Cần", UnitKind::kDistrict, "TV"},
    {"TV-CT", "Châu Thành", UnitKind::kDistrict, "TV"},
    {"TV-CN", "Cầu Ngang", UnitKind::kDistrict, "TV"},
    {"TV-TC", "Trà Cú", UnitKind::kDistrict, "TV"},
    {"TV-DH", "Duyên Hải", UnitKind::kDistrict, "TV"},
    {"TP-P1", "Phường 1", UnitKind::kCommune, "TV-TP"},
    {"TP-P7", "Phường 7", UnitKind::kCommune, "TV-TP"},
    {"DHX-P1", "Phường 1 (Duyên Hải)", UnitKind::kCommune, "TV-TXDH"},
    {"DHX-TLH", "Trường Long Hòa", UnitKind::kCommune, "TV-TXDH"},
    {"CL-AT", "An Trường", UnitKind::kCommune, "TV-CL"},
    {"CL-TA", "Tân An", UnitKind::kCommune, "TV-CL"},
    {"CK-HA", "Hòa Ân", UnitKind::kCommune, "TV-CK"},
    {"CK-PT", "Phong Thạnh", UnitKind::kCommune, "TV-CK"},
    {"TCN-HT", "Hiếu Tử", UnitKind::kCommune, "TV-TCN"},
    {"TCN-TN", "Tập Ngãi", UnitKind::kCommune, "TV-TCN"},
    {"CT-HL", "Hòa Lợi", UnitKind::kCommune, "TV-CT"},
    {"CT-SL", "Song Lộc", UnitKind::kCommune, "TV-CT"},
    {"CN-KH", "Kim Hòa", UnitKind::kCommune, "TV-CN"},
    {"CN-MLB", "Mỹ Long Bắc", UnitKind::kCommune, "TV-CN"},
    {"TC-KS", "Kim Sơn", UnitKind::kCommune, "TV-TC"},
    {"TC-NB", "Ngọc Biên", UnitKind::kCommune, "TV-TC"},
    {"DH-LK", "Long Khánh", UnitKind::kCommune, "TV-DH"},
    {"DH-DHA", "Đông Hải", UnitKind::kCommune, "TV-DH"},
    {"CL-AT-1", "Chi hội ấp An Chánh", UnitKind::kBranch, "CL-AT"},
    {"CL-AT-2", "Chi hội ấp Giồng Trôm", UnitKind::kBranch, "CL-AT"},
    {"CK-HA-1", "Chi hội ấp Trà Kháo", UnitKind::kBranch, "CK-HA"},
    {"CK-PT-1", "Chi hội ấp Phong Phú", UnitKind::kBranch, "CK-PT"},
    {"TC-KS-1", "Chi hội ấp Sóc Chà", UnitKind::kBranch, "TC-KS"},
    {"TC-KS-2", "Chi hội ấp Ba Cụm", UnitKind::kBranch, "TC-KS"},
    {"TC-NB-1", "Chi hội ấp Sóc Tre", UnitKind::kBranch, "TC-NB"},
    {"CN-KH-1", "Chi hội ấp Kim Câu", UnitKind::kBranch, "CN-KH"},
}};

// fixtures/registry/reform_2025.csv: on 1 July 2025 Trà Vinh and its districts merge into the
// new Vĩnh Long province (the district level is abolished), and two communes with a branch
// each merge into a neighbour. In the fixture's order: the province first, so its districts
// move under Vĩnh Long, then the districts, so their communes do.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kMerges2025{{
    {"TV", "VL"},
    {"TV-TP", "VL"},
    {"TV-TXDH", "VL"},
    {"TV-CL", "VL"},
    {"TV-CK", "VL"},
    {"TV-TCN", "VL"},
    {"TV-CT", "VL"},
    {"TV-CN", "VL"},
    {"TV-TC", "VL"},
    {"TV-DH", "VL"},
    {"CK-PT", "CK-HA"},
    {"TC-NB", "TC-KS"},
    {"CK-PT-1", "CK-HA-1"},
    {"TC-NB-1", "TC-KS-2"},
}};

// Members per commune (they sum to kRegistryDemoMembers) and the Khmer and Hoa shares in
// percent, roughly as in the province: Trà Cú, Cầu Ngang and Châu Thành are mostly Khmer,
// Càng Long mostly Kinh, the Hoa live mainly in the towns. Weighted by size the Khmer share is
// 611.5 / 2000 ≈ 30.6 %, Trà Vinh's.
struct CommunePlan {
  std::string_view code;
  std::int64_t members;
  std::int64_t khmer_pct;
  std::int64_t hoa_pct;
};
constexpr std::array<CommunePlan, 18> kCommunes{{
    {"TP-P1", 130, 15, 8},  {"TP-P7", 120, 15, 8},  {"DHX-P1", 90, 10, 4}, {"DHX-TLH", 80, 10, 2},
    {"CL-AT", 140, 5, 2},   {"CL-TA", 110, 5, 2},   {"CK-HA", 120, 35, 3}, {"CK-PT", 90, 35, 3},
    {"TCN-HT", 100, 35, 3}, {"TCN-TN", 110, 35, 3}, {"CT-HL", 120, 40, 3}, {"CT-SL", 100, 40, 3},
    {"CN-KH", 130, 45, 2},  {"CN-MLB", 100, 45, 2}, {"TC-KS", 150, 60, 2}, {"TC-NB", 110, 60, 2},
    {"DH-LK", 100, 25, 2},  {"DH-DHA", 100, 25, 2},
}};

constexpr std::array<std::string_view, 16> kKinhFamily{"Nguyễn", "Trần", "Lê",   "Phạm", "Huỳnh", "Võ",
                                                       "Đặng",   "Bùi",  "Đỗ",   "Hồ",   "Ngô",   "Dương",
                                                       "Lý",     "Phan", "Trương", "Cao"};
constexpr std::array<std::string_view, 8> kKinhMiddle{"Thị", "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Bích"};
constexpr std::array<std::string_view, 24> kKinhGiven{
    "Hoa",  "Lan",  "Mai",  "Huệ",  "Thu",   "Bé",   "Hồng", "Trang", "Thảo", "Hạnh",  "Nga",  "Loan",
    "Yến",  "Xuân", "Cúc",  "Đào",  "Liên",  "Phượng", "Tuyết", "Nhung", "Hương", "Diễm", "Kiều", "Nhi"};
// Khmer women in Trà Vinh write a Vietnamese-style family name, "Thị", and a Khmer given name
// that is often two syllables ("Thạch Thị Sa Ra", "Kim Thị Sô Phi").
constexpr std::array<std::string_view, 9> kKhmerFamily{"Thạch", "Kim", "Sơn", "Lâm", "Triệu",
                                                        "Danh",  "Dương", "Chau", "Kiên"};
constexpr std::array<std::string_view, 24> kKhmerGiven{
    "Sa Ra",  "Sô Phi",  "Mỹ",     "Chanh Đa", "Sa Rênh", "Sóc Khe", "Phol",    "Sà Ry",
    "Sa Vy",  "Ni",      "Sóc Thi", "Sa Rươl", "Mách",    "Thươl",   "Rinh",    "Sa Phia",
    "Chanh Thu", "Sô Phia", "Kim Ly", "Sa Mônl", "Thi Da", "Sóc Phi", "Pho Ly", "Mau"};
constexpr std::array<std::string_view, 8> kHoaFamily{"Lâm", "Lý", "Quách", "Tăng", "Trương", "Hứa", "Diệp", "Mã"};
constexpr std::array<std::string_view, 10> kHoaGiven{"Mỹ Linh", "Ngọc Anh", "Thị Huệ", "Kim Phụng", "Thị Tú",
                                                     "Lệ Hoa",  "Thị Muội", "Mỹ Lệ",   "Ngọc Hân",  "Thị Hà"};

struct GroupPlan {
  GroupKind kind;
  std::string_view prefix;
  std::string_view name;
};

struct DemoMember {
  std::string id;
  std::string commune;
  Date joined;
  Poverty poverty;
};

// The (commune) groups: a VBSP savings-and-borrowing group, a fund credit group and a savings
// group in every commune (54), plus three hụi (rosca) and three pooled-capital groups (60).
// One pool is in Phong Thạnh, which merges in 2025: its group then counts in Hòa Ân.
std::vector<GroupPlan> groups_of(std::string_view commune) {
  std::vector<GroupPlan> out{{GroupKind::kVbsp, "VB", "Tổ TK&VV"},
                             {GroupKind::kCredit, "TD", "Tổ vay vốn Quỹ"},
                             {GroupKind::kSavings, "TK", "Tổ tiết kiệm"}};
  if (commune == "CL-AT" || commune == "TC-KS" || commune == "CN-KH") out.push_back({GroupKind::kRosca, "HUI", "Dây hụi"});
  if (commune == "TP-P1" || commune == "CT-HL" || commune == "CK-PT") out.push_back({GroupKind::kPool, "GV", "Tổ góp vốn"});
  return out;
}

// Chance in percent that a member joins a group of `kind`, and the most members the demo puts
// in one (VBSP groups are limited to 60; hụi and pools stay small so everyone knows everyone).
std::int64_t join_pct(GroupKind kind, Poverty p) {
  switch (kind) {
    case GroupKind::kVbsp: return p == Poverty::kPoor ? 80 : p == Poverty::kNearPoor ? 70 : 15;
    case GroupKind::kCredit: return 35;
    case GroupKind::kSavings: return 30;
    case GroupKind::kRosca: return 15;
    case GroupKind::kPool: return 20;
  }
  return 0;
}
std::int64_t cap(GroupKind kind) {
  switch (kind) {
    case GroupKind::kVbsp: return 60;
    case GroupKind::kRosca: return 15;
    case GroupKind::kPool: return 25;
    default: return 1'000'000;
  }
}

}  // namespace

// Each draw is its own statement: the order in which a call's arguments are evaluated is
// unspecified (gcc goes right to left, clang left to right), and the demo must be the same
// database whichever compiler built it. The last part of the name is drawn first.
std::string demo_woman_name(std::mt19937_64& rng, std::string_view ethnicity) {
  if (ethnicity == "Khmer") {
    const auto given = one_of(rng, kKhmerGiven);
    return fmt::format("{} Thị {}", one_of(rng, kKhmerFamily), given);
  }
  if (ethnicity == "Hoa") {
    const auto given = one_of(rng, kHoaGiven);
    return fmt::format("{} {}", one_of(rng, kHoaFamily), given);
  }
  const auto given = one_of(rng, kKinhGiven);
  const auto middle = one_of(rng, kKinhMiddle);
  return fmt::format("{} {} {}", one_of(rng, kKinhFamily), middle, given);
}

namespace {

Result<void> add_units(Registry& reg, Date start, RegistryDemoSummary& s) {
  for (const auto& u : kTree2020) {
    auto r = reg.add_unit({std::string(u.code), std::string(u.name), u.kind, std::string(u.parent), start});
    if (!r) return fail(r.error());
    ++s.units;
  }
  if (auto r = reg.add_unit({"VL", "Vĩnh Long", UnitKind::kProvince, "", s.merge_on}); !r) return fail(r.error());
  ++s.units;
  for (const auto& [from, into] : kMerges2025) {
    if (auto r = reg.merge_unit(std::string(from), std::string(into), s.merge_on); !r) return fail(r.error());
    ++s.merges;
  }
  return {};
}

// Member number `n` of commune `c`, joining within `span` days of `start`; counted in `s`.
MemberSpec draw_member(std::mt19937_64& rng, const CommunePlan& c, const std::vector<std::string>& branches,
                       std::int64_t n, Date start, std::int64_t span, RegistryDemoSummary& s) {
  MemberSpec m;
  m.id = fmt::format("HV{:04}", n);
  m.unit = std::string(c.code);
  if (!branches.empty() && chance(rng, 50))
    m.unit = branches[static_cast<std::size_t>(pick(rng, 0, static_cast<std::int64_t>(branches.size()) - 1))];
  const std::int64_t roll = pick(rng, 0, 99);
  std::int64_t poor_pct = 5, near_pct = 8;
  if (roll < c.khmer_pct) {
    m.ethnicity = "Khmer";
    poor_pct = 18;
    near_pct = 17;
    ++s.khmer;
  } else if (roll < c.khmer_pct + c.hoa_pct) {
    m.ethnicity = "Hoa";
    poor_pct = 2;
    near_pct = 5;
    ++s.hoa;
  } else {
    m.ethnicity = "Kinh";
    ++s.kinh;
  }
  m.name = demo_woman_name(rng, m.ethnicity);
  const std::int64_t p = pick(rng, 0, 99);
  m.poverty = p < poor_pct ? Poverty::kPoor : p < poor_pct + near_pct ? Poverty::kNearPoor : Poverty::kNone;
  if (m.poverty == Poverty::kPoor) ++s.poor;
  if (m.poverty == Poverty::kNearPoor) ++s.near_poor;
  const int born_year = static_cast<int>(pick(rng, 1958, 2002));
  const auto day = static_cast<unsigned>(pick(rng, 1, 28));  // drawn before the month (see demo_woman_name)
  m.born = ymd(born_year, static_cast<unsigned>(pick(rng, 1, 12)), day);
  // CCCD: province code 084 (Trà Vinh), 1 = a woman born in the 1900s (3 in the 2000s),
  // the year of birth, then a serial; the member number keeps it unique.
  m.national_id = fmt::format("084{}{:02}{:06}", born_year < 2000 ? 1 : 3, born_year % 100, n);
  m.joined = start.add_days(pick(rng, 0, span));
  s.last_joined = std::max(s.last_joined, m.joined);
  return m;
}

Result<void> add_members(Registry& reg, std::mt19937_64& rng, Date start, Date last_day,
                         std::vector<DemoMember>& members, RegistryDemoSummary& s) {
  members.reserve(static_cast<std::size_t>(kRegistryDemoMembers));
  const std::int64_t span = last_day.days_since(start);
  for (const auto& c : kCommunes) {
    std::vector<std::string> branches;
    for (const auto& u : kTree2020)
      if (u.kind == UnitKind::kBranch && u.parent == c.code) branches.emplace_back(u.code);
    for (std::int64_t k = 0; k < c.members; ++k) {
      const auto n = static_cast<std::int64_t>(members.size()) + 1;
      MemberSpec m = draw_member(rng, c, branches, n, start, span, s);
      auto added = reg.add_member(m);
      if (!added) return fail(added.error());
      members.push_back({m.id, std::string(c.code), m.joined, m.poverty});
      ++s.members;
    }
  }
  return {};
}

// Group `g` of commune `c`, whose members are members[first, end): a leader, then others joining.
Result<void> add_group(Registry& reg, std::mt19937_64& rng, const CommunePlan& c, const GroupPlan& g,
                       const std::vector<DemoMember>& members, std::size_t first, std::size_t end, Date start,
                       Date last_day, RegistryDemoSummary& s) {
  GroupSpec spec;
  spec.code = fmt::format("{}-{}", g.prefix, c.code);
  spec.kind = g.kind;
  spec.unit = std::string(c.code);
  for (const auto& u : kTree2020)
    if (u.code == c.code) spec.name = fmt::format("{} {}", g.name, u.name);
  spec.from = start.add_days(pick(rng, 60, 730));
  // The leader: a member of the commune already in the union when the group starts
  // (the group starts later if nobody is yet).
  std::vector<std::size_t> founders;
  for (std::size_t i = first; i < end; ++i)
    if (members[i].joined <= spec.from) founders.push_back(i);
  if (founders.empty()) {
    founders.push_back(first);
    for (std::size_t i = first; i < end; ++i)
      if (members[i].joined < members[founders[0]].joined) founders[0] = i;
    spec.from = members[founders[0]].joined;
  }
  const std::size_t leader = founders[static_cast<std::size_t>(pick(rng, 0, static_cast<std::int64_t>(founders.size()) - 1))];
  spec.leader = members[leader].id;
  if (auto r = reg.add_group(spec); !r) return fail(r.error());
  ++s.groups;
  ++s.memberships;
  std::int64_t size = 1;
  for (std::size_t i = first; i < end && size < cap(g.kind); ++i) {
    if (i == leader || !chance(rng, join_pct(g.kind, members[i].poverty))) continue;
    Date on = std::min(std::max(members[i].joined, spec.from).add_days(pick(rng, 0, 90)), last_day);
    if (auto r = reg.join_group(spec.code, members[i].id, on); !r) return fail(r.error());
    ++size;
    ++s.memberships;
  }
  return {};
}

}  // namespace

Result<RegistryDemoSummary> build_registry_demo(Ledger& ledger, std::uint64_t seed) {
  // Its own generator: the journal demo's sequence (and its golden entry count) must not move.
  std::mt19937_64 rng(seed);
  Registry reg(ledger);
  RegistryDemoSummary s;
  const Date start = ymd(2020, 1, 1);
  s.merge_on = ymd(2025, 7, 1);
  const Date last_day = ymd(2024, 12, 31);  // nobody joins after this: totals survive the merge
  s.last_joined = start;

  auto work = [&]() -> Result<void> {
    if (auto r = add_units(reg, start, s); !r) return r;
    std::vector<DemoMember> members;
    if (auto r = add_members(reg, rng, start, last_day, members, s); !r) return r;
    std::size_t first = 0;  // members of a commune are consecutive in `members`
    for (const auto& c : kCommunes) {
      const std::size_t end = first + static_cast<std::size_t>(c.members);
      for (const auto& g : groups_of(c.code))
        if (auto r = add_group(reg, rng, c, g, members, first, end, start, last_day, s); !r) return r;
      first = end;
    }
    return {};
  };
  if (auto r = ledger.in_transaction(work); !r) return fail(r.error());
  return s;
}

}  // namespace soquy

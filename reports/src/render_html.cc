// The HTML renderer: one self-contained page to read on screen and print on A4.
//
// No network: no scripts, fonts, images or style sheets from elsewhere; the CSS is inline and
// charts are inline SVG. The page is also well-formed XML (every element closed, every text and
// attribute escaped, invalid UTF-8 replaced by U+FFFD), so it can be checked by an XML parser.
//
// Numbers follow Vietnamese usage: money grouped with "." (1.234.567), decimals with a comma
// (0,0300), dates dd/mm/yyyy. Labels are the tables' own, already in the language of the
// messages (the report builders translate them, docs/i18n.md); the page's own words (national
// motto, signature hint) are translated here. With lang "en" money is grouped with "," and
// decimals keep the point. Dates stay dd/mm/yyyy in both.
#include <algorithm>
#include <ostream>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

#include "soquy/i18n.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

namespace {

std::string escape(std::string_view raw) {
  std::string s = valid_xml_text(raw);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

bool english(const RenderOptions& o) { return o.lang == "en"; }


bool is_integer(std::string_view v) {
  if (!v.empty() && v.front() == '-') v.remove_prefix(1);
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A cell as people read it. Only a well-formed value of the column's kind is reformatted;
// anything else is shown as it is.
std::string human(const std::string& v, CellKind kind, const RenderOptions& o) {
  if (!is_cell_of_kind(v, kind)) return v;
  switch (kind) {
    case CellKind::kMoney: return group_thousands(v, english(o) ? ',' : '.');
    case CellKind::kDecimal: {
      if (english(o)) return v;
      std::string s = v;
      std::replace(s.begin(), s.end(), '.', ',');
      return s;
    }
    case CellKind::kRatio: return percent_text(v, english(o));
    case CellKind::kDate: return v.substr(8, 2) + "/" + v.substr(5, 2) + "/" + v.substr(0, 4);
    case CellKind::kInteger:
    case CellKind::kText: return v;
  }
  return v;
}

const char* cell_class(CellKind k) {
  switch (k) {
    case CellKind::kMoney:
    case CellKind::kInteger:
    case CellKind::kDecimal:
    case CellKind::kRatio: return "num";
    case CellKind::kDate: return "date";
    case CellKind::kText: return "text";
  }
  return "text";
}

constexpr std::string_view kStyle = R"(@page { size: A4; margin: 15mm 12mm 15mm 12mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10pt; color: #000; margin: 1em auto; max-width: 190mm; }
h1 { font-size: 15pt; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; }
table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; }
th, td { border: 0.5pt solid #555; padding: 1mm 1.5mm; vertical-align: top; }
th { background: #e8e8e8; text-align: center; font-weight: bold; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.date { white-space: nowrap; }
td.long { overflow-wrap: anywhere; word-break: break-all; }
tfoot td { font-weight: bold; border-top: 1.5pt solid #000; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
p.note { margin: 1mm 0; font-size: 9pt; }
figure { margin: 3mm 0; page-break-inside: avoid; break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 1mm; }
svg text { font-family: inherit; font-size: 9pt; }
svg rect.bar { fill: #4a6fa5; }
svg rect.bar2 { fill: #b3c3dc; }
svg line.grid { stroke: #d8d8d8; }
svg line.axis { stroke: #555; }
svg polyline.line { fill: none; stroke: #4a6fa5; stroke-width: 2; }
svg circle.dot { fill: #4a6fa5; }
svg text.small { font-size: 7.5pt; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; break-after: avoid; } }
)";

void write_row(std::ostream& out, const Table& t, const std::vector<std::string>& cells, int depth, const RenderOptions& o) {
  out << "<tr>";
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    std::string v = c < cells.size() ? cells[c] : std::string();
    out << "<td class=\"" << cell_class(t.columns[c].kind);
    // A long token without spaces (an entry hash: 64 hex digits) may break anywhere, so that the
    // table stays within the A4 page instead of running off its right edge.
    if (t.columns[c].kind == CellKind::kText && v.size() > 32 && v.find(' ') == std::string::npos) out << " long";
    out << "\"";
    if (c == 0 && depth > 0) out << " style=\"padding-left: " << 2 + 4 * depth << "mm\"";
    out << ">" << escape(human(v, t.columns[c].kind, o)) << "</td>";
  }
  out << "</tr>\n";
}

std::optional<std::size_t> column_index(const Table& t, const std::string& key) {
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    if (t.columns[c].key == key) return c;
  return std::nullopt;
}

// --- line and grouped-bar charts (ChartKind::kLine, kGroupedBars) ----------------------------
// All geometry is integer: values are exact integers of 10^-D units (cpp_int), pixels are
// value × length ÷ axis top, rounded down.

using BigInt = boost::multiprecision::cpp_int;

// A number cell as an integer count of 10^-decimals units: "0.1313" → {1313, 4}, "-1500" →
// {-1500, 0}. Nothing for cells that are not a well-formed number of the column's kind.
struct Scaled {
  BigInt units;
  int decimals = 0;
};
std::optional<Scaled> scaled_value(const std::string& v, CellKind kind) {
  if (kind != CellKind::kMoney && kind != CellKind::kInteger && kind != CellKind::kDecimal && kind != CellKind::kRatio)
    return std::nullopt;
  if (!is_cell_of_kind(v, kind)) return std::nullopt;
  const bool negative = !v.empty() && v.front() == '-';
  std::string s = negative ? v.substr(1) : v;
  auto dot = s.find('.');
  int decimals = dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
  if (dot != std::string::npos) s.erase(dot, 1);
  // cpp_int reads a leading 0 as octal: drop leading zeros.
  auto first = s.find_first_not_of('0');
  s = first == std::string::npos ? std::string("0") : s.substr(first);
  Scaled out{BigInt(s), decimals};
  if (negative) out.units = -out.units;
  return out;
}

BigInt power_of_ten(int n) {
  BigInt p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// Round ticks 0, step, 2·step, … top, with top ≥ max: step is the smallest 1, 2 or 5 × 10^k
// giving at most `wanted` steps.
struct Axis {
  BigInt step, top;
  int steps = 1;
};
Axis axis_for(const BigInt& max, int wanted) {
  const BigInt m = max > 0 ? max : BigInt(1);
  const BigInt min_step = (m + wanted - 1) / wanted;
  BigInt step;
  for (BigInt p = 1; step == 0; p *= 10)
    for (int k : {1, 2, 5})
      if (step == 0 && p * k >= min_step) step = p * k;
  const BigInt n = (m + step - 1) / step;
  return {step, step * n, static_cast<int>(n)};
}

// Pixels for `v` on an axis `length` px long (0 ≤ v ≤ top).
int pixels(const BigInt& v, const Axis& axis, int length) {
  return static_cast<int>(BigInt(v * length / axis.top));
}

// A tick value (10^-decimals units, ≥ 0) as people read it: only the decimals the step needs
// ("0,05", not "0,0500"), money grouped, in the page's number format.
std::string tick_text(const BigInt& units, int decimals, const BigInt& step, CellKind kind, const RenderOptions& o) {
  int shown = decimals;
  for (BigInt s = step; shown > 0 && s % 10 == 0; s /= 10) --shown;
  std::string digits = BigInt(units / power_of_ten(decimals - shown)).str();
  if (shown > 0) {
    if (static_cast<int>(digits.size()) <= shown) digits.insert(0, static_cast<std::size_t>(shown) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(shown), 1, '.');
    return human(digits, kind == CellKind::kRatio ? CellKind::kRatio : CellKind::kDecimal, o);
  }
  return human(digits, kind == CellKind::kMoney ? CellKind::kMoney : CellKind::kInteger, o);
}

// `s` at the scale of 10^-decimals (decimals ≥ its own); negatives as 0.
std::optional<BigInt> rescale(const std::optional<Scaled>& s, int decimals) {
  if (!s) return std::nullopt;
  BigInt v = s->units * power_of_ten(decimals - s->decimals);
  return v < 0 ? BigInt(0) : v;
}

void open_figure(std::ostream& out, const Table& t, const Chart& chart, int width, int height) {
  std::string caption = chart.title.empty() ? t.title : chart.title;
  out << "<figure>\n";
  if (!caption.empty()) out << "<figcaption>" << escape(caption) << "</figcaption>\n";
  out << fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">\n",
      width, height, escape(caption));
}

// A trend: one point per row in order, joined by a line; y axis from 0 with round ticks; the
// value above each point; the x labels under the axis (slanted when there are more than six).
void write_line_chart(std::ostream& out, const Table& t, const Chart& chart, const RenderOptions& o) {
  auto lc = column_index(t, chart.label_column);
  auto vc = column_index(t, chart.value_column);
  if (!lc || !vc || t.rows.empty()) return;
  const CellKind kind = t.columns[*vc].kind;
  int decimals = 0;
  std::vector<std::optional<Scaled>> raw;
  for (const auto& row : t.rows) {
    raw.push_back(*vc < row.size() ? scaled_value(row[*vc], kind) : std::nullopt);
    if (raw.back()) decimals = std::max(decimals, raw.back()->decimals);
  }
  BigInt max = 0;
  std::vector<std::optional<BigInt>> values;
  for (const auto& r : raw) {
    values.push_back(rescale(r, decimals));
    if (values.back()) max = std::max(max, *values.back());
  }
  const Axis axis = axis_for(max, 4);
  constexpr int kLeft = 80, kPlotWidth = 550, kInset = 12, kTop = 16, kPlotHeight = 170, kBottom = 64;
  constexpr int kWidth = kLeft + kPlotWidth + 30, kHeight = kTop + kPlotHeight + kBottom;
  const int n = static_cast<int>(t.rows.size());
  auto x_of = [&](int i) {
    return n == 1 ? kLeft + kPlotWidth / 2 : kLeft + kInset + i * (kPlotWidth - 2 * kInset) / (n - 1);
  };
  auto y_of = [&](const BigInt& v) { return kTop + kPlotHeight - pixels(v, axis, kPlotHeight); };
  open_figure(out, t, chart, kWidth, kHeight);
  for (int k = 0; k <= axis.steps; ++k) {
    const BigInt v = axis.step * k;
    const int y = y_of(v);
    out << fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", kLeft, y, kLeft + kPlotWidth, y);
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", kLeft - 6, y + 4,
                       escape(tick_text(v, decimals, axis.step, kind, o)));
  }
  out << fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", kLeft, kTop, kTop + kPlotHeight);
  out << fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n", kLeft, kTop + kPlotHeight,
                     kLeft + kPlotWidth);
  std::string points;
  for (int i = 0; i < n; ++i)
    if (values[static_cast<std::size_t>(i)])
      points += fmt::format("{}{},{}", points.empty() ? "" : " ", x_of(i), y_of(*values[static_cast<std::size_t>(i)]));
  if (!points.empty()) out << "<polyline class=\"line\" points=\"" << points << "\"/>\n";
  const bool slanted = n > 6;
  for (int i = 0; i < n; ++i) {
    const auto& row = t.rows[static_cast<std::size_t>(i)];
    const std::string label = *lc < row.size() ? human(row[*lc], t.columns[*lc].kind, o) : std::string();
    const std::string shown = *vc < row.size() ? human(row[*vc], kind, o) : std::string();
    const int x = x_of(i);
    if (const auto& v = values[static_cast<std::size_t>(i)]) {
      const int y = y_of(*v);
      out << fmt::format("<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"3\"><title>{}: {}</title></circle>", x, y,
                         escape(label), escape(shown));
      out << fmt::format("<text class=\"small\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", x, y - 7, escape(shown));
    }
    const int ly = kTop + kPlotHeight + 14;
    if (slanted)
      out << fmt::format("<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\" transform=\"rotate(-40 {0} {1})\">{2}</text>\n", x + 4,
                         ly, escape(label));
    else
      out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x, ly, escape(label));
  }
  out << "</svg>\n</figure>\n";
}

// Two series side by side: per row a dark bar (value_column) over a light one (second_column),
// each followed by its value; a legend above (one line per series), an x axis with round ticks below.
void write_grouped_chart(std::ostream& out, const Table& t, const Chart& chart, const RenderOptions& o) {
  auto lc = column_index(t, chart.label_column);
  auto vc = column_index(t, chart.value_column);
  auto sc = column_index(t, chart.second_column);
  if (!lc || !vc || !sc || t.rows.empty()) return;
  int decimals = 0;
  std::vector<std::optional<Scaled>> raw1, raw2;
  for (const auto& row : t.rows) {
    raw1.push_back(*vc < row.size() ? scaled_value(row[*vc], t.columns[*vc].kind) : std::nullopt);
    raw2.push_back(*sc < row.size() ? scaled_value(row[*sc], t.columns[*sc].kind) : std::nullopt);
    if (raw1.back()) decimals = std::max(decimals, raw1.back()->decimals);
    if (raw2.back()) decimals = std::max(decimals, raw2.back()->decimals);
  }
  BigInt max = 0;
  std::vector<std::optional<BigInt>> v1, v2;
  for (std::size_t i = 0; i < raw1.size(); ++i) {
    v1.push_back(rescale(raw1[i], decimals));
    v2.push_back(rescale(raw2[i], decimals));
    if (v1.back()) max = std::max(max, *v1.back());
    if (v2.back()) max = std::max(max, *v2.back());
  }
  const Axis axis = axis_for(max, 3);
  constexpr int kLabelWidth = 200, kBarWidth = 330, kValueWidth = 130, kLegend = 42, kRow = 34, kBar = 13, kAxis = 24;
  constexpr int kWidth = kLabelWidth + kBarWidth + kValueWidth;
  const int n = static_cast<int>(t.rows.size());
  const int axis_y = kLegend + kRow * n;
  open_figure(out, t, chart, kWidth, axis_y + kAxis);
  const std::string& legend1 = chart.value_legend.empty() ? t.columns[*vc].label : chart.value_legend;
  const std::string& legend2 = chart.second_legend.empty() ? t.columns[*sc].label : chart.second_legend;
  out << fmt::format("<rect class=\"bar\" x=\"{}\" y=\"6\" width=\"12\" height=\"12\"/><text x=\"{}\" y=\"16\">{}</text>",
                     kLabelWidth, kLabelWidth + 18, escape(legend1));
  out << fmt::format("<rect class=\"bar2\" x=\"{}\" y=\"22\" width=\"12\" height=\"12\"/><text x=\"{}\" y=\"32\">{}</text>\n",
                     kLabelWidth, kLabelWidth + 18, escape(legend2));
  for (int k = 0; k <= axis.steps; ++k) {
    const BigInt v = axis.step * k;
    const int x = kLabelWidth + pixels(v, axis, kBarWidth);
    out << fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", x, kLegend, axis_y);
    out << fmt::format("<text class=\"small\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x, axis_y + 14,
                       escape(tick_text(v, decimals, axis.step, t.columns[*vc].kind, o)));
  }
  out << fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", kLabelWidth, kLegend, axis_y);
  out << fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n", kLabelWidth, axis_y,
                     kLabelWidth + kBarWidth);
  for (int i = 0; i < n; ++i) {
    const auto& row = t.rows[static_cast<std::size_t>(i)];
    const int y = kLegend + kRow * i;
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", kLabelWidth - 6, y + 20,
                       escape(*lc < row.size() ? human(row[*lc], t.columns[*lc].kind, o) : std::string()));
    auto bar = [&](const std::optional<BigInt>& v, std::size_t col, const char* cls, int top) {
      const int len = v ? pixels(*v, axis, kBarWidth) : 0;
      if (len > 0)
        out << fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", cls, kLabelWidth, top, len, kBar);
      out << fmt::format("<text class=\"small\" x=\"{}\" y=\"{}\">{}</text>", kLabelWidth + len + 4, top + 10,
                         escape(col < row.size() ? human(row[col], t.columns[col].kind, o) : std::string()));
    };
    bar(v1[static_cast<std::size_t>(i)], *vc, "bar", y + 3);
    bar(v2[static_cast<std::size_t>(i)], *sc, "bar2", y + 3 + kBar + 1);
    out << "\n";
  }
  out << "</svg>\n</figure>\n";
}

// Horizontal bars, one per row: label | bar | value. Lengths are proportional to the largest
// value, computed in integers (cpp_int: value × width cannot overflow).
void write_chart(std::ostream& out, const Table& t, const Chart& chart, const RenderOptions& o) {
  if (chart.kind == ChartKind::kLine) return write_line_chart(out, t, chart, o);
  if (chart.kind == ChartKind::kGroupedBars) return write_grouped_chart(out, t, chart, o);
  auto lc = column_index(t, chart.label_column);
  auto vc = column_index(t, chart.value_column);
  if (!lc || !vc) return;
  struct Bar { std::string label, shown; boost::multiprecision::cpp_int value; };
  std::vector<Bar> bars;
  boost::multiprecision::cpp_int max = 0;
  for (const auto& row : t.rows) {
    if (*lc >= row.size() || *vc >= row.size()) continue;
    const std::string& v = row[*vc];
    boost::multiprecision::cpp_int n = 0;
    if (is_integer(v)) n = boost::multiprecision::cpp_int(v);
    if (n < 0) n = 0;
    max = std::max(max, n);
    bars.push_back({row[*lc], human(v, t.columns[*vc].kind, o), n});
  }
  if (bars.empty()) return;
  constexpr int kLabelWidth = 200, kBarWidth = 330, kValueWidth = 130, kRow = 22, kTop = 4;
  constexpr int kWidth = kLabelWidth + kBarWidth + kValueWidth;
  int height = kTop * 2 + kRow * static_cast<int>(bars.size());
  std::string caption = chart.title.empty() ? t.title : chart.title;
  out << "<figure>\n";
  if (!caption.empty()) out << "<figcaption>" << escape(caption) << "</figcaption>\n";
  out << fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">\n",
      kWidth, height, escape(caption));
  for (std::size_t i = 0; i < bars.size(); ++i) {
    int y = kTop + kRow * static_cast<int>(i);
    int len = max == 0 ? 0 : static_cast<int>(boost::multiprecision::cpp_int(bars[i].value * kBarWidth / max));
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", kLabelWidth - 6, y + 15, escape(bars[i].label));
    if (len > 0) out << fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", kLabelWidth, y + 3, len, kRow - 6);
    out << fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", kLabelWidth + len + 6, y + 15, escape(bars[i].shown));
  }
  out << "</svg>\n</figure>\n";
}

void write_table(std::ostream& out, const Table& t, bool heading, const RenderOptions& o) {
  out << "<section>\n";
  if (heading && !t.title.empty()) out << "<h2>" << escape(t.title) << "</h2>\n";
  out << "<table>\n<thead><tr>";
  for (const auto& c : t.columns) out << "<th>" << escape(c.label) << "</th>";
  out << "</tr></thead>\n";
  out << "<tbody>\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) write_row(out, t, t.rows[r], r < t.indent.size() ? t.indent[r] : 0, o);
  out << "</tbody>\n";
  if (!t.totals.empty()) {
    out << "<tfoot>\n";
    for (const auto& row : t.totals) write_row(out, t, row, 0, o);
    out << "</tfoot>\n";
  }
  out << "</table>\n";
  for (const auto& n : t.notes) out << "<p class=\"note\">" << escape(n) << "</p>\n";
  if (t.chart) write_chart(out, t, *t.chart, o);
  out << "</section>\n";
}

// --- printable forms (Form in render.h) --------------------------------------------------------
// The header block, title and fields above the tables; the place-and-date line and the signature
// blocks under them. Their CSS is written only for a report that is a form.

constexpr std::string_view kFormStyle = R"(header.form-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 6mm; margin: 0 0 5mm; }
header.form-head p { margin: 0; }
.form-org { text-align: center; font-weight: bold; }
.form-right { text-align: center; }
.form-right p.form-code { text-align: right; font-weight: normal; font-style: italic; margin-bottom: 1mm; }
.form-motto { font-weight: bold; }
.form-motto-line { text-decoration: underline; font-weight: bold; }
h1.form-title { text-align: center; text-transform: uppercase; margin: 2mm 0 1mm; }
p.form-subtitle { text-align: center; font-style: italic; margin: 0 0 3mm; }
div.form-fields { margin: 0 0 3mm; }
div.form-fields p { margin: 0.5mm 0; }
span.form-label { font-weight: bold; }
div.form-foot { margin-top: 5mm; page-break-inside: avoid; break-inside: avoid; }
p.form-date { text-align: right; font-style: italic; margin: 0 0 2mm; }
div.form-signatures { display: flex; justify-content: space-around; text-align: center; }
div.form-sign { flex: 1; }
div.form-sign p { margin: 0; }
p.form-role { font-weight: bold; }
p.form-hint { font-style: italic; font-size: 9pt; }
p.form-name { margin-top: 20mm !important; font-weight: bold; }
)";

void write_form_head(std::ostream& out, const Form& f, const std::string& title) {
  out << "<header class=\"form-head\">\n<div class=\"form-org\">";
  for (const auto& line : f.organisation) out << "<p>" << escape(line) << "</p>";
  out << "</div>\n<div class=\"form-right\">";
  if (!f.code.empty()) out << "<p class=\"form-code\">" << escape(f.code) << "</p>";
  if (f.national_motto)
    out << "<p class=\"form-motto\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>"  // the motto in both languages
           "<p class=\"form-motto-line\">Độc lập - Tự do - Hạnh phúc</p>";
  out << "</div>\n</header>\n";
  out << "<h1 class=\"form-title\">" << escape(title) << "</h1>\n";
  if (!f.subtitle.empty()) out << "<p class=\"form-subtitle\">" << escape(f.subtitle) << "</p>\n";
  if (!f.fields.empty()) {
    out << "<div class=\"form-fields\">\n";
    for (const auto& field : f.fields)
      out << "<p><span class=\"form-label\">" << escape(field.label) << ":</span> " << escape(field.value)
          << "</p>\n";
    out << "</div>\n";
  }
}

void write_form_foot(std::ostream& out, const Form& f) {
  out << "<div class=\"form-foot\">\n<p class=\"form-date\">"
      << escape(f.place_date.empty() ? std::string(tr("…………, date ……/……/……")) : f.place_date) << "</p>\n";
  if (!f.signatures.empty()) {
    out << "<div class=\"form-signatures\">\n";
    for (const auto& s : f.signatures) {
      out << "<div class=\"form-sign\"><p class=\"form-role\">" << escape(s.role) << "</p>"
          << "<p class=\"form-hint\">" << tr("(signature, full name)") << "</p>"
          << "<p class=\"form-name\">" << escape(s.name) << "</p></div>\n";
    }
    out << "</div>\n";
  }
  out << "</div>\n";
}

}  // namespace

Result<void> render_html(const Report& report, std::ostream& out, const RenderOptions& options) {
  std::string title = !options.title.empty()                         ? options.title
                      : report.form && !report.form->title.empty() ? report.form->title
                      : !report.tables.empty()                     ? report.tables.front().title
                                                : std::string("soquy");
  if (title.empty()) title = "soquy";
  out << "<!DOCTYPE html>\n<html lang=\"" << (english(options) ? "en" : "vi") << "\">\n<head>\n"
      << "<meta charset=\"utf-8\"/>\n<meta name=\"generator\" content=\"soquy\"/>\n"
      << "<title>" << escape(title) << "</title>\n<style>\n" << kStyle
      << (report.form ? kFormStyle : std::string_view()) << "</style>\n</head>\n<body>\n";
  if (report.form) write_form_head(out, *report.form, title);
  else out << "<h1>" << escape(title) << "</h1>\n";
  for (std::size_t i = 0; i < report.tables.size(); ++i) {
    const Table& t = report.tables[i];
    // The first table's title is the page heading already, unless a title was given.
    bool heading = !(i == 0 && options.title.empty());
    write_table(out, t, heading, options);
  }
  if (report.form) write_form_foot(out, *report.form);
  out << "</body>\n</html>\n";
  out.flush();
  if (!out) return fail(Error::io(tr("cannot write the report (disk full or closed output?)")));
  return {};
}

}  // namespace soquy::reports

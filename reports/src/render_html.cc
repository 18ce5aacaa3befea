// The HTML renderer: one self-contained page to read on screen and print on A4.
//
// No network: no scripts, fonts, images or style sheets from elsewhere; the CSS is inline and
// charts are inline SVG. The page is also well-formed XML (every element closed, every text and
// attribute escaped, invalid UTF-8 replaced by U+FFFD), so it can be checked by an XML parser.
//
// Numbers follow Vietnamese usage: money grouped with "." (1.234.567), decimals with a comma
// (0,0300), dates dd/mm/yyyy. Labels are the tables' own ("Vietnamese (English)" where the
// builder gave both); with lang "en" the English part in the final parentheses is shown instead
// (page and table titles, column labels, the text cells of totals rows, chart captions; a label
// without one stays as given; notes and data cells are never changed), money is grouped with ","
// and decimals keep the point. Dates stay dd/mm/yyyy in both.
#include <algorithm>
#include <ostream>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

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

// "Ngày (Date)" → "Date" in English; otherwise the label as given.
std::string label_for(const std::string& label, const RenderOptions& o) {
  if (!english(o)) return label;
  auto open = label.rfind(" (");
  if (open == std::string::npos || label.empty() || label.back() != ')') return label;
  return label.substr(open + 2, label.size() - open - 3);
}

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
    case CellKind::kDecimal: return "num";
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
tfoot td { font-weight: bold; border-top: 1.5pt solid #000; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
p.note { margin: 1mm 0; font-size: 9pt; }
figure { margin: 3mm 0; page-break-inside: avoid; break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 1mm; }
svg text { font-family: inherit; font-size: 9pt; }
svg rect.bar { fill: #4a6fa5; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; break-after: avoid; } }
)";

// `totals`: text cells of totals rows are labels ("Cộng (total)"), translated like column labels.
void write_row(std::ostream& out, const Table& t, const std::vector<std::string>& cells, int depth, const RenderOptions& o,
               bool totals = false) {
  out << "<tr>";
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    std::string v = c < cells.size() ? cells[c] : std::string();
    if (totals && t.columns[c].kind == CellKind::kText) v = label_for(v, o);
    out << "<td class=\"" << cell_class(t.columns[c].kind) << "\"";
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

// Horizontal bars, one per row: label | bar | value. Lengths are proportional to the largest
// value, computed in integers (cpp_int: value × width cannot overflow).
void write_chart(std::ostream& out, const Table& t, const Chart& chart, const RenderOptions& o) {
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
  if (!caption.empty()) out << "<figcaption>" << escape(label_for(caption, o)) << "</figcaption>\n";
  out << fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">\n",
      kWidth, height, escape(label_for(caption, o)));
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
  if (heading && !t.title.empty()) out << "<h2>" << escape(label_for(t.title, o)) << "</h2>\n";
  out << "<table>\n<thead><tr>";
  for (const auto& c : t.columns) out << "<th>" << escape(label_for(c.label, o)) << "</th>";
  out << "</tr></thead>\n";
  out << "<tbody>\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) write_row(out, t, t.rows[r], r < t.indent.size() ? t.indent[r] : 0, o);
  out << "</tbody>\n";
  if (!t.totals.empty()) {
    out << "<tfoot>\n";
    for (const auto& row : t.totals) write_row(out, t, row, 0, o, true);
    out << "</tfoot>\n";
  }
  out << "</table>\n";
  for (const auto& n : t.notes) out << "<p class=\"note\">" << escape(n) << "</p>\n";
  if (t.chart) write_chart(out, t, *t.chart, o);
  out << "</section>\n";
}

}  // namespace

Result<void> render_html(const Report& report, std::ostream& out, const RenderOptions& options) {
  std::string title = !options.title.empty()        ? options.title
                      : !report.tables.empty() ? report.tables.front().title
                                                : std::string("soquy");
  if (title.empty()) title = "soquy";
  title = label_for(title, options);
  out << "<!DOCTYPE html>\n<html lang=\"" << (english(options) ? "en" : "vi") << "\">\n<head>\n"
      << "<meta charset=\"utf-8\"/>\n<meta name=\"generator\" content=\"soquy\"/>\n"
      << "<title>" << escape(title) << "</title>\n<style>\n" << kStyle << "</style>\n</head>\n<body>\n";
  out << "<h1>" << escape(title) << "</h1>\n";
  for (std::size_t i = 0; i < report.tables.size(); ++i) {
    const Table& t = report.tables[i];
    // The first table's title is the page heading already, unless a title was given.
    bool heading = !(i == 0 && options.title.empty());
    write_table(out, t, heading, options);
  }
  out << "</body>\n</html>\n";
  out.flush();
  if (!out) return fail(Error::io("cannot write the report (disk full or closed output?)"));
  return {};
}

}  // namespace soquy::reports

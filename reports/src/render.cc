#include "soquy/reports/render.h"

#include <algorithm>
#include <ostream>

#include <fmt/format.h>

#include "soquy/i18n.h"

namespace soquy::reports {

Result<Format> parse_format(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "csv") return Format::kCsv;
  if (name == "xlsx") return Format::kXlsx;
  if (name == "html") return Format::kHtml;
  return fail(Error::usage(
      fmt::format(fmt::runtime(tr("unknown format '{}': expected table, json, csv, xlsx or html")), name)));
}

Result<Format> format_from_path(std::string_view path) {
  auto dot = path.rfind('.');
  std::string ext(dot == std::string_view::npos ? "" : path.substr(dot));
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // REPORT.XLSX is an xlsx too
  if (ext == ".json") return Format::kJson;
  if (ext == ".csv") return Format::kCsv;
  if (ext == ".txt") return Format::kTable;
  if (ext == ".xlsx") return Format::kXlsx;
  if (ext == ".html" || ext == ".htm") return Format::kHtml;
  return fail(Error::usage(fmt::format(
      fmt::runtime(tr("cannot tell the format of '{}' from its extension: use .json, .csv, .txt, .xlsx or .html")),
      path)));
}

std::size_t display_width(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string group_thousands(std::string_view minor, char separator) {
  bool negative = !minor.empty() && minor.front() == '-';
  if (negative) minor.remove_prefix(1);
  std::string out;
  for (std::size_t i = 0; i < minor.size(); ++i) {
    if (i != 0 && (minor.size() - i) % 3 == 0) out.push_back(separator);
    out.push_back(minor[i]);
  }
  return negative ? "-" + out : out;
}

bool is_cell_of_kind(std::string_view v, CellKind kind) {
  auto digits = [](std::string_view d) {
    return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  switch (kind) {
    case CellKind::kText: return true;
    case CellKind::kMoney:
    case CellKind::kInteger:
      if (!v.empty() && v.front() == '-') v.remove_prefix(1);
      return digits(v);
    case CellKind::kDecimal:
    case CellKind::kRatio: {
      if (!v.empty() && v.front() == '-') v.remove_prefix(1);
      auto dot = v.find('.');
      if (dot == std::string_view::npos) return digits(v);
      return digits(v.substr(0, dot)) && digits(v.substr(dot + 1));
    }
    case CellKind::kDate:
      return v.size() == 10 && v[4] == '-' && v[7] == '-' && digits(v.substr(0, 4)) && digits(v.substr(5, 2)) &&
             digits(v.substr(8, 2));
  }
  return false;
}

std::string csv_field(std::string_view value, CellKind kind) {
  std::string v(value);
  // A typed cell is left alone only when it holds a value of its kind ("-1500000" stays a
  // number a spreadsheet can sum); anything else in it is guarded like text.
  bool guard = kind == CellKind::kText || !is_cell_of_kind(v, kind);
  if (guard && !v.empty() && std::string_view("=+-@\t\r").find(v.front()) != std::string_view::npos) {
    v.insert(0, "'");
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string percent_text(std::string_view decimal, bool english) {
  if (!is_cell_of_kind(decimal, CellKind::kDecimal)) return std::string(decimal);
  const bool negative = decimal.front() == '-';
  if (negative) decimal.remove_prefix(1);
  const auto dot = decimal.find('.');
  std::string whole(decimal.substr(0, dot));
  std::string fraction(dot == std::string_view::npos ? std::string_view() : decimal.substr(dot + 1));
  if (fraction.size() < 2) fraction.append(2 - fraction.size(), '0');
  whole += fraction.substr(0, 2);
  fraction.erase(0, 2);
  const auto first = whole.find_first_not_of('0');
  whole = first == std::string::npos ? std::string("0") : whole.substr(first);
  std::string out = (negative ? "-" : "") + whole;
  if (!fraction.empty()) out += (english ? "." : ",") + fraction;
  return out + (english ? "%" : " %");
}

std::string vietnamese_date(std::string_view v) {
  if (!is_cell_of_kind(v, CellKind::kDate)) return std::string(v);
  return fmt::format("{}/{}/{}", v.substr(8, 2), v.substr(5, 2), v.substr(0, 4));
}

std::string valid_xml_text(std::string_view s) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') out += kReplacement;
      else out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    // Length and smallest code point of a well-formed sequence starting with b (RFC 3629).
    std::size_t len = 0;
    char32_t cp = 0, min = 0;
    if (b >= 0xC2 && b <= 0xDF) { len = 2; cp = b & 0x1F; min = 0x80; }
    else if (b >= 0xE0 && b <= 0xEF) { len = 3; cp = b & 0x0F; min = 0x800; }
    else if (b >= 0xF0 && b <= 0xF4) { len = 4; cp = b & 0x07; min = 0x10000; }
    bool ok = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates, beyond U+10FFFF, and U+FFFE/U+FFFF (not XML characters).
    if (ok && (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || cp == 0xFFFE || cp == 0xFFFF)) ok = false;
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += kReplacement;
      ++i;  // resynchronise on the next byte
    }
  }
  return out;
}

std::string form_place_date(std::string_view place, int year, int month, int day) {
  return fmt::format(fmt::runtime(tr("{}, {:02}/{:02}/{}")), place.empty() ? std::string_view("…………") : place, day,
                     month, year);
}

namespace {
std::string sign_hint() { return tr("(signature, full name)"); }
std::string blank_place_date() { return tr("…………, date ……/……/……"); }
}  // namespace

std::vector<std::string> form_header_lines(const Form& f) {
  std::vector<std::string> out;
  if (!f.code.empty()) out.push_back(f.code);
  if (!f.title.empty()) out.push_back(f.title);
  if (!f.subtitle.empty()) out.push_back(f.subtitle);
  for (const auto& field : f.fields) out.push_back(field.label + ": " + field.value);
  return out;
}

std::vector<std::string> form_footer_lines(const Form& f) {
  std::vector<std::string> out;
  out.push_back(f.place_date.empty() ? blank_place_date() : f.place_date);
  for (const auto& s : f.signatures)
    out.push_back(fmt::format("{} {}: {}", s.role, sign_hint(), s.name.empty() ? std::string("……………………") : s.name));
  return out;
}

namespace {

// The signature blocks of a form as text: side by side, each centred in a block of 24 characters
// (wider when a role or name needs it), the role, "(Ký, ghi rõ họ tên)", and after two blank
// lines (the space to sign) the names when any is given.
void render_signatures(const Form& f, std::ostream& out) {
  if (f.place_date.empty() && f.signatures.empty()) return;
  out << '\n';
  if (!f.place_date.empty()) out << f.place_date << '\n';
  if (f.signatures.empty()) return;
  const std::string hint = sign_hint();
  std::size_t block = 24;
  for (const auto& s : f.signatures)
    block = std::max({block, display_width(s.role) + 2, display_width(s.name) + 2, display_width(hint) + 2});
  auto line = [&](auto text_of) {
    std::string s;
    std::size_t at = 0;
    for (std::size_t i = 0; i < f.signatures.size(); ++i) {
      std::string text = text_of(f.signatures[i]);
      std::size_t w = display_width(text);
      std::size_t left = i * block + (block - w) / 2;
      if (!text.empty()) {
        s += std::string(left - at, ' ') + text;
        at = left + w;
      }
    }
    out << s << '\n';
  };
  line([](const FormSignature& s) { return s.role; });
  line([&hint](const FormSignature&) { return hint; });
  bool names = std::any_of(f.signatures.begin(), f.signatures.end(), [](const auto& s) { return !s.name.empty(); });
  if (names) {
    out << "\n\n";
    line([](const FormSignature& s) { return s.name; });
  }
}

bool right_aligned(CellKind k) { return k != CellKind::kText && k != CellKind::kDate; }

// What a terminal shows literally: control characters (C0, DEL, C1 such as the CSI that starts
// an ANSI escape sequence) and bytes that are not UTF-8 become visible \xNN escapes, so a name
// stored with an escape sequence can neither recolour nor move the cursor of the reader's terminal.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = n != 0 && i + n <= s.size();
    for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
    const bool c1 = n == 2 && valid && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
    if (!valid || c < 0x20 || c == 0x7F || c1) {
      const std::size_t len = valid && c1 ? 2 : 1;
      for (std::size_t k = 0; k < len; ++k) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i + k]));
      i += len;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

// A table cell shows at most this many code points: a longer one (a memo, a name pasted with a
// whole address) is cut and ends in "…", so one cell does not push the table off the screen.
// JSON and CSV keep every cell whole, and so does a table of one column (a list of sentences:
// notes, problems), which has no other column to push away.
constexpr std::size_t kMaxTableCell = 60;

// A table cell as people read it, in the language of `o`: money grouped, dates dd/mm/yyyy and
// a decimal comma in Vietnamese, ratios as percentages; a cell that is not of its column's kind
// is shown as it is.
std::string human(const std::string& cell, CellKind kind, const RenderOptions& o, bool cut = true) {
  if (kind == CellKind::kMoney && !cell.empty()) return group_thousands(cell);
  const bool english = o.lang == "en";
  // Only a well-formed cell is reformatted; anything else goes through printable() below.
  if (kind == CellKind::kRatio && is_cell_of_kind(cell, kind)) return percent_text(cell, english);
  if (kind == CellKind::kDate && !english && is_cell_of_kind(cell, kind)) return vietnamese_date(cell);
  if (kind == CellKind::kDecimal && !english && is_cell_of_kind(cell, kind)) {
    std::string s = cell;
    std::replace(s.begin(), s.end(), '.', ',');
    return s;
  }
  std::string text = printable(cell);
  if (!cut || display_width(text) <= kMaxTableCell) return text;
  std::size_t points = 0, i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (points == kMaxTableCell - 1) break;
    ++points;
  }
  text.resize(i);
  return text + "…";
}

void render_table(const Table& t, std::ostream& out, const RenderOptions& o) {
  std::vector<std::size_t> width(t.columns.size());
  for (std::size_t c = 0; c < t.columns.size(); ++c) width[c] = display_width(t.columns[c].label);
  // Tree depth becomes two spaces per level before the first cell, in tables only.
  std::vector<std::vector<std::string>> rows = t.rows;
  for (std::size_t r = 0; r < rows.size() && r < t.indent.size(); ++r)
    if (!rows[r].empty()) rows[r][0].insert(0, static_cast<std::size_t>(std::max(0, t.indent[r])) * 2, ' ');
  auto measure = [&](const std::vector<std::vector<std::string>>& rs) {
    for (const auto& row : rs)
      for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
        width[c] = std::max(width[c], display_width(human(row[c], t.columns[c].kind, o, t.columns.size() > 1)));
  };
  measure(rows);
  measure(t.totals);
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string s;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      std::string text =
          c < cells.size() ? (header ? cells[c] : human(cells[c], t.columns[c].kind, o, t.columns.size() > 1)) : "";
      std::size_t pad = width[c] - std::min(width[c], display_width(text));
      if (c) s += "  ";
      if (right_aligned(t.columns[c].kind)) s += std::string(pad, ' ') + text;
      else s += text + (c + 1 == t.columns.size() ? "" : std::string(pad, ' '));
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out << s << '\n';
  };
  if (!t.title.empty()) out << t.title << '\n';
  std::vector<std::string> labels;
  for (const auto& c : t.columns) labels.push_back(c.label);
  line(labels, true);
  std::size_t total_width = 0;
  for (auto w : width) total_width += w;
  total_width += 2 * (width.empty() ? 0 : width.size() - 1);
  std::string rule;
  for (std::size_t i = 0; i < total_width; ++i) rule += "-";
  out << rule << '\n';
  for (const auto& row : rows) line(row, false);
  if (!t.totals.empty()) {
    out << rule << '\n';
    for (const auto& row : t.totals) line(row, false);
  }
  for (const auto& n : t.notes) out << n << '\n';
}

void render_csv(const Table& t, std::ostream& out) {
  auto write = [&](const std::vector<std::string>& cells, bool header) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (c) out << ',';
      std::string_view v = c < cells.size() ? std::string_view(cells[c]) : std::string_view();
      out << csv_field(v, header ? CellKind::kText : t.columns[c].kind);
    }
    out << "\r\n";
  };
  std::vector<std::string> keys;
  for (const auto& c : t.columns) keys.push_back(c.key);
  write(keys, true);
  for (const auto& row : t.rows) write(row, false);
}

}  // namespace

Result<void> render(const Report& report, Format format, std::ostream& out) {
  return render(report, format, out, RenderOptions{});
}

Result<void> render(const Report& report, Format format, std::ostream& out, const RenderOptions& options) {
  switch (format) {
    case Format::kXlsx: {
      auto r = render_xlsx(report, out, options);
      if (!r) return r;
      break;
    }
    case Format::kHtml: {
      auto r = render_html(report, out, options);
      if (!r) return r;
      break;
    }
    // Text that is not valid UTF-8 (e.g. an imported Windows-1258 name) is shown with U+FFFD
    // rather than failing the whole report.
    case Format::kJson: out << report.json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n'; break;
    case Format::kCsv:
      if (options.bom) out << "\xEF\xBB\xBF";
      if (!report.tables.empty()) render_csv(report.tables.front(), out);
      break;
    case Format::kTable:
      for (std::size_t i = 0; i < report.tables.size(); ++i) {
        if (i) out << '\n';
        render_table(report.tables[i], out, options);
      }
      if (report.form) render_signatures(*report.form, out);
      break;
  }
  out.flush();
  if (!out) return fail(Error::io(tr("cannot write the report (disk full or closed output?)")));
  return {};
}

}  // namespace soquy::reports

// The Excel renderer: one worksheet per Table, written with libxlsxwriter (Debian 12: 1.1.4).
//
// Layout of a sheet: row 1 the table's title, row 2 the column labels (frozen, with an
// autofilter over the data rows), then the rows, then the totals (bold, written as values, not
// formulas: a reader that does not recalculate would otherwise show 0), then the notes.
//
// Cells keep their kind: money and counts are numbers (so SUM works) with the number format
// "#,##0", decimals numbers with as many decimals as given, dates real Excel dates shown
// dd/mm/yyyy, text is text (stored as a string, so a leading "=" is never a formula).
//
// Numbers: libxlsxwriter's worksheet_write_number takes a double, and a spreadsheet number IS
// an IEEE double. Converting our int64 minor units to double is exact up to 2^53 (about 9·10^15
// đồng, far beyond any fund); above that the renderer fails rather than write a rounded amount.
// No arithmetic is done on the doubles.
//
// Reproducibility: the document's creation time is fixed (RenderOptions::created), so the same
// data gives a byte-identical file (libxlsxwriter 1.1.4 dates every zip member 1980-01-01, so the
// clock plays no part).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <sstream>

#include <unistd.h>

#include <fmt/format.h>
#include <xlsxwriter.h>

#include "soquy/i18n.h"
#include "soquy/reports/render.h"

namespace soquy::reports {

namespace {

constexpr std::size_t kMaxSheetName = 31;    // Excel's limit, in characters
constexpr std::size_t kMaxCellText = 32767;  // Excel's limit, in characters
constexpr std::size_t kMinWidth = 6, kMaxWidth = 60;  // column widths, in characters

struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const {
    if (wb) workbook_close(wb);
  }
};

// A unique temporary file, removed when this goes out of scope. libxlsxwriter 1.1.4 can only
// write to a named file (output_buffer came in 1.1.5), so the workbook goes there first.
class TempFile {
 public:
  static Result<TempFile> create() {
    std::error_code ec;
    auto dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    std::string pattern = (dir / "soquy-xlsx-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) return fail(Error::io(fmt::format(fmt::runtime(tr("xlsx: cannot create a temporary file in {}")), dir.string())));
    ::close(fd);
    return TempFile(pattern, dir.string());
  }
  TempFile(TempFile&& o) noexcept : path_(std::move(o.path_)), dir_(std::move(o.dir_)) { o.path_.clear(); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }

 private:
  TempFile(std::string p, std::string d) : path_(std::move(p)), dir_(std::move(d)) {}
  std::string path_, dir_;
};

// First `n` code points of a UTF-8 string.
std::string utf8_prefix(std::string_view s, std::size_t n) {
  std::size_t count = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (count == n) break;
      ++count;
    }
  }
  return std::string(s.substr(0, i));
}

std::string ascii_lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// A sheet name Excel accepts: no []:*?/\, not starting or ending with ', at most 31 characters,
// not empty, and unique (case-insensitively) among `used`.
std::string sheet_name(const std::string& title, std::size_t index, std::set<std::string>& used) {
  std::string name;
  for (char c : valid_xml_text(title)) name.push_back(std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '-');
  while (!name.empty() && (name.front() == '\'' || name.front() == ' ')) name.erase(0, 1);
  name = utf8_prefix(name, kMaxSheetName);
  while (!name.empty() && (name.back() == '\'' || name.back() == ' ')) name.pop_back();
  if (name.empty()) name = fmt::format("Sheet{}", index + 1);
  std::string candidate = name;
  for (int n = 2; used.count(ascii_lower(candidate)); ++n) {
    std::string suffix = fmt::format(" ({})", n);
    std::string base = utf8_prefix(name, kMaxSheetName - suffix.size());
    while (!base.empty() && base.back() == ' ') base.pop_back();
    candidate = base + suffix;
  }
  used.insert(ascii_lower(candidate));
  return candidate;
}

// Formats are workbook objects; one per distinct look, made on first use.
class Formats {
 public:
  explicit Formats(lxw_workbook* wb) : wb_(wb) {}
  lxw_format* get(const std::string& num_format, bool bold, int indent = 0, bool header = false, bool title = false) {
    auto key = fmt::format("{}|{}|{}|{}|{}", num_format, bold, indent, header, title);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    lxw_format* f = workbook_add_format(wb_);
    if (!num_format.empty()) format_set_num_format(f, num_format.c_str());
    if (bold) format_set_bold(f);
    if (indent > 0) format_set_indent(f, static_cast<uint8_t>(std::min(indent, 15)));
    if (header) {
      format_set_bottom(f, LXW_BORDER_THIN);
      format_set_text_wrap(f);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    }
    if (title) format_set_font_size(f, 13);
    cache_.emplace(key, f);
    return f;
  }

 private:
  lxw_workbook* wb_;
  std::map<std::string, lxw_format*> cache_;
};

std::string decimal_format(std::string_view value) {
  auto dot = value.find('.');
  std::size_t places = dot == std::string_view::npos ? 0 : value.size() - dot - 1;
  return places == 0 ? "0" : "0." + std::string(std::min<std::size_t>(places, 10), '0');
}

// A ratio's number format: a percentage with two places fewer than the decimal ("0.0325" →
// "0.00%", which Excel shows as 3,25% under Vietnamese settings).
std::string percent_format(std::string_view value) {
  auto dot = value.find('.');
  std::size_t places = dot == std::string_view::npos ? 0 : value.size() - dot - 1;
  places = places > 2 ? places - 2 : 0;
  return places == 0 ? "0%" : "0." + std::string(std::min<std::size_t>(places, 10), '0') + "%";
}

// Where a cell is, for error messages: sheet, spreadsheet row number (1-based), column key.
std::string where(const Table& t, std::size_t sheet_row, std::size_t col) {
  return fmt::format(fmt::runtime(tr("xlsx: table '{}', row {}, column '{}'")), t.title, sheet_row + 1,
                     col < t.columns.size() ? t.columns[col].key : "?");
}

Result<void> check(lxw_error err, const Table& t, std::size_t row, std::size_t col) {
  if (err == LXW_NO_ERROR) return {};
  return fail(Error::bad_input(fmt::format("{}: {}", where(t, row, col), lxw_strerror(err))));
}

class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* ws, Formats& formats, const Table& t) : ws_(ws), formats_(formats), t_(t) {
    width_.resize(t.columns.size(), kMinWidth);
  }

  Result<void> write() {
    std::size_t ncols = t_.columns.size();
    lxw_row_t row = 0;
    if (auto r = text(row, 0, t_.title, formats_.get("", true, 0, false, true)); !r) return r;
    row = 1;
    for (std::size_t c = 0; c < ncols; ++c) {
      if (auto r = text(row, c, t_.columns[c].label, formats_.get("", true, 0, true)); !r) return r;
      // Labels wrap in the header, so they widen a column only up to a point.
      widen(c, std::min<std::size_t>(display_width(t_.columns[c].label), 24));
    }
    lxw_row_t first_data = 2;
    row = first_data;
    for (std::size_t r = 0; r < t_.rows.size(); ++r, ++row) {
      int depth = r < t_.indent.size() ? std::max(0, t_.indent[r]) : 0;
      if (auto ok = cells(row, t_.rows[r], false, depth); !ok) return ok;
    }
    // The autofilter covers the header and the data rows, never the totals (a table without
    // rows: the header alone).
    lxw_row_t last_data = row == first_data ? first_data - 1 : row - 1;
    for (const auto& totals : t_.totals) {
      if (auto ok = cells(row, totals, true, 0); !ok) return ok;
      ++row;
    }
    if (!t_.notes.empty()) ++row;
    for (const auto& note : t_.notes) {
      if (auto r = text(row, 0, note, nullptr, false); !r) return r;
      ++row;
    }
    worksheet_freeze_panes(ws_, 2, 0);
    if (ncols > 0) {
      if (auto r = check(worksheet_autofilter(ws_, 1, 0, last_data, static_cast<lxw_col_t>(ncols - 1)), t_, 1, 0); !r)
        return r;
    }
    for (std::size_t c = 0; c < ncols; ++c)
      // libxlsxwriter takes the width (a layout figure, in characters) as a double.
      worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           static_cast<double>(std::min(width_[c], kMaxWidth) + 2), nullptr);
    return {};
  }

 private:
  void widen(std::size_t c, std::size_t w) {
    if (c < width_.size()) width_[c] = std::max(width_[c], w);
  }

  Result<void> text(lxw_row_t row, std::size_t col, const std::string& value, lxw_format* f, bool measure = true) {
    std::string clean = valid_xml_text(value);
    if (display_width(clean) > kMaxCellText)
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{}: text longer than {} characters, the most a spreadsheet cell holds")),
                                               where(t_, row, col), kMaxCellText)));
    if (measure && row > 1) widen(col, display_width(clean));
    return check(worksheet_write_string(ws_, row, static_cast<lxw_col_t>(col), clean.c_str(), f), t_, row, col);
  }

  Result<void> cells(lxw_row_t row, const std::vector<std::string>& values, bool bold, int depth) {
    for (std::size_t c = 0; c < t_.columns.size(); ++c) {
      const std::string& v = c < values.size() ? values[c] : kEmpty;
      lxw_col_t col = static_cast<lxw_col_t>(c);
      CellKind kind = t_.columns[c].kind;
      if (v.empty()) {
        if (bold) worksheet_write_blank(ws_, row, col, formats_.get("", true));
        continue;
      }
      // Only a well-formed value of the column's kind becomes a number or a date (from_chars
      // alone would take "nan", "inf" or "1e5" for a decimal); anything else is written as text.
      if (!is_cell_of_kind(v, kind)) kind = CellKind::kText;
      switch (kind) {
        case CellKind::kMoney:
        case CellKind::kInteger: {
          std::int64_t n = 0;
          auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
          if (ec != std::errc() || end != v.data() + v.size()) break;  // not a number: written as text below
          if (n > kMaxExactSpreadsheetInteger || n < -kMaxExactSpreadsheetInteger)
            return fail(Error::bad_input(fmt::format(
                fmt::runtime(tr("{}: {} is beyond ±2^53 ({}), the largest whole number a spreadsheet holds exactly; "
                                "use --format csv or json for this report")),
                where(t_, row, c), v, kMaxExactSpreadsheetInteger)));
          auto* f = formats_.get(kind == CellKind::kMoney ? "#,##0" : "0", bold);
          // Exact: |n| <= 2^53 (checked above). The double is the spreadsheet's storage type.
          if (auto r = check(worksheet_write_number(ws_, row, col, static_cast<double>(n), f), t_, row, c); !r) return r;
          widen(c, display_width(kind == CellKind::kMoney ? group_thousands(v, ',') : v));
          continue;
        }
        case CellKind::kRatio:
        case CellKind::kDecimal: {
          // Ratios and rates: the decimal text (e.g. "0.0300") as the nearest spreadsheet number,
          // shown with the same number of decimals (a ratio as a percentage). Only the display
          // form; no figures are computed.
          double d = 0;
          auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
          if (ec != std::errc() || end != v.data() + v.size()) break;
          auto* f = formats_.get(kind == CellKind::kRatio ? percent_format(v) : decimal_format(v), bold);
          if (auto r = check(worksheet_write_number(ws_, row, col, d, f), t_, row, c); !r) return r;
          widen(c, v.size());
          continue;
        }
        case CellKind::kDate: {
          int y = 0, m = 0, d = 0;
          if (v.size() == 10 && v[4] == '-' && v[7] == '-' &&
              std::from_chars(v.data(), v.data() + 4, y).ec == std::errc() &&
              std::from_chars(v.data() + 5, v.data() + 7, m).ec == std::errc() &&
              std::from_chars(v.data() + 8, v.data() + 10, d).ec == std::errc() && y >= 1900 && y <= 9999 &&
              m >= 1 && m <= 12 && d >= 1 && d <= 31) {
            lxw_datetime dt{y, m, d, 0, 0, 0.0};
            if (auto r = check(worksheet_write_datetime(ws_, row, col, &dt, formats_.get("dd/mm/yyyy", bold)), t_, row, c); !r)
              return r;
            widen(c, 10);
            continue;
          }
          break;
        }
        case CellKind::kText: break;
      }
      // Text, or a typed cell whose value is not of its kind (written as it is, never lost).
      lxw_format* f = (bold || (c == 0 && depth > 0)) ? formats_.get("", bold, c == 0 ? depth : 0) : nullptr;
      if (auto r = text(row, c, v, f); !r) return r;
      if (c == 0 && depth > 0) widen(c, display_width(v) + 2 * static_cast<std::size_t>(depth));
    }
    return {};
  }

  static inline const std::string kEmpty;
  lxw_worksheet* ws_;
  Formats& formats_;
  const Table& t_;
  std::vector<std::size_t> width_;
};

}  // namespace

Result<void> render_xlsx(const Report& report, std::ostream& out, const RenderOptions& options) {
  auto tmp = TempFile::create();
  if (!tmp) return fail(tmp.error());
  {
    lxw_workbook_options wo{};
    std::string tmpdir = tmp->dir();
    wo.tmpdir = tmpdir.data();
    std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new_opt(tmp->path().c_str(), &wo));
    if (!wb) return fail(Error::io(tr("xlsx: cannot start a workbook")));

    std::string title = valid_xml_text(!options.title.empty()        ? options.title
                                       : !report.tables.empty() ? report.tables.front().title
                                                                 : std::string("soquy"));
    std::string author = "soquy";
    lxw_doc_properties props{};
    props.title = title.data();
    props.author = author.data();
    props.created = static_cast<time_t>(options.created != 0 ? options.created : kFixedCreated);
    if (workbook_set_properties(wb.get(), &props) != LXW_NO_ERROR) return fail(Error::io(tr("xlsx: cannot set the document properties")));

    Formats formats(wb.get());
    std::set<std::string> used;
    std::vector<Table> tables = report.tables;
    if (tables.empty()) tables.emplace_back();  // a workbook needs one sheet
    if (report.form) {  // a printable form's text, as rows under the last table's notes
      auto& notes = tables.back().notes;
      if (!notes.empty()) notes.emplace_back();
      for (auto& l : form_header_lines(*report.form)) notes.push_back(std::move(l));
      for (auto& l : form_footer_lines(*report.form)) notes.push_back(std::move(l));
    }
    for (std::size_t i = 0; i < tables.size(); ++i) {
      std::string name = sheet_name(tables[i].title, i, used);
      lxw_worksheet* ws = workbook_add_worksheet(wb.get(), name.c_str());
      if (!ws) return fail(Error::internal(fmt::format(fmt::runtime(tr("xlsx: libxlsxwriter refused the sheet name '{}'")), name)));
      SheetWriter w(ws, formats, tables[i]);
      if (auto r = w.write(); !r) return r;
    }
    lxw_error err = workbook_close(wb.release());
    if (err != LXW_NO_ERROR) return fail(Error::io(fmt::format(fmt::runtime(tr("xlsx: cannot write the workbook: {}")), lxw_strerror(err))));
  }
  std::ifstream in(tmp->path(), std::ios::binary);
  if (!in) return fail(Error::io(fmt::format(fmt::runtime(tr("xlsx: cannot read back the temporary workbook {}")), tmp->path())));
  out << in.rdbuf();
  if (!out) return fail(Error::io(tr("cannot write the report (disk full or closed output?)")));
  return {};
}

}  // namespace soquy::reports

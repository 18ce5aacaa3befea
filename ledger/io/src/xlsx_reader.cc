// Reading one sheet of an .xlsx workbook (xlsx_reader.h): libzip opens the archive, pugixml
// parses its parts. Elements are matched by local name, so prefixed namespaces (`x:row`, written
// by some generators) read like the default ones. No floating point: numbers stay text.
#include "soquy/xlsx_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "soquy/i18n.h"
#include <zip.h>

namespace soquy {
namespace {

constexpr std::size_t kMaxColumns = 16384;     // XFD
constexpr std::size_t kMaxRows = 1048576;
// Rows are kept densely up to their last value, so one value far to the right would cost every
// row of the sheet that many cells: a value beyond this column is refused (the bank's widest
// export has about 174 columns). Empty cells beyond it (formatting only) are ignored.
constexpr std::size_t kMaxValueColumns = 1024;  // AMJ
constexpr zip_uint64_t kMaxPartSize = 1ULL << 31;  // 2 GiB of XML in one part: refuse, not a workbook we read

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// "x:row" → "row".
std::string_view local_name(const char* name) {
  std::string_view n(name);
  auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node parent, std::string_view name) {
  for (auto c = parent.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  return {};
}

template <class F>
void for_each_child(pugi::xml_node parent, std::string_view name, F&& f) {
  for (auto c = parent.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) f(c);
}

// The text of an element (all its character data; <t> holds no elements).
std::string text_of(pugi::xml_node n) {
  std::string out;
  for (auto c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  return out;
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// OOXML escapes characters XML cannot hold as _xHHHH_ ("_x000D_" is a CR, "_x005F_" a '_').
std::string decode_ooxml_escapes(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (i + 7 <= s.size() && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_') {
      unsigned cp = 0;
      bool hex = true;
      for (std::size_t k = 2; k < 6; ++k) {
        int d = hex_digit(s[i + k]);
        if (d < 0) hex = false;
        cp = cp * 16 + static_cast<unsigned>(d < 0 ? 0 : d);
      }
      if (hex && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        append_utf8(out, cp);
        i += 7;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

// A string item (<si> or <is>): its <t>, or its rich-text runs' <t> joined; <rPh> (phonetic
// guides) is not part of the text.
std::string string_item(pugi::xml_node item) {
  std::string out;
  for (auto c = item.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    auto n = local_name(c.name());
    if (n == "t") {
      out += text_of(c);
    } else if (n == "r") {
      if (auto t = child(c, "t")) out += text_of(t);
    }
  }
  return decode_ooxml_escapes(std::move(out));
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Zip = std::unique_ptr<zip_t, ZipCloser>;

class Workbook {
 public:
  explicit Workbook(std::string path) : path_(std::move(path)) {}

  Result<void> open() {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec))
      return fail(Error::no_input(fmt::format(fmt::runtime(tr("{}: cannot open the file (does it exist?)")), path_)));
    if (std::filesystem::is_directory(path_, ec))
      return fail(Error::no_input(fmt::format(fmt::runtime(tr("{}: is a directory, not a workbook")), path_)));
    int err = 0;
    zip_t* z = zip_open(path_.c_str(), ZIP_RDONLY, &err);
    if (!z) {
      if (err == ZIP_ER_OPEN || err == ZIP_ER_READ || err == ZIP_ER_MEMORY)
        return fail(Error::no_input(fmt::format(fmt::runtime(tr("{}: cannot read the file")), path_)));
      return fail(not_a_workbook(tr("not a zip archive")));
    }
    zip_.reset(z);
    // The workbook part: named by the package's relationships, xl/workbook.xml by default.
    std::string workbook = "xl/workbook.xml";
    auto root_rels = part("_rels/.rels");
    if (!root_rels) return fail(root_rels.error());
    if (*root_rels) {
      auto rels = relationships(**root_rels, "");
      if (!rels) return fail(rels.error());
      for (const auto& [type, target] : *rels)
        if (type.ends_with("/officeDocument")) workbook = target;
    }
    auto wb = part(workbook);
    if (!wb) return fail(wb.error());
    if (!*wb) return fail(not_a_workbook(fmt::format(fmt::runtime(tr("no workbook part {}")), workbook)));
    auto doc = parse(**wb, workbook);
    if (!doc) return fail(doc.error());
    auto root = (*doc)->document_element();
    if (local_name(root.name()) != "workbook") return fail(not_a_workbook(fmt::format(
        fmt::runtime(tr("{} is not a workbook")), workbook)));
    if (auto pr = child(root, "workbookPr")) {
      std::string_view v = pr.attribute("date1904").value();
      date1904_ = v == "1" || v == "true";
    }
    auto slash = workbook.rfind('/');
    std::string dir = slash == std::string::npos ? "" : workbook.substr(0, slash + 1);
    std::string rels_name = dir + "_rels/" + workbook.substr(slash == std::string::npos ? 0 : slash + 1) + ".rels";
    auto rels_text = part(rels_name);
    if (!rels_text) return fail(rels_text.error());
    if (!*rels_text) return fail(not_a_workbook(fmt::format(fmt::runtime(tr("no {}")), rels_name)));
    auto rels = relationships_by_id(**rels_text, rels_name, dir);
    if (!rels) return fail(rels.error());
    for (const auto& [id, rel] : *rels) {
      if (rel.first.ends_with("/sharedStrings")) shared_strings_part_ = rel.second;
      if (rel.first.ends_with("/styles")) styles_part_ = rel.second;
    }
    auto sheets = child(root, "sheets");
    for_each_child(sheets, "sheet", [&](pugi::xml_node s) {
      std::string id;
      for (auto a = s.first_attribute(); a; a = a.next_attribute())
        if (std::string_view(a.name()).find(':') != std::string_view::npos && local_name(a.name()) == "id") id = a.value();
      std::string target;
      for (const auto& [rid, rel] : *rels)
        if (rid == id) target = rel.second;
      sheets_.push_back({s.attribute("name").value(), target});
    });
    if (sheets_.empty()) return fail(not_a_workbook(tr("the workbook lists no sheet")));
    return {};
  }

  const std::vector<std::pair<std::string, std::string>>& sheets() const { return sheets_; }

  Result<XlsxSheet> read(const std::string& wanted) {
    const std::pair<std::string, std::string>* sheet = nullptr;
    if (wanted.empty()) {
      for (const auto& s : sheets_)
        if (!sheet && iequals(s.first, "BCQUERY")) sheet = &s;
      if (!sheet) sheet = &sheets_.front();
    } else {
      for (const auto& s : sheets_)
        if (!sheet && s.first == wanted) sheet = &s;
      for (const auto& s : sheets_)
        if (!sheet && iequals(s.first, wanted)) sheet = &s;
      if (!sheet) {
        std::string names;
        for (const auto& s : sheets_) names += (names.empty() ? "" : ", ") + s.first;
        return fail(Error::bad_input(fmt::format(
            fmt::runtime(tr("{}: no sheet named '{}' (the sheets are: {})")), path_, wanted, names)));
      }
    }
    if (sheet->second.empty())
      return fail(not_a_workbook(fmt::format(
          fmt::runtime(tr("sheet '{}' has no part in the workbook's relationships")), sheet->first)));
    if (auto r = load_shared_strings(); !r) return fail(r.error());
    if (auto r = load_styles(); !r) return fail(r.error());
    auto text = part(sheet->second);
    if (!text) return fail(text.error());
    if (!*text) return fail(not_a_workbook(fmt::format(
        fmt::runtime(tr("sheet '{}': its part {} is missing")), sheet->first, sheet->second)));
    auto doc = parse(**text, sheet->second);
    if (!doc) return fail(doc.error());
    XlsxSheet out;
    out.name = sheet->first;
    auto data = child((*doc)->document_element(), "sheetData");
    std::size_t last_row = 0;
    for (auto row = data.first_child(); row; row = row.next_sibling()) {
      if (row.type() != pugi::node_element || local_name(row.name()) != "row") continue;
      std::size_t number = last_row + 1;
      if (auto r = row.attribute("r")) {
        auto n = parse_index(r.value(), kMaxRows);
        if (!n) return fail(corrupt(sheet->first, fmt::format(fmt::runtime(tr("row number '{}'")), r.value())));
        number = *n;
      }
      last_row = number;
      XlsxRow xr;
      xr.row = number;
      std::size_t last_col = 0;
      for (auto c = row.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element || local_name(c.name()) != "c") continue;
        std::size_t col = last_col + 1;
        if (auto r = c.attribute("r")) {
          auto n = column_of(r.value());
          if (!n) return fail(corrupt(sheet->first, fmt::format(fmt::runtime(tr("cell reference '{}'")), r.value())));
          col = *n;
        }
        if (col > kMaxColumns) return fail(corrupt(sheet->first, fmt::format(
            fmt::runtime(tr("a cell beyond column XFD in row {}")), number)));
        last_col = col;
        auto value = cell_value(c, sheet->first);
        if (!value) return fail(value.error());
        if (value->empty()) continue;
        if (col > kMaxValueColumns) {
          return fail(Error::bad_input(fmt::format(
              fmt::runtime(tr("{}:{}: column {}: a value beyond column {}; soquy reads at most {} columns (delete what is "
              "written out there, or save only the statement's columns)")),
              path_, number, col, kMaxValueColumns, kMaxValueColumns)));
        }
        if (xr.cells.size() < col) xr.cells.resize(col);
        // A number cell (no type, or "n") that did not become a day (YYYY-MM-DD).
        const std::string_view type = c.attribute("t").value();
        const bool number = (type.empty() || type == "n") && !(value->size() == 10 && (*value)[4] == '-');
        if (number) {
          xr.numeric.resize(col);
          xr.numeric[col - 1] = true;
        }
        xr.cells[col - 1] = std::move(*value);
      }
      if (xr.cells.empty()) continue;
      out.width = std::max(out.width, xr.cells.size());
      out.rows.push_back(std::move(xr));
    }
    return out;
  }

 private:
  Error not_a_workbook(const std::string& why) const {
    return Error::bad_input(fmt::format(fmt::runtime(tr("{}: not an .xlsx workbook ({})")), path_, why));
  }
  Error corrupt(const std::string& sheet, const std::string& what) const {
    return Error::bad_input(fmt::format(
        fmt::runtime(tr("{}: sheet '{}': the workbook is damaged: {}")), path_, sheet, what));
  }

  // The most a part may decompress to: 2 GiB, and at most 250 times its compressed size (XML of
  // real sheets compresses 5–50 times) with a floor of 32 MiB.
  static zip_uint64_t part_bound(const zip_stat_t& st) {
    zip_uint64_t bound = kMaxPartSize;
    if (st.valid & ZIP_STAT_COMP_SIZE) bound = std::min(bound, std::max<zip_uint64_t>(32ULL << 20, st.comp_size * 250));
    return bound;
  }

  Error too_large(const std::string& name, zip_uint64_t bound) const {
    return Error::bad_input(fmt::format(
        fmt::runtime(tr("{}: the part {} decompresses to more than {} MiB: not read (a damaged or "
                                        "hostile file; save the workbook again from Excel)")),
                                        path_, name, bound >> 20));
  }

  // A part's bytes; nullopt when the archive has no such part (names compared without case, as
  // Open Packaging Conventions part names are).
  Result<std::optional<std::string>> part(const std::string& name) {
    zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::optional<std::string>();
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
      return fail(not_a_workbook(fmt::format(fmt::runtime(tr("cannot read the part {}")), name)));
    // The sizes in the zip directory are claims: read what really decompresses, in chunks, up to
    // a bound that a real workbook stays far below (a claimed 2 GiB part in a 3 KB file costs
    // nothing; a zip bomb stops at the bound).
    const zip_uint64_t bound = part_bound(st);
    if (st.size > bound) return fail(too_large(name, bound));
    zip_file_t* f = zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0);
    if (!f) return fail(not_a_workbook(fmt::format(
        fmt::runtime(tr("cannot open the part {}: {}")), name, zip_strerror(zip_.get()))));
    std::string data;
    data.reserve(static_cast<std::size_t>(std::min<zip_uint64_t>(st.size, 1 << 20)));
    std::array<char, 1 << 16> chunk{};
    zip_int64_t got = 0;
    while ((got = zip_fread(f, chunk.data(), chunk.size())) > 0) {
      if (data.size() + static_cast<std::size_t>(got) > bound) break;
      data.append(chunk.data(), static_cast<std::size_t>(got));
    }
    zip_fclose(f);
    if (got > 0) return fail(too_large(name, bound));
    if (got < 0 || data.size() != st.size) return fail(not_a_workbook(fmt::format(
        fmt::runtime(tr("the part {} is damaged")), name)));
    return std::optional<std::string>(std::move(data));
  }

  Result<std::shared_ptr<pugi::xml_document>> parse(std::string& text, const std::string& name) {
    auto doc = std::make_shared<pugi::xml_document>();
    auto r = doc->load_buffer_inplace(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata,
                                      pugi::encoding_auto);
    if (!r)
      return fail(Error::bad_input(
          fmt::format(
              fmt::runtime(tr("{}: the workbook is damaged: {} at byte {}: {}")), path_, name, r.offset, r.description())));
    return doc;
  }

  // type → target of a .rels part (targets resolved against `dir`).
  Result<std::vector<std::pair<std::string, std::string>>> relationships(std::string& text, const std::string& dir) {
    auto by_id = relationships_by_id(text, "_rels/.rels", dir);
    if (!by_id) return fail(by_id.error());
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& [id, rel] : *by_id) out.push_back(rel);
    return out;
  }

  Result<std::vector<std::pair<std::string, std::pair<std::string, std::string>>>> relationships_by_id(
      std::string& text, const std::string& name, const std::string& dir) {
    auto doc = parse(text, name);
    if (!doc) return fail(doc.error());
    std::vector<std::pair<std::string, std::pair<std::string, std::string>>> out;
    for_each_child((*doc)->document_element(), "Relationship", [&](pugi::xml_node r) {
      if (std::string_view(r.attribute("TargetMode").value()) == "External") return;
      out.push_back({r.attribute("Id").value(), {r.attribute("Type").value(), resolve(dir, r.attribute("Target").value())}});
    });
    return out;
  }

  // A relationship target against the directory of its source part: "worksheets/sheet1.xml"
  // from "xl/" is "xl/worksheets/sheet1.xml"; "/xl/…" is absolute; ".." goes up.
  static std::string resolve(const std::string& dir, std::string_view target) {
    std::string full = target.starts_with("/") ? std::string(target.substr(1)) : dir + std::string(target);
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= full.size()) {
      auto slash = full.find('/', start);
      if (slash == std::string::npos) slash = full.size();
      std::string seg = full.substr(start, slash - start);
      if (seg == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.push_back(seg);
      }
      start = slash + 1;
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
  }

  Result<void> load_shared_strings() {
    std::string name = shared_strings_part_.empty() ? "xl/sharedStrings.xml" : shared_strings_part_;
    auto text = part(name);
    if (!text) return fail(text.error());
    if (!*text) return {};
    auto doc = parse(**text, name);
    if (!doc) return fail(doc.error());
    for_each_child((*doc)->document_element(), "si", [&](pugi::xml_node si) { shared_.push_back(string_item(si)); });
    return {};
  }

  Result<void> load_styles() {
    std::string name = styles_part_.empty() ? "xl/styles.xml" : styles_part_;
    auto text = part(name);
    if (!text) return fail(text.error());
    if (!*text) return {};
    auto doc = parse(**text, name);
    if (!doc) return fail(doc.error());
    auto root = (*doc)->document_element();
    std::vector<std::pair<int, std::string>> custom;
    for_each_child(child(root, "numFmts"), "numFmt", [&](pugi::xml_node f) {
      custom.emplace_back(f.attribute("numFmtId").as_int(-1), f.attribute("formatCode").value());
    });
    for_each_child(child(root, "cellXfs"), "xf", [&](pugi::xml_node xf) {
      int id = xf.attribute("numFmtId").as_int(0);
      std::string code;
      for (const auto& [cid, c] : custom)
        if (cid == id) code = c;
      date_style_.push_back(is_date_number_format(id, code));
    });
    return {};
  }

  Result<std::string> cell_value(pugi::xml_node c, const std::string& sheet) {
    std::string_view type = c.attribute("t").value();
    auto v = child(c, "v");
    if (type == "inlineStr") {
      if (auto is = child(c, "is")) return string_item(is);
      return decode_ooxml_escapes(text_of(v));
    }
    std::string value = text_of(v);
    if (value.empty()) return value;
    if (type == "s") {
      auto index = parse_index(value, shared_.size() ? shared_.size() : 1, true);
      if (!index || *index >= shared_.size())
        return fail(corrupt(sheet, fmt::format(
            fmt::runtime(tr("cell {} names shared string '{}' of {}")), c.attribute("r").value(), value,
                                               shared_.size())));
      return shared_[*index];
    }
    if (type == "b") return value == "1" ? std::string("TRUE") : value == "0" ? std::string("FALSE") : value;
    if (type == "str") return decode_ooxml_escapes(std::move(value));
    if (type == "e") return value;
    if (type == "d") {  // ISO 8601 (strict files): the day
      if (value.size() >= 10 && Date::parse_iso(std::string_view(value).substr(0, 10))) return value.substr(0, 10);
      return value;
    }
    // a number: as written, or the day of a date-styled serial
    if (auto s = c.attribute("s"); s && !value.empty()) {
      auto style = static_cast<std::size_t>(s.as_uint(0));
      if (style < date_style_.size() && date_style_[style]) {
        if (auto d = excel_serial_text_date(value, date1904_)) return d->to_iso();
      }
    }
    return value;
  }

  // Digits only, 1..max ("7" → 7); with `zero`, 0..max-1.
  static std::optional<std::size_t> parse_index(std::string_view s, std::size_t max, bool zero = false) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    std::size_t n = 0;
    for (char ch : s) {
      if (ch < '0' || ch > '9') return std::nullopt;
      n = n * 10 + static_cast<std::size_t>(ch - '0');
    }
    if (zero) return n < max ? std::optional<std::size_t>(n) : std::nullopt;
    if (n < 1 || n > max) return std::nullopt;
    return n;
  }

  // "C7" → 3 ("$C$7" too).
  static std::optional<std::size_t> column_of(std::string_view ref) {
    std::size_t col = 0, i = 0;
    if (i < ref.size() && ref[i] == '$') ++i;
    std::size_t letters = 0;
    for (; i < ref.size(); ++i) {
      char ch = ref[i];
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
      if (ch < 'A' || ch > 'Z') break;
      if (++letters > 3) return std::nullopt;
      col = col * 26 + static_cast<std::size_t>(ch - 'A' + 1);
    }
    if (letters == 0) return std::nullopt;
    if (i < ref.size() && ref[i] == '$') ++i;
    if (!parse_index(ref.substr(i), kMaxRows)) return std::nullopt;
    return col;
  }

  std::string path_;
  Zip zip_;
  bool date1904_ = false;
  std::string shared_strings_part_, styles_part_;
  std::vector<std::pair<std::string, std::string>> sheets_;  // name, part
  std::vector<std::string> shared_;
  std::vector<bool> date_style_;
};

}  // namespace

Result<void> read_table_file(const std::string& path, const CsvReadOptions& read_options,
                             const std::function<Result<void>(CsvRecord&)>& on_record) {
  if (!is_xlsx_path(path) && !looks_like_zip(path)) return read_csv_file(path, read_options, on_record);
  auto sheet = read_xlsx_sheet(path);
  if (!sheet) return fail(sheet.error());
  for (auto& row : sheet->rows) {
    CsvRecord rec{row.row, std::move(row.cells), std::move(row.numeric)};
    rec.fields.resize(sheet->width);
    if (auto r = on_record(rec); !r) return r;
  }
  return {};
}

bool is_xlsx_path(std::string_view path) { return iends_with(path, ".xlsx") || iends_with(path, ".xlsm"); }

bool looks_like_zip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  if (!in.read(magic, 4)) return false;
  return std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

Result<std::vector<std::string>> xlsx_sheet_names(const std::string& path) {
  Workbook wb(path);
  if (auto r = wb.open(); !r) return fail(r.error());
  std::vector<std::string> out;
  for (const auto& s : wb.sheets()) out.push_back(s.first);
  return out;
}

Result<XlsxSheet> read_xlsx_sheet(const std::string& path, const std::string& sheet) {
  Workbook wb(path);
  if (auto r = wb.open(); !r) return fail(r.error());
  return wb.read(sheet);
}

std::optional<Date> excel_serial_date(std::int64_t serial, bool date1904) {
  // Days since 1970-01-01 (Date::from_ymd only takes the years soquy accepts in files, 1900–2999).
  auto days_of = [](int y, unsigned m, unsigned d) {
    return std::int64_t{date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count()};
  };
  static const std::int64_t k1899_12_30 = days_of(1899, 12, 30);
  static const std::int64_t k1899_12_31 = days_of(1899, 12, 31);
  static const std::int64_t k1904_01_01 = days_of(1904, 1, 1);
  static const std::int64_t k9999_12_31 = days_of(9999, 12, 31);
  if (serial < 0 || serial > 4'000'000) return std::nullopt;
  std::int64_t days = 0;
  if (date1904) {
    days = k1904_01_01 + serial;
  } else if (serial < 1 || serial == 60) {
    return std::nullopt;  // 0 is Excel's "1900-01-00"; 60 its 29/02/1900, a day that never was
  } else if (serial < 60) {
    days = k1899_12_31 + serial;  // before the fictitious day
  } else {
    days = k1899_12_30 + serial;
  }
  if (days > k9999_12_31) return std::nullopt;
  return Date::from_days(days);
}

std::optional<Date> excel_serial_text_date(std::string_view text, bool date1904) {
  auto dot = text.find('.');
  auto whole = text.substr(0, dot);
  if (whole.empty() || whole.size() > 9) return std::nullopt;
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(whole)) return std::nullopt;
  if (dot != std::string_view::npos) {
    auto frac = text.substr(dot + 1);
    if (frac.empty() || !digits(frac)) return std::nullopt;
  }
  std::int64_t serial = 0;
  for (char c : whole) serial = serial * 10 + (c - '0');
  return excel_serial_date(serial, date1904);
}

bool is_date_number_format(int id, std::string_view code) {
  // Built-in formats: 14–17 and 22 show a day; 18–21 and 45–47 are times of day or durations.
  if ((id >= 14 && id <= 17) || id == 22) return true;
  if (id < 164 && code.empty()) return false;  // other built-ins: times, numbers, text, currency
  // The first section of the code, without quoted text, escaped or padding characters and
  // bracketed parts; an elapsed time ([h], [mm], [ss]) is a duration, not a day.
  bool date_part = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == ';') break;
    if (c == '"') {
      auto end = code.find('"', i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (\x), a width (_x) or a fill (*x)
    } else if (c == '[') {
      auto end = code.find(']', i + 1);
      if (end == std::string_view::npos) break;
      auto inside = code.substr(i + 1, end - i - 1);
      if (!inside.empty() && std::all_of(inside.begin(), inside.end(), [](char x) {
            return x == 'h' || x == 'H' || x == 'm' || x == 'M' || x == 's' || x == 'S';
          }))
        return false;
      i = end;
    } else {
      char l = ascii_lower(c);
      auto upcoming = [&](std::string_view word) {
        if (code.size() - i < word.size()) return false;
        for (std::size_t k = 0; k < word.size(); ++k)
          if (ascii_lower(code[i + k]) != word[k]) return false;
        return true;
      };
      if (upcoming("am/pm")) {  // the 12-hour clock marker, not a month
        i += 4;
        continue;
      }
      if (upcoming("a/p")) {
        i += 2;
        continue;
      }
      if (l == 'd' || l == 'y') date_part = true;
      if (l == 'm') {
        // As Excel reads it, an m right after an hour or right before seconds is minutes
        // ("hh:mm", "mm:ss"); otherwise it is the month.
        std::size_t end = i;
        while (end + 1 < code.size() && ascii_lower(code[end + 1]) == 'm') ++end;
        auto letter_before = [&]() -> char {
          for (std::size_t j = i; j-- > 0;)
            if (std::isalpha(static_cast<unsigned char>(code[j]))) return ascii_lower(code[j]);
          return 0;
        };
        auto letter_after = [&]() -> char {
          for (std::size_t j = end + 1; j < code.size() && code[j] != ';'; ++j)
            if (std::isalpha(static_cast<unsigned char>(code[j]))) return ascii_lower(code[j]);
          return 0;
        };
        if (letter_before() != 'h' && letter_after() != 's') date_part = true;
        i = end;
      }
    }
  }
  return date_part;
}

}  // namespace soquy

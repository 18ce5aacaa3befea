#include "soquy/reports/row_stream.h"

#include <cstdlib>
#include <ostream>

#include <fmt/format.h>

#include "soquy/i18n.h"

namespace soquy::reports {

using nlohmann::ordered_json;

namespace {

// Stands for the list in the skeleton's JSON text, which is then cut in two around it; a number
// is added to it while the skeleton's own text holds it (a user's group name could).
constexpr std::string_view kListMark = "@@soquy-streamed-list-7f3c1e@@";

std::string dump(const ordered_json& j) {
  // As render() writes JSON: text that is not valid UTF-8 shows as U+FFFD.
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace);
}

// One CSV line as render() writes the first table: RFC 4180 fields, CRLF.
void write_csv_line(std::ostream& out, const std::vector<Column>& columns, const std::vector<std::string>& cells,
                    bool header) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c) out << ',';
    std::string_view v = c < cells.size() ? std::string_view(cells[c]) : std::string_view();
    out << csv_field(v, header ? CellKind::kText : columns[c].kind);
  }
  out << "\r\n";
}

}  // namespace

std::size_t document_row_limit() {
  const char* text = std::getenv("SOQUY_DOCUMENT_ROW_LIMIT");
  if (text == nullptr || *text == '\0') return kDocumentRowLimit;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(text, &end, 10);
  if (*end != '\0' || n == 0 || text[0] == '-') return kDocumentRowLimit;
  return static_cast<std::size_t>(n);
}

bool streams(Format format) { return format == Format::kJson || format == Format::kCsv; }

Error too_many_rows(Format format, std::size_t limit) {
  return Error::usage(fmt::format(
      fmt::runtime(tr("the report has more than {} rows, the most an {} file holds here: write it as csv or json "
                      "(--format csv, --format json), which have no limit")),
      limit, format == Format::kXlsx ? "xlsx" : "html"));
}

Result<RowSink> RowSink::open(Report skeleton, std::string list, Format format, std::ostream& out,
                              const RenderOptions& options) {
  const ordered_json::json_pointer at(list);
  if (!skeleton.json.contains(at) || !skeleton.json.at(at).is_array() || skeleton.tables.empty())
    return fail(Error::internal(fmt::format("row stream: no list at {} or no table", list)));
  return RowSink(std::move(skeleton), std::move(list), format, out, options);
}

// The part before the list, written with the first row or at finish(): a command that fails
// before reading anything (a bad filter) writes nothing.
Result<void> RowSink::begin() {
  started_ = true;
  if (format_ == Format::kCsv) {
    if (options_.bom) *out_ << "\xEF\xBB\xBF";
    std::vector<std::string> keys;
    for (const auto& c : report_.tables.front().columns) keys.push_back(c.key);
    write_csv_line(*out_, report_.tables.front().columns, keys, true);
  } else if (format_ == Format::kJson) {
    const std::string plain = dump(report_.json);
    std::string mark_text(kListMark);
    for (int n = 1; plain.find(mark_text) != std::string::npos; ++n) mark_text = fmt::format("{}{}", kListMark, n);
    const std::string quoted = "\"" + mark_text + "\"";
    ordered_json marked = report_.json;
    marked[ordered_json::json_pointer(list_)] = mark_text;
    const std::string text = dump(marked);
    const auto mark = text.find(quoted);
    if (mark == std::string::npos || text.find(quoted, mark + 1) != std::string::npos)
      return fail(Error::internal("row stream: the list's place is not found once"));
    const auto line = text.rfind('\n', mark);
    const auto first = line == std::string::npos ? 0 : line + 1;
    const auto spaces = text.find_first_not_of(' ', first) - first;
    json_indent_ = std::string(spaces + 2, ' ');
    json_tail_ = text.substr(mark + quoted.size());
    out_->write(text.data(), static_cast<std::streamsize>(mark));
  }
  return check_written();
}

Result<void> RowSink::row(const ordered_json& item, std::vector<std::string> cells) {
  std::vector<std::vector<std::string>> lines;
  lines.push_back(std::move(cells));
  return row_lines(item, std::move(lines));
}

Result<void> RowSink::row_lines(const ordered_json& item, std::vector<std::vector<std::string>> lines) {
  if (!started_)
    if (auto ok = begin(); !ok) return ok;
  switch (format_) {
    case Format::kCsv:
      for (const auto& cells : lines) write_csv_line(*out_, report_.tables.front().columns, cells, false);
      break;
    case Format::kJson: {
      std::string text = dump(item);
      *out_ << (rows_ == 0 ? "[\n" : ",\n") << json_indent_;
      for (char c : text) {
        *out_ << c;
        if (c == '\n') *out_ << json_indent_;  // JSON text holds no raw newline inside a string
      }
      break;
    }
    case Format::kXlsx:
    case Format::kHtml:
      if (lines_ + lines.size() > document_row_limit()) return fail(too_many_rows(format_, document_row_limit()));
      [[fallthrough]];
    case Format::kTable:
      report_.json[ordered_json::json_pointer(list_)].push_back(item);
      for (auto& cells : lines) report_.tables.front().rows.push_back(std::move(cells));
      break;
  }
  ++rows_;
  lines_ += lines.size();
  // A closed pipe or a full disk stops the stream at once rather than after every row.
  if (streams(format_) && !*out_) return check_written();
  return {};
}

Result<void> RowSink::finish(const std::function<void(Report&)>& complete) {
  if (!started_)
    if (auto ok = begin(); !ok) return ok;
  if (format_ == Format::kCsv) return check_written();
  if (format_ == Format::kJson) {
    if (rows_ == 0) *out_ << "[]";
    else *out_ << '\n' << json_indent_.substr(2) << ']';
    *out_ << json_tail_ << '\n';
    return check_written();
  }
  if (complete) complete(report_);
  return render(report_, format_, *out_, options_);
}

Result<void> RowSink::check_written() {
  out_->flush();
  if (!*out_) return fail(Error::io(tr("cannot write the report (disk full or closed output?)")));
  return {};
}

}  // namespace soquy::reports

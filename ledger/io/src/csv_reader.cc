#include "soquy/csv_reader.h"

#include <csv.h>

#include <algorithm>
#include <optional>
#include <cctype>
#include <fstream>

#include <fmt/format.h>

namespace soquy {
namespace {

struct ParseState {
  CsvRecord current;
  std::size_t line = 0;
  std::string name;
  bool between_records = true;
  const std::function<Result<void>(CsvRecord&)>* sink = nullptr;
  std::optional<Error> stop;
};

void on_field(void* data, std::size_t len, void* p) {
  auto* st = static_cast<ParseState*>(p);
  if (len > kCsvMaxFieldBytes && !st->stop)
    st->stop = Error::bad_input(fmt::format("{}:{}: a field of {} bytes is longer than the {} KiB a field may hold",
                                            st->name, st->current.line, len, kCsvMaxFieldBytes / 1024));
  if (st->stop) return;
  st->current.fields.emplace_back(static_cast<const char*>(data), len);
}

void on_record_end(int, void* p) {
  auto* st = static_cast<ParseState*>(p);
  st->between_records = true;
  if (st->stop) return;
  auto r = (*st->sink)(st->current);
  if (!r) st->stop = r.error();
  st->current.fields.clear();
}

class Parser {
 public:
  Parser(const std::string& name, const std::function<Result<void>(CsvRecord&)>& sink) : name_(name) {
    csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI);
    state_.sink = &sink;
    state_.name = name;
  }
  ~Parser() { csv_free(&parser_); }

  // Feeds one physical line including its terminator (LF, CRLF or CR; absent on the last line).
  Result<void> feed_line(std::string_view line) {
    ++state_.line;
    if (line.size() > kCsvMaxLineBytes)
      return fail(Error::bad_input(fmt::format("{}:{}: the line is longer than {} MiB; is this a CSV file?", name_,
                                               state_.line, kCsvMaxLineBytes / (1024 * 1024))));
    if (state_.line == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // BOM
    // libcsv skips lines of only spaces, tabs and line ends: they start no record.
    bool blank = std::all_of(line.begin(), line.end(),
                             [](char c) { return c == '\r' || c == '\n' || c == ' ' || c == '\t'; });
    if (state_.between_records && !blank) {
      state_.between_records = false;
      state_.current.line = state_.line;
    }
    if (csv_parse(&parser_, line.data(), line.size(), on_field, on_record_end, &state_) != line.size()) {
      return fail(malformed());
    }
    if (state_.stop) return fail(*state_.stop);
    return {};
  }

  Result<void> finish() {
    if (csv_fini(&parser_, on_field, on_record_end, &state_) != 0) {
      // At the end of the file the only possible error is a quote left open: name where the
      // record holding it started.
      return fail(Error::bad_input(fmt::format("{}:{}: malformed CSV: a quoted field opened in the record starting "
                                               "on this line is never closed",
                                               name_, state_.current.line)));
    }
    if (state_.stop) return fail(*state_.stop);
    return {};
  }

 private:
  Error malformed() {
    return Error::bad_input(fmt::format("{}:{}: malformed CSV ({}): check the quotes on this line", name_,
                                        state_.line, csv_strerror(csv_error(&parser_))));
  }

  std::string name_;
  csv_parser parser_{};
  ParseState state_;
};

// The end of the line that starts at `start`: past its LF, CRLF or lone CR, or text.size().
std::size_t line_end(std::string_view text, std::size_t start) {
  auto at = text.find_first_of("\r\n", start);
  if (at == std::string_view::npos) return text.size();
  if (text[at] == '\r' && at + 1 < text.size() && text[at + 1] == '\n') return at + 2;
  return at + 1;
}

Result<void> feed_text(Parser& parser, std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = line_end(text, start);
    if (auto r = parser.feed_line(text.substr(start, end - start)); !r) return r;
    start = end;
  }
  return {};
}

// Where whole lines end in a chunk read from a file: after the last LF, or after the last CR
// that is not the chunk's final byte (a final CR may be the first half of a CRLF).
std::size_t whole_lines(std::string_view chunk) {
  auto at = chunk.find_last_of("\r\n");
  if (at == std::string_view::npos) return 0;
  if (chunk[at] == '\r' && at + 1 == chunk.size()) {
    if (at == 0) return 0;
    auto before = chunk.find_last_of("\r\n", at - 1);
    return before == std::string_view::npos ? 0 : before + 1;
  }
  return at + 1;
}

std::string normalise_header(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<void> read_csv_text(std::string_view text, const std::string& name,
                           const std::function<Result<void>(CsvRecord&)>& on_record) {
  Parser parser(name, on_record);
  if (auto r = feed_text(parser, text); !r) return r;
  return parser.finish();
}

Result<void> read_csv_file(const std::string& path, const std::function<Result<void>(CsvRecord&)>& on_record) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::no_input(fmt::format("{}: cannot open the file (does it exist?)", path)));
  Parser parser(path, on_record);
  std::string buffer(1 << 20, '\0');
  std::string carry;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::string_view chunk(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (chunk.empty()) break;
    // Feed whole lines only, so line numbers stay exact; keep the tail for the next chunk.
    const std::size_t whole = whole_lines(chunk);
    if (whole == 0) {
      carry.append(chunk);
      if (carry.size() <= kCsvMaxLineBytes) continue;
      // No line end within the bound: fed as it is, so that the line is refused with its number.
      if (auto r = feed_text(parser, carry); !r) return r;
      carry.clear();
      continue;
    }
    carry.append(chunk.substr(0, whole));
    if (auto r = feed_text(parser, carry); !r) return r;
    carry.assign(chunk.substr(whole));
  }
  if (in.bad()) return fail(Error::io(fmt::format("{}: read error", path)));
  if (!carry.empty())
    if (auto r = feed_text(parser, carry); !r) return r;
  return parser.finish();
}

Result<CsvHeader> CsvHeader::from_record(const CsvRecord& header, const std::vector<std::string>& required,
                                         const std::vector<std::string>& optional,
                                         const std::vector<std::pair<std::string, std::string>>& aliases) {
  CsvHeader out;
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string name = normalise_header(header.fields[i]);
    for (const auto& [alias, canonical] : aliases) {
      if (normalise_header(alias) == name) name = canonical;
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return fail(Error::bad_input(fmt::format("{}: header: column '{}' appears twice", header.line, name)));
    }
    seen.push_back(name);
    bool known = std::find(required.begin(), required.end(), name) != required.end() ||
                 std::find(optional.begin(), optional.end(), name) != optional.end();
    if (!known) {
      std::string expected;
      for (const auto& r : required) expected += (expected.empty() ? "" : ",") + r;
      for (const auto& o : optional) expected += "," + o;
      return fail(Error::bad_input(
          fmt::format("{}: header: unknown column '{}' (expected the columns {})", header.line, name, expected)));
    }
    out.columns_.emplace_back(name, static_cast<int>(i));
  }
  for (const auto& r : required) {
    if (out.index(r) < 0) {
      return fail(Error::bad_input(fmt::format("{}: header: there is no column '{}'", header.line, r)));
    }
  }
  return out;
}

int CsvHeader::index(std::string_view name) const {
  for (const auto& [n, i] : columns_)
    if (n == name) return i;
  return -1;
}

std::string_view CsvHeader::get(const CsvRecord& record, std::string_view name) const {
  int i = index(name);
  if (i < 0 || static_cast<std::size_t>(i) >= record.fields.size()) return {};
  return record.fields[static_cast<std::size_t>(i)];
}

}  // namespace soquy

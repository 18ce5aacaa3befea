#include "soquy/csv_reader.h"

#include <csv.h>

#include <algorithm>
#include <optional>
#include <cctype>
#include <fstream>

#include <fmt/format.h>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "csv_decode.h"
#include "ledger_internal.h"
#include "soquy/i18n.h"

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
    st->stop = Error::bad_input(fmt::format(
        fmt::runtime(tr("{}:{}: a field of {} bytes is longer than the {} KiB a field may hold")),
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

// With TAB as the delimiter only ' ' is a space that libcsv trims around fields (its default
// trims TAB too, before it looks for the delimiter).
int only_space(unsigned char c) { return c == ' ' ? 1 : 0; }

class Parser {
 public:
  // `delimiter` 0: detected from the first non-blank line. `utf8_unchecked`: the text is raw
  // UTF-8 from the file, checked line by line (converted text is valid already).
  Parser(const std::string& name, const CsvSink& sink, char delimiter, bool utf8_unchecked)
      : name_(name), delimiter_(delimiter), check_utf8_(utf8_unchecked) {
    csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI);
    state_.sink = &sink;
    state_.name = name;
    if (delimiter_ != 0) set_delimiter(delimiter_);
  }
  ~Parser() { csv_free(&parser_); }

  // Feeds one physical line including its terminator (LF, CRLF or CR; absent on the last line).
  Result<void> feed_line(std::string_view line) {
    ++state_.line;
    if (line.size() > kCsvMaxLineBytes)
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(tr("{}:{}: the line is longer than {} MiB; is this a CSV file?")), name_,
                                               state_.line, kCsvMaxLineBytes / (1024 * 1024))));
    if (state_.line == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // BOM
    if (check_utf8_ && !detail::is_valid_utf8(line)) return fail(csv_detail::not_valid_text(name_, state_.line, "UTF-8"));
    // libcsv skips lines of only spaces, tabs and line ends: they start no record.
    bool blank = std::all_of(line.begin(), line.end(),
                             [](char c) { return c == '\r' || c == '\n' || c == ' ' || c == '\t'; });
    if (state_.between_records && !blank) {
      if (delimiter_ == 0) set_delimiter(csv_detail::detect_delimiter(line));
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
      return fail(Error::bad_input(fmt::format(
          fmt::runtime(tr("{}:{}: malformed CSV: a quoted field opened in the record starting "
                                               "on this line is never closed")),
                                               name_, state_.current.line)));
    }
    if (state_.stop) return fail(*state_.stop);
    return {};
  }

 private:
  Error malformed() {
    return Error::bad_input(fmt::format(
        fmt::runtime(tr("{}:{}: malformed CSV ({}): check the quotes on this line")), name_,
                                        state_.line, csv_strerror(csv_error(&parser_))));
  }

  void set_delimiter(char c) {
    delimiter_ = c;
    csv_set_delim(&parser_, static_cast<unsigned char>(c));
    if (c == '\t') csv_set_space_func(&parser_, only_space);
  }

  std::string name_;
  char delimiter_ = 0;
  bool check_utf8_ = true;
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

}  // namespace

std::string fold_for_matching(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  if (!detail::is_valid_utf8(out)) return out;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  auto folded = icu::UnicodeString::fromUTF8(icu::StringPiece(out.data(), static_cast<int32_t>(out.size()))).foldCase();
  if (U_SUCCESS(status)) folded = nfc->normalize(folded, status);
  if (U_FAILURE(status)) return out;
  out.clear();
  folded.toUTF8String(out);
  return out;
}

namespace {

std::string normalise_header(std::string_view s) { return fold_for_matching(s); }

}  // namespace

Result<void> read_csv_text(std::string_view text, const std::string& name, const CsvReadOptions& options,
                           const CsvSink& on_record) {
  auto delimiter = parse_csv_delimiter(options.delimiter);
  if (!delimiter) return fail(delimiter.error());
  auto encoding = csv_detail::encoding_to_convert(text.substr(0, 4), options.encoding);
  if (!encoding) return fail(encoding.error());
  std::string converted;
  if (!encoding->empty()) {
    auto utf8 = csv_detail::to_utf8(text, *encoding, name);
    if (!utf8) return fail(utf8.error());
    converted = std::move(*utf8);
    text = converted;
  }
  Parser parser(name, on_record, *delimiter, encoding->empty());
  if (auto r = feed_text(parser, text); !r) return r;
  return parser.finish();
}

Result<void> read_csv_text(std::string_view text, const std::string& name, const CsvSink& on_record) {
  return read_csv_text(text, name, CsvReadOptions{}, on_record);
}

namespace {

// A file in an encoding other than UTF-8: read whole, converted, then parsed.
Result<void> read_converted(std::ifstream& in, const std::string& path, const std::string& encoding,
                            char delimiter, const CsvSink& on_record) {
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail(Error::io(fmt::format(fmt::runtime(tr("{}: read error")), path)));
  auto utf8 = csv_detail::to_utf8(bytes, encoding, path);
  if (!utf8) return fail(utf8.error());
  Parser parser(path, on_record, delimiter, false);
  if (auto r = feed_text(parser, *utf8); !r) return r;
  return parser.finish();
}

// A UTF-8 file, streamed in chunks of whole lines.
Result<void> read_streamed(std::ifstream& in, const std::string& path, char delimiter, const CsvSink& on_record) {
  Parser parser(path, on_record, delimiter, true);
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
  if (in.bad()) return fail(Error::io(fmt::format(fmt::runtime(tr("{}: read error")), path)));
  if (!carry.empty())
    if (auto r = feed_text(parser, carry); !r) return r;
  return parser.finish();
}

}  // namespace

Result<void> read_csv_file(const std::string& path, const CsvReadOptions& options, const CsvSink& on_record) {
  auto delimiter = parse_csv_delimiter(options.delimiter);
  if (!delimiter) return fail(delimiter.error());
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::no_input(fmt::format(
      fmt::runtime(tr("{}: cannot open the file (does it exist?)")), path)));
  char head[4] = {};
  in.read(head, sizeof head);
  const auto got = static_cast<std::size_t>(in.gcount());
  in.clear();
  in.seekg(0);
  auto encoding = csv_detail::encoding_to_convert(std::string_view(head, got), options.encoding);
  if (!encoding) return fail(encoding.error());
  if (!encoding->empty()) return read_converted(in, path, *encoding, *delimiter, on_record);
  return read_streamed(in, path, *delimiter, on_record);
}

Result<void> read_csv_file(const std::string& path, const CsvSink& on_record) {
  return read_csv_file(path, CsvReadOptions{}, on_record);
}

Result<char> parse_csv_delimiter(std::string_view text) {
  if (text.empty()) return '\0';
  if (text == "," || text == ";") return text[0];
  if (text == "\t" || text == "tab" || text == "TAB" || text == "Tab" || text == "\\t") return '\t';
  return fail(Error::bad_input(fmt::format(fmt::runtime(tr("'{}' is not a delimiter: use ',', ';' or tab")),
                                           std::string(text)))
                  .in_field("delimiter"));
}

namespace {

using Aliases = std::vector<std::pair<std::string, std::string>>;

// "loan (mã khoản vay, số khế ước)": a canonical name with its aliases.
std::string with_aliases(const std::string& canonical, const Aliases& aliases) {
  std::string names;
  std::vector<std::string> listed;
  for (const auto& [alias, target] : aliases) {
    if (target != canonical) continue;
    auto key = normalise_header(alias);
    if (std::find(listed.begin(), listed.end(), key) != listed.end()) continue;
    listed.push_back(std::move(key));
    names += (names.empty() ? "" : ", ") + alias;
  }
  return names.empty() ? canonical : fmt::format("{} ({})", canonical, names);
}

// Every accepted column with its aliases, for header errors.
std::string accepted_columns(const std::vector<std::string>& required, const std::vector<std::string>& optional,
                             const Aliases& aliases) {
  std::string out;
  for (const auto& r : required) out += (out.empty() ? "" : "; ") + with_aliases(r, aliases);
  if (optional.empty()) return out;
  std::string opt;
  for (const auto& o : optional) opt += (opt.empty() ? "" : "; ") + with_aliases(o, aliases);
  return fmt::format(fmt::runtime(tr("{}; optional: {}")), out, opt);
}

}  // namespace

bool is_ignored_column(std::string_view header_name) {
  const std::string n = normalise_header(header_name);
  return n == "stt" || n == "tt" || n == "no." || n == "no" || n == "#" || n == "số tt" || n == "số thứ tự" ||
         n == "error" || n == "lỗi";
}

Result<CsvHeader> CsvHeader::from_record(const CsvRecord& header, const std::vector<std::string>& required,
                                         const std::vector<std::string>& optional, const Aliases& aliases) {
  CsvHeader out;
  out.width_ = header.fields.size();
  std::vector<std::string> seen;
  auto accepted = [&] { return accepted_columns(required, optional, aliases); };
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    if (is_ignored_column(header.fields[i])) continue;
    std::string name = normalise_header(header.fields[i]);
    for (const auto& [alias, canonical] : aliases) {
      if (normalise_header(alias) == name) name = canonical;
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return fail(Error::bad_input(
          fmt::format(fmt::runtime(tr("{}: header: column '{}' appears twice")), header.line, name)));
    }
    seen.push_back(name);
    bool known = std::find(required.begin(), required.end(), name) != required.end() ||
                 std::find(optional.begin(), optional.end(), name) != optional.end();
    if (!known) {
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{}: header: unknown column '{}'; accepted columns: {}")),
                                               header.line, header.fields[i], accepted())));
    }
    out.columns_.emplace_back(name, static_cast<int>(i));
  }
  for (const auto& r : required) {
    if (out.index(r) < 0) {
      return fail(Error::bad_input(fmt::format(fmt::runtime(tr("{}: header: there is no column {}; accepted columns: {}")),
                                               header.line, with_aliases(r, aliases), accepted())));
    }
  }
  return out;
}

std::vector<std::pair<std::string, int>> CsvHeader::positions(const std::vector<std::string>& names) const {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& n : names)
    if (index(n) >= 0) out.emplace_back(n, index(n));
  return out;
}

namespace {

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The digits from the first that is not 0 ("" when there is none).
std::string_view significant_digits(std::string_view digits) {
  const auto first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? std::string_view() : digits.substr(first);
}

Error rounded_digits(std::string_view text, std::size_t digits) {
  return Error::bad_input(
      fmt::format(fmt::runtime(tr("'{}' has {} digits: Excel rounded it. Excel keeps only 15 significant digits: "
                                  "format this column as Text and type the right number again, or get the "
                                  "original file")),
                  std::string(text), digits));
}

}  // namespace

Result<void> check_identifier(std::string_view text, bool number_cell) {
  text = trim_spaces(text);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto exp = text.find_first_of("eE");
  if (exp != std::string_view::npos && exp > 0 && digit(text.front()) && exp + 1 < text.size() &&
      (text[exp + 1] == '+' || digit(text[exp + 1])) &&
      text.find_first_not_of("0123456789.,eE+") == std::string_view::npos)
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("'{}' is a number Excel rounded (it was saved in scientific notation). Excel keeps only 15 "
                        "significant digits: format this column as Text and type the right number again, or get "
                        "the original file")),
        std::string(text))));
  if (!number_cell || !all_digits(text)) return {};
  const auto significant = significant_digits(text);
  if (significant.size() > 15) return fail(rounded_digits(text, significant.size()));
  return {};
}

bool looks_rounded_by_excel(std::string_view text) {
  text = trim_spaces(text);
  if (!all_digits(text)) return false;
  const auto significant = significant_digits(text);
  return significant.size() > 15 && significant.find_first_not_of('0', 15) == std::string_view::npos;
}

IdentifierCheck::IdentifierCheck(std::vector<std::pair<std::string, int>> columns) {
  for (auto& [name, position] : columns) columns_.push_back({std::move(name), position, false, {}});
}

void IdentifierCheck::add(const CsvRecord& record) {
  for (auto& c : columns_) {
    if (c.position < 0 || static_cast<std::size_t>(c.position) >= record.fields.size()) continue;
    const auto at = static_cast<std::size_t>(c.position);
    const std::string_view text = trim_spaces(record.fields[at]);
    const bool number_cell = at < record.numeric.size() && record.numeric[at];
    if (auto ok = check_identifier(text, number_cell); !ok) {
      certain_.push_back({record.line, c.name, ok.error().message()});
    } else if (looks_rounded_by_excel(text)) {
      c.padded.emplace_back(record.line, std::string(text));
    } else if (all_digits(text) && significant_digits(text).size() > 15) {
      c.exact_long = true;
    }
  }
}

std::vector<IdentifierCheck::Problem> IdentifierCheck::problems() const {
  auto out = certain_;
  for (const auto& c : columns_) {
    if (c.exact_long) continue;
    for (const auto& [line, text] : c.padded)
      out.push_back({line, c.name, rounded_digits(text, significant_digits(text).size()).message()});
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

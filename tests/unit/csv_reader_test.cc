// The CSV reader: Excel/LibreOffice habits (BOM, CRLF, quoted commas, quotes and line breaks),
// exact starting line numbers, strict quoting, and the header mapper.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "soquy/csv_reader.h"

namespace soquy {
namespace {

using Fields = std::vector<std::string>;

template <class T>
void expect_error(const Result<T>& r, ErrorKind kind, const std::string& needle) {
  ASSERT_FALSE(r.has_value()) << "expected an error mentioning '" << needle << "'";
  EXPECT_EQ(r.error().kind(), kind) << r.error().message();
  EXPECT_NE(r.error().message().find(needle), std::string::npos)
      << "message '" << r.error().message() << "' does not mention '" << needle << "'";
}

// Reads `text` and returns every record, failing the test on a read error.
std::vector<CsvRecord> read_all(std::string_view text) {
  std::vector<CsvRecord> out;
  auto r = read_csv_text(text, "t.csv", [&](CsvRecord& rec) -> Result<void> {
    out.push_back(rec);
    return {};
  });
  EXPECT_TRUE(r.has_value()) << r.error().message();
  return out;
}

Result<void> read_discarding(std::string_view text) {
  return read_csv_text(text, "t.csv", [](CsvRecord&) -> Result<void> { return {}; });
}

// A file in the test's temporary directory, removed afterwards.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            fmt::format("soquy_{}_{}_{}.csv", info->test_suite_name(), info->name(), ::getpid());
    std::ofstream out(path_, std::ios::binary);
    out << contents;
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// ---------------------------------------------------------------------------------------------
// Records

TEST(CsvReader, PlainRecordsAndLines) {
  auto recs = read_all("a,b,c\n1,2,3\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(recs[0].line, 1u);
  EXPECT_EQ(recs[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(recs[1].line, 2u);
}

TEST(CsvReader, LastLineWithoutNewline) {
  auto recs = read_all("a,b\nc,d");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(recs[1].line, 2u);
}

TEST(CsvReader, EmptyFields) {
  auto recs = read_all("a,,c\n,\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"a", "", "c"}));
  EXPECT_EQ(recs[1].fields, (Fields{"", ""}));
}

TEST(CsvReader, EmptyInputHasNoRecords) { EXPECT_TRUE(read_all("").empty()); }

TEST(CsvReader, ByteOrderMarkIsStripped) {
  auto recs = read_all("\xEF\xBB\xBFname,amount\nAn,1500000\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"name", "amount"}));
  EXPECT_EQ(recs[0].line, 1u);
  EXPECT_EQ(recs[1].fields, (Fields{"An", "1500000"}));
}

TEST(CsvReader, CrLfLineEnds) {
  auto recs = read_all("a,b\r\nc,d\r\n\r\ne,f\r\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(recs[1].fields, (Fields{"c", "d"}));  // no '\r' left on the last field
  EXPECT_EQ(recs[2].fields, (Fields{"e", "f"}));
  EXPECT_EQ(recs[0].line, 1u);
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].line, 4u);
}

TEST(CsvReader, QuotedFieldWithComma) {
  // "Nguyễn, Thị" with the precomposed ễ written as bytes so the source encoding cannot matter.
  auto recs = read_all("\"Nguy\xE1\xBB\x85n, Th\xE1\xBB\x8B\",100\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields, (Fields{"Nguy\xE1\xBB\x85n, Th\xE1\xBB\x8B", "100"}));
}

TEST(CsvReader, QuotedFieldWithDoubledQuote) {
  auto recs = read_all("\"say \"\"hi\"\"\",x\n\"\"\"\",\"\"\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"say \"hi\"", "x"}));
  EXPECT_EQ(recs[1].fields, (Fields{"\"", ""}));
}

TEST(CsvReader, QuotedLineBreakKeepsLineNumbers) {
  auto recs = read_all(
      "h1,h2,h3\n"             // line 1
      "a,\"line one\n"         // line 2: record 2 starts
      "line two\",b\n"         // line 3
      "c,d,e\n"                // line 4
      "f,\"x\n\ny\n\",g\n"     // lines 5–8, with an empty line inside the quotes
      "h,i,j\n");              // line 9
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[1].fields, (Fields{"a", "line one\nline two", "b"}));
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].fields, (Fields{"c", "d", "e"}));
  EXPECT_EQ(recs[2].line, 4u);
  EXPECT_EQ(recs[3].fields, (Fields{"f", "x\n\ny\n", "g"}));
  EXPECT_EQ(recs[3].line, 5u);
  EXPECT_EQ(recs[4].line, 9u);
}

TEST(CsvReader, QuotedCrLfIsKeptVerbatim) {
  auto recs = read_all("a,\"x\r\ny\"\r\nb,c\r\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"a", "x\r\ny"}));
  EXPECT_EQ(recs[1].line, 3u);
}

TEST(CsvReader, BlankLinesAreSkipped) {
  auto recs = read_all("\n\na\n\n\nb\n\r\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"a"}));
  EXPECT_EQ(recs[0].line, 3u);
  EXPECT_EQ(recs[1].fields, (Fields{"b"}));
  EXPECT_EQ(recs[1].line, 6u);
}

// Regression test for a fixed bug: a line of only spaces is skipped by libcsv (it trims unquoted blanks)
// but not counted as blank by the line tracker, so it claims the start line of the next record.
TEST(CsvReader, WhitespaceOnlyLineDoesNotShiftTheNextRecordsLine) {
  auto recs = read_all("a,b\n   \nc,d\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(recs[1].line, 3u);
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(CsvReader, QuoteInsideUnquotedFieldIsMalformed) {
  expect_error(read_discarding("a,b\nc,d\"e\n"), ErrorKind::kBadInput, "t.csv:2:");
}

TEST(CsvReader, TextAfterClosingQuoteIsMalformed) {
  auto r = read_discarding("a,b\nc,d\ne,\"f\"x\n");
  expect_error(r, ErrorKind::kBadInput, "t.csv:3:");
  expect_error(r, ErrorKind::kBadInput, "malformed CSV");
}

TEST(CsvReader, UnterminatedQuoteIsMalformed) {
  expect_error(read_discarding("a,b\nc,\"d\n"), ErrorKind::kBadInput, "t.csv:2:");
}

// Regression test for a fixed bug: an unterminated quote is reported at the last line of the file,
// where the reader noticed it, not at the line where the quote was opened; in a long file the
// message points the officer at the wrong place.
TEST(CsvReader, UnterminatedQuoteNamesTheLineWhereItOpened) {
  expect_error(read_discarding("a,b\nc,\"d\ne,f\ng,h\n"), ErrorKind::kBadInput, "t.csv:2:");
}

TEST(CsvReader, CallbackErrorStopsTheRead) {
  std::vector<std::size_t> seen;
  auto r = read_csv_text("a\nb\nc\nd\n", "t.csv", [&](CsvRecord& rec) -> Result<void> {
    seen.push_back(rec.line);
    if (rec.fields.at(0) == "b") return fail(Error::bad_input("stop at b"));
    return {};
  });
  expect_error(r, ErrorKind::kBadInput, "stop at b");
  EXPECT_EQ(seen, (std::vector<std::size_t>{1, 2}));
}

// ---------------------------------------------------------------------------------------------
// Files

TEST(CsvReaderFile, SameRulesAsText) {
  TempFile f("\xEF\xBB\xBF" "date,memo\r\n2026-01-05,\"g\xC3\xB3p, \"\"qu\xE1\xBB\xB9\"\"\r\nl\xE1\xBA\xA7n 2\"\r\n\r\n2026-01-06,x\r\n");
  std::vector<CsvRecord> recs;
  auto r = read_csv_file(f.path(), [&](CsvRecord& rec) -> Result<void> {
    recs.push_back(rec);
    return {};
  });
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields, (Fields{"date", "memo"}));
  EXPECT_EQ(recs[1].fields, (Fields{"2026-01-05", "g\xC3\xB3p, \"qu\xE1\xBB\xB9\"\r\nl\xE1\xBA\xA7n 2"}));
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].fields, (Fields{"2026-01-06", "x"}));
  EXPECT_EQ(recs[2].line, 5u);
}

TEST(CsvReaderFile, MalformedNamesTheFileAndLine) {
  TempFile f("a,b\nc,d\ne,\"f\"g\n");
  auto r = read_csv_file(f.path(), [](CsvRecord&) -> Result<void> { return {}; });
  expect_error(r, ErrorKind::kBadInput, f.path() + ":3:");
}

TEST(CsvReaderFile, MissingFileIsNoInput) {
  const std::string path = (std::filesystem::path(::testing::TempDir()) / "soquy_no_such_file.csv").string();
  auto r = read_csv_file(path, [](CsvRecord&) -> Result<void> { return {}; });
  expect_error(r, ErrorKind::kNoInput, path);
}

// The file reader feeds 1 MiB chunks; records (including multi-line ones) that straddle a chunk
// boundary must come out whole and with the right starting line.
TEST(CsvReaderFile, LargeFileAcrossChunkBoundaries) {
  std::string contents;
  std::vector<std::size_t> expected_line;
  std::size_t line = 1;
  const int kRecords = 150000;  // about 3 MiB
  for (int r = 0; r < kRecords; ++r) {
    expected_line.push_back(line);
    if (r % 7 == 3) {
      contents += fmt::format("{},\"first\nsecond\"\n", r);
      line += 2;
    } else {
      contents += fmt::format("{},abcdefghij\n", r);
      line += 1;
    }
  }
  ASSERT_GT(contents.size(), 2u << 20);
  TempFile f(contents);
  int next = 0;
  bool all_ok = true;
  auto res = read_csv_file(f.path(), [&](CsvRecord& rec) -> Result<void> {
    const std::string want_second = next % 7 == 3 ? "first\nsecond" : "abcdefghij";
    if (rec.fields != Fields{std::to_string(next), want_second} ||
        rec.line != expected_line[static_cast<std::size_t>(next)]) {
      ADD_FAILURE() << "record " << next << " at line " << rec.line << " (want "
                    << expected_line[static_cast<std::size_t>(next)] << ")";
      all_ok = false;
      return fail(Error::internal("stop"));
    }
    ++next;
    return {};
  });
  ASSERT_TRUE(res.has_value()) << res.error().message();
  EXPECT_TRUE(all_ok);
  EXPECT_EQ(next, kRecords);
}

// Lone CR line ends (old Mac files, some exports): each is one line, so problems name their line.
TEST(CsvReader, CrOnlyLineEnds) {
  auto recs = read_all("a,b\r1,2\r3,4\r");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].line, 3u);
}

TEST(CsvReader, MixedLineEndsCountOneLineEach) {
  auto recs = read_all("a\r\nb\rc\nd");
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[3].fields, (Fields{"d"}));
  EXPECT_EQ(recs[3].line, 4u);
}

TEST(CsvReader, FieldOverTheBoundIsRefusedWithItsLine) {
  std::string text = "a,b\n1,2\nx," + std::string(kCsvMaxFieldBytes + 1, 'y') + "\n";
  expect_error(read_discarding(text), ErrorKind::kBadInput, "t.csv:3: a field of 65537 bytes");
  // A field of exactly the bound is read.
  auto recs = read_all("x," + std::string(kCsvMaxFieldBytes, 'y') + "\n");
  ASSERT_EQ(recs.size(), 1u);
}

TEST(CsvReaderFile, CrOnlyFileAcrossChunkBoundaries) {
  // 3 MiB of CR-only lines, one CR placed as the very last byte of the first 1 MiB chunk, then an
  // LF as the first of the next: that pair is one CRLF line end, not two.
  std::string contents;
  int records = 0;
  while (contents.size() < (1u << 20) - 40) contents += fmt::format("{},abcdefghij\r", records++);
  contents += std::string((1u << 20) - 2 - contents.size(), 'z');
  contents += ",\r\n";
  ++records;
  ASSERT_EQ(contents[(1u << 20) - 1], '\r');
  while (contents.size() < (3u << 20)) contents += fmt::format("{},abcdefghij\r", records++);
  TempFile f(contents);
  std::size_t count = 0, last_line = 0;
  auto res = read_csv_file(f.path(), [&](CsvRecord& rec) -> Result<void> {
    ++count;
    last_line = rec.line;
    return {};
  });
  ASSERT_TRUE(res.has_value()) << res.error().message();
  EXPECT_EQ(count, static_cast<std::size_t>(records));
  EXPECT_EQ(last_line, static_cast<std::size_t>(records));
}

TEST(CsvReaderFile, LineOverTheBoundIsRefusedNotHeld) {
  TempFile f("a,b\n" + std::string(3u << 20, 'x'));
  auto res = read_csv_file(f.path(), [](CsvRecord&) -> Result<void> { return {}; });
  expect_error(res, ErrorKind::kBadInput, ":2: the line is longer than 1 MiB");
}

// ---------------------------------------------------------------------------------------------
// CsvHeader

CsvRecord header_of(Fields fields) {
  CsvRecord r;
  r.line = 1;
  r.fields = std::move(fields);
  return r;
}

TEST(CsvHeader, RequiredAndOptionalColumns) {
  auto h = CsvHeader::from_record(header_of({"Date", " Amount ", "memo"}), {"date", "amount"},
                                  {"memo", "account"});
  ASSERT_TRUE(h.has_value()) << h.error().message();
  EXPECT_EQ(h->index("date"), 0);  // names are matched case-insensitively, trimmed
  EXPECT_EQ(h->index("amount"), 1);
  EXPECT_EQ(h->index("memo"), 2);
  EXPECT_EQ(h->index("account"), -1);  // optional and absent

  CsvRecord row;
  row.fields = {"2026-01-05", "1500000", "góp"};
  EXPECT_EQ(h->get(row, "amount"), "1500000");
  EXPECT_EQ(h->get(row, "memo"), "góp");
  EXPECT_EQ(h->get(row, "account"), "");
  CsvRecord short_row;
  short_row.fields = {"2026-01-05"};
  EXPECT_EQ(h->get(short_row, "amount"), "");
}

TEST(CsvHeader, ColumnsInAnyOrder) {
  auto h = CsvHeader::from_record(header_of({"amount", "date"}), {"date", "amount"});
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->index("date"), 1);
  EXPECT_EQ(h->index("amount"), 0);
}

TEST(CsvHeader, Aliases) {
  const std::vector<std::pair<std::string, std::string>> aliases{{"ngày", "date"}, {"số tiền", "amount"}};
  auto h = CsvHeader::from_record(header_of({"Ngày", "số tiền"}), {"date", "amount"}, {}, aliases);
  ASSERT_TRUE(h.has_value()) << h.error().message();
  EXPECT_EQ(h->index("date"), 0);
  EXPECT_EQ(h->index("amount"), 1);
}

TEST(CsvHeader, UnknownColumn) {
  auto h = CsvHeader::from_record(header_of({"date", "amount", "colour"}), {"date", "amount"}, {"memo"});
  expect_error(h, ErrorKind::kBadInput, "unknown column 'colour'");
  // says what was expected, the optional columns apart
  expect_error(h, ErrorKind::kBadInput, "accepted columns: date; amount; optional: memo");
}

TEST(CsvHeader, DuplicateColumn) {
  expect_error(CsvHeader::from_record(header_of({"date", "amount", "Date"}), {"date", "amount"}),
               ErrorKind::kBadInput, "'date' appears twice");
  // An alias and its canonical name are the same column.
  expect_error(CsvHeader::from_record(header_of({"date", "amount", "ngày"}), {"date", "amount"}, {},
                                      {{"ngày", "date"}}),
               ErrorKind::kBadInput, "appears twice");
}

TEST(CsvHeader, MissingRequiredColumn) {
  CsvRecord rec = header_of({"date", "memo"});
  rec.line = 7;
  auto h = CsvHeader::from_record(rec, {"date", "amount"}, {"memo"});
  expect_error(h, ErrorKind::kBadInput, "no column amount");
  // The header's line number is in the message (its exact wording is the importer's business).
  expect_error(h, ErrorKind::kBadInput, "7");
}

}  // namespace
}  // namespace soquy

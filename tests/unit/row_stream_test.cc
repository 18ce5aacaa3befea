// Tests of reports written row by row (soquy/reports/row_stream.h, issue 16 item 2): json and
// csv streamed through a RowSink are the same bytes as render() of the whole report, for lists
// that are empty, of one row and of several, nested or not, with text that JSON escapes, CSV
// quotes or guards, and bytes that are not UTF-8; the audit log written as it is read equals the
// collected report in every format; xlsx and html stop at the documented row limit.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "soquy/audit.h"
#include "soquy/ledger.h"
#include "soquy/reports/audit_reports.h"
#include "soquy/reports/render.h"
#include "soquy/reports/row_stream.h"
#include "test_db.h"
#include "test_support.h"

namespace soquy::reports {
namespace {

using nlohmann::ordered_json;
using test_support::day;

struct Item {
  ordered_json json;
  std::vector<std::string> cells;
};

// Rows whose text exercises every escape: quotes, commas, a newline, a formula, invalid UTF-8.
std::vector<Item> items(std::size_t n) {
  std::vector<Item> out;
  const std::vector<std::string> memos = {"Chi \"hội nghị\", tháng 1", "=SUM(A1)\nline two", "bad \xC3 byte", "",
                                          "nested {\"a\": [1]}"};
  for (std::size_t i = 0; i < n; ++i) {
    const std::string memo = memos[i % memos.size()];
    ordered_json j{{"n", i}, {"memo", memo}, {"amount", std::to_string(-1500000 * static_cast<long>(i))},
                   {"sub", ordered_json{{"list", ordered_json::array({1, 2})}, {"none", nullptr}}}};
    out.push_back({j, {std::to_string(i), memo, std::to_string(-1500000 * static_cast<long>(i))}});
  }
  return out;
}

// A report with a summary before and after its list, which is `pointer` deep.
Report skeleton(const std::string& pointer, const std::string& as_of = "2026-11-30") {
  Report r;
  r.json = ordered_json{{"as_of", as_of}, {"totals", {{"loans", 3}, {"par30", "0.1000"}}}};
  r.json[ordered_json::json_pointer(pointer)] = ordered_json::array();
  r.json["after"] = ordered_json{{"frozen", {{"loans", 0}}}, {"empty", ordered_json::array()}};
  r.tables.push_back(Table{"Rows", {{"n", "Số", CellKind::kInteger}, {"memo", "Ghi chú"}, {"amount", "Tiền", CellKind::kMoney}}});
  return r;
}

std::string collected(const std::string& pointer, const std::vector<Item>& rows, Format f, const RenderOptions& o) {
  Report r = skeleton(pointer);
  for (const auto& it : rows) {
    r.json[ordered_json::json_pointer(pointer)].push_back(it.json);
    r.tables.front().rows.push_back(it.cells);
  }
  std::ostringstream out;
  EXPECT_TRUE(render(r, f, out, o));
  return out.str();
}

std::string streamed(const std::string& pointer, const std::vector<Item>& rows, Format f, const RenderOptions& o) {
  std::ostringstream out;
  auto sink = RowSink::open(skeleton(pointer), pointer, f, out, o);
  EXPECT_TRUE(sink);
  for (const auto& it : rows) EXPECT_TRUE(sink->row(it.json, it.cells));
  EXPECT_TRUE(sink->finish());
  return out.str();
}

TEST(RowStream, JsonAndCsvAreTheBytesOfTheCollectedReport) {
  RenderOptions bom;
  bom.bom = true;
  for (const std::string pointer : {"/loans", "/by/unit/loans"}) {
    for (std::size_t n : {0u, 1u, 2u, 7u}) {
      const auto rows = items(n);
      for (Format f : {Format::kJson, Format::kCsv, Format::kTable}) {
        SCOPED_TRACE(pointer + " rows " + std::to_string(n) + " format " + std::to_string(static_cast<int>(f)));
        EXPECT_EQ(streamed(pointer, rows, f, {}), collected(pointer, rows, f, {}));
      }
      EXPECT_EQ(streamed(pointer, rows, Format::kCsv, bom), collected(pointer, rows, Format::kCsv, bom));
    }
  }
  // The comparison is not vacuous: the rows are in the output, escaped as JSON escapes them.
  const auto json = streamed("/loans", items(2), Format::kJson, {});
  EXPECT_NE(json.find("\"memo\": \"=SUM(A1)\\nline two\""), std::string::npos) << json;
  EXPECT_NE(json.find("    {\n      \"n\": 0,"), std::string::npos) << json;
}

// A user's text that happens to be the stream's own mark for the list's place (a group named so,
// given with --group) must not make the stream fail (that was exit 70 from user input).
TEST(RowStream, TheSkeletonMayHoldTheListMarkItself) {
  for (const std::string text : {"@@soquy-streamed-list-7f3c1e@@", "@@soquy-streamed-list-7f3c1e@@1"}) {
    std::ostringstream out, want;
    auto sink = RowSink::open(skeleton("/loans", text), "/loans", Format::kJson, out, {});
    ASSERT_TRUE(sink);
    Report r = skeleton("/loans", text);
    for (const auto& it : items(2)) {
      ASSERT_TRUE(sink->row(it.json, it.cells));
      r.json["loans"].push_back(it.json);
    }
    ASSERT_TRUE(sink->finish());
    ASSERT_TRUE(render(r, Format::kJson, want, {}));
    EXPECT_EQ(out.str(), want.str());
  }
}

TEST(RowStream, NothingIsWrittenBeforeTheFirstRowOrFinish) {
  std::ostringstream out;
  auto sink = RowSink::open(skeleton("/loans"), "/loans", Format::kJson, out, {});
  ASSERT_TRUE(sink);
  EXPECT_EQ(out.str(), "");  // a command failing now (a bad filter) leaves stdout empty
}

TEST(RowStream, AListThatIsNotThereIsABug) {
  std::ostringstream out;
  auto sink = RowSink::open(skeleton("/loans"), "/rows", Format::kJson, out, {});
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().kind(), ErrorKind::kInternal);
}

class ScopedRowLimit {
 public:
  explicit ScopedRowLimit(const char* value) { ::setenv("SOQUY_DOCUMENT_ROW_LIMIT", value, 1); }
  ~ScopedRowLimit() { ::unsetenv("SOQUY_DOCUMENT_ROW_LIMIT"); }
};

TEST(RowStream, DocumentRowLimitComesFromTheEnvironmentOrTheDefault) {
  EXPECT_EQ(document_row_limit(), kDocumentRowLimit);
  {
    ScopedRowLimit limit("25");
    EXPECT_EQ(document_row_limit(), 25u);
  }
  for (const char* bad : {"0", "-3", "ten", "12x"}) {
    ScopedRowLimit limit(bad);
    EXPECT_EQ(document_row_limit(), kDocumentRowLimit) << bad;
  }
}

TEST(RowStream, XlsxAndHtmlStopPastTheLimitJsonCsvAndTableDoNot) {
  ScopedRowLimit limit("3");
  const auto rows = items(4);
  for (Format f : {Format::kXlsx, Format::kHtml}) {
    std::ostringstream out;
    auto sink = RowSink::open(skeleton("/loans"), "/loans", f, out, {});
    ASSERT_TRUE(sink);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(sink->row(rows[i].json, rows[i].cells));
    auto r = sink->row(rows[3].json, rows[3].cells);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind(), ErrorKind::kUsage);
    EXPECT_NE(r.error().message().find("3"), std::string::npos) << r.error().message();
    EXPECT_NE(r.error().message().find("csv"), std::string::npos) << r.error().message();
    EXPECT_EQ(out.str(), "");  // nothing of the document was written
  }
  for (Format f : {Format::kJson, Format::kCsv, Format::kTable})
    EXPECT_EQ(streamed("/loans", rows, f, {}), collected("/loans", rows, f, {}));
}

class AuditLogStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = db_.create();
    ASSERT_TRUE(l) << l.error().message();
    ledger_ = std::move(*l);
    const std::vector<std::string> memos = {"Nhận vốn", "Chi \"hội nghị\", tháng 1", "=HYPERLINK(\"x\")", "Gửi ngân hàng; tab\tafter"};
    for (std::size_t i = 0; i < memos.size(); ++i) {
      const std::int64_t amount = 1000000 * static_cast<std::int64_t>(i + 1);
      EntryDraft d{"fund", day(2026, 1, 15), memos[i], i % 2 ? "id-" + std::to_string(i) : "",
                   {{"1011", Money(amount)}, {"6011", Money(-amount)}}, std::nullopt};
      auto r = ledger_->post(d);
      ASSERT_TRUE(r) << r.error().message();
    }
  }
  std::string written(const AuditLogFilter& filter, Format f) {
    std::ostringstream out;
    auto r = write_audit_log(*ledger_, filter, f, out, {});
    EXPECT_TRUE(r) << (r ? "" : r.error().message());
    return out.str();
  }
  std::string rendered(const AuditLogFilter& filter, Format f) {
    auto entries = audit_log(*ledger_, filter);
    EXPECT_TRUE(entries);
    std::ostringstream out;
    EXPECT_TRUE(render(audit_log_report(filter, *entries), f, out));
    return out.str();
  }
  test_support::TestDb db_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(AuditLogStreamTest, EveryFormatIsTheSameAsTheCollectedReport) {
  AuditLogFilter none;
  none.from = day(2000, 1, 1);
  none.to = day(2000, 1, 2);
  for (const auto& filter : {AuditLogFilter{}, none}) {
    for (Format f : {Format::kJson, Format::kCsv, Format::kTable, Format::kXlsx, Format::kHtml})
      EXPECT_EQ(written(filter, f), rendered(filter, f)) << static_cast<int>(f);
  }
  const auto json = written(AuditLogFilter{}, Format::kJson);
  EXPECT_EQ(ordered_json::parse(json)["entries"].size(), 4u);
  EXPECT_NE(json.find("Chi \\\"hội nghị\\\", tháng 1"), std::string::npos);
}

TEST_F(AuditLogStreamTest, ABadFilterWritesNothing) {
  AuditLogFilter backwards;
  backwards.from = day(2026, 11, 3);
  backwards.to = day(2026, 11, 2);
  std::ostringstream out;
  auto r = write_audit_log(*ledger_, backwards, Format::kJson, out, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::kUsage);
  EXPECT_EQ(out.str(), "");
}

TEST_F(AuditLogStreamTest, HtmlPastTheLimitIsAUsageError) {
  ScopedRowLimit limit("3");
  std::ostringstream out;
  auto r = write_audit_log(*ledger_, AuditLogFilter{}, Format::kHtml, out, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::kUsage);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(written(AuditLogFilter{}, Format::kCsv), rendered(AuditLogFilter{}, Format::kCsv));
}

}  // namespace
}  // namespace soquy::reports

// Printable forms (Form in render.h): the header block, fields, place-and-date line and
// signature blocks drawn by the HTML renderer, the signature blocks printed by the table
// renderer, the form's text under the last table in xlsx, and nothing in CSV or JSON. Expected
// text is written out by hand.
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "soquy/i18n.h"
#include "soquy/reports/render.h"

namespace soquy::reports {
namespace {

// These tests read the Vietnamese of a form (the unit tests run in English: i18n_test.cc).
class InVietnamese {
 public:
  InVietnamese() { set_language(Language::kVi); }
  ~InVietnamese() { set_language(Language::kEn); }
};

Report form_report() {
  Report r;
  r.json = {{"group", "G1"}};
  Table t{"Bảng kê (Sheet)", {{"name", "Họ tên (Name)"}, {"amount", "Số tiền (Amount)", CellKind::kMoney}}};
  t.rows = {{"Nguyễn Thị Hòa", "180000"}, {"<Lê & Thị>", "20000"}};
  t.totals = {{"Tổng cộng (total)", "200000"}};
  r.tables.push_back(t);
  Form f;
  f.organisation = {"NGÂN HÀNG CHÍNH SÁCH XÃ HỘI", "Hội LHPN xã Long Đức"};
  f.code = "Mẫu số 13/TD";
  f.title = "BẢNG KÊ THU LÃI";
  f.subtitle = "Từ ngày 01/11/2026 đến ngày 20/11/2026";
  f.fields = {{"Tổ (Group)", "Tổ 1 & 2"}, {"Tổ trưởng", "Nguyễn Thị Hòa"}};
  f.place_date = form_place_date("Long Đức", 2026, 11, 5);
  f.signatures = {{"Tổ trưởng", "Nguyễn Thị Hòa"}, {"Cán bộ NHCSXH", ""}};
  r.form = f;
  return r;
}

std::string rendered(const Report& r, Format format, const std::string& lang = "vi") {
  RenderOptions o;
  o.lang = lang;
  std::ostringstream out;
  auto ok = render(r, format, out, o);
  EXPECT_TRUE(ok.has_value()) << ok.error().message();
  return out.str();
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(Form, PlaceDateHasTwoDigitDayAndMonth) {
  InVietnamese vi;
  EXPECT_EQ(form_place_date("Long Đức", 2026, 11, 5), "Long Đức, ngày 05 tháng 11 năm 2026");
  EXPECT_EQ(form_place_date("", 2026, 4, 15), "…………, ngày 15 tháng 04 năm 2026");
}

TEST(Form, TextLines) {
  InVietnamese vi;
  const Form f = *form_report().form;
  EXPECT_EQ(form_header_lines(f),
            (std::vector<std::string>{"Mẫu số 13/TD", "BẢNG KÊ THU LÃI", "Từ ngày 01/11/2026 đến ngày 20/11/2026",
                                      "Tổ (Group): Tổ 1 & 2", "Tổ trưởng: Nguyễn Thị Hòa"}));
  EXPECT_EQ(form_footer_lines(f),
            (std::vector<std::string>{"Long Đức, ngày 05 tháng 11 năm 2026",
                                      "Tổ trưởng (Ký, ghi rõ họ tên): Nguyễn Thị Hòa",
                                      "Cán bộ NHCSXH (Ký, ghi rõ họ tên): ……………………"}));
  Form blank;
  EXPECT_EQ(form_footer_lines(blank), (std::vector<std::string>{"…………, ngày …… tháng …… năm ……"}));
}

TEST(Form, HtmlHasHeaderFieldsAndSignatures) {
  InVietnamese vi;
  const std::string page = rendered(form_report(), Format::kHtml);
  // The header block: organisation lines, the form's code, the national motto.
  EXPECT_TRUE(contains(page, "<div class=\"form-org\"><p>NGÂN HÀNG CHÍNH SÁCH XÃ HỘI</p><p>Hội LHPN xã Long Đức</p></div>"));
  EXPECT_TRUE(contains(page, "<p class=\"form-code\">Mẫu số 13/TD</p>"));
  EXPECT_TRUE(contains(page, "<p class=\"form-motto\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>"));
  EXPECT_TRUE(contains(page, "<p class=\"form-motto-line\">Độc lập - Tự do - Hạnh phúc</p>"));
  // The form's title is the page's title and heading; the first table's title is not repeated.
  EXPECT_TRUE(contains(page, "<title>BẢNG KÊ THU LÃI</title>"));
  EXPECT_TRUE(contains(page, "<h1 class=\"form-title\">BẢNG KÊ THU LÃI</h1>"));
  EXPECT_FALSE(contains(page, "<h2>Bảng kê (Sheet)</h2>"));
  EXPECT_TRUE(contains(page, "<p class=\"form-subtitle\">Từ ngày 01/11/2026 đến ngày 20/11/2026</p>"));
  // Fields escaped like any text.
  EXPECT_TRUE(contains(page, "<p><span class=\"form-label\">Tổ (Group):</span> Tổ 1 &amp; 2</p>"));
  EXPECT_TRUE(contains(page, "<p class=\"form-date\">Long Đức, ngày 05 tháng 11 năm 2026</p>"));
  EXPECT_TRUE(contains(page,
                       "<div class=\"form-sign\"><p class=\"form-role\">Tổ trưởng</p><p class=\"form-hint\">(Ký, ghi rõ "
                       "họ tên)</p><p class=\"form-name\">Nguyễn Thị Hòa</p></div>"));
  EXPECT_TRUE(contains(page, "<p class=\"form-role\">Cán bộ NHCSXH</p>"));
  // The header comes before the table, the signatures after it.
  EXPECT_LT(page.find("<header class=\"form-head\">"), page.find("<table>"));
  EXPECT_GT(page.find("<div class=\"form-signatures\">"), page.find("</table>"));
  EXPECT_TRUE(contains(page, "div.form-signatures {"));  // the form's CSS
  EXPECT_TRUE(contains(page, "<td class=\"text\">&lt;Lê &amp; Thị&gt;</td>"));
}

TEST(Form, HtmlInEnglish) {
  const std::string page = rendered(form_report(), Format::kHtml, "en");
  // Labels come translated from the report builder: shown as given.
  EXPECT_TRUE(contains(page, "<span class=\"form-label\">Tổ (Group):</span>"));
  EXPECT_TRUE(contains(page, "<p class=\"form-hint\">(signature, full name)</p>"));
  // The national motto is the motto in both languages.
  EXPECT_TRUE(contains(page, "Độc lập - Tự do - Hạnh phúc"));
  EXPECT_EQ(form_place_date("Long Đức", 2026, 11, 5), "Long Đức, 05/11/2026");
  Report blank = form_report();
  blank.form->place_date.clear();
  EXPECT_TRUE(contains(rendered(blank, Format::kHtml, "en"), "<p class=\"form-date\">…………, date ……/……/……</p>"));
}

TEST(Form, HtmlBlankPlaceDateAndNoMotto) {
  InVietnamese vi;
  Report r = form_report();
  r.form->place_date.clear();
  r.form->national_motto = false;
  r.form->signatures.clear();
  const std::string page = rendered(r, Format::kHtml);
  EXPECT_TRUE(contains(page, "<p class=\"form-date\">…………, ngày …… tháng …… năm ……</p>"));
  EXPECT_FALSE(contains(page, "CỘNG HÒA"));
  EXPECT_FALSE(contains(page, "<div class=\"form-signatures\">"));
}

TEST(Form, AReportWithoutAFormHasNone) {
  Report r = form_report();
  r.form.reset();
  const std::string page = rendered(r, Format::kHtml);
  EXPECT_FALSE(contains(page, "form-"));
  EXPECT_TRUE(contains(page, "<h1>Bảng kê (Sheet)</h1>"));
  const std::string text = rendered(r, Format::kTable);
  EXPECT_FALSE(contains(text, "Ký, ghi rõ"));
}

TEST(Form, TablePrintsTheSignatureBlocks) {
  InVietnamese vi;
  // Blocks of 24 characters, each text centred: "Tổ trưởng" (9) at (24-9)/2 = 7,
  // "Cán bộ NHCSXH" (13) at 24 + 5 = 29; "(Ký, ghi rõ họ tên)" (19) at 2 and 26;
  // "Nguyễn Thị Hòa" (14) at 5, after two blank lines.
  const std::string text = rendered(form_report(), Format::kTable);
  const std::string expected_tail = std::string() +
      "200.000\n"
      "\n"
      "Long Đức, ngày 05 tháng 11 năm 2026\n"
      "       Tổ trưởng" + std::string(13, ' ') + "Cán bộ NHCSXH\n"
      "  (Ký, ghi rõ họ tên)     (Ký, ghi rõ họ tên)\n"
      "\n"
      "\n"
      "     Nguyễn Thị Hòa\n";
  ASSERT_GE(text.size(), expected_tail.size());
  EXPECT_EQ(text.substr(text.size() - expected_tail.size()), expected_tail) << text;
}

TEST(Form, CsvAndJsonIgnoreTheForm) {
  Report plain = form_report();
  plain.form.reset();
  EXPECT_EQ(rendered(form_report(), Format::kCsv), rendered(plain, Format::kCsv));
  EXPECT_EQ(rendered(form_report(), Format::kJson), rendered(plain, Format::kJson));
  EXPECT_EQ(rendered(form_report(), Format::kCsv), "name,amount\r\nNguyễn Thị Hòa,180000\r\n<Lê & Thị>,20000\r\n");
}

TEST(Form, XlsxIsStillReproducible) {
  // The form's lines are rows under the table: the workbook differs from the one without a form,
  // and is byte-identical from one run to the next.
  Report plain = form_report();
  plain.form.reset();
  const std::string a = rendered(form_report(), Format::kXlsx), b = rendered(form_report(), Format::kXlsx);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, rendered(plain, Format::kXlsx));
}

}  // namespace
}  // namespace soquy::reports

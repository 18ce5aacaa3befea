// Encodings and delimiters of CSV files (csv_decode.h), with ICU's converters.
#include "csv_decode.h"

#include <array>
#include <memory>

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include "soquy/i18n.h"

namespace soquy::csv_detail {
namespace {

using Converter = std::unique_ptr<UConverter, decltype(&ucnv_close)>;

Result<Converter> open_converter(const std::string& encoding) {
  UErrorCode status = U_ZERO_ERROR;
  Converter cnv(ucnv_open(encoding.c_str(), &status), ucnv_close);
  if (U_FAILURE(status) || !cnv)  // (an ambiguous alias, as windows-1258 is, is a warning: fine)
    return fail(Error::bad_input(fmt::format(
        fmt::runtime(tr("'{}' is not a known encoding (e.g. windows-1258, UTF-16LE, UTF-8)")),
                                             encoding))
                    .in_field("encoding"));
  return cnv;
}

// The line (1-based) that text converted so far ends on: one plus its line ends (LF, CRLF, CR).
std::size_t line_of_end(const icu::UnicodeString& text) {
  std::size_t line = 1;
  for (int32_t i = 0; i < text.length(); ++i) {
    const char16_t c = text.charAt(i);
    if (c == u'\n' || (c == u'\r' && (i + 1 >= text.length() || text.charAt(i + 1) != u'\n'))) ++line;
  }
  return line;
}

}  // namespace

Result<std::string> encoding_to_convert(std::string_view head, const std::string& requested) {
  if (!requested.empty()) {
    auto cnv = open_converter(requested);
    if (!cnv) return fail(cnv.error());
    UErrorCode status = U_ZERO_ERROR;
    const std::string canonical = ucnv_getName(cnv->get(), &status);
    return canonical == "UTF-8" ? std::string() : requested;
  }
  if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) return std::string("UTF-16");
  return std::string();
}

Result<std::string> to_utf8(std::string_view bytes, const std::string& encoding, const std::string& name) {
  auto cnv = open_converter(encoding);
  if (!cnv) return fail(cnv.error());
  UErrorCode status = U_ZERO_ERROR;
  ucnv_setToUCallBack(cnv->get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  icu::UnicodeString text;
  const char* source = bytes.data();
  std::array<UChar, 8192> buffer{};
  for (;;) {
    UChar* target = buffer.data();
    status = U_ZERO_ERROR;
    ucnv_toUnicode(cnv->get(), &target, buffer.data() + buffer.size(), &source, bytes.data() + bytes.size(),
                   nullptr, true, &status);
    text.append(buffer.data(), static_cast<int32_t>(target - buffer.data()));
    if (status == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(status)) return fail(not_valid_text(name, line_of_end(text), encoding));
    break;
  }
  status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return fail(Error::internal("ICU has no NFC normaliser"));
  icu::UnicodeString normal = nfc->normalize(text, status);
  if (U_FAILURE(status)) return fail(not_valid_text(name, 1, encoding));
  std::string out;
  normal.toUTF8String(out);
  return out;
}

Error not_valid_text(const std::string& name, std::size_t line, std::string_view encoding) {
  return Error::bad_input(fmt::format(
      fmt::runtime(tr("{}:{}: the file is not valid {} text. In Excel, open the file, choose File > Save As > "
                      "\"CSV UTF-8 (Comma delimited) (*.csv)\" and import the new file; or name the file's "
                      "encoding, e.g. windows-1258")),
      name, line, encoding));
}

char detect_delimiter(std::string_view line) {
  constexpr std::array<char, 3> kCandidates = {',', ';', '\t'};
  std::array<std::size_t, 3> counts{};
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    for (std::size_t i = 0; i < kCandidates.size(); ++i)
      if (c == kCandidates[i]) ++counts[i];
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < counts.size(); ++i)
    if (counts[i] > counts[best]) best = i;
  return kCandidates[best];
}

}  // namespace soquy::csv_detail

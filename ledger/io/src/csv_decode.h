// Private to csv_reader.cc: what encoding and delimiter a CSV file is read with, and the
// conversion of other encodings to UTF-8 (ICU). The rules are in csv_reader.h.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "soquy/error.h"

namespace soquy::csv_detail {

// The encoding to convert from: `requested` when it is not UTF-8 ("" when it is), else
// "UTF-16" when `head` (the file's first bytes) starts with a UTF-16 byte-order mark, else ""
// (UTF-8, read as it is). An unknown `requested` is an error in field "encoding".
Result<std::string> encoding_to_convert(std::string_view head, const std::string& requested);

// `bytes` in `encoding` as UTF-8 in NFC. Bytes not valid in the encoding: not_valid_text at the
// line they are on. `name` is the file's name for messages.
Result<std::string> to_utf8(std::string_view bytes, const std::string& encoding, const std::string& name);

// The one message for a file whose bytes are not valid `encoding` ("UTF-8", "windows-1258"…).
Error not_valid_text(const std::string& name, std::size_t line, std::string_view encoding);

// The delimiter of a header line: the most frequent of ',' ';' TAB outside double quotes (ties:
// that order; none: ',').
char detect_delimiter(std::string_view line);

}  // namespace soquy::csv_detail

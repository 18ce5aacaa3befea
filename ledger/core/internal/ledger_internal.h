// Helpers shared by the Ledger's translation units (not part of the public API).
#pragma once

#include <string>
#include <string_view>

#include "soquy/error.h"

namespace soquy::detail {

// Whether `s` is well-formed UTF-8 (journal text is hashed and exported as UTF-8).
bool is_valid_utf8(std::string_view s);

// Checks a code (user, account, client id): non-empty, valid UTF-8, no control characters,
// no leading/trailing spaces. `what` names the field in the message: an English phrase marked
// with N_("user name"), translated here.
Result<void> check_code(std::string_view value, std::string_view what, bool allow_spaces = false);
// The same check of a code that is the input `field`: the error's subject is the field ("is empty").
Result<void> check_code_field(std::string_view value, std::string field, bool allow_spaces = false);

// Checks free text (a memo, a reason): valid UTF-8 with no control character but tab — no NUL,
// no line break, no ESC (a terminal escape sequence), no DEL, no C1 control (U+0080–U+009F).
// `what` names the field in the message (marked with N_, translated here).
Result<void> check_free_text(std::string_view value, std::string_view what);

// The first control character of valid UTF-8 `s` other than those in `allowed` (as its code
// point), or -1 when there is none: C0, DEL and C1 (U+0080–U+009F) count.
long first_control(std::string_view s, std::string_view allowed = "");

}  // namespace soquy::detail

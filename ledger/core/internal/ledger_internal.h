// Helpers shared by the Ledger's translation units (not part of the public API).
#pragma once

#include <string>
#include <string_view>

#include "soquy/error.h"

namespace soquy::detail {

// Whether `s` is well-formed UTF-8 (journal text is hashed and exported as UTF-8).
bool is_valid_utf8(std::string_view s);

// Checks a code (user, account, client id): non-empty, valid UTF-8, no control characters,
// no leading/trailing spaces. `what` names the field in the message.
Result<void> check_code(std::string_view value, std::string_view what, bool allow_spaces = false);
// The same check of a code that is the input `field`: the error's subject is the field ("is empty").
Result<void> check_code_field(std::string_view value, std::string field, bool allow_spaces = false);

}  // namespace soquy::detail

// soquy — Vietnamese personal names: normal form and matching.
//
// Files from the bank, from group leaders and from the registry spell the same name in
// different ways: upper case without diacritics ("NGUYEN THI HOA"), decomposed Unicode (NFD)
// from some Excel exports, the old and new tone-mark placement ("Hoà" / "Hòa"), double
// spaces. Matching folds all of that with ICU's transliterators (diacritics removed, đ/Đ → d,
// lower case, spaces collapsed); nothing here is a hand-made table of letters.
#pragma once

#include <string>
#include <string_view>

#include "soquy/error.h"

namespace soquy {

// The name in Unicode NFC with single spaces and no leading/trailing space: how names are
// stored. kBadInput for invalid UTF-8 or an empty name.
Result<std::string> normalize_name(std::string_view utf8);

// The matching key: ASCII, lower case, single spaces ("Đặng  Thị Huệ" → "dang thi hue").
Result<std::string> name_match_key(std::string_view utf8);

// Whether two spellings are the same person's name (same matching key). Invalid UTF-8 never
// matches.
bool same_name(std::string_view a, std::string_view b);

}  // namespace soquy

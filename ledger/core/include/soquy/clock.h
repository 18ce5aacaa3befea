// soquy — the current time, as recorded on entries ("record time").
//
// Effective dates come from the user; the record time is the machine's UTC clock. Setting
// SOQUY_NOW=YYYY-MM-DDTHH:MM:SSZ pins the clock, for reproducible demos and golden tests.
#pragma once

#include <string>

#include "soquy/civil_date.h"

namespace soquy {

// The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (or SOQUY_NOW when set and well formed).
std::string now_timestamp();
// Today's date in UTC (the date part of now_timestamp()).
Date today();

}  // namespace soquy

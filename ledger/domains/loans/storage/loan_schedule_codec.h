// How a loan's schedule is stored (loans.schedule and loan_events.schedule): one
// "YYYY-MM-DD principal interest" per instalment, amounts in whole đồng, joined by ';'.
// "2026-02-15 1000000 15000;2026-03-15 1000000 15000". Private to the loans' storage, and to
// the loan benchmark, which writes loans straight into the tables.
#pragma once

#include <string>
#include <string_view>

#include "soquy/loan_schedule.h"

namespace soquy {

std::string encode_schedule(const LoanSchedule& s);
// Decodes into `s`, reusing its vector (the report's pass decodes a schedule per loan). The
// text is only what encode_schedule wrote: a malformed one throws SoquyException(kIo).
void decode_schedule_into(std::string_view text, LoanSchedule& s);
LoanSchedule decode_schedule(std::string_view text);

}  // namespace soquy

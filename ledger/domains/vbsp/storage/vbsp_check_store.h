// The SQL of the VBSP check (soquy/vbsp_checks.h), private to the vbsp storage.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "soquy/civil_date.h"

namespace soquy {

class Store;

namespace vbsp_checks {

using DifferenceFn = std::function<void(const std::string& loan_no, Date d, std::int64_t records, std::int64_t journal)>;
std::int64_t count_loans(Store& store);
// Each register loan whose outstanding (its amount less the principal collected) differs as of
// some date from the entrust book's 9121 postings of its own entries and their reversals.
void principal_differences(Store& store, const DifferenceFn& fn);
// Each register loan whose savings collected (in less out) differ as of some date from the 9131
// postings of its own entries and their reversals.
void savings_differences(Store& store, const DifferenceFn& fn);
// The member code of a register loan ("" when unknown).
std::string member_of(Store& store, const std::string& loan_no);

}  // namespace vbsp_checks
}  // namespace soquy

// The SQL of the VBSP check (soquy/vbsp_checks.h), private to the vbsp storage.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "soquy/civil_date.h"

namespace soquy {

class Store;

namespace vbsp_checks {

using DifferenceFn = std::function<void(const std::string& loan_no, Date d, const std::vector<std::int64_t>& records,
                                        const std::vector<std::int64_t>& journal)>;
std::int64_t count_loans(Store& store);
// In one query, for every register loan and day on which its figures differ from the entrust
// book's postings of its own entries (its disbursement, its receipts) and their reversals:
// fn(loan no, day, records, journal), by loan then day. Figure 0 is the outstanding (the loan's
// amount less the principal collected) against 9121, figure 1 the savings collected (in less out)
// against 9131.
void for_each_differing_day(Store& store, const DifferenceFn& fn);
// The member code of a register loan ("" when unknown).
std::string member_of(Store& store, const std::string& loan_no);

}  // namespace vbsp_checks
}  // namespace soquy

// The SQL of the dues check (soquy/dues_checks.h), private to the dues storage.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "soquy/civil_date.h"

namespace soquy {

class Store;

namespace dues_checks {

// Members billed at least once.
std::int64_t count_members_billed(Store& store);
// When the dues billed less the dues paid differ as of some date from the union book's
// receivable 1318: fn("union", first such date, billed − paid, 1318's balance).
void receivable_differences(
    Store& store, const std::function<void(const std::string&, Date, std::int64_t, std::int64_t)>& fn);

}  // namespace dues_checks
}  // namespace soquy

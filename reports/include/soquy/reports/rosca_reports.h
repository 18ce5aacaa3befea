// Reports of rotating groups (hụi / họ): status, the group book of Decree 19/2019 and a member's
// statement. Builders only shape figures computed by soquy::Rosca (ledger/include/soquy/rosca.h).
#pragma once

#include <string>

#include "soquy/reports/render.h"
#include "soquy/rosca.h"

namespace soquy::reports {

// JSON exactly {"group","kind","contribution","shares","rounds":[{"round","date","winner","bid",
// "payout","due":[{"member","amount","paid"}]}],"members":[{"member","shares","paid","received",
// "net","implied_annual_rate","over_cap"}],"warnings":[…]} (amounts as strings of đồng; the rate
// a 4-decimal string or null; over_cap a boolean). Tables: rounds, dues, members, warnings.
Report rosca_status(const RoscaStatus& s);

// The group book (sổ theo dõi dây họ): agreement terms, shares, every opening (draw seed and the
// shares drawn among, bids, dues, payout, fee) and every payment in, advance and payout with its
// date, amount and receipt. The first table (what CSV writes) is the whole book as one register,
// one row per event in date order.
Report rosca_book(const RoscaStatus& s);

// The receipt (giấy biên nhận) of one movement, found by its receipt number: {"group","name",
// "holder","holder_name","receipt","date","kind","round","member","member_name","amount","fee",
// "entry"}; one table row; a printable form signed by the member and the holder (a holder's
// advance: the holder). kBadInput when the group has no such receipt.
Result<Report> rosca_receipt(const RoscaStatus& s, const std::string& receipt);

// One member's statement: her shares, her dues per round with what she paid and what the holder
// advanced, her payouts, her movements with receipts, and her totals, arrears, late interest and
// implied rate. kBadInput when she holds no share.
Result<Report> rosca_statement(const RoscaStatus& s, const std::string& member);

// What `open`, `pay`, `payout` and `close` print: short reports of one action.
Report rosca_opened(const RoscaStatus& s, const RoscaRound& r);
Report rosca_movements(const std::string& group, const std::vector<RoscaMovement>& moves);
Report rosca_closed(const std::string& group, const RoscaCloseResult& c);

}  // namespace soquy::reports

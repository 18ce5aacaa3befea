// soquy — the groups' checks of `soquy check` (named checks, soquy/named_check.h).
//
// A savings group, a pool and a hụi each keep their own book ("group:CODE"): the members' records
// are its sub-ledgers. Savings and receivables are compared with the whole account of the group's
// book (the engines refuse to work on a book whose savings were posted by hand); payouts and
// advances with the postings of their own entries and every reversal of them. Figures compared
// as of every date report the first date on which they differ, and both figures as of it.
#pragma once

#include "soquy/ledger.h"
#include "soquy/named_check.h"

namespace soquy {

// savings.members: in each savings group and pool, the members' savings (what the meetings'
// lines and contributions put in, less withdrawals, purchases and share-outs) equal the credit
// balance of the book's 4111. Items = the groups.
NamedCheck check_savings_members(Ledger& ledger);
// savings.loans: in each savings group, the group loans' outstanding principal (lent less the
// principal repaid, at meetings or outside them) equals the book's 2111. Items = the groups.
NamedCheck check_savings_loans(Ledger& ledger);
// savings.share_out: each share-out pays out exactly the group's fund (its loan fund cash equals
// the members' payouts plus the leftover), its lines hold the savings it took out of 4111, and
// its entry paid the payouts out of the cash 1011. Items = the share-outs.
NamedCheck check_savings_shareouts(Ledger& ledger);
// rosca.book: in each hụi, the receivable 1311 equals the dues billed less the payments received
// (plus what the wind-down left owing); the advances and the payouts (with the holder's fee)
// recorded equal the 3311 postings of their entries. Items = the groups.
NamedCheck check_rosca_book(Ledger& ledger);
// rosca.rounds: each round's dues add up to its payout plus the holder's fee (money in = money
// out). Items = the rounds.
NamedCheck check_rosca_rounds(Ledger& ledger);

}  // namespace soquy

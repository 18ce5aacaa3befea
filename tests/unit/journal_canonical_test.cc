// The hashed bytes of an entry are format "soquy-entry/1": a JSON array as nlohmann::json
// dumps it. They are written by hand for speed, so this test rebuilds them with nlohmann (an
// independent writer) for texts that need escaping, and checks the hash against sha256sum's.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "soquy/journal.h"
#include "soquy/sha256.h"

namespace soquy {
namespace {

std::string reference_bytes(const Entry& e) {
  nlohmann::json postings = nlohmann::json::array();
  for (const auto& p : e.postings) postings.push_back({p.account, p.amount.minor_units()});
  nlohmann::json doc = {"soquy-entry/1", e.id, e.book, e.date.to_iso(), e.client_id, e.memo,
                        e.reverses ? nlohmann::json(*e.reverses) : nlohmann::json(nullptr), e.user, e.recorded_at,
                        postings};
  return doc.dump();
}

Entry sample(std::string memo) {
  Entry e;
  e.id = 42;
  e.book = "group:HUI-01";
  e.date = *Date::parse_iso("2026-01-31");
  e.client_id = "rcpt\"7\\";
  e.memo = std::move(memo);
  e.user = "thu_quy";
  e.recorded_at = "2026-11-28T09:00:00Z";
  e.postings = {{"1011", Money(-1500000)}, {"4111", Money(1500000)}};
  return e;
}

TEST(CanonicalBytes, MatchTheJsonWriterForEveryKindOfText) {
  std::string controls;
  for (int c = 1; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
  for (const std::string& memo :
       {std::string("Thu nợ gốc, lãi kỳ 1 — Nguyễn Thị Hòa"), std::string("quote \" backslash \\ slash /"),
        std::string("tab\tnewline\ncr\r"), controls, std::string("\x7f del"), std::string()}) {
    Entry e = sample(memo);
    EXPECT_EQ(canonical_entry_bytes(e), reference_bytes(e)) << memo;
    e.reverses = 7;
    EXPECT_EQ(canonical_entry_bytes(e), reference_bytes(e)) << memo;
  }
}

TEST(CanonicalBytes, HashIsSha256OfPreviousHashNewlineAndBytes) {
  Entry e = sample("x");
  // Independently: sha256 of the concatenation, through the incremental API.
  Sha256 h;
  h.update(kGenesisHash);
  h.update("\n");
  h.update(reference_bytes(e));
  EXPECT_EQ(entry_hash(kGenesisHash, e), h.finish_hex());
  // The context is reusable and sha256("abc") is the FIPS 180-2 test vector.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Any change of content changes the hash.
  Entry changed = e;
  changed.postings[0].amount = Money(-1500001);
  EXPECT_NE(entry_hash(kGenesisHash, changed), entry_hash(kGenesisHash, e));
}

}  // namespace
}  // namespace soquy

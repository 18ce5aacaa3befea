-- One coherent row (or a few) in every table of the schema, for tests/pg/schema_test.sh: the
-- append-only probes need a row to refuse, the row-level security test two treasurers' groups,
-- the change log test rows to log. Inserted by the superuser (no row-level security), in one
-- transaction. psql variables: treasurer (the test treasurer's login, also her users.name).
BEGIN;
SELECT set_config('soquy.now', '2026-01-02T03:04:05Z', true);

INSERT INTO settings (key, value) VALUES ('loan.member_limit', '2');
INSERT INTO users (id, name, role, created_at) VALUES
  (1, 'admin', 'admin', '2026-01-01T00:00:00Z'),
  (2, :'treasurer', 'treasurer', '2026-01-01T00:00:00Z'),
  (3, 'another-treasurer', 'treasurer', '2026-01-01T00:00:00Z');
INSERT INTO books (id, code, name) VALUES
  (1, 'fund', 'Fund'), (2, 'group:R1', 'R1'), (3, 'group:R2', 'R2'), (4, 'group:S1', 'S1'), (5, 'group:S2', 'S2');
INSERT INTO accounts (id, book_id, code, name, type) VALUES (1, 1, '1111', 'Cash', 'asset'), (2, 1, '2111', 'Loans', 'asset');
INSERT INTO entries (id, book_id, date, memo, user_id, recorded_at, hash)
  SELECT i, CASE WHEN i IN (7, 9) THEN 2 WHEN i IN (8, 10) THEN 3 WHEN i BETWEEN 11 AND 15 THEN 4
                 WHEN i BETWEEN 16 AND 20 THEN 5 ELSE 1 END,
         '2026-01-01', 'entry ' || i, 1, '2026-01-01T00:00:00Z', sha256(convert_to(i::text, 'UTF8'))
    FROM generate_series(1, 21) AS i;
INSERT INTO postings (entry_id, line, account_id, amount) VALUES (1, 1, 1, 100), (1, 2, 2, -100);
INSERT INTO account_balances (account_id, date, balance) VALUES (1, '2026-01-01', 100), (2, '2026-01-01', -100);
-- The treasurer keeps R1 (rosca) and S1 (savings); another treasurer R2 and S2.
INSERT INTO book_treasurers (book_id, user_id, named_by, named_at) VALUES
  (2, 2, 1, '2026-01-01T00:00:00Z'), (4, 2, 1, '2026-01-01T00:00:00Z'),
  (3, 3, 1, '2026-01-01T00:00:00Z'), (5, 3, 1, '2026-01-01T00:00:00Z');
INSERT INTO entry_owners (entry_id, domain, record) VALUES (2, 'loans', 'L1');

INSERT INTO units (id, code, kind, valid_from) VALUES (1, 'P', 'province', '2020-01-01'), (2, 'C', 'commune', '2020-01-01');
INSERT INTO unit_history (unit_id, valid_from, name, parent_id) VALUES (1, '2020-01-01', 'Tỉnh', NULL), (2, '2020-01-01', 'Xã', 1);
-- Member 1's name has what JSON must escape (the change log test compares it with SQLite's json_object).
INSERT INTO members (id, code, name, national_id, unit_id, born, ethnicity, joined) VALUES
  (1, 'M1', E'Nguyễn "Thị" \\ Lan\n\t/x', '012345678901', 2, NULL, 'Kinh', '2020-01-01'),
  (2, 'M2', 'Trần Thị Mai', NULL, 2, '1980-05-06', NULL, '2020-01-01');
INSERT INTO member_poverty (member_id, valid_from, status) VALUES (1, '2020-01-01', 'poor');
INSERT INTO groups (id, code, name, kind, unit_id, leader_id, book_id, created_on) VALUES
  (1, 'CR1', 'Credit', 'credit', 2, 1, NULL, '2020-01-01'),
  (2, 'R1', 'Hụi 1', 'rosca', 2, NULL, 2, '2020-01-01'), (3, 'R2', 'Hụi 2', 'rosca', 2, NULL, 3, '2020-01-01'),
  (4, 'S1', 'Tiết kiệm 1', 'savings', 2, NULL, 4, '2020-01-01'),
  (5, 'S2', 'Tiết kiệm 2', 'savings', 2, NULL, 5, '2020-01-01'),
  (6, 'V1', 'Vay vốn', 'vbsp', 2, NULL, NULL, '2020-01-01');
INSERT INTO group_members (group_id, member_id, joined_on) VALUES (1, 1, '2020-01-01');

INSERT INTO loan_products (id, code, method, rate, installments, frequency, created_at)
  VALUES (1, 'P1', 'flat', '0.65%/month', 12, 'monthly', '2026-01-01T00:00:00Z');
INSERT INTO loans (id, code, member_id, group_id, product_id, principal, method, rate, installments, frequency, grace,
                   allocation_order, disbursed_on, schedule, entry_id)
  VALUES (1, 'L1', 1, 1, 1, 1000000, 'flat', '0.65%/month', 12, 'monthly', 0, 'penalty,interest,principal',
          '2026-01-01', '2026-02-01 83334 6500', 2);
INSERT INTO loan_events (id, loan_id, kind, on_date, amount, principal, entry_id)
  VALUES (1, 1, 'repay', '2026-02-01', 100, 100, 3);
INSERT INTO loan_reallocations (entry_id, event_id) VALUES (4, 1);
INSERT INTO loan_collection_rows (event_id, group_id, meeting_date) VALUES (1, 1, '2026-02-01');

INSERT INTO dues_rates (valid_from, amount, recorded_at, user_id) VALUES ('2026-01', 2000, '2026-01-01T00:00:00Z', 1);
INSERT INTO dues_splits (valid_from, level, basis_points, recorded_at, user_id)
  VALUES ('2026-01', 'branch', 10000, '2026-01-01T00:00:00Z', 1);
INSERT INTO dues_exemptions (id, member_id, from_period, reason, recorded_at, user_id)
  VALUES (1, 2, '2026-01', 'old age', '2026-01-01T00:00:00Z', 1);
INSERT INTO dues_periods (period, billed_on, entry_id, members, exempt, amount) VALUES ('2026-01', '2026-01-31', 5, 1, 1, 2000);
INSERT INTO dues_bills (period, member_id, amount) VALUES ('2026-01', 1, 2000);
INSERT INTO dues_payments (id, member_id, paid_on, amount, receipt, entry_id) VALUES (1, 1, '2026-02-01', 2000, 'R-1', 6);
INSERT INTO dues_allocations (payment_id, period, amount) VALUES (1, '2026-01', 2000);
INSERT INTO setting_changes (id, key, old_value, new_value, user_id, recorded_at)
  VALUES (1, 'loan.member_limit', NULL, '2', 1, '2026-01-01T00:00:00Z');

-- Two hụi: R1 (group 2, entries 7 and 9) and R2 (group 3, entries 8 and 10).
INSERT INTO rosca_agreements (group_id, holder_id, contribution, period, start_on, kind, fee, holder_takes_first,
                              late_rate, terms, recorded_at, user_id)
  SELECT g, 1, 100000, 'monthly', '2026-01-01', 'fixed', 0, 1, '10%/year', '', '2026-01-01T00:00:00Z', 1
    FROM (VALUES (2), (3)) AS v(g);
INSERT INTO rosca_shares (group_id, share_no, member_id) SELECT g, s, s FROM (VALUES (2), (3)) AS v(g), generate_series(1, 2) AS s;
INSERT INTO rosca_rounds (group_id, round_no, opened_on, method, winner_share, bid, seed, candidates, dead, living,
                          payout, fee, entry_id, recorded_at, user_id)
  SELECT g, 1, '2026-01-01', 'holder', 1, 0, NULL, '', 0, 2, 100000, 0, g + 5, '2026-01-01T00:00:00Z', 1
    FROM (VALUES (2), (3)) AS v(g);
INSERT INTO rosca_bids (group_id, round_no, share_no, bid) VALUES (2, 1, 2, 0), (3, 1, 2, 0);
INSERT INTO rosca_dues (group_id, round_no, share_no, member_id, amount) VALUES (2, 1, 2, 2, 100000), (3, 1, 2, 2, 100000);
INSERT INTO rosca_movements (id, group_id, kind, member_id, round_no, moved_on, amount, receipt, entry_id, recorded_at, user_id)
  VALUES (1, 2, 'payment', 2, 1, '2026-01-01', 100000, 'RC-1', 9, '2026-01-01T00:00:00Z', 1),
         (2, 3, 'payment', 2, 1, '2026-01-01', 100000, 'RC-1', 10, '2026-01-01T00:00:00Z', 1);
INSERT INTO rosca_closings (group_id, closed_on, entry_id, recorded_at, user_id)
  VALUES (2, '2026-06-01', NULL, '2026-06-01T00:00:00Z', 1), (3, '2026-06-01', NULL, '2026-06-01T00:00:00Z', 1);
INSERT INTO rosca_settlements (group_id, member_id, amount) VALUES (2, 1, 0), (3, 1, 0);

-- Two savings groups: S1 (group 4, entries 11-15) and S2 (group 5, entries 16-20); row ids = group id.
INSERT INTO savings_rules (group_id, share_price, method, leftover, recorded_at, user_id)
  VALUES (4, 10000, 'shares', 'social-fund', '2026-01-01T00:00:00Z', 1), (5, 10000, 'shares', 'social-fund', '2026-01-01T00:00:00Z', 1);
INSERT INTO savings_meetings (id, group_id, cycle, meeting_no, held_on, entry_id, recorded_at, user_id, revision)
  SELECT g, g, 1, 1, '2026-01-05', 5 * g - 9, '2026-01-05T00:00:00Z', 1, 1 FROM (VALUES (4), (5)) AS v(g);
INSERT INTO savings_loans (id, group_id, code, member_id, cycle, principal, rate, installments, frequency, method, grace,
                           penalty_rate, disbursed_on, entry_id, recorded_at, user_id)
  SELECT g, g, 'SL1', 1, 1, 50000, '10%/month', 3, 'monthly', 'flat', 0, NULL, '2026-01-05', 5 * g - 8,
         '2026-01-05T00:00:00Z', 1 FROM (VALUES (4), (5)) AS v(g);
INSERT INTO savings_meeting_lines (meeting_id, line_no, member_id, shares, deposit, savings, social, fine, repayment, loan_id)
  SELECT g, 1, 1, 1, 0, 10000, 0, 0, 0, g FROM (VALUES (4), (5)) AS v(g);
INSERT INTO savings_loan_payments (id, loan_id, paid_on, amount, principal, interest, penalty, meeting_id, entry_id,
                                   recorded_at, user_id)
  SELECT g, g, '2026-02-05', 1000, 1000, 0, 0, g, 5 * g - 7, '2026-02-05T00:00:00Z', 1 FROM (VALUES (4), (5)) AS v(g);
INSERT INTO savings_movements (id, group_id, cycle, member_id, kind, moved_on, amount, entry_id, recorded_at, user_id)
  SELECT g, g, 1, 1, 'withdraw', '2026-02-06', 500, 5 * g - 6, '2026-02-06T00:00:00Z', 1 FROM (VALUES (4), (5)) AS v(g);
INSERT INTO savings_shareouts (group_id, cycle, held_on, method, leftover_rule, loan_fund_cash, savings, profit, leftover,
                               entry_id, recorded_at, user_id, revision)
  SELECT g, 1, '2026-12-01', 'shares', 'social-fund', 0, 0, 0, 0, 5 * g - 5, '2026-12-01T00:00:00Z', 1, 1
    FROM (VALUES (4), (5)) AS v(g);
INSERT INTO savings_shareout_lines (group_id, cycle, member_id, savings, weight, profit, payout, revision)
  SELECT g, 1, 1, 0, '1', 0, 0, 1 FROM (VALUES (4), (5)) AS v(g);

INSERT INTO vbsp_contracts (id, code, unit_id, signed_on, recorded_at, user_id)
  VALUES (1, 'HD-1', 2, '2026-01-01', '2026-01-01T00:00:00Z', 1);
INSERT INTO vbsp_fee_rates (contract_id, effective_from, fee_percent, commission_percent, recorded_at, user_id)
  VALUES (1, '2026-01-01', '8', '2', '2026-01-01T00:00:00Z', 1);
INSERT INTO vbsp_loans (id, loan_no, group_id, member_id, customer_code, national_id, borrower_name, programme,
                        disbursed_on, amount, maturity_on, entry_id, recorded_at, user_id)
  VALUES (1, '0001', 6, 1, 'KH1', NULL, 'Trần Thị Mai', '01', '2026-01-01', 1000, '2027-01-01', 21,
          '2026-01-01T00:00:00Z', 1);
INSERT INTO vbsp_transactions (id, receipt_no, loan_id, paid_on, kind, amount, entry_id, recorded_at, user_id)
  VALUES (1, 'BL-1', 1, '2026-02-01', 'interest', 10, NULL, '2026-02-01T00:00:00Z', 1);
INSERT INTO vbsp_statements (id, as_of, period_from, version, source, content_hash, row_count, recorded_at, user_id)
  VALUES (1, '2026-01-31', '2026-01-01', 1, 'sk.xlsx', repeat('a', 64), 1, '2026-02-01T00:00:00Z', 1);
INSERT INTO vbsp_statement_rows (statement_id, loan_no, line, group_code, commune_code, office_code, customer_code,
                                 borrower_name, programme, disbursed_on, principal_outstanding, principal_overdue,
                                 principal_frozen, interest_collected, interest_unpaid, savings_balance, status)
  VALUES (1, '0001', 1, 'V1', NULL, NULL, 'KH1', 'Trần Thị Mai', '01', '2026-01-01', 1000, 0, 0, 0, 0, 0, 'OPEN');
COMMIT;

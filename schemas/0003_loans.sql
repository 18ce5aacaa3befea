-- soquy schema 3: Women's Development Fund loans — products, loans and their dated events.
--
-- Everything here is append-only like the journal: a loan's terms and schedule are fixed when
-- it is disbursed; repayments, write-offs, recoveries, extensions, reschedulings and freezes are
-- events added after it. Money moves only through journal entries (entry_id); these rows say
-- which loan an entry belongs to and how it was split. Amounts are INTEGER đồng, rates exact
-- decimal TEXT as Rate prints them ("0.65%/month"), dates ISO TEXT.

-- A loan product: the terms a loan copies when it is disbursed. Changing a product means a new
-- code; loans already disbursed keep the terms they were given.
CREATE TABLE loan_products (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE,
  method           TEXT NOT NULL CHECK (method IN ('flat', 'equal-principal', 'equal-total')),
  rate             TEXT NOT NULL,
  installments     INTEGER NOT NULL CHECK (installments >= 1),
  frequency        TEXT NOT NULL CHECK (frequency IN ('monthly', 'weekly', 'fortnightly', 'four-weekly')),
  grace            INTEGER NOT NULL DEFAULT 0 CHECK (grace >= 0 AND grace < installments),
  savings_rate     TEXT,     -- compulsory savings per period as a share of the principal; NULL: none
  max_amount       INTEGER CHECK (max_amount IS NULL OR max_amount > 0),
  penalty_rate     TEXT,     -- on overdue principal; NULL: no penalty
  allocation_order TEXT NOT NULL DEFAULT 'penalty,interest,principal',
  created_at       TEXT NOT NULL
) STRICT;

-- A disbursed loan, with the terms copied from its product and its first schedule.
-- schedule: one item per instalment "YYYY-MM-DD principal interest" (in due-date order; n is the
-- position), items joined by ";".
CREATE TABLE loans (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE,
  member_id        INTEGER NOT NULL REFERENCES members (id),
  group_id         INTEGER REFERENCES groups (id),
  product_id       INTEGER NOT NULL REFERENCES loan_products (id),
  principal        INTEGER NOT NULL CHECK (principal > 0),
  method           TEXT NOT NULL,
  rate             TEXT NOT NULL,
  installments     INTEGER NOT NULL,
  frequency        TEXT NOT NULL,
  grace            INTEGER NOT NULL,
  savings_rate     TEXT,
  penalty_rate     TEXT,
  allocation_order TEXT NOT NULL,
  disbursed_on     TEXT NOT NULL,
  schedule         TEXT NOT NULL,
  entry_id         INTEGER NOT NULL REFERENCES entries (id)
) STRICT;
CREATE INDEX loans_by_member ON loans (member_id);
CREATE INDEX loans_by_group ON loans (group_id);

-- What happened to a loan after its disbursement, in (on_date, id) order.
--   repay       a repayment: amount = principal + interest + penalty + overpayment, plus
--               savings collected with it (not part of amount)
--   payoff      a repayment that settles the loan early: the interest of instalments not yet
--               due is not owed; the loan is closed after it
--   writeoff    xóa nợ: the outstanding principal leaves the portfolio (principal = that amount)
--   recover     money received on a written-off loan (amount; income)
--   extend      gia hạn: the unpaid instalments are due `detail` months later (schedule = new)
--   reschedule  điều chỉnh kỳ hạn: what is unpaid is spread over a new schedule (schedule = new)
--   freeze / unfreeze   khoanh nợ: not overdue while frozen
CREATE TABLE loan_events (
  id          INTEGER PRIMARY KEY,
  loan_id     INTEGER NOT NULL REFERENCES loans (id),
  kind        TEXT NOT NULL CHECK (kind IN ('repay', 'payoff', 'writeoff', 'recover', 'extend',
                                             'reschedule', 'freeze', 'unfreeze')),
  on_date     TEXT NOT NULL,
  amount      INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
  principal   INTEGER NOT NULL DEFAULT 0,
  interest    INTEGER NOT NULL DEFAULT 0,
  penalty     INTEGER NOT NULL DEFAULT 0,
  overpayment INTEGER NOT NULL DEFAULT 0,
  savings     INTEGER NOT NULL DEFAULT 0 CHECK (savings >= 0),
  schedule    TEXT,          -- extend / reschedule: the schedule from this event on
  detail      TEXT NOT NULL DEFAULT '',  -- the officer's memo / reason
  client_id   TEXT,          -- receipt number: idempotency key, unique per loan
  entry_id    INTEGER REFERENCES entries (id)  -- NULL for events that move no money
) STRICT;
CREATE INDEX loan_events_by_loan ON loan_events (loan_id, on_date, id);
CREATE UNIQUE INDEX loan_events_client_id ON loan_events (loan_id, client_id) WHERE client_id IS NOT NULL;

CREATE TRIGGER loan_products_no_update BEFORE UPDATE ON loan_products
BEGIN SELECT RAISE(ABORT, 'loan products are append-only: add a new product code'); END;
CREATE TRIGGER loan_products_no_delete BEFORE DELETE ON loan_products
BEGIN SELECT RAISE(ABORT, 'loan products are append-only: add a new product code'); END;
CREATE TRIGGER loans_no_update BEFORE UPDATE ON loans
BEGIN SELECT RAISE(ABORT, 'loans are append-only: record an event instead'); END;
CREATE TRIGGER loans_no_delete BEFORE DELETE ON loans
BEGIN SELECT RAISE(ABORT, 'loans are append-only: record an event instead'); END;
CREATE TRIGGER loan_events_no_update BEFORE UPDATE ON loan_events
BEGIN SELECT RAISE(ABORT, 'loan events are append-only: record a correcting event instead'); END;
CREATE TRIGGER loan_events_no_delete BEFORE DELETE ON loan_events
BEGIN SELECT RAISE(ABORT, 'loan events are append-only: record a correcting event instead'); END;

-- Identifiers looked up at fairs' doors, per account and window (issue 15: a fair's door is not an
-- identity oracle). One row per account, span ('minute' | 'day') and window start, raised by an
-- UPSERT in the registering transaction: the count is exact across processes, and a refused
-- request (over the limit, rolled back) does not count.
CREATE TABLE fair_lookup_window (
  account_id    bigint NOT NULL REFERENCES account (id),
  span          text COLLATE "C" NOT NULL CHECK (span IN ('minute', 'day')),
  window_start  timestamptz NOT NULL,
  lookups       integer NOT NULL CHECK (lookups >= 0),
  PRIMARY KEY (account_id, span, window_start)
);

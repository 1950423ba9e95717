-- Field work on a phone, offline (issue 19 items 2–3). A village officer edits cards, creates cards,
-- records follow-ups and confirms the quarter where there is no signal; the phone keeps each as an
-- entry of its outbox and sends them when it can.
--
-- 1. field_sync_entry: every entry the server has answered, under the idempotency key the phone
--    gave it (unique per account). A sync cut half way is sent again whole: an entry found here is
--    answered with its first result and applies nothing. The row is written in the same transaction
--    as the entry's change, so an entry is either applied and recorded or neither. A conflict the
--    officer has since resolved is marked 'resolved' (its stored answer stays as it was).
-- 2. laborer_version.captured_at: when a change was captured on the phone. valid_from stays the
--    time it reached the server (the ledger's "as of" reads go by it); captured_at is the real time
--    of the visit, null for changes made online.

CREATE TABLE field_sync_entry (
  account_id  bigint NOT NULL REFERENCES account(id),
  key         text COLLATE "C" NOT NULL CHECK (key ~ '^[A-Za-z0-9_-]{8,64}$'),
  kind        text NOT NULL CHECK (kind IN ('update', 'create', 'follow_up', 'confirm', 'resolve')),
  laborer_id  bigint REFERENCES laborer(id),
  status      text NOT NULL CHECK (status IN ('applied', 'conflict', 'resolved', 'duplicate', 'transfer', 'refused')),
  result      jsonb NOT NULL,
  captured_at timestamptz NOT NULL,
  synced_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, key)
);

ALTER TABLE laborer_version ADD COLUMN captured_at timestamptz;

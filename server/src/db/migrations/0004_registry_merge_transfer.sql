-- 精准识别, the rest: likely duplicates merged into one card that keeps both histories, and
-- transfer requests (迁移申请) from the county where a person now lives to the county holding
-- the card (DOMAIN.md "Records": one card per ID number; a second registration is offered a
-- transfer request to the holding county).

-- A merged card is deleted and points at the card that survived it; the survivor's history reads
-- the ledgers of every card merged into it (a chain when a survivor was itself merged later).
ALTER TABLE laborer ADD COLUMN merged_into bigint REFERENCES laborer (id);
ALTER TABLE laborer ADD CONSTRAINT laborer_merged_deleted CHECK (merged_into IS NULL OR deleted_at IS NOT NULL);
ALTER TABLE laborer ADD CONSTRAINT laborer_merged_not_self CHECK (merged_into IS NULL OR merged_into <> id);
CREATE INDEX laborer_merged_into_idx ON laborer (merged_into) WHERE merged_into IS NOT NULL;

-- New kinds of ledger versions. The new constraint only widens the old one, so existing rows
-- satisfy it: NOT VALID skips the scan of millions of versions under the table lock, and the
-- validation that follows takes a lock that does not block writers.
ALTER TABLE laborer_version DROP CONSTRAINT laborer_version_change_kind_check;
ALTER TABLE laborer_version ADD CONSTRAINT laborer_version_change_kind_check
  CHECK (change_kind IN ('create', 'update', 'delete', 'restore', 'import', 'merge', 'transfer')) NOT VALID;
ALTER TABLE laborer_version VALIDATE CONSTRAINT laborer_version_change_kind_check;
-- The other card of a merge: on the survivor's 'merge' version the card merged into it, on the
-- merged card's 'merge' version the survivor. (A nullable column without default: no rewrite.)
ALTER TABLE laborer_version ADD COLUMN related_laborer_id bigint;

-- "Not the same person": a pair of cards a staff member looked at and kept apart. Stored with the
-- smaller id first so a pair has one row whichever way it was dismissed.
CREATE TABLE laborer_duplicate_dismissal (
  laborer_id   bigint NOT NULL REFERENCES laborer (id),
  other_id     bigint NOT NULL REFERENCES laborer (id),
  reason       text,
  dismissed_by bigint NOT NULL REFERENCES account (id),
  dismissed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (laborer_id, other_id),
  CHECK (laborer_id < other_id)
);

-- Transfer requests: staff of the region a person now belongs to ask the county holding the card
-- to move it to one of their villages. from_village_code is the card's village when the request
-- was made, and the village it left when approved.
CREATE TABLE laborer_transfer_request (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  laborer_id        bigint NOT NULL REFERENCES laborer (id),
  -- The ID number as the requester typed it, masked: what they may be shown about the card.
  id_masked         text COLLATE "C" NOT NULL,
  from_village_code text COLLATE "C" NOT NULL REFERENCES region (code),
  to_village_code   text COLLATE "C" NOT NULL REFERENCES region (code) CHECK (length(to_village_code) = 12),
  reason            text NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_by      bigint NOT NULL REFERENCES account (id),
  requested_at      timestamptz NOT NULL DEFAULT now(),
  decided_by        bigint REFERENCES account (id),
  decided_at        timestamptz,
  decision_reason   text,
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- One pending request per card.
CREATE UNIQUE INDEX laborer_transfer_pending_key ON laborer_transfer_request (laborer_id) WHERE status = 'pending';
CREATE INDEX laborer_transfer_from_idx ON laborer_transfer_request (from_village_code, requested_at);
CREATE INDEX laborer_transfer_to_idx ON laborer_transfer_request (to_village_code, requested_at);

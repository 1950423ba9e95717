-- Bulk imports of postings and of employment records (issue 21 item 4): an input city's staff bring
-- thousands of postings from job sites and agencies, a county brings the jobs its people found.
-- They run like the collection form's imports (0003, 0025, 0027): the upload is stored sealed, one
-- row per import here is claimed by a worker, batches commit with their progress and their row
-- errors, an import the process dropped is resumed, and one account has one import queued or
-- running at a time (per kind of table: this one beside laborer_import).
--
-- Unlike the collection form, a resumed import goes on after the last committed batch
-- (done_through_row): the counts of the batches before it stand, and their rows are not read
-- into the database again. Each row is idempotent all the same (posting by employer and external
-- reference or title and start; employment by card, employer and start date).
CREATE TABLE bulk_import (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('postings', 'employments')),
  file_name        text NOT NULL,
  file_path        text NOT NULL,
  status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  total            integer,
  processed        integer NOT NULL DEFAULT 0,
  created          integer NOT NULL DEFAULT 0,
  unchanged        integer NOT NULL DEFAULT 0,
  rejected         integer NOT NULL DEFAULT 0,
  -- The Excel row number of the last row of the last committed batch: a resumed run starts after it.
  done_through_row integer NOT NULL DEFAULT 0,
  message          text,
  error_code       text,
  -- The file's column headers (the error report's columns).
  report_columns   jsonb,
  created_by       bigint NOT NULL REFERENCES account (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz
);
CREATE INDEX bulk_import_status_idx ON bulk_import (status) WHERE status IN ('queued', 'running');
CREATE UNIQUE INDEX bulk_import_one_pending_per_account ON bulk_import (created_by) WHERE status IN ('queued', 'running');

-- One row per problem of a rejected row (a row may have several), by Excel row and column header.
CREATE TABLE bulk_import_error (
  import_id bigint NOT NULL REFERENCES bulk_import (id),
  row       integer NOT NULL,
  col       text NOT NULL,
  message   text NOT NULL
);
CREATE INDEX bulk_import_error_idx ON bulk_import_error (import_id, row);

-- The rejected rows' cells as the file had them (identifiers masked), for the error report: the
-- upload is deleted when the import ends.
CREATE TABLE bulk_import_rejected_row (
  import_id bigint NOT NULL REFERENCES bulk_import (id),
  row       integer NOT NULL,
  cells     jsonb NOT NULL,
  PRIMARY KEY (import_id, row)
);

-- A posting brought from a job site or an agency keeps the source's reference, so importing the
-- same list again finds it instead of publishing it twice.
ALTER TABLE posting ADD COLUMN external_ref text;
CREATE UNIQUE INDEX posting_external_ref_idx ON posting (employer_id, external_ref) WHERE external_ref IS NOT NULL;
-- Without a reference, a posting is the same one when its employer, title and start date are.
CREATE INDEX posting_employer_title_idx ON posting (employer_id, title, valid_from);

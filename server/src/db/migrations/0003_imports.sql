-- Imports of the collection form (劳动力资源信息采集表): one row per upload, its progress, and the
-- per-row problems the cadre fixes before re-uploading. Batches commit as they go; a re-run
-- upserts by ID number, so an interrupted import is finished by running it again.
CREATE TABLE laborer_import (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  file_name    text NOT NULL,
  file_path    text NOT NULL,
  mode         text NOT NULL CHECK (mode IN ('partial', 'all_or_nothing')),
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  total        integer,
  processed    integer NOT NULL DEFAULT 0,
  accepted     integer NOT NULL DEFAULT 0,
  unchanged    integer NOT NULL DEFAULT 0,
  rejected     integer NOT NULL DEFAULT 0,
  message      text,
  created_by   bigint NOT NULL REFERENCES account (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX laborer_import_status_idx ON laborer_import (status) WHERE status IN ('queued', 'running');

CREATE TABLE laborer_import_error (
  import_id bigint NOT NULL REFERENCES laborer_import (id),
  row       integer NOT NULL,
  col       text NOT NULL,
  message   text NOT NULL
);
CREATE INDEX laborer_import_error_idx ON laborer_import_error (import_id, row);

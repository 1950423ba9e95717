-- Imports that cannot take the platform down, and error reports without clear identifiers (issue 15).
--
-- 1. attempts: how many times an import was started. An import that was running when the process
--    died is started again at the next start, but after two attempts it stops as failed instead
--    of killing every start (laborers.import.ts resumePending). started_at: when it left the
--    queue; error_code: the stable code of a file-level failure (IMPORT_PART_TOO_LARGE …).
-- 2. One import queued or running per account at a time: a second upload is refused
--    (IMPORT_IN_PROGRESS) rather than queued, so one account cannot fill the platform's queue
--    or its disk. Older data may hold more than one: all but the oldest are closed as failed.
-- 3. The error report is built from the rejected rows alone, masked, kept here (the uploaded file
--    is deleted as soon as the import ends): report_columns are the form's column headers as the
--    file had them, laborer_import_rejected_row.cells each rejected row's values under them.
ALTER TABLE laborer_import ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE laborer_import ADD COLUMN started_at timestamptz;
ALTER TABLE laborer_import ADD COLUMN error_code text;
ALTER TABLE laborer_import ADD COLUMN report_columns jsonb;

UPDATE laborer_import i
   SET status = 'failed', finished_at = now(),
       message = '系统升级后同一账号同时只能进行一个导入，本次导入未执行，请重新上传'
 WHERE status IN ('queued', 'running')
   AND EXISTS (SELECT 1 FROM laborer_import o
                WHERE o.created_by = i.created_by AND o.status IN ('queued', 'running') AND o.id < i.id);

CREATE UNIQUE INDEX laborer_import_one_pending_per_account ON laborer_import (created_by)
  WHERE status IN ('queued', 'running');

CREATE TABLE laborer_import_rejected_row (
  import_id bigint NOT NULL REFERENCES laborer_import (id),
  row       integer NOT NULL,
  cells     jsonb NOT NULL,
  PRIMARY KEY (import_id, row)
);

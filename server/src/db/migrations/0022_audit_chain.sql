-- Issue 14: every audited request took one global advisory lock to read the previous row's hash,
-- so under load requests queued behind each other's audit rows (8 of 10 connections waiting).
-- Now a request appends its row and a pending marker in one statement, without any lock, and one
-- linker (platform/audit.ts) links pending rows into the chain in order shortly after. The chain
-- moves to its own append-only table; its order is `seq`, which need not follow the row ids
-- (a row whose transaction commits late is linked late). Rows are unchanged: the hashes of the
-- rows chained so far carry over, in id order.
CREATE TABLE audit_chain (
  seq       bigint PRIMARY KEY,
  audit_id  bigint NOT NULL UNIQUE REFERENCES audit_log (id),
  prev_hash bytea NOT NULL UNIQUE,   -- one successor per row: the chain cannot fork
  hash      bytea NOT NULL
);
INSERT INTO audit_chain (seq, audit_id, prev_hash, hash)
  SELECT row_number() OVER (ORDER BY id), id, prev_hash, hash FROM audit_log;

-- Rows written but not linked yet; the linker deletes a marker as it links its row.
CREATE TABLE audit_pending (
  audit_id bigint PRIMARY KEY REFERENCES audit_log (id)
);

ALTER TABLE audit_log DROP COLUMN prev_hash, DROP COLUMN hash;

CREATE TRIGGER audit_chain_no_update BEFORE UPDATE OR DELETE ON audit_chain
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_chain FROM PUBLIC;

-- Statistics in big transactions, and for a bulk load (the province preset's five-minute budget).
--
-- 1. Settling once per transaction. 0017 queued its deferred settle for every laborer a statement
--    noted; at commit the first call did the work and each of the N-1 others scanned the N rows
--    its transaction had deleted from stats_dirty: quadratic. Writing 95,000 jobs in one statement
--    took 105 s to settle. A transaction now queues one settle, on its first note.
-- 2. A job update that changes nothing the statistics read (employer, contact, insurance …) notes
--    nobody: the generator's workshops step links 95,000 jobs to their workshops this way.
-- 3. A generate pauses the triggers and loads laborers in chunks; each chunk's transaction adds
--    its laborers' deltas and their villages' days (villages never span chunks, so the two loading
--    workers never wait on each other's rows); once all are in, the counties' days and the monthly
--    rollups are rebuilt from the villages' days, counties and townships side by side. Statistics
--    that were already stale as a generate paused them (an interrupted run, a restore) are rebuilt
--    whole when it resumes them: full_rebuild_due says so. One definition of each aggregate:
--    stats_rebuild() is the same functions over every laborer.

ALTER TABLE stats_state ADD COLUMN full_rebuild_due boolean NOT NULL DEFAULT false;

-- One row per transaction with notes to settle; its deferred trigger settles them at commit.
CREATE UNLOGGED TABLE stats_pending (noted_at timestamptz NOT NULL DEFAULT now());

-- The transaction-local setting remembers that this transaction has queued its settle (it is
-- undone with a rolled-back subtransaction, as is the row it guards).
CREATE FUNCTION stats_mark_pending() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('laowu.stats_pending', true) IS DISTINCT FROM 'on' THEN
    PERFORM set_config('laowu.stats_pending', 'on', true);
    INSERT INTO stats_pending DEFAULT VALUES;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION stats_note_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty SELECT DISTINCT laborer_id FROM new_rows;
  PERFORM stats_mark_pending();
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION stats_note_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty SELECT DISTINCT laborer_id FROM old_rows;
  PERFORM stats_mark_pending();
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION stats_note_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty SELECT laborer_id FROM new_rows UNION SELECT laborer_id FROM old_rows;
  PERFORM stats_mark_pending();
  RETURN NULL;
END $$;

-- The columns of employment that stats_deltas_sql reads; keep the two lists equal.
CREATE FUNCTION stats_note_employment_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH changed AS (
    SELECT o.laborer_id AS old_laborer, n.laborer_id AS new_laborer FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.laborer_id, o.started_on, o.ended_on, o.work_region_code, o.channel, o.monthly_wage)
      IS DISTINCT FROM (n.laborer_id, n.started_on, n.ended_on, n.work_region_code, n.channel, n.monthly_wage)
  )
  INSERT INTO stats_dirty SELECT old_laborer FROM changed UNION SELECT new_laborer FROM changed;
  IF FOUND THEN
    PERFORM stats_mark_pending();
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER stats_employment_upd ON employment;
CREATE TRIGGER stats_employment_upd AFTER UPDATE ON employment REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stats_note_employment_changes();

CREATE OR REPLACE FUNCTION stats_settle() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  -- Only this transaction's rows are visible here (each transaction empties its own before commit).
  DELETE FROM stats_pending;
  PERFORM set_config('laowu.stats_pending', 'off', true);
  WITH gone AS (DELETE FROM stats_dirty RETURNING laborer_id)
  SELECT array_agg(DISTINCT laborer_id) INTO ids FROM gone;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('laowu.stats'));
  PERFORM stats_refresh(ids);
  RETURN NULL;
END $$;
DROP TRIGGER stats_settle ON stats_dirty;
CREATE CONSTRAINT TRIGGER stats_settle AFTER INSERT ON stats_pending DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION stats_settle();

-- The villages' days of the laborers lo…hi, from their deltas, added to what is there.
CREATE FUNCTION stats_add_village_days(lo bigint, hi bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stats_village_day AS s
    SELECT village_code, day, sum(registered), sum(employed), sum(in_county), sum(in_province), sum(self_found), sum(assisted),
      sum(wage_sum), sum(wage_n), sum(new_transfers), sum(placed6), sum(retained6)
    FROM stats_laborer_delta WHERE laborer_id BETWEEN lo AND hi
    GROUP BY village_code, day ORDER BY village_code, day
  ON CONFLICT (village_code, day) DO UPDATE SET registered = s.registered + excluded.registered, employed = s.employed + excluded.employed,
    in_county = s.in_county + excluded.in_county, in_province = s.in_province + excluded.in_province, self_found = s.self_found + excluded.self_found,
    assisted = s.assisted + excluded.assisted, wage_sum = s.wage_sum + excluded.wage_sum, wage_n = s.wage_n + excluded.wage_n,
    new_transfers = s.new_transfers + excluded.new_transfers, placed6 = s.placed6 + excluded.placed6, retained6 = s.retained6 + excluded.retained6
$$;

-- Laborers lo…hi, new to the statistics (no deltas yet): their deltas and their villages' days.
CREATE FUNCTION stats_add_laborers(lo bigint, hi bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'INSERT INTO stats_laborer_delta ' || stats_deltas_sql(format('laborer_id BETWEEN %s AND %s', lo, hi));
  PERFORM stats_add_village_days(lo, hi);
END $$;

-- The counties' days from the villages' days, and the counties' months from those.
CREATE FUNCTION stats_rebuild_counties() RETURNS void LANGUAGE plpgsql SET work_mem = '256MB' AS $$
BEGIN
  DELETE FROM stats_county_day;
  INSERT INTO stats_county_day
    SELECT left(village_code, 6), day, sum(registered), sum(employed), sum(in_county), sum(in_province), sum(self_found), sum(assisted),
      sum(wage_sum), sum(wage_n), sum(new_transfers), sum(placed6), sum(retained6)
    FROM stats_village_day GROUP BY 1, 2 ORDER BY 1, 2;
  DELETE FROM stats_rollup WHERE len = 6;
  INSERT INTO stats_rollup
    SELECT 6, county_code, date_trunc('month', day)::date, sum(registered), sum(employed), sum(in_county), sum(in_province),
      sum(self_found), sum(assisted), sum(wage_sum), sum(wage_n), sum(new_transfers), sum(placed6), sum(retained6)
    FROM stats_county_day GROUP BY 2, 3 ORDER BY 2, 3;
END $$;

-- The townships' months from the villages' days (independent of the counties': may run beside it).
CREATE FUNCTION stats_rebuild_townships() RETURNS void LANGUAGE plpgsql SET work_mem = '256MB' AS $$
BEGIN
  DELETE FROM stats_rollup WHERE len = 9;
  INSERT INTO stats_rollup
    SELECT 9, left(village_code, 9), date_trunc('month', day)::date, sum(registered), sum(employed), sum(in_county), sum(in_province),
      sum(self_found), sum(assisted), sum(wage_sum), sum(wage_n), sum(new_transfers), sum(placed6), sum(retained6)
    FROM stats_village_day GROUP BY 2, 3 ORDER BY 2, 3;
END $$;

-- Everything from the records, in bulk: the same aggregates over all laborers.
CREATE OR REPLACE FUNCTION stats_rebuild() RETURNS void LANGUAGE plpgsql SET work_mem = '256MB' AS $$
BEGIN
  TRUNCATE stats_laborer_delta, stats_village_day, stats_county_day, stats_rollup;
  DROP INDEX stats_laborer_delta_laborer_idx;
  EXECUTE 'INSERT INTO stats_laborer_delta ' || stats_deltas_sql('true');
  CREATE INDEX stats_laborer_delta_laborer_idx ON stats_laborer_delta (laborer_id);
  PERFORM stats_add_village_days(0, 9223372036854775807);
  PERFORM stats_rebuild_counties();
  PERFORM stats_rebuild_townships();
  UPDATE stats_state SET stale_since = NULL, rebuilt_at = now(), full_rebuild_due = false;
END $$;

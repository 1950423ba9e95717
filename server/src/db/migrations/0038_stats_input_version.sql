-- Issue 14: the statistics' answers are kept in memory, keyed by the state of what they read.
-- Every statement that changes a table the summary reads appends, in its own transaction, a row
-- per county it touched (`county_code`; '' for a change of no one county: the region tree, the
-- rebuild's state; a city's or the province's own code for their targets). The sum of `weight`
-- over a region's counties, its ancestors and '' — as a snapshot sees it — grows with every commit
-- that could change that region's figures, and only then: a write in one county leaves the others'
-- kept answers good. A kept answer computed between two equal readings of the sum is the answer
-- of that state (platform/read-through.ts). Rows are appended, never updated, so writers do not
-- queue on a counter row; the sweeper folds them into one row per county of the same total.
CREATE TABLE stats_change (
  county_code text NOT NULL,
  weight bigint NOT NULL DEFAULT 1
);

-- A statement's transition table names the rows it touched; `col` is their region code.
CREATE FUNCTION stats_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' OR TG_ARGV[0] IS NULL THEN
    INSERT INTO stats_change (county_code) VALUES ('');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('INSERT INTO stats_change (county_code) SELECT DISTINCT coalesce(left(%I, 6), '''') FROM old_rows', TG_ARGV[0]);
  ELSE
    EXECUTE format('INSERT INTO stats_change (county_code) SELECT DISTINCT coalesce(left(%I, 6), '''') FROM new_rows', TG_ARGV[0]);
    IF TG_OP = 'UPDATE' THEN
      EXECUTE format('INSERT INTO stats_change (county_code) SELECT DISTINCT coalesce(left(%I, 6), '''') FROM old_rows', TG_ARGV[0]);
    END IF;
  END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE
  t text[];
BEGIN
  FOREACH t SLICE 1 IN ARRAY ARRAY[
    ['stats_rollup', 'code'], ['stats_county_day', 'county_code'], ['stats_village_day', 'village_code'],
    ['service_record', 'region_code'], ['subsidy', 'home_region_code'], ['stats_target', 'region_code']] LOOP
    EXECUTE format('CREATE TRIGGER %1$s_changed_ins AFTER INSERT ON %1$s REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION stats_note_change(%2$L)', t[1], t[2]);
    EXECUTE format('CREATE TRIGGER %1$s_changed_upd AFTER UPDATE ON %1$s REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION stats_note_change(%2$L)', t[1], t[2]);
    EXECUTE format('CREATE TRIGGER %1$s_changed_del AFTER DELETE ON %1$s REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION stats_note_change(%2$L)', t[1], t[2]);
    EXECUTE format('CREATE TRIGGER %1$s_changed_truncate AFTER TRUNCATE ON %1$s FOR EACH STATEMENT EXECUTE FUNCTION stats_note_change()', t[1]);
  END LOOP;
  FOREACH t SLICE 1 IN ARRAY ARRAY[['stats_state'], ['region']] LOOP
    EXECUTE format('CREATE TRIGGER %1$s_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %1$s
      FOR EACH STATEMENT EXECUTE FUNCTION stats_note_change()', t[1]);
  END LOOP;
END $$;

-- The state of a region's figures: the changes of its counties, of its ancestors and of no one county.
CREATE FUNCTION stats_input_version(region text) RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(weight), 0) FROM stats_change
  WHERE (county_code >= region AND county_code < region || '~') OR starts_with(region, county_code);
$$;

-- One statement: the rows it deletes are exactly the rows it sums, so no total changes.
CREATE FUNCTION stats_fold_changes() RETURNS void LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM stats_change RETURNING county_code, weight)
  INSERT INTO stats_change (county_code, weight) SELECT county_code, sum(weight) FROM gone GROUP BY county_code;
$$;

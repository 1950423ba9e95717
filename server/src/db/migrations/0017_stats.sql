-- Statistics for any region as of any date (issue 8; DOMAIN.md "The statistics").
--
-- The truth is each laborer's constant-state spans: a card version (home village, not deleted)
-- crossed with the employment open on a day. A span contributes +1 on the day it starts and -1 on
-- the day after it ends, so "as of d" is the running sum of these deltas up to d. Per laborer they
-- are kept in stats_laborer_delta (so one laborer's contribution can be replaced when their past
-- changes), summed per (village, day) in stats_village_day, per (county, day) in stats_county_day
-- and rolled up per (county or township, month) in stats_rollup: as of d = the rollup's months
-- before d's month + the county days (a township: its villages' days) of d's month up to d — about
-- ten thousand rows for the province, whatever the date.
--
-- Days are China days: a card version counts for day d when it is the version valid at the end of
-- d (valid_from < d+1 00:00 CST <= valid_to), i.e. for the days [date(valid_from), date(valid_to))
-- in Asia/Shanghai. An employment counts from started_on to ended_on inclusive (the employment
-- module's "open on the day": started_on <= d AND (ended_on IS NULL OR ended_on >= d)).

CREATE TABLE stats_laborer_delta (
  laborer_id    bigint NOT NULL,
  village_code  text COLLATE "C" NOT NULL,
  day           date NOT NULL,
  registered    integer NOT NULL,
  employed      integer NOT NULL,
  in_county     integer NOT NULL,
  in_province   integer NOT NULL,
  self_found    integer NOT NULL,
  assisted      integer NOT NULL,
  wage_sum      bigint NOT NULL,
  wage_n        integer NOT NULL,
  new_transfers integer NOT NULL,
  placed6       integer NOT NULL,
  retained6     integer NOT NULL
);
CREATE INDEX stats_laborer_delta_laborer_idx ON stats_laborer_delta (laborer_id);

CREATE TABLE stats_village_day (
  village_code  text COLLATE "C" NOT NULL,
  day           date NOT NULL,
  registered    integer NOT NULL DEFAULT 0,
  employed      integer NOT NULL DEFAULT 0,
  in_county     integer NOT NULL DEFAULT 0,
  in_province   integer NOT NULL DEFAULT 0,
  self_found    integer NOT NULL DEFAULT 0,
  assisted      integer NOT NULL DEFAULT 0,
  wage_sum      bigint NOT NULL DEFAULT 0,
  wage_n        integer NOT NULL DEFAULT 0,
  new_transfers integer NOT NULL DEFAULT 0,
  placed6       integer NOT NULL DEFAULT 0,
  retained6     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (village_code, day)
);

CREATE TABLE stats_county_day (LIKE stats_village_day INCLUDING DEFAULTS);
ALTER TABLE stats_county_day RENAME COLUMN village_code TO county_code;
ALTER TABLE stats_county_day ADD PRIMARY KEY (county_code, day);
-- A province's or a city's days of one month: by day first.
CREATE INDEX stats_county_day_day_idx ON stats_county_day (day, county_code);

-- len 6: a county's months; len 9: a township's months.
CREATE TABLE stats_rollup (
  len           smallint NOT NULL CHECK (len IN (6, 9)),
  code          text COLLATE "C" NOT NULL,
  month         date NOT NULL,
  registered    integer NOT NULL DEFAULT 0,
  employed      integer NOT NULL DEFAULT 0,
  in_county     integer NOT NULL DEFAULT 0,
  in_province   integer NOT NULL DEFAULT 0,
  self_found    integer NOT NULL DEFAULT 0,
  assisted      integer NOT NULL DEFAULT 0,
  wage_sum      bigint NOT NULL DEFAULT 0,
  wage_n        integer NOT NULL DEFAULT 0,
  new_transfers integer NOT NULL DEFAULT 0,
  placed6       integer NOT NULL DEFAULT 0,
  retained6     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (len, code, month)
);

-- Whether the derived tables follow the records: a bulk load (the generator) switches the
-- triggers off and rebuilds at its end; stale_since says since when they may lag.
CREATE TABLE stats_state (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  stale_since timestamptz,
  rebuilt_at  timestamptz
);
INSERT INTO stats_state DEFAULT VALUES;

-- The deltas of the laborers a filter selects (a condition on laborer_id, or 'true' for all).
--   registered: a non-deleted card version in the village;
--   employed, in county / in province (out of province is the rest), by channel, wage: the
--     version's span crossed with an employment's span;
--   new_transfers: from the first start in year Y of a laborer not employed on 1 January of Y,
--     to the end of Y, crossed with the versions (DOMAIN.md: employment began this year and not
--     employed on 1 January; a job that starts on 1 January is open on 1 January);
--   placed6 / retained6: the employment module's 6-month retention rate — a placement counts from
--     the day six months after its start, retained if the laborer has an employment open that day;
--     by the laborer's current card (as the employment module's rate does), not deleted.
CREATE FUNCTION stats_deltas_sql(filter text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$
WITH vs AS (
  SELECT laborer_id, home_village_code AS village, (valid_from AT TIME ZONE 'Asia/Shanghai')::date AS f,
    CASE WHEN valid_to = 'infinity' THEN 'infinity'::date ELSE (valid_to AT TIME ZONE 'Asia/Shanghai')::date END AS t
  FROM laborer_version WHERE NOT deleted AND %1$s
), v AS (SELECT * FROM vs WHERE f < t),
e AS MATERIALIZED (
  SELECT laborer_id, started_on AS f, coalesce(ended_on + 1, 'infinity'::date) AS t, work_region_code AS w, channel, monthly_wage AS wage
  FROM employment WHERE %1$s
),
ev AS (
  SELECT v.laborer_id, v.village, greatest(v.f, e.f) AS f, least(v.t, e.t) AS t,
    (left(e.w, 6) = left(v.village, 6))::int AS in_county,
    (left(e.w, 2) = left(v.village, 2) AND left(e.w, 6) <> left(v.village, 6))::int AS in_province,
    (e.channel = 'self_found')::int AS self_found, (e.channel = 'assisted')::int AS assisted,
    coalesce(e.wage, 0)::bigint AS wage, (e.wage IS NOT NULL)::int AS wage_n
  FROM v JOIN e ON e.laborer_id = v.laborer_id AND e.f < v.t AND v.f < e.t
),
y AS (
  SELECT e.laborer_id, min(e.f) AS f, (date_trunc('year', min(e.f)) + interval '1 year')::date AS t
  FROM e WHERE NOT EXISTS (SELECT 1 FROM e x WHERE x.laborer_id = e.laborer_id
    AND x.f <= date_trunc('year', e.f)::date AND x.t > date_trunc('year', e.f)::date)
  GROUP BY e.laborer_id, date_trunc('year', e.f)
),
yv AS (
  SELECT v.laborer_id, v.village, greatest(v.f, y.f) AS f, least(v.t, y.t) AS t
  FROM v JOIN y ON y.laborer_id = v.laborer_id AND y.f < v.t AND v.f < y.t
),
p AS (
  SELECT e.laborer_id, (e.f + interval '6 months')::date AS c FROM e
),
pr AS (
  SELECT p.laborer_id, cur.village, p.c FROM p JOIN v cur ON cur.laborer_id = p.laborer_id AND cur.t = 'infinity'
),
d (laborer_id, village, day, registered, employed, in_county, in_province, self_found, assisted, wage_sum, wage_n, new_transfers, placed6, retained6) AS (
  SELECT laborer_id, village, f, 1, 0, 0, 0, 0, 0, 0::bigint, 0, 0, 0, 0 FROM v
  UNION ALL SELECT laborer_id, village, t, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM v WHERE t <> 'infinity'
  UNION ALL SELECT laborer_id, village, f, 0, 1, in_county, in_province, self_found, assisted, wage, wage_n, 0, 0, 0 FROM ev
  UNION ALL SELECT laborer_id, village, t, 0, -1, -in_county, -in_province, -self_found, -assisted, -wage, -wage_n, 0, 0, 0 FROM ev WHERE t <> 'infinity'
  UNION ALL SELECT laborer_id, village, f, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 FROM yv
  UNION ALL SELECT laborer_id, village, t, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0 FROM yv WHERE t <> 'infinity'
  UNION ALL SELECT laborer_id, village, c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 FROM pr
  -- (in WHERE, so it plans as a semi-join, not a subplan per placement)
  UNION ALL SELECT laborer_id, village, c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 FROM pr
    WHERE EXISTS (SELECT 1 FROM e x WHERE x.laborer_id = pr.laborer_id AND x.f <= pr.c AND x.t > pr.c)
)
SELECT laborer_id, village, day, sum(registered)::int, sum(employed)::int, sum(in_county)::int, sum(in_province)::int,
  sum(self_found)::int, sum(assisted)::int, sum(wage_sum)::bigint, sum(wage_n)::int, sum(new_transfers)::int, sum(placed6)::int, sum(retained6)::int
FROM d GROUP BY laborer_id, village, day
HAVING sum(abs(registered) + abs(employed) + abs(in_county) + abs(in_province) + abs(self_found) + abs(assisted) + abs(wage_n)
  + abs(new_transfers) + abs(placed6) + abs(retained6)) > 0 OR sum(wage_sum) <> 0
$q$, filter)
$f$;

-- Everything from the records, in bulk (after a generate, or when stale); rows are written in key
-- order, so a region's rows sit together on disk. (The caller may VACUUM ANALYZE afterwards.)
CREATE FUNCTION stats_rebuild() RETURNS void LANGUAGE plpgsql SET work_mem = '256MB' AS $$
BEGIN
  TRUNCATE stats_laborer_delta, stats_village_day, stats_county_day, stats_rollup;
  DROP INDEX stats_laborer_delta_laborer_idx;
  EXECUTE 'INSERT INTO stats_laborer_delta ' || stats_deltas_sql('true');
  CREATE INDEX stats_laborer_delta_laborer_idx ON stats_laborer_delta (laborer_id);
  INSERT INTO stats_village_day
    SELECT village_code, day, sum(registered), sum(employed), sum(in_county), sum(in_province), sum(self_found), sum(assisted),
      sum(wage_sum), sum(wage_n), sum(new_transfers), sum(placed6), sum(retained6)
    FROM stats_laborer_delta GROUP BY village_code, day ORDER BY village_code, day;
  INSERT INTO stats_county_day
    SELECT left(village_code, 6), day, sum(registered), sum(employed), sum(in_county), sum(in_province), sum(self_found), sum(assisted),
      sum(wage_sum), sum(wage_n), sum(new_transfers), sum(placed6), sum(retained6)
    FROM stats_village_day GROUP BY 1, 2 ORDER BY 1, 2;
  INSERT INTO stats_rollup
    SELECT l.len, left(village_code, l.len), date_trunc('month', day)::date, sum(registered), sum(employed), sum(in_county), sum(in_province),
      sum(self_found), sum(assisted), sum(wage_sum), sum(wage_n), sum(new_transfers), sum(placed6), sum(retained6)
    FROM stats_village_day CROSS JOIN (VALUES (6::smallint), (9::smallint)) AS l(len)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
  UPDATE stats_state SET stale_since = NULL, rebuilt_at = now();
END $$;

-- Replace some laborers' contributions (their records changed in this transaction).
CREATE FUNCTION stats_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'WITH old AS (DELETE FROM stats_laborer_delta WHERE laborer_id = ANY($1) RETURNING *),
    fresh AS (INSERT INTO stats_laborer_delta ' || stats_deltas_sql('laborer_id = ANY($1)') || ' RETURNING *),
    diff AS (
      SELECT village_code, day, sum(registered) AS registered, sum(employed) AS employed, sum(in_county) AS in_county, sum(in_province) AS in_province,
        sum(self_found) AS self_found, sum(assisted) AS assisted, sum(wage_sum) AS wage_sum, sum(wage_n) AS wage_n,
        sum(new_transfers) AS new_transfers, sum(placed6) AS placed6, sum(retained6) AS retained6
      FROM (SELECT * FROM fresh UNION ALL
        SELECT laborer_id, village_code, day, -registered, -employed, -in_county, -in_province, -self_found, -assisted, -wage_sum, -wage_n,
          -new_transfers, -placed6, -retained6 FROM old) x
      GROUP BY village_code, day
    ),
    days AS (
      INSERT INTO stats_village_day AS s SELECT * FROM diff ORDER BY village_code, day
      ON CONFLICT (village_code, day) DO UPDATE SET registered = s.registered + excluded.registered, employed = s.employed + excluded.employed,
        in_county = s.in_county + excluded.in_county, in_province = s.in_province + excluded.in_province, self_found = s.self_found + excluded.self_found,
        assisted = s.assisted + excluded.assisted, wage_sum = s.wage_sum + excluded.wage_sum, wage_n = s.wage_n + excluded.wage_n,
        new_transfers = s.new_transfers + excluded.new_transfers, placed6 = s.placed6 + excluded.placed6, retained6 = s.retained6 + excluded.retained6
      RETURNING 1
    ),
    county_days AS (
      INSERT INTO stats_county_day AS s
        SELECT left(village_code, 6), day, sum(registered), sum(employed), sum(in_county), sum(in_province), sum(self_found), sum(assisted),
          sum(wage_sum), sum(wage_n), sum(new_transfers), sum(placed6), sum(retained6)
        FROM diff GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (county_code, day) DO UPDATE SET registered = s.registered + excluded.registered, employed = s.employed + excluded.employed,
        in_county = s.in_county + excluded.in_county, in_province = s.in_province + excluded.in_province, self_found = s.self_found + excluded.self_found,
        assisted = s.assisted + excluded.assisted, wage_sum = s.wage_sum + excluded.wage_sum, wage_n = s.wage_n + excluded.wage_n,
        new_transfers = s.new_transfers + excluded.new_transfers, placed6 = s.placed6 + excluded.placed6, retained6 = s.retained6 + excluded.retained6
      RETURNING 1
    )
    INSERT INTO stats_rollup AS s
      SELECT l.len, left(village_code, l.len), date_trunc(''month'', day)::date, sum(registered), sum(employed), sum(in_county), sum(in_province),
        sum(self_found), sum(assisted), sum(wage_sum), sum(wage_n), sum(new_transfers), sum(placed6), sum(retained6)
      FROM diff CROSS JOIN (VALUES (6::smallint), (9::smallint)) AS l(len) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (len, code, month) DO UPDATE SET registered = s.registered + excluded.registered, employed = s.employed + excluded.employed,
      in_county = s.in_county + excluded.in_county, in_province = s.in_province + excluded.in_province, self_found = s.self_found + excluded.self_found,
      assisted = s.assisted + excluded.assisted, wage_sum = s.wage_sum + excluded.wage_sum, wage_n = s.wage_n + excluded.wage_n,
      new_transfers = s.new_transfers + excluded.new_transfers, placed6 = s.placed6 + excluded.placed6, retained6 = s.retained6 + excluded.retained6'
  USING ids;
END $$;

-- Maintenance in the writer's transaction: each statement that touches card versions or
-- employments notes the laborers (one trigger call per statement, not per row); at commit one
-- deferred call replaces their contributions under a transaction lock, so two commits never
-- interleave their replacements and nothing else is waited for while it is held.
CREATE UNLOGGED TABLE stats_dirty (laborer_id bigint NOT NULL);

CREATE FUNCTION stats_note_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty SELECT DISTINCT laborer_id FROM new_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION stats_note_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty SELECT DISTINCT laborer_id FROM old_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION stats_note_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_dirty SELECT laborer_id FROM new_rows UNION SELECT laborer_id FROM old_rows;
  RETURN NULL;
END $$;

CREATE TRIGGER stats_version_ins AFTER INSERT ON laborer_version REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_note_new();
CREATE TRIGGER stats_version_upd AFTER UPDATE ON laborer_version REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_note_both();
CREATE TRIGGER stats_version_del AFTER DELETE ON laborer_version REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_note_old();
CREATE TRIGGER stats_employment_ins AFTER INSERT ON employment REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_note_new();
CREATE TRIGGER stats_employment_upd AFTER UPDATE ON employment REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_note_both();
CREATE TRIGGER stats_employment_del AFTER DELETE ON employment REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_note_old();

CREATE FUNCTION stats_settle() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  -- Only this transaction's rows are visible here (each transaction empties its own before commit).
  WITH gone AS (DELETE FROM stats_dirty RETURNING laborer_id)
  SELECT array_agg(DISTINCT laborer_id) INTO ids FROM gone;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('laowu.stats'));
  PERFORM stats_refresh(ids);
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER stats_settle AFTER INSERT ON stats_dirty DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION stats_settle();

-- The period figures of a province or a city read a day range across every village: by day first,
-- covering what they count (index-only scans; a county keeps using the region-first indexes).
CREATE INDEX stats_service_record_day_idx ON service_record (served_on, region_code) INCLUDE (kind);
CREATE INDEX stats_subsidy_paid_day_idx ON subsidy (paid_on, home_region_code) INCLUDE (kind, laborer_id) WHERE status = 'paid' AND laborer_id IS NOT NULL;

-- Yearly targets (new transfers), set by the level above.
CREATE TABLE stats_target (
  region_code    text COLLATE "C" NOT NULL REFERENCES region (code),
  year           smallint NOT NULL CHECK (year BETWEEN 2016 AND 2100),
  new_transfers  integer NOT NULL CHECK (new_transfers > 0),
  set_by         bigint REFERENCES account (id),
  set_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, year)
);

-- Existing records (a database migrated with its data).
SELECT stats_rebuild();

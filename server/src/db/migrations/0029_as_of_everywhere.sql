-- As of a date means as of that date, everywhere (issue 16 item 1; docs/domain-notes-asof.md).
--
-- 1. A person is a card and every card merged into it. On a day the person counts as the
--    surviving card where it existed that day, else as the merged card (the first by id among
--    several): laborer_merged gives each merged card its surviving card (the end of the
--    merged_into chain) and the instant from which a card of higher rank exists (counts_until),
--    so a merged card's versions count only before it. One definition, read by the statistics'
--    deltas, the registry's peopleAsOf() and the village of a service or subsidy on its day.
-- 2. The statistics' deltas are keyed by person; the 6-month retention (placed6 / retained6) is a
--    stock figure of the date: a placement counts on the days its person's card is in the
--    region, by the card's village then (it read the current card: a move today rewrote the past).
-- 3. A service counts in the village of its person's card on the day it was given, a subsidy on
--    the day it was paid, and only if a card was registered then (`counted`): kept on the row by a
--    trigger when it is written or carried to another card, so the period counts stay one range
--    condition on a day-first index.
-- 4. A merge carries the retired card's subsidies to the survivor: a paid subsidy may change its
--    laborer (and the village and flag that follow from it), nothing else.

CREATE VIEW laborer_merged AS
WITH RECURSIVE chain (card, root, depth) AS (
  SELECT id, merged_into, 1 FROM laborer WHERE merged_into IS NOT NULL
  UNION ALL
  SELECT c.card, l.merged_into, c.depth + 1 FROM chain c JOIN laborer l ON l.id = c.root
  WHERE l.merged_into IS NOT NULL AND c.depth < 50
), roots AS (
  SELECT DISTINCT ON (card) card, root FROM chain ORDER BY card, depth DESC
)
SELECT r.card, r.root,
  least(
    (SELECT min(v.valid_from) FROM laborer_version v WHERE v.laborer_id = r.root),
    (SELECT min(x.first) FROM roots o CROSS JOIN LATERAL (SELECT min(v.valid_from) AS first FROM laborer_version v WHERE v.laborer_id = o.card) x
      WHERE o.root = r.root AND o.card < r.card)
  ) AS counts_until
FROM roots r;

-- The village a person's card was registered in at the end of China day d (NULL: no card then).
CREATE FUNCTION laborer_village_on(person bigint, d date) RETURNS text LANGUAGE sql STABLE AS $$
  WITH cards AS (
    SELECT person AS card UNION ALL SELECT card FROM laborer_merged WHERE root = person
  )
  SELECT v.home_village_code FROM cards c JOIN laborer_version v ON v.laborer_id = c.card
    LEFT JOIN laborer_merged m ON m.card = v.laborer_id
  WHERE v.valid_from < ((d + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AND v.valid_to >= ((d + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
    AND NOT v.deleted AND (m.card IS NULL OR m.counts_until >= ((d + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))
  LIMIT 1
$$;

-- ——— 1, 2: the statistics' deltas by person, retention as of the date ———

CREATE OR REPLACE FUNCTION stats_deltas_sql(filter text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$
WITH vs AS (
  SELECT coalesce(m.root, laborer_id) AS laborer_id, home_village_code AS village, (valid_from AT TIME ZONE 'Asia/Shanghai')::date AS f,
    least(CASE WHEN valid_to = 'infinity' THEN 'infinity'::date ELSE (valid_to AT TIME ZONE 'Asia/Shanghai')::date END,
      CASE WHEN m.counts_until IS NULL THEN 'infinity'::date ELSE (m.counts_until AT TIME ZONE 'Asia/Shanghai')::date END) AS t
  FROM laborer_version LEFT JOIN laborer_merged m ON m.card = laborer_id WHERE NOT deleted AND %1$s
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
-- A placement counts from its check day on, on the days its person's card is registered, in the
-- card's village of each day (docs/domain-notes-asof.md §2).
pr AS (
  SELECT p.laborer_id, v.village, greatest(v.f, p.c) AS f, v.t, p.c FROM p JOIN v ON v.laborer_id = p.laborer_id AND v.t > p.c
),
-- (in WHERE, so it plans as a semi-join, not a subplan per placement)
prr AS (
  SELECT * FROM pr WHERE EXISTS (SELECT 1 FROM e x WHERE x.laborer_id = pr.laborer_id AND x.f <= pr.c AND x.t > pr.c)
),
d (laborer_id, village, day, registered, employed, in_county, in_province, self_found, assisted, wage_sum, wage_n, new_transfers, placed6, retained6) AS (
  SELECT laborer_id, village, f, 1, 0, 0, 0, 0, 0, 0::bigint, 0, 0, 0, 0 FROM v
  UNION ALL SELECT laborer_id, village, t, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM v WHERE t <> 'infinity'
  UNION ALL SELECT laborer_id, village, f, 0, 1, in_county, in_province, self_found, assisted, wage, wage_n, 0, 0, 0 FROM ev
  UNION ALL SELECT laborer_id, village, t, 0, -1, -in_county, -in_province, -self_found, -assisted, -wage, -wage_n, 0, 0, 0 FROM ev WHERE t <> 'infinity'
  UNION ALL SELECT laborer_id, village, f, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 FROM yv
  UNION ALL SELECT laborer_id, village, t, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0 FROM yv WHERE t <> 'infinity'
  UNION ALL SELECT laborer_id, village, f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 FROM pr
  UNION ALL SELECT laborer_id, village, t, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0 FROM pr WHERE t <> 'infinity'
  UNION ALL SELECT laborer_id, village, f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 FROM prr
  UNION ALL SELECT laborer_id, village, t, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1 FROM prr WHERE t <> 'infinity'
)
SELECT laborer_id, village, day, sum(registered)::int, sum(employed)::int, sum(in_county)::int, sum(in_province)::int,
  sum(self_found)::int, sum(assisted)::int, sum(wage_sum)::bigint, sum(wage_n)::int, sum(new_transfers)::int, sum(placed6)::int, sum(retained6)::int
FROM d GROUP BY laborer_id, village, day
HAVING sum(abs(registered) + abs(employed) + abs(in_county) + abs(in_province) + abs(self_found) + abs(assisted) + abs(wage_n)
  + abs(new_transfers) + abs(placed6) + abs(retained6)) > 0 OR sum(wage_sum) <> 0
$q$, filter)
$f$;

-- The laborers noted are replaced with their whole families (a merge moves rows between cards,
-- and the deltas are keyed by the surviving card).
CREATE OR REPLACE FUNCTION stats_settle() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  -- Only this transaction's rows are visible here (each transaction empties its own before commit).
  DELETE FROM stats_pending;
  PERFORM set_config('laowu.stats_pending', 'off', true);
  WITH gone AS (DELETE FROM stats_dirty RETURNING laborer_id),
  roots AS (SELECT DISTINCT coalesce(m.root, g.laborer_id) AS root FROM gone g LEFT JOIN laborer_merged m ON m.card = g.laborer_id)
  SELECT array_agg(DISTINCT x) INTO ids FROM (
    SELECT laborer_id AS x FROM gone
    UNION SELECT root FROM roots
    UNION SELECT m.card FROM laborer_merged m JOIN roots r ON r.root = m.root) f;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('laowu.stats'));
  PERFORM stats_refresh(ids);
  RETURN NULL;
END $$;

-- ——— 3: services and subsidies count where and when the card was registered ———

ALTER TABLE service_record ADD COLUMN counted boolean;
ALTER TABLE subsidy ADD COLUMN counted boolean;

-- A row written with `counted` given (the generator's bulk loads, which know the card) is kept as
-- written; otherwise, and whenever its laborer or day changes, the village and the flag follow the
-- person's card on the day.
CREATE FUNCTION service_record_as_of() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  village text;
BEGIN
  IF TG_OP = 'INSERT' AND NEW.counted IS NOT NULL THEN
    RETURN NEW;
  END IF;
  village := laborer_village_on(NEW.laborer_id, NEW.served_on);
  NEW.counted := village IS NOT NULL;
  IF village IS NOT NULL THEN
    NEW.region_code := village;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER service_record_as_of BEFORE INSERT OR UPDATE OF laborer_id, served_on ON service_record
  FOR EACH ROW EXECUTE FUNCTION service_record_as_of();

CREATE FUNCTION subsidy_as_of() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  village text;
BEGIN
  IF NEW.laborer_id IS NULL THEN
    NEW.counted := false;
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' AND NEW.counted IS NOT NULL THEN
    RETURN NEW;
  END IF;
  -- Counted by the day it was paid; before payment, the village of the day it was applied for.
  village := laborer_village_on(NEW.laborer_id, coalesce(NEW.paid_on, (NEW.applied_at AT TIME ZONE 'Asia/Shanghai')::date));
  NEW.counted := village IS NOT NULL;
  IF village IS NOT NULL THEN
    NEW.home_region_code := village;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER subsidy_as_of BEFORE INSERT OR UPDATE OF laborer_id, paid_on ON subsidy
  FOR EACH ROW EXECUTE FUNCTION subsidy_as_of();

-- Existing rows: the village and the flag on their own day.
UPDATE service_record s SET counted = x.village IS NOT NULL, region_code = coalesce(x.village, s.region_code)
  FROM (SELECT id, laborer_village_on(laborer_id, served_on) AS village FROM service_record) x WHERE x.id = s.id;
ALTER TABLE subsidy DISABLE TRIGGER subsidy_status_guard;
UPDATE subsidy s SET counted = x.village IS NOT NULL, home_region_code = coalesce(x.village, s.home_region_code)
  FROM (SELECT id, laborer_village_on(laborer_id, coalesce(paid_on, (applied_at AT TIME ZONE 'Asia/Shanghai')::date)) AS village
    FROM subsidy WHERE laborer_id IS NOT NULL) x WHERE x.id = s.id;
UPDATE subsidy SET counted = false WHERE laborer_id IS NULL;
ALTER TABLE subsidy ENABLE TRIGGER subsidy_status_guard;
ALTER TABLE service_record ALTER COLUMN counted SET NOT NULL;
ALTER TABLE subsidy ALTER COLUMN counted SET NOT NULL;

-- The period counts read only counted rows: the day-first covering indexes of 0017 and the
-- region-first ones, partial on the flag.
DROP INDEX stats_service_record_day_idx;
CREATE INDEX stats_service_record_day_idx ON service_record (served_on, region_code) INCLUDE (kind) WHERE counted;
CREATE INDEX stats_service_record_region_idx ON service_record (region_code, served_on) INCLUDE (kind) WHERE counted;
DROP INDEX stats_subsidy_paid_day_idx;
CREATE INDEX stats_subsidy_paid_day_idx ON subsidy (paid_on, home_region_code) INCLUDE (kind, laborer_id)
  WHERE status = 'paid' AND laborer_id IS NOT NULL AND counted;
CREATE INDEX stats_subsidy_home_paid_idx ON subsidy (home_region_code, paid_on) INCLUDE (kind, laborer_id)
  WHERE status = 'paid' AND laborer_id IS NOT NULL AND counted;

-- ——— 4: a merge carries paid subsidies ———

CREATE OR REPLACE FUNCTION subsidy_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'paid' THEN
    -- A merge carries the payment to the surviving card: its laborer changes, and with it the
    -- village and the flag of the day it was paid; nothing else of a paid subsidy ever does.
    IF to_jsonb(NEW) - '{laborer_id,home_region_code,counted}'::text[] = to_jsonb(OLD) - '{laborer_id,home_region_code,counted}'::text[] THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'subsidy % is paid and cannot change', OLD.id USING ERRCODE = 'check_violation', CONSTRAINT = 'subsidy_paid_final';
  END IF;
  IF NEW.status <> OLD.status AND NOT (
       (OLD.status = 'applied' AND NEW.status IN ('approved', 'rejected'))
    OR (OLD.status = 'approved' AND NEW.status IN ('paid', 'rejected'))) THEN
    RAISE EXCEPTION 'subsidy % cannot move from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation', CONSTRAINT = 'subsidy_status_flow';
  END IF;
  RETURN NEW;
END $$;

-- Deletions (注销) and merges rewrite the statistics of the persons they touch.
SELECT stats_rebuild();

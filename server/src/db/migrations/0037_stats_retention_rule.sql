-- The statistics' 6-month retention reads the one rule (issue 16 item 3): the placement's stored
-- month mask (0020's kept_months, bit N = a job of the laborer open on start + N months — the
-- employment module's retainedAfter for a region, held equal to it by retention.rules.test.ts)
-- instead of restating "open on the check day" here. The mask is kept by 0020's trigger for every
-- job of the laborer when one changes, before the deferred settling at commit reads it; the
-- generator writes it with its TypeScript twin. Same figures: the statistics tests hold them.

CREATE OR REPLACE FUNCTION stats_deltas_sql(filter text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$
WITH vs AS (
  SELECT coalesce(m.root, laborer_id) AS laborer_id, home_village_code AS village, (valid_from AT TIME ZONE 'Asia/Shanghai')::date AS f,
    least(CASE WHEN valid_to = 'infinity' THEN 'infinity'::date ELSE (valid_to AT TIME ZONE 'Asia/Shanghai')::date END,
      CASE WHEN m.counts_until IS NULL THEN 'infinity'::date ELSE (m.counts_until AT TIME ZONE 'Asia/Shanghai')::date END) AS t
  FROM laborer_version LEFT JOIN laborer_merged m ON m.card = laborer_id WHERE NOT deleted AND %1$s
), v AS (SELECT * FROM vs WHERE f < t),
e AS MATERIALIZED (
  SELECT laborer_id, started_on AS f, coalesce(ended_on + 1, 'infinity'::date) AS t, work_region_code AS w, channel, monthly_wage AS wage,
    coalesce(kept_months, employment_kept_mask(laborer_id, started_on)) AS kept
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
  SELECT e.laborer_id, (e.f + interval '6 months')::date AS c, e.kept FROM e
),
-- A placement counts from its check day on, on the days its person's card is registered, in the
-- card's village of each day (docs/domain-notes-asof.md §2).
pr AS (
  SELECT p.laborer_id, v.village, greatest(v.f, p.c) AS f, v.t, p.c, p.kept FROM p JOIN v ON v.laborer_id = p.laborer_id AND v.t > p.c
),
-- Retained after 6 months: bit 6 of the placement's month mask (0020), the stored form of the
-- employment module's retainedAfter for a region (rules.ts keptAfter; docs/domain.md §4).
prr AS (
  SELECT * FROM pr WHERE (pr.kept & 64) <> 0
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

SELECT stats_rebuild();

-- The retention curve (稳岗曲线: the rate after 1…12 months, DOMAIN.md's retention rate for each N)
-- read, for a province, every placement since 2016 (~2.5 M) with its laborer's later jobs: one to
-- three minutes. Each employment now keeps the months N (bit N of kept_months, 1…12) on whose day
-- — start + N months — its laborer had an employment open, the same test as the rate's "still
-- employed"; the curve is one index-only scan of a region's placements.
--
-- The mask depends only on the laborer's jobs, not on today: bits of days still to come are never
-- read (the curve counts N only when start + N months <= its date). It is recomputed for all of a
-- laborer's jobs whenever one of them is written; a writer that supplies it (the generator, which
-- writes a laborer's whole history at once) vouches for it.

ALTER TABLE employment ADD COLUMN kept_months integer;

CREATE FUNCTION employment_kept_mask(p_laborer bigint, p_start date) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT coalesce(bit_or(1 << n), 0)::integer FROM generate_series(1, 12) n
   WHERE EXISTS (SELECT 1 FROM employment x WHERE x.laborer_id = p_laborer
     AND x.started_on <= (p_start + make_interval(months => n))::date
     AND (x.ended_on IS NULL OR x.ended_on >= (p_start + make_interval(months => n))::date))
$$;

CREATE FUNCTION employment_kept_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.kept_months IS NOT NULL THEN
    RETURN NULL;
  END IF;
  UPDATE employment e SET kept_months = employment_kept_mask(e.laborer_id, e.started_on)
   WHERE e.laborer_id IN (CASE WHEN TG_OP = 'DELETE' THEN OLD.laborer_id ELSE NEW.laborer_id END,
                          CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.laborer_id END)
     AND e.kept_months IS DISTINCT FROM employment_kept_mask(e.laborer_id, e.started_on);
  RETURN NULL;
END $$;
CREATE TRIGGER employment_kept_refresh AFTER INSERT OR DELETE OR UPDATE OF laborer_id, started_on, ended_on ON employment
  FOR EACH ROW EXECUTE FUNCTION employment_kept_refresh();

-- The backfill changes no statistic: the statistics' trigger (0017) need not note 2 M laborers.
ALTER TABLE employment DISABLE TRIGGER stats_employment_upd;
UPDATE employment SET kept_months = employment_kept_mask(laborer_id, started_on);
ALTER TABLE employment ENABLE TRIGGER stats_employment_upd;

CREATE INDEX employment_kept_idx ON employment (home_village_code, started_on) INCLUDE (kept_months) WHERE NOT laborer_deleted;

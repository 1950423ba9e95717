-- Employment status comes from employment records (issue 16 item 2).
--
-- 已就业 / 未就业 on a card is what the employment records say on the day: employed when a job is
-- open that day (started on or before it, no end or ending on or after it), else unemployed;
-- 不具备就业条件 stays a fact of the card. laborer.employment_status keeps the status of today for
-- the readers that filter on it (matching, SMS, brokers …), written only by the employment
-- module as jobs open and end; the register and the card derive theirs from the records.
--
-- 1. A job registered from the card names its employer: a registered one (employer_id), or a
--    name and its 统一社会信用代码 (GB 32100, check character verified by the application).
ALTER TABLE employment ADD COLUMN workplace_credit_code text COLLATE "C"
  CHECK (workplace_credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$');

-- 2. The jobs this migration makes from hand-set statuses have channel 'unknown' (不详): nobody said
--    how the work was found. The statistics' self-found and assisted columns do not count them.
ALTER TABLE employment DROP CONSTRAINT employment_channel_check;
ALTER TABLE employment ADD CONSTRAINT employment_channel_check
  CHECK (channel IN ('self_found', 'assisted', 'entrepreneurship', 'public_welfare', 'unknown'));

-- 3. Corrections of a past employment (dates, work place, wage): each one kept with who, when,
--    why and every field's old and new value, as the card's ledger keeps a card's changes.
CREATE TABLE employment_correction (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  employment_id bigint NOT NULL REFERENCES employment (id),
  laborer_id    bigint NOT NULL REFERENCES laborer (id),
  corrected_at  timestamptz NOT NULL DEFAULT now(),
  corrected_by  bigint NOT NULL REFERENCES account (id),
  reason        text NOT NULL CHECK (length(reason) BETWEEN 2 AND 200),
  -- {"started_on": ["2024-03-01", "2024-02-01"], …}
  changes       jsonb NOT NULL CHECK (changes <> '{}'::jsonb)
);
CREATE INDEX employment_correction_employment_idx ON employment_correction (employment_id, corrected_at);

-- 4. An imported row can be saved with a warning (a 已就业 typed without a job): kept beside the
--    errors, not counted as rejected.
ALTER TABLE laborer_import_error ADD COLUMN warning boolean NOT NULL DEFAULT false;

-- 5. Hand-set statuses become records, so that no figure changes silently: a card (not deleted,
--    not merged) whose status says 已就业 without an open employment gets one, started on the China
--    day of the card version that set 已就业 (the first of its latest run of 已就业 versions; after
--    the end of its last job; not before the 16th birthday), employer and wage unknown, channel
--    'unknown', work place the home county (the only place the card names), created by whoever
--    set the status. The register counted these people as employed; now the statistics do too.
--    A function, so that the API tests can run it on cards set up by hand.
CREATE FUNCTION employment_from_hand_set_status() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  made integer;
BEGIN
  WITH hand AS (
    SELECT l.id AS laborer_id, l.home_village_code, l.birth_date,
      coalesce((SELECT max(w.version) FROM laborer_version w WHERE w.laborer_id = l.id AND w.employment_status <> 'employed'), 0) AS last_other,
      (SELECT max(e.ended_on) FROM employment e WHERE e.laborer_id = l.id) AS last_end
    FROM laborer l
    WHERE l.deleted_at IS NULL AND l.merged_into IS NULL AND l.employment_status = 'employed'
      AND NOT EXISTS (SELECT 1 FROM employment e WHERE e.laborer_id = l.id AND e.ended_on IS NULL)
  ), setter AS (
    SELECT DISTINCT ON (h.laborer_id) h.laborer_id, h.home_village_code, v.changed_by,
      greatest((v.valid_from AT TIME ZONE 'Asia/Shanghai')::date, h.last_end + 1, (h.birth_date + interval '16 years')::date) AS started_on
    FROM hand h JOIN laborer_version v ON v.laborer_id = h.laborer_id AND v.version > h.last_other
    ORDER BY h.laborer_id, v.version
  ), made AS (
    INSERT INTO employment (laborer_id, work_region_code, started_on, social_insurance, channel, created_by, home_village_code)
    SELECT s.laborer_id, coalesce(c.code, s.home_village_code), s.started_on, false, 'unknown', s.changed_by, s.home_village_code
    FROM setter s LEFT JOIN region c ON c.code = left(s.home_village_code, 6)
    WHERE s.started_on <= (now() AT TIME ZONE 'Asia/Shanghai')::date
    RETURNING id
  )
  SELECT count(*) INTO made FROM made;
  RETURN made;
END $$;

SELECT employment_from_hand_set_status();

-- 6. The other way round: a card whose status says 未就业 or 不具备就业条件 while a job is open
--    takes 已就业 from its record, as a new version of the card's ledger saying why.
CREATE TEMP TABLE stale_status ON COMMIT DROP AS
  SELECT l.id, l.employment_status AS before FROM laborer l
  WHERE l.deleted_at IS NULL AND l.employment_status <> 'employed'
    AND EXISTS (SELECT 1 FROM employment e WHERE e.laborer_id = l.id AND e.ended_on IS NULL);
UPDATE laborer_version v SET valid_to = now() FROM stale_status s WHERE v.laborer_id = s.id AND v.valid_to = 'infinity';
UPDATE laborer l SET employment_status = 'employed', version = l.version + 1, updated_at = now() FROM stale_status s WHERE l.id = s.id;
INSERT INTO laborer_version (laborer_id, version, valid_from, change_kind, changed_by, reason, changes, deleted,
  name, sex, birth_date, home_village_code, poverty_status, education, labor_capacity, health, skills, certificates, willingness,
  wanted_job_types, expected_wage, caring, flags, employment_status)
SELECT l.id, l.version, now(), 'update', NULL, '就业状态以就业记录为准（有在岗就业记录）',
  jsonb_build_object('employment_status', jsonb_build_array(s.before, 'employed')), false,
  l.name, l.sex, l.birth_date, l.home_village_code, l.poverty_status, l.education, l.labor_capacity, l.health, l.skills, l.certificates,
  l.willingness, l.wanted_job_types, l.expected_wage, l.caring, l.flags, l.employment_status
FROM laborer l JOIN stale_status s ON s.id = l.id;

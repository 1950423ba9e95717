-- Households' figures from derived state (issue 20 item 1, "goal < 1 s for the province as of any
-- date"; docs/domain.md §9). Read straight from the ledger, the province's figures need every card
-- version valid on the day and every member's jobs of the twelve months before: seconds. So, as the
-- statistics keep their deltas (0017), each household's state is kept as the days it changes:
--
-- 1. household_delta: per 户编号, the days its state changes — counted or not (a card names it), the
--    village that places it (its head's), a member employed or not, 零就业 or not, reaching the
--    year's line or not — as +1/−1 rows, so the state on D is the sum of the rows up to D. The
--    households module computes them (households.state.ts) from the cards' versions and the
--    members' jobs; income over a sliding twelve-month window is piecewise linear in D, so the days
--    it crosses the line are solved exactly, not sampled.
-- 2. Their sums by village and day, county and day, county and month: the figures for a region and
--    a day read a county's months before the day's month and its days of that month (a township or
--    a village: its villages' days), a few thousand rows for the province.
-- 3. household_dirty: the households whose inputs changed since their rows were computed. Every
--    write that can change a household marks it here in its own transaction (the triggers below);
--    a background task recomputes the marked households (households.settle.ts). Until then the
--    figures read a marked household's state from the ledger directly, in the same statement, so
--    they are exact whether or not the task has caught up: derived − marked's rows + marked live.
-- 4. Existing households are all marked: the first settle computes them.

CREATE TABLE household_dirty (
  id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL
);
CREATE INDEX household_dirty_code_idx ON household_dirty (code);

CREATE TABLE household_delta (
  code            text NOT NULL,
  village_code    text COLLATE "C" NOT NULL,
  day             date NOT NULL,
  households      integer NOT NULL,
  with_employed   integer NOT NULL,
  zero_employment integer NOT NULL,
  reaching_line   integer NOT NULL
);
CREATE INDEX household_delta_code_idx ON household_delta (code);

CREATE TABLE household_village_day (
  village_code    text COLLATE "C" NOT NULL,
  day             date NOT NULL,
  households      integer NOT NULL DEFAULT 0,
  with_employed   integer NOT NULL DEFAULT 0,
  zero_employment integer NOT NULL DEFAULT 0,
  reaching_line   integer NOT NULL DEFAULT 0,
  PRIMARY KEY (village_code, day)
);

CREATE TABLE household_county_day (
  county_code     text COLLATE "C" NOT NULL,
  day             date NOT NULL,
  households      integer NOT NULL DEFAULT 0,
  with_employed   integer NOT NULL DEFAULT 0,
  zero_employment integer NOT NULL DEFAULT 0,
  reaching_line   integer NOT NULL DEFAULT 0,
  PRIMARY KEY (county_code, day)
);
CREATE INDEX household_county_day_day_idx ON household_county_day (day);

CREATE TABLE household_county_month (
  county_code     text COLLATE "C" NOT NULL,
  month           date NOT NULL,
  households      integer NOT NULL DEFAULT 0,
  with_employed   integer NOT NULL DEFAULT 0,
  zero_employment integer NOT NULL DEFAULT 0,
  reaching_line   integer NOT NULL DEFAULT 0,
  PRIMARY KEY (county_code, month)
);

-- The households of some people: every 户编号 a card of theirs ever named, the cards merged into
-- them and the card they were merged into included (a merge moves a person's jobs and ends a card's
-- count, 0029's laborer_merged).
CREATE FUNCTION household_mark_people(people bigint[]) RETURNS void LANGUAGE sql AS $$
  WITH cards AS (
    SELECT unnest(people) AS card
    UNION SELECT m.card FROM laborer_merged m WHERE m.root = ANY (people)
    UNION SELECT m.root FROM laborer_merged m WHERE m.card = ANY (people)
  )
  INSERT INTO household_dirty (code)
  SELECT DISTINCT v.household_code FROM laborer_version v
   WHERE v.laborer_id IN (SELECT card FROM cards) AND v.household_code IS NOT NULL;
$$;

-- A version names its household on the row: the codes of the versions written, old and new.
CREATE FUNCTION household_note_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO household_dirty (code) SELECT DISTINCT household_code FROM new_rows WHERE household_code IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO household_dirty (code) SELECT DISTINCT household_code FROM old_rows WHERE household_code IS NOT NULL;
  ELSE
    INSERT INTO household_dirty (code)
    SELECT household_code FROM new_rows WHERE household_code IS NOT NULL
    UNION SELECT household_code FROM old_rows WHERE household_code IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER household_version_ins AFTER INSERT ON laborer_version REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_note_versions();
CREATE TRIGGER household_version_upd AFTER UPDATE ON laborer_version REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_note_versions();
CREATE TRIGGER household_version_del AFTER DELETE ON laborer_version REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_note_versions();

-- A job counts for its person's households (employed on a day, income of the window): the columns
-- the households read.
CREATE FUNCTION household_note_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  people bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT laborer_id) INTO people FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT laborer_id) INTO people FROM old_rows;
  ELSE
    SELECT array_agg(DISTINCT x) INTO people FROM (
      SELECT o.laborer_id AS a, n.laborer_id AS b FROM old_rows o JOIN new_rows n ON n.id = o.id
       WHERE (o.laborer_id, o.started_on, o.ended_on, o.monthly_wage) IS DISTINCT FROM (n.laborer_id, n.started_on, n.ended_on, n.monthly_wage)
    ) c CROSS JOIN LATERAL (VALUES (c.a), (c.b)) v (x);
  END IF;
  IF people IS NOT NULL THEN
    PERFORM household_mark_people(people);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER household_employment_ins AFTER INSERT ON employment REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_note_jobs();
CREATE TRIGGER household_employment_upd AFTER UPDATE ON employment REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_note_jobs();
CREATE TRIGGER household_employment_del AFTER DELETE ON employment REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_note_jobs();

-- A merge (or its undoing) changes which card counts when: both cards' households.
CREATE FUNCTION household_note_merges() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  people bigint[];
BEGIN
  SELECT array_agg(DISTINCT x) INTO people FROM (
    SELECT n.id AS a, n.merged_into AS b, o.merged_into AS c FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE o.merged_into IS DISTINCT FROM n.merged_into
  ) m CROSS JOIN LATERAL (VALUES (m.a), (m.b), (m.c)) v (x) WHERE x IS NOT NULL;
  IF people IS NOT NULL THEN
    PERFORM household_mark_people(people);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER household_laborer_upd AFTER UPDATE ON laborer REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION household_note_merges();

-- A year's line changes which households reach it: all of them are computed again.
CREATE FUNCTION household_note_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO household_dirty (code) SELECT DISTINCT household_code FROM laborer_version WHERE household_code IS NOT NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER household_line_changed AFTER INSERT OR UPDATE OR DELETE ON poverty_line
  FOR EACH STATEMENT EXECUTE FUNCTION household_note_line();

INSERT INTO household_dirty (code) SELECT DISTINCT household_code FROM laborer_version WHERE household_code IS NOT NULL;

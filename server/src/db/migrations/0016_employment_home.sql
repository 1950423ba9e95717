-- The retention list (稳岗清单) groups a region's laborers at work by where they work. Its region
-- is the laborer's home village, its rows the open employments: at province scale a join of
-- ~725 k open jobs with 1.5 M cards, over a second on two cores. The home village (and whether
-- the card is deleted) is copied onto the employment and kept equal to the card by triggers, so
-- the list reads one partial index on (home village, place of work) and joins nothing.

ALTER TABLE employment ADD COLUMN home_village_code text COLLATE "C";
ALTER TABLE employment ADD COLUMN laborer_deleted boolean NOT NULL DEFAULT false;

UPDATE employment e SET home_village_code = l.home_village_code, laborer_deleted = (l.deleted_at IS NOT NULL)
  FROM laborer l WHERE l.id = e.laborer_id;
ALTER TABLE employment ALTER COLUMN home_village_code SET NOT NULL;

-- A new employment takes its laborer's village unless the writer supplies it (bulk loads COPY
-- both columns from the cards they load); a job moved to another card (a merge) takes the new one.
CREATE FUNCTION employment_fill_home() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.home_village_code IS NOT NULL THEN
    RETURN NEW;
  END IF;
  SELECT l.home_village_code, l.deleted_at IS NOT NULL INTO NEW.home_village_code, NEW.laborer_deleted
    FROM laborer l WHERE l.id = NEW.laborer_id;
  RETURN NEW;
END $$;
CREATE TRIGGER employment_fill_home BEFORE INSERT OR UPDATE OF laborer_id ON employment
  FOR EACH ROW EXECUTE FUNCTION employment_fill_home();

-- A card that moves village (transfer, correction) or is deleted or restored carries its jobs along.
CREATE FUNCTION laborer_carry_home() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE employment SET home_village_code = NEW.home_village_code, laborer_deleted = (NEW.deleted_at IS NOT NULL)
    WHERE laborer_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER laborer_carry_home AFTER UPDATE OF home_village_code, deleted_at ON laborer
  FOR EACH ROW WHEN (OLD.home_village_code IS DISTINCT FROM NEW.home_village_code
    OR (OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.deleted_at IS NULL))
  EXECUTE FUNCTION laborer_carry_home();

CREATE INDEX employment_open_home_idx ON employment (home_village_code, work_region_code)
  WHERE ended_on IS NULL AND NOT laborer_deleted;

-- 稳岗服务 (issue 18 item 8: every page under 1 s) opens on two requests for a county's due
-- follow-ups: the overdue summary (GET /follow-ups/overdue, two counts) and the list of those due
-- (GET /follow-ups?status=due). Their region is the laborer's home village, which lives on the card:
-- the summary read every due follow-up of the province by its index and hashed them against the
-- county's cards (80 + 85 ms for 新邵县 on the generated province, 1.5 M cards), the list went card
-- by card (140 ms). On a page load they wait behind the browser for the machine's two cores (0.9 s).
-- As 0016 did for employment and 0063 for referrals, the home village and whether the card is
-- deleted are copied onto the follow-up and kept equal to the card's by triggers; a county's due
-- follow-ups are then one range of a partial index (3 ms and 2 ms for the summary's two counts).

ALTER TABLE follow_up ADD COLUMN home_village_code text COLLATE "C";
ALTER TABLE follow_up ADD COLUMN laborer_deleted boolean NOT NULL DEFAULT false;

UPDATE follow_up f SET home_village_code = l.home_village_code, laborer_deleted = (l.deleted_at IS NOT NULL)
  FROM laborer l WHERE l.id = f.laborer_id;
ALTER TABLE follow_up ALTER COLUMN home_village_code SET NOT NULL;

-- A follow-up takes its laborer's village unless the writer supplies it (the generator COPYs both
-- columns from the cards it loads); one moved to another card (a merge) takes the new card's —
-- 0016's function for employment, which reads only these columns, named for both tables now.
ALTER FUNCTION employment_fill_home() RENAME TO fill_home_from_card;
CREATE TRIGGER follow_up_fill_home BEFORE INSERT OR UPDATE OF laborer_id ON follow_up
  FOR EACH ROW EXECUTE FUNCTION fill_home_from_card();

-- A card that moves village (transfer, correction) or is deleted or restored carries its jobs and
-- its follow-ups along (0016's trigger, its function extended).
CREATE OR REPLACE FUNCTION laborer_carry_home() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE employment SET home_village_code = NEW.home_village_code, laborer_deleted = (NEW.deleted_at IS NOT NULL)
    WHERE laborer_id = NEW.id;
  UPDATE follow_up SET home_village_code = NEW.home_village_code, laborer_deleted = (NEW.deleted_at IS NOT NULL)
    WHERE laborer_id = NEW.id;
  RETURN NULL;
END $$;

-- The due follow-ups of live cards by village: the summary's counts from the index alone.
CREATE INDEX follow_up_due_home_idx ON follow_up (home_village_code, due_on)
  INCLUDE (responsible_kind, responsible_account) WHERE status = 'due' AND NOT laborer_deleted;

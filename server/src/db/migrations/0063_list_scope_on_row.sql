-- Console requests that read a whole region before their page or figure (issue 18 item 8: every page under
-- 1 s). Measured as a county admin on the generated province (1.5 M cards):
--
-- 1. The referral list (推荐, 0.9 s; the province admin 2.3 s). Its scope is the laborer's home
--    village, which lives on the card; the cards' village indexes cover undeleted cards only, while
--    the list shows the referrals of deleted cards too, so each page read all 1.5 M cards. The home
--    village is copied onto the referral and kept equal to the card's by triggers, as 0016 did for
--    employment, and the list pages on the referral alone.
-- 2. The social-insurance review list (社保比对核实, 0.6 s; the province admin 8 s): its index
--    (0052) is on text_pattern_ops, which serves LIKE but not the region range (withinRegion), and
--    holds open reviews only, where the list shows every non-confirmed one. An index that the list's
--    condition can use.
-- 3. The dashboard's referral funnel (and every figure as of a date: registry's peopleAsOf) reads a
--    region's card versions by the as-of index (0002), which holds the village and the validity
--    only: each of a county's ~105,000 versions was fetched from the table for its card and its
--    deletion flag. With both in the index it answers alone (the funnel's query for 新邵, warm, on a
--    busy machine: 0.38–0.59 s → 0.18–0.33 s). Rebuilt in place: as many indexes for a card write.

ALTER TABLE referral ADD COLUMN home_village_code text COLLATE "C";
UPDATE referral f SET home_village_code = l.home_village_code FROM laborer l WHERE l.id = f.laborer_id;
ALTER TABLE referral ALTER COLUMN home_village_code SET NOT NULL;

-- A referral takes its laborer's village, whatever the writer says.
CREATE FUNCTION referral_fill_home() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT l.home_village_code INTO NEW.home_village_code FROM laborer l WHERE l.id = NEW.laborer_id;
  RETURN NEW;
END $$;
CREATE TRIGGER referral_fill_home BEFORE INSERT OR UPDATE OF laborer_id, home_village_code ON referral
  FOR EACH ROW EXECUTE FUNCTION referral_fill_home();

-- A card that moves village (transfer, correction) carries its referrals along. (A deleted card's
-- referrals stay listed, as before: the list never asked whether the card was deleted.)
CREATE FUNCTION laborer_carry_home_to_referrals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE referral SET home_village_code = NEW.home_village_code WHERE laborer_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER laborer_carry_home_to_referrals AFTER UPDATE OF home_village_code ON laborer
  FOR EACH ROW WHEN (OLD.home_village_code IS DISTINCT FROM NEW.home_village_code)
  EXECUTE FUNCTION laborer_carry_home_to_referrals();

CREATE INDEX referral_home_idx ON referral (home_village_code);

CREATE INDEX social_insurance_outcome_review_idx ON social_insurance_outcome (home_village_code, due_on, id)
  WHERE status <> 'confirmed';

DROP INDEX laborer_version_asof_idx;
CREATE INDEX laborer_version_asof_idx ON laborer_version (home_village_code, valid_to) INCLUDE (valid_from, laborer_id, deleted);

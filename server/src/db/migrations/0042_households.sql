-- Households (issue 20 item 1; docs/domain.md §9). A household (户) is not a table of its own: it is
-- the cards that name its 户编号 on a day. So the ledger must say which household a card named on
-- each day: until now household_code, relation_to_head and household_size lived on the card only,
-- and a change of them left only its old and new value in the version's `changes`.
--
-- 1. The three fields become versioned: every ledger version carries them, and as-of reads of a
--    household (its members on D, its head, its size) read the card versions valid at the end of D,
--    exactly as peopleAsOf reads the village. A card moving to another household closes one version
--    and opens another, so both households' pasts stay as they were.
-- 2. The existing versions are filled from the ledger itself: a version holds the value its own or
--    the latest earlier change of that field set, else the old value of the next change, else the
--    card's present value (no change of the field was ever recorded).
-- 3. The province's yearly poverty line (脱贫线, yuan per person per year), set by province admins.

ALTER TABLE laborer_version
  ADD COLUMN household_code   text,
  ADD COLUMN relation_to_head text,
  ADD COLUMN household_size   smallint;

-- The household columns feed no statistic of migration 0017's deltas: filling them must not mark
-- every card for a rebuild of those deltas.
ALTER TABLE laborer_version DISABLE TRIGGER stats_version_upd;

UPDATE laborer_version v
   SET household_code = l.household_code, relation_to_head = l.relation_to_head, household_size = l.household_size
  FROM laborer l
 WHERE l.id = v.laborer_id AND (l.household_code IS NOT NULL OR l.relation_to_head IS NOT NULL OR l.household_size IS NOT NULL);

DO $$
DECLARE
  field text;
BEGIN
  FOREACH field IN ARRAY ARRAY['household_code', 'relation_to_head', 'household_size'] LOOP
    -- jsonb_build_array tells "the change set it to null" from "no such change".
    EXECUTE format($q$
      UPDATE laborer_version v SET %1$I = (x.value ->> 0)::%2$s
        FROM (
          SELECT w.laborer_id, w.version, coalesce(
              (SELECT jsonb_build_array(c.changes -> %1$L -> 1) FROM laborer_version c
                WHERE c.laborer_id = w.laborer_id AND c.version <= w.version AND c.changes ? %1$L ORDER BY c.version DESC LIMIT 1),
              (SELECT jsonb_build_array(c.changes -> %1$L -> 0) FROM laborer_version c
                WHERE c.laborer_id = w.laborer_id AND c.version > w.version AND c.changes ? %1$L ORDER BY c.version LIMIT 1)) AS value
            FROM laborer_version w
           WHERE w.laborer_id IN (SELECT laborer_id FROM laborer_version WHERE changes ? %1$L)
        ) x
       WHERE v.laborer_id = x.laborer_id AND v.version = x.version
         AND v.%1$I IS DISTINCT FROM (x.value ->> 0)::%2$s$q$,
      field, CASE field WHEN 'household_size' THEN 'smallint' ELSE 'text' END);
  END LOOP;
END $$;

ALTER TABLE laborer_version ENABLE TRIGGER stats_version_upd;

-- A household's members on a day, its page and the members of the households a region touches:
-- the versions naming a 户编号, found by the code, valid_to range-checked in the index.
CREATE INDEX laborer_version_household_idx ON laborer_version (household_code, valid_to) INCLUDE (valid_from)
  WHERE household_code IS NOT NULL;

-- 脱贫线: one line a year, in yuan per person per year, set by the province (the national line of
-- 2,300 yuan at 2010 prices, as Hunan published it for each year).
CREATE TABLE poverty_line (
  year     smallint PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  yuan     integer NOT NULL CHECK (yuan > 0 AND yuan <= 1000000),
  set_by   bigint REFERENCES account (id),
  set_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO poverty_line (year, yuan) VALUES (2016, 3146), (2017, 3335), (2018, 3535), (2019, 3747), (2020, 4000);

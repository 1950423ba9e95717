-- The free-travel subsidy of 就业直通车 in the subsidy ledger (issue 20 item 7). Until now a trip
-- showed boarded × subsidy_per_person as a total of its own, outside the ledger, so the rule that
-- a person is never paid the same kind of subsidy twice for overlapping periods (the exclusion
-- constraint subsidy_laborer_once) could not see it. A rider's free ride is now an ordinary
-- transport subsidy (交通补贴) for the day of the trip, drafted from the trip; trip_id says which
-- trip it paid for. One seat a day (trip_passenger_day_key) and one transport subsidy per person
-- per overlapping period together mean a ride is paid at most once.

ALTER TABLE subsidy ADD COLUMN trip_id bigint REFERENCES trip (id);

ALTER TABLE subsidy ADD CONSTRAINT subsidy_trip_transport CHECK (trip_id IS NULL OR (kind = 'transport' AND recipient = 'laborer'));

CREATE INDEX subsidy_trip_idx ON subsidy (trip_id) WHERE trip_id IS NOT NULL;

-- Online fairs a laborer joins from the mobile page (issue 19 item 6; the article: 53 online fairs,
-- 30,000 online job seekers, 10,829 hired). An online fair takes applications from its first day
-- (held_on) through ends_on (that day alone when not set); a laborer who applies there is the fair's
-- attendee registered online (no desk, no account), beside the door registrations of offline fairs.

ALTER TABLE fair ADD COLUMN ends_on date;
ALTER TABLE fair ADD CONSTRAINT fair_ends_on_check CHECK (ends_on IS NULL OR (mode = 'online' AND ends_on >= held_on));

ALTER TABLE fair_attendee ADD COLUMN online boolean NOT NULL DEFAULT false;
-- Only a signed-in registry laborer joins online: the card is known, no identifier was typed.
ALTER TABLE fair_attendee ADD CONSTRAINT fair_attendee_online_check CHECK (NOT online OR (laborer_id IS NOT NULL AND registered_by IS NULL));

-- Designated receiving enterprises (定点接收单位, issue 20 item 3). The province's 人社厅 designates
-- enterprises to receive its poor laborers ("遴选了110家企业作为贫困劳动力就业的定点接收单位，其中70个被
-- 人社部认定为全国就业扶贫基地"): the designation is a standing with a date, and a 就业扶贫基地 may hold it
-- too, so it is not only the employer's kind.
--
-- employer.designated_on is the day the designation began; an employer is designated on D when
-- designated_on <= D. kind = 'designated' (an enterprise whose only standing is the designation)
-- always has it: a writer that does not give the day gets the day of the write, China time, and the
-- existing ones get the day they were registered.

ALTER TABLE employer ADD COLUMN designated_on date;

UPDATE employer SET designated_on = (created_at AT TIME ZONE 'Asia/Shanghai')::date WHERE kind = 'designated';

CREATE FUNCTION employer_designated_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'designated' AND NEW.designated_on IS NULL THEN
    NEW.designated_on := (now() AT TIME ZONE 'Asia/Shanghai')::date;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER employer_designated_on BEFORE INSERT OR UPDATE OF kind, designated_on ON employer
  FOR EACH ROW EXECUTE FUNCTION employer_designated_on();

ALTER TABLE employer ADD CONSTRAINT employer_designated_kind CHECK (kind <> 'designated' OR designated_on IS NOT NULL);

CREATE INDEX employer_designated_idx ON employer (designated_on) WHERE designated_on IS NOT NULL;

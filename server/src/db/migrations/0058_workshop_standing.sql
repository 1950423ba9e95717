-- The standing of 扶贫车间 and 就业扶贫基地 (issue 20 item 8): accreditation (认定) with the
-- criteria checked, the yearly review (年审) and removal (摘牌), kept as a history of dated acts so
-- "accredited on day D" has one answer for every past D; and the visits to bases (湘潭's 巡诊: "对
-- 吸纳贫困劳动力较多、被评为就业扶贫基地的企业实行'巡诊'制度……随时掌握其在岗情况"), each employed poor
-- laborer checked one by one. Owned by the workshops module.
CREATE TABLE workshop_standing (
  id bigserial PRIMARY KEY,
  employer_id bigint NOT NULL REFERENCES employer (id),
  act text NOT NULL CHECK (act IN ('accreditation', 'review', 'removal')),
  -- The day the decision takes effect (认定 / 年审 / 摘牌 日期), China time.
  effective_on date NOT NULL,
  -- A review: the year reviewed and its outcome; findings are required when it failed.
  review_year smallint,
  review_passed boolean,
  findings text,
  -- A removal: why (required).
  reason text,
  -- The decision's document number (认定文号), when there is one.
  document_no text,
  decided_by bigint REFERENCES account (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((act = 'review') = (review_year IS NOT NULL AND review_passed IS NOT NULL)),
  CHECK (act <> 'review' OR review_passed OR findings IS NOT NULL),
  CHECK ((act = 'removal') = (reason IS NOT NULL))
);
COMMENT ON TABLE workshop_standing IS 'acts on a workshop''s or base''s standing: accreditation, yearly review, removal; read in (effective_on, id) order';
COMMENT ON COLUMN workshop_standing.decided_by IS 'the admin who recorded the decision; NULL for rows the data generator made';
CREATE INDEX workshop_standing_employer ON workshop_standing (employer_id, effective_on, id);
-- One review per unit and year.
CREATE UNIQUE INDEX workshop_standing_review_once ON workshop_standing (employer_id, review_year) WHERE act = 'review';

-- The criteria checked for an accreditation, each with its value, the threshold then in force and whether it was met.
CREATE TABLE workshop_standing_criterion (
  standing_id bigint NOT NULL REFERENCES workshop_standing (id),
  criterion text NOT NULL CHECK (criterion IN ('poor_employed', 'poor_share', 'workforce', 'site', 'labor_contracts')),
  value numeric NOT NULL,
  threshold numeric,
  met boolean,
  PRIMARY KEY (standing_id, criterion)
);

CREATE TABLE base_visit (
  id bigserial PRIMARY KEY,
  employer_id bigint NOT NULL REFERENCES employer (id),
  visited_on date NOT NULL,
  visited_by bigint REFERENCES account (id),
  findings text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX base_visit_employer ON base_visit (employer_id, visited_on DESC, id DESC);

-- Each poor laborer employed at the base on the visit's day, checked: found at work, not found, or left.
CREATE TABLE base_visit_check (
  visit_id bigint NOT NULL REFERENCES base_visit (id),
  employment_id bigint NOT NULL REFERENCES employment (id),
  laborer_id bigint NOT NULL REFERENCES laborer (id),
  result text NOT NULL CHECK (result IN ('at_work', 'not_found', 'left')),
  note text,
  PRIMARY KEY (visit_id, employment_id)
);

-- Referrals (推荐): each step of the pipeline recommended → interviewed → hired / not hired /
-- withdrawn, dated and by whom; and the employment record (就业记录) a hire opens. The employment
-- issue extends the record (follow-ups, endings, re-employment); its shape is DOMAIN.md's.

CREATE TABLE referral_step (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  referral_id  bigint NOT NULL REFERENCES referral (id),
  status       text NOT NULL CHECK (status IN ('recommended', 'interviewed', 'hired', 'not_hired', 'withdrawn')),
  at           timestamptz NOT NULL DEFAULT now(),
  by_account   bigint NOT NULL REFERENCES account (id),
  note         text CHECK (length(note) <= 500)
);
CREATE INDEX referral_step_referral_idx ON referral_step (referral_id, at, id);

-- Lists by laborer (a card's referrals) and the referrals of a card's region come through the laborer.
CREATE INDEX referral_laborer_idx ON referral (laborer_id, status);

CREATE TABLE employment (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  laborer_id        bigint NOT NULL REFERENCES laborer (id),
  -- NULL for self-employment (创业) and work found without a registered employer.
  employer_id       bigint REFERENCES employer (id),
  posting_id        bigint REFERENCES posting (id),
  referral_id       bigint REFERENCES referral (id),
  -- Where the work is: a county or below, anywhere in China (in county / in province / out of province).
  work_region_code  text COLLATE "C" NOT NULL REFERENCES region (code) CHECK (length(work_region_code) >= 6),
  -- 《中华人民共和国职业分类大典》(2022) code or group code.
  occupation_code   text COLLATE "C" CHECK (occupation_code ~ '^[1-8](-\d{2}){0,3}$'),
  started_on        date NOT NULL,
  ended_on          date,
  end_reason        text,
  monthly_wage      integer CHECK (monthly_wage >= 0),
  social_insurance  boolean NOT NULL DEFAULT false,
  -- 自主就业 / 就业帮扶 / 创业 / 公益性岗位 (the statistics split employed laborers by it).
  channel           text NOT NULL CHECK (channel IN ('self_found', 'assisted', 'entrepreneurship', 'public_welfare')),
  created_by        bigint REFERENCES account (id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_on IS NULL OR ended_on >= started_on),
  CHECK (end_reason IS NULL OR ended_on IS NOT NULL)
);
-- A laborer has at most one open (main) employment at a time: the database enforces it.
CREATE UNIQUE INDEX employment_open_key ON employment (laborer_id) WHERE ended_on IS NULL;
-- A hire is recorded once per referral.
CREATE UNIQUE INDEX employment_referral_key ON employment (referral_id) WHERE referral_id IS NOT NULL;
CREATE INDEX employment_laborer_idx ON employment (laborer_id, started_on);
CREATE INDEX employment_employer_idx ON employment (employer_id) WHERE employer_id IS NOT NULL;
CREATE INDEX employment_work_region_idx ON employment (work_region_code) WHERE ended_on IS NULL;

-- Liaison offices (驻外劳务对接服务中心): the problems of the home county's laborers working in the
-- host city and the help given ("核实已就业人员基础信息，解决已就业人员工作、生活中的实际困难" — the second
-- article, 花垣县's offices in 广州, 深圳, 东莞, 佛山).
--
-- A case belongs to the office, i.e. to the pair (home county, host city) it was recorded for, not
-- only to the account that typed it: colleagues of the same office share it, and it stays the
-- office's record after the worker leaves the city (a 返乡意愿 case is closed after they went home).

CREATE TABLE liaison_case (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  laborer_id         bigint NOT NULL REFERENCES laborer (id),
  -- The office account that recorded it, and the office it stands for (home county, host city).
  office_account_id  bigint NOT NULL REFERENCES account (id),
  home_region_code   text COLLATE "C" NOT NULL REFERENCES region (code),
  host_region_code   text COLLATE "C" NOT NULL REFERENCES region (code),
  -- The employment the worker was in when the problem was reported.
  employment_id      bigint REFERENCES employment (id),
  reported_on        date NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('wage_arrears', 'labor_dispute', 'work_injury', 'hardship', 'return_home', 'other')),
  description        text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
  help_given         text CHECK (length(help_given) BETWEEN 1 AND 1000),
  status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closed_on          date,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         bigint REFERENCES account (id),
  CHECK ((status = 'closed') = (closed_on IS NOT NULL)),
  -- A case is closed with the help that was given.
  CHECK (status = 'open' OR help_given IS NOT NULL),
  CHECK (closed_on IS NULL OR closed_on >= reported_on)
);
CREATE INDEX liaison_case_office_idx ON liaison_case (host_region_code, home_region_code, status, reported_on DESC, id DESC);
CREATE INDEX liaison_case_laborer_idx ON liaison_case (laborer_id, reported_on DESC, id DESC);

-- The postings an office gathered locally: found through their author.
CREATE INDEX posting_created_by_idx ON posting (created_by) WHERE created_by IS NOT NULL;
-- Hires per posting (the office's postings page counts them); other issues may index it first.
CREATE INDEX IF NOT EXISTS employment_posting_idx ON employment (posting_id) WHERE posting_id IS NOT NULL;

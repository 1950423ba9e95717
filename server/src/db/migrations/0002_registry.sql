-- 精准识别: the laborer registry. One card per ID number in the whole platform (一人一卡).
-- Identifiers are stored encrypted (SM4) with a keyed SM3 blind index for exact lookup, and in
-- the masked form lists show; the clear number never sits in a column.

CREATE TABLE laborer (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id_index          bytea NOT NULL,
  id_cipher         text NOT NULL,
  id_masked         text COLLATE "C" NOT NULL,
  phone_index       bytea,
  phone_cipher      text,
  phone_masked      text COLLATE "C",
  name              text NOT NULL,
  name_pinyin       text COLLATE "C" NOT NULL,
  name_initials     text COLLATE "C" NOT NULL,
  sex               text NOT NULL CHECK (sex IN ('male', 'female')),
  birth_date        date NOT NULL,
  ethnicity         text,
  home_village_code text COLLATE "C" NOT NULL REFERENCES region (code) CHECK (length(home_village_code) = 12),
  household_code    text,
  relation_to_head  text,
  household_size    smallint,
  poverty_status    text NOT NULL,
  education         text NOT NULL,
  labor_capacity    text NOT NULL,
  health            text NOT NULL,
  skills            text[] NOT NULL DEFAULT '{}',
  certificates      text[] NOT NULL DEFAULT '{}',
  willingness       text NOT NULL,
  wanted_job_types  text[] NOT NULL DEFAULT '{}',
  expected_wage     integer CHECK (expected_wage IS NULL OR expected_wage >= 0),
  caring            text NOT NULL,
  flags             text[] NOT NULL DEFAULT '{}',
  employment_status text NOT NULL,
  training_history  text,
  remark            text,
  last_confirmed_at timestamptz,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  created_by        bigint REFERENCES account (id),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  updated_by        bigint REFERENCES account (id),
  deleted_at        timestamptz
);
CREATE UNIQUE INDEX laborer_id_index_key ON laborer (id_index);
CREATE INDEX laborer_village_idx ON laborer (home_village_code, id) WHERE deleted_at IS NULL;
CREATE INDEX laborer_phone_idx ON laborer (phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX laborer_pinyin_idx ON laborer (name_pinyin text_pattern_ops);
CREATE INDEX laborer_initials_idx ON laborer (name_initials text_pattern_ops);

-- The dynamic ledger (动态管理台账): every state of every card, valid over [valid_from, valid_to),
-- with who changed it and each field's old and new value. "As of" a date reads the version valid
-- at the end of that day.
CREATE TABLE laborer_version (
  laborer_id        bigint NOT NULL REFERENCES laborer (id),
  version           integer NOT NULL,
  valid_from        timestamptz NOT NULL,
  valid_to          timestamptz,
  change_kind       text NOT NULL CHECK (change_kind IN ('create', 'update', 'delete', 'restore', 'import')),
  changed_by        bigint REFERENCES account (id),
  reason            text,
  changes           jsonb NOT NULL DEFAULT '{}',
  name              text NOT NULL,
  sex               text NOT NULL,
  birth_date        date NOT NULL,
  home_village_code text COLLATE "C" NOT NULL,
  poverty_status    text NOT NULL,
  education         text NOT NULL,
  labor_capacity    text NOT NULL,
  health            text NOT NULL,
  skills            text[] NOT NULL,
  certificates      text[] NOT NULL,
  willingness       text NOT NULL,
  wanted_job_types  text[] NOT NULL,
  expected_wage     integer,
  caring            text NOT NULL,
  flags             text[] NOT NULL,
  employment_status text NOT NULL,
  deleted           boolean NOT NULL DEFAULT false,
  PRIMARY KEY (laborer_id, version),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX laborer_version_asof_idx ON laborer_version (home_village_code, valid_from);
CREATE UNIQUE INDEX laborer_version_current_key ON laborer_version (laborer_id) WHERE valid_to IS NULL;

-- Quarterly re-confirmation: a village officer reviewed the card (with or without changes).
CREATE TABLE laborer_confirmation (
  laborer_id   bigint NOT NULL REFERENCES laborer (id),
  confirmed_at timestamptz NOT NULL DEFAULT now(),
  confirmed_by bigint NOT NULL REFERENCES account (id),
  PRIMARY KEY (laborer_id, confirmed_at)
);

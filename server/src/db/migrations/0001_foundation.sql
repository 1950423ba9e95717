-- Foundation: region tree, accounts, sessions, the append-only audit log.
-- Frozen once released: later changes go into new files.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The statistical division tree (统计用区划代码). The code is itself the materialized path:
-- every code extends its parent's code (43 → 4305 → 430522 → 430522107 → 430522107212),
-- which the loader verifies, so "this region and everything below" is one indexed range
-- condition on any column holding a region code (see platform/access.ts).
CREATE TABLE region (
  code        text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}([0-9]{3})?)?)?)?$'),
  parent_code text COLLATE "C" REFERENCES region (code),
  level       smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
  name        text NOT NULL,
  -- 湖南省 邵阳市 新邵县: the names of the ancestors and itself, for search results and exports.
  full_name   text NOT NULL,
  pinyin      text COLLATE "C" NOT NULL,
  initials    text COLLATE "C" NOT NULL,
  child_count integer NOT NULL DEFAULT 0,
  CHECK (parent_code IS NULL OR starts_with(code, parent_code)),
  CHECK (length(code) = CASE level WHEN 1 THEN 2 WHEN 2 THEN 4 WHEN 3 THEN 6 WHEN 4 THEN 9 ELSE 12 END)
);
CREATE INDEX region_parent_idx ON region (parent_code, code);
CREATE INDEX region_pinyin_idx ON region (pinyin, level);
CREATE INDEX region_initials_idx ON region (initials, level);
CREATE INDEX region_name_trgm_idx ON region USING gin (name gin_trgm_ops);

CREATE TYPE account_role AS ENUM (
  'admin', 'township_operator', 'village_officer', 'broker',
  'liaison_office', 'employer', 'laborer', 'auditor'
);

CREATE TABLE account (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username            text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{3,32}$'),
  display_name        text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 50),
  role                account_role NOT NULL,
  region_code         text COLLATE "C" NOT NULL REFERENCES region (code),
  -- Liaison offices serve their home county's laborers in a host city.
  host_region_code    text COLLATE "C" REFERENCES region (code),
  password_hash       text NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins       integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  totp_secret         text,
  totp_enabled        boolean NOT NULL DEFAULT false,
  created_by          bigint REFERENCES account (id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'liaison_office') = (host_region_code IS NOT NULL))
);
CREATE UNIQUE INDEX account_username_key ON account (lower(username));
CREATE INDEX account_region_idx ON account (region_code);

-- Sessions live in the database; the cookie holds a random token, the table only its SM3 hash.
CREATE TABLE session (
  token_hash   bytea PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES account (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ip           text,
  user_agent   text
);
CREATE INDEX session_account_idx ON session (account_id);

-- The audit log: who, role, region, when, IP, action, entity and id, result.
-- Append-only: UPDATE, DELETE and TRUNCATE are refused by the database itself.
-- Each row carries HMAC-SM3(key, content || previous row's hash); `laowu audit:verify` checks the chain.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_id    bigint,
  actor_name  text,
  actor_role  text,
  actor_region text COLLATE "C",
  ip          text,
  action      text NOT NULL,
  entity      text NOT NULL,
  entity_id   text,
  result      text NOT NULL CHECK (result IN ('success', 'failure', 'denied')),
  details     jsonb,
  prev_hash   bytea NOT NULL,
  hash        bytea NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id);
CREATE INDEX audit_log_region_idx ON audit_log (actor_region, id);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

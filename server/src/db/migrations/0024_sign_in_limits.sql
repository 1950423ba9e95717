-- 可信的边界 (issue 15): sign-in that cannot be guessed, replayed or used to learn who has an account.

-- A TOTP code is accepted once: the last accepted time step (30-second steps since the epoch).
-- A code of that step or an earlier one is refused, so a code seen over a shoulder or in a log
-- cannot be used again within its window.
ALTER TABLE account ADD COLUMN totp_last_step bigint;

-- Failed staff logins under a username no account has: counted like an account's own failures,
-- so the sixth try answers 423 whether the account exists or not. One row per claimed username
-- (lower-cased), swept a day after its last failure (tasks/session-sweeper.ts). Both counts start
-- afresh when the lock has passed or the last failure is a day old, so a swept row and an
-- account's old count answer alike.
ALTER TABLE account ADD COLUMN last_failed_login_at timestamptz;
CREATE TABLE login_throttle (
  username_key  text COLLATE "C" PRIMARY KEY CHECK (length(username_key) BETWEEN 1 AND 64),
  failures      integer NOT NULL DEFAULT 0,
  locked_until  timestamptz,
  last_failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_throttle_last_failed_idx ON login_throttle (last_failed_at);

-- The mobile page's sign-in codes are limited per client address and overall, not only per number.
ALTER TABLE mobile_code ADD COLUMN requested_ip text;
CREATE INDEX mobile_code_ip_idx ON mobile_code (requested_ip, created_at);
CREATE INDEX mobile_code_created_idx ON mobile_code (created_at);

-- Every wrong sign-in code, committed on its own (a refusal rolls its request back): the tries
-- per number and per client address are limited from these rows.
CREATE TABLE mobile_login_failure (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  phone_index  bytea NOT NULL,
  ip           text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mobile_login_failure_phone_idx ON mobile_login_failure (phone_index, created_at);
CREATE INDEX mobile_login_failure_ip_idx ON mobile_login_failure (ip, created_at);

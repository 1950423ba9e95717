-- Issue 21 item 5: the change feed for the level above and for other systems (docs/exchange.md).
--
-- Client systems (国家平台, 省人社厅 …) registered by a province admin, each with its own key id
-- and secret (only the secret's SM3 digest is kept: it is 256 random bits, so a slow password
-- hash would add nothing but a CPU cost on every request), the region it may read and the kinds of
-- record it may read.
CREATE TABLE exchange_client (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) BETWEEN 2 AND 60),
  key_id        text COLLATE "C" NOT NULL UNIQUE CHECK (key_id ~ '^lwx_[0-9a-f]{16}$'),
  secret_hash   bytea NOT NULL,
  region_code   text COLLATE "C" NOT NULL REFERENCES region (code),
  kinds         text[] NOT NULL CHECK (kinds <> '{}' AND kinds <@ ARRAY['laborer', 'employment', 'service_record', 'subsidy']),
  note          text CHECK (length(note) <= 200),
  created_by    bigint NOT NULL REFERENCES account (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_by    bigint REFERENCES account (id),
  revoked_at    timestamptz,
  last_read_at  timestamptz,
  last_cursor   bigint,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- Every change to a card, an employment, a service record or a subsidy, appended by the triggers
-- below in the writer's own transaction (so it commits or rolls back with the change), without a
-- lock: writers never queue on each other here. `id` follows the order in which writers asked for
-- it, not the order in which they commit, so it cannot be a cursor: a reader that had seen 12 would
-- skip 11 when 11's transaction commits after 12's.
CREATE TABLE exchange_change_pending (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind        text NOT NULL,
  record_id   bigint NOT NULL,
  operation   text NOT NULL,
  regions     text[] COLLATE "C" NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The feed: one linker at a time (a transaction-level advisory lock, as the audit chain's) moves
-- the committed pending rows here and gives them the next positions, 1, 2, 3 … without gaps. A
-- linker's positions become visible at its commit, all together, and the next linker starts after
-- it; so what a reader sees is always positions 1..N, and a position never appears below one a
-- reader has already passed. The position is the cursor.
CREATE TABLE exchange_change (
  position    bigint PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('laborer', 'employment', 'service_record', 'subsidy')),
  record_id   bigint NOT NULL,
  operation   text NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
  -- Every region code the record held before and after the change: a client sees the change when
  -- one of them lies in its region (a card moved out of a county is a change that county sees).
  regions     text[] COLLATE "C" NOT NULL,
  changed_at  timestamptz NOT NULL
);

-- A statement's transition tables name the rows it touched; TG_ARGV: the kind, then the columns
-- holding the record's region codes. An update that changes nothing is no change.
CREATE FUNCTION exchange_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cols text[] := TG_ARGV[1:TG_NARGS - 1];
  new_regions text;
  old_regions text;
  both_regions text;
BEGIN
  SELECT 'array_remove(ARRAY[' || string_agg(format('n.%I', c), ', ') || ']::text[], NULL)',
         'array_remove(ARRAY[' || string_agg(format('o.%I', c), ', ') || ']::text[], NULL)',
         'ARRAY(SELECT DISTINCT r FROM unnest(ARRAY[' || string_agg(format('n.%1$I, o.%1$I', c), ', ') || ']::text[]) r WHERE r IS NOT NULL ORDER BY r)'
    INTO new_regions, old_regions, both_regions FROM unnest(cols) c;
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('INSERT INTO exchange_change_pending (kind, record_id, operation, regions)
      SELECT %L, n.id, ''insert'', %s FROM new_rows n ORDER BY n.id', TG_ARGV[0], new_regions);
  ELSIF TG_OP = 'UPDATE' THEN
    EXECUTE format('INSERT INTO exchange_change_pending (kind, record_id, operation, regions)
      SELECT %L, n.id, ''update'', %s FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n IS DISTINCT FROM o ORDER BY n.id', TG_ARGV[0], both_regions);
  ELSE
    EXECUTE format('INSERT INTO exchange_change_pending (kind, record_id, operation, regions)
      SELECT %L, o.id, ''delete'', %s FROM old_rows o ORDER BY o.id', TG_ARGV[0], old_regions);
  END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE
  t text[];
BEGIN
  FOREACH t SLICE 1 IN ARRAY ARRAY[
    ['laborer', 'laborer', 'home_village_code', NULL],
    ['employment', 'employment', 'home_village_code', NULL],
    ['service_record', 'service_record', 'region_code', NULL],
    ['subsidy', 'subsidy', 'region_code', 'home_region_code']] LOOP
    EXECUTE format('CREATE TRIGGER %1$s_exchange_ins AFTER INSERT ON %1$s REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION exchange_note_change(%2$L, %3$s)', t[1], t[2], concat_ws(', ', quote_literal(t[3]), quote_literal(t[4])));
    EXECUTE format('CREATE TRIGGER %1$s_exchange_upd AFTER UPDATE ON %1$s REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION exchange_note_change(%2$L, %3$s)', t[1], t[2], concat_ws(', ', quote_literal(t[3]), quote_literal(t[4])));
    EXECUTE format('CREATE TRIGGER %1$s_exchange_del AFTER DELETE ON %1$s REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION exchange_note_change(%2$L, %3$s)', t[1], t[2], concat_ws(', ', quote_literal(t[3]), quote_literal(t[4])));
  END LOOP;
END $$;

-- The records that exist when the feed starts are its first changes ('insert'), so a client that
-- starts from the beginning receives every record of its region once.
INSERT INTO exchange_change (position, kind, record_id, operation, regions, changed_at)
SELECT row_number() OVER (ORDER BY k, id), kind, id, 'insert', regions, now()
FROM (
  SELECT 1 AS k, 'laborer' AS kind, id, ARRAY[home_village_code]::text[] AS regions FROM laborer
  UNION ALL SELECT 2, 'employment', id, ARRAY[home_village_code]::text[] FROM employment
  UNION ALL SELECT 3, 'service_record', id, ARRAY[region_code]::text[] FROM service_record
  UNION ALL SELECT 4, 'subsidy', id, array_remove(ARRAY[region_code, home_region_code]::text[], NULL) FROM subsidy
) existing;

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect } from './database.ts';
import { migrate } from './migrate.ts';
import { checkedValues, readCheckedIn, REGENERATE_COMMAND, snapshotSchema, type SchemaSnapshot } from './schema-snapshot.ts';
import { ensureDatabase } from './embedded.ts';
import { adminUrlFrom, dropDatabase } from '../../test/test-database.ts';

/**
 * The checked-in Kysely types and schema dump are what the migrations make of a fresh database:
 * a migration added without `npm run db:types` (or a hand edit of either file) fails here.
 */
describe('the checked-in schema files', () => {
  const adminUrl = inject('pgAdminUrl');
  const name = `laowu_schema_${randomBytes(6).toString('hex')}`;
  let produced: SchemaSnapshot;
  const checkedIn = readCheckedIn();

  beforeAll(async () => {
    await ensureDatabase(adminUrl, name);
    const handle = connect(adminUrlFrom(adminUrl, name), { max: 1 });
    try {
      await migrate(handle.pool);
    } finally {
      await handle.close();
    }
    produced = await snapshotSchema(adminUrlFrom(adminUrl, name));
  });
  afterAll(() => dropDatabase(adminUrl, name));

  it('server/src/db/schema.generated.ts is what the migrations produce', () => {
    expect(
      checkedIn.types,
      `server/src/db/schema.generated.ts differs from what the migrations produce: run \`${REGENERATE_COMMAND}\``,
    ).toBe(produced.types);
  });

  it('server/src/db/schema.sql is what the migrations produce', () => {
    expect(checkedIn.dump, `server/src/db/schema.sql differs from what the migrations produce: run \`${REGENERATE_COMMAND}\``).toBe(
      produced.dump,
    );
  });

  it('types a text column limited by CHECK (… IN …) as the union of its values', () => {
    expect(checkedIn.types).toMatch(/status: Generated<"active" \| "disabled">;/);
    expect(checkedValues('kind', "CHECK ((kind = ANY (ARRAY['posts'::text, 'o''clock'::text])))")).toEqual(['posts', "o'clock"]);
    expect(
      checkedValues('end_reason', "CHECK (((end_reason IS NULL) OR (end_reason = ANY (ARRAY['resigned'::text, 'other'::text]))))"),
    ).toEqual(['resigned', 'other']);
    // Anything else is not a list of values.
    expect(checkedValues('kind', "CHECK (((kind = ANY (ARRAY['posts'::text])) OR (other IS NULL)))")).toBeNull();
    expect(checkedValues('months', 'CHECK ((months = ANY (ARRAY[1, 3, 6, 12])))')).toBeNull();
  });
});

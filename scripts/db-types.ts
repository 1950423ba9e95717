// `npm run db:types`: migrates a scratch database on the test server (LAOWU_TEST_PG_PORT, or
// DATABASE_URL's server) and writes what it makes of the migrated schema: the Kysely types
// (server/src/db/schema.generated.ts) and the schema dump (server/src/db/schema.sql).
// schema-snapshot.test.ts fails when either checked-in file differs from what the migrations produce.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrate } from '../server/src/db/migrate.ts';
import { connect } from '../server/src/db/database.ts';
import { dropDatabase } from '../server/test/test-database.ts';
import { adminUrlFrom, startTestServer } from '../server/test/test-database.ts';
import { ensureDatabase } from '../server/src/db/embedded.ts';
import { SCHEMA_DUMP_FILE, SCHEMA_TYPES_FILE, snapshotSchema } from '../server/src/db/schema-snapshot.ts';

const { adminUrl, server } = await startTestServer();
const name = `laowu_schema_${randomBytes(6).toString('hex')}`;
try {
  await ensureDatabase(adminUrl, name);
  const url = adminUrlFrom(adminUrl, name);
  const handle = connect(url, { max: 1 });
  try {
    const applied = await migrate(handle.pool);
    console.log(`migrated a scratch database (${applied.length} migrations)`);
  } finally {
    await handle.close();
  }
  const snapshot = await snapshotSchema(url);
  writeFileSync(SCHEMA_TYPES_FILE, snapshot.types);
  writeFileSync(SCHEMA_DUMP_FILE, snapshot.dump);
  for (const file of [SCHEMA_TYPES_FILE, SCHEMA_DUMP_FILE]) console.log(`wrote ${path.relative(process.cwd(), file)}`);
} finally {
  await dropDatabase(adminUrl, name).catch(() => undefined);
  await server?.stop();
}

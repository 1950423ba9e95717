import { sql } from 'kysely';
import { connect } from '../server/src/db/database.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { employmentFacts } from '../server/src/modules/employment/index.ts';
import { createLaborersService } from '../server/src/modules/registry/index.ts';
import { createAuditLog } from '../server/src/platform/audit.ts';
import { ensureDatabase, urlFor, type Benchmark } from './harness.ts';
import { exportFigures } from './registry.bench.ts';

/**
 * Issue 18 item 2's export row on its own (`BENCH_ONLY=register-export`): the register of a city of
 * about 100,000 cards exported on the generated province the registry benchmark left, without
 * generating the province again (the registry benchmark runs the same row after generating it).
 */
const PROVINCE_DB = process.env.BENCH_EXPORT_DB || 'laowu_bench_province';

export const registerExportBenchmark: Benchmark = {
  name: 'register-export',
  async run({ config, adminUrl, log }) {
    await ensureDatabase(adminUrl, PROVINCE_DB);
    const handle = connect(urlFor(adminUrl, PROVINCE_DB), { max: 4 });
    try {
      await migrate(handle.pool);
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer`.execute(handle.db);
      if (Number(rows[0]!.n) < 1_000_000)
        throw new Error(`${PROVINCE_DB} has ${rows[0]!.n} laborers: run the registry bench first (it generates the province)`);
      const service = createLaborersService({ config, audit: createAuditLog(config.secrets.auditKey), employment: employmentFacts });
      return await exportFigures(handle.db, service, log);
    } finally {
      await handle.close();
    }
  },
};

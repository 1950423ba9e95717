import { parentPort, workerData } from 'node:worker_threads';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  CONFIRMATION_COPY_COLUMNS,
  LABORER_COPY_COLUMNS,
  VERSION_COPY_COLUMNS,
  generateVillage,
  type VillageJob,
} from './laborers.model.ts';
import { CASE_COPY_COLUMNS, EMPLOYMENT_COPY_COLUMNS, FOLLOW_UP_COPY_COLUMNS, type EmploymentPlaces } from './employment.model.ts';

/**
 * A generator worker: takes chunks of villages, generates their laborers and their employment
 * histories (the SM4 and SM3 work is most of the CPU) and COPYs each chunk in its own
 * transaction, so a crash loses at most the chunk in flight and a re-run skips the chunks already
 * there.
 *
 * `replica`: the rows are loaded as pg_restore --disable-triggers does (session_replication_role
 * = replica, superuser only): no per-row foreign-key checks or row triggers, whose work the
 * generator does itself (each row's references are made by construction, and the generator test
 * checks every foreign key of a generated world in bulk; home village and kept months are written
 * in the rows). `stats`: the statistics' triggers will not see these rows (paused, or not fired in
 * replica mode), so the chunk's statistics are added in its transaction (migration 0021).
 */
const { url, identifierKey, identifierIndexKey, places, replica, stats } = workerData as {
  url: string;
  identifierKey: string;
  identifierIndexKey: string;
  places: EmploymentPlaces;
  replica: boolean;
  stats: boolean;
};
const keys = { identifierKey: Buffer.from(identifierKey, 'hex'), identifierIndexKey: Buffer.from(identifierIndexKey, 'hex') };
const client = new pg.Client({ connectionString: url, options: '-c timezone=Asia/Shanghai -c synchronous_commit=off' });
await client.connect();

/** Milliseconds spent per phase in this worker (generating rows, each table's COPY, commit). */
const spent: Record<string, number> = {};
/** Chunks rolled back by a deadlock and written again. */
let retries = 0;
async function timed<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    spent[phase] = (spent[phase] ?? 0) + performance.now() - t0;
  }
}
if (replica) await client.query('SET session_replication_role = replica');

async function copy(table: string, columns: string, text: string) {
  if (!text) return;
  await timed(table, () => pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`))));
}

parentPort!.on('message', async (message: { chunk: number; jobs: VillageJob[] } | 'stop') => {
  if (message === 'stop') {
    await client.end();
    parentPort!.postMessage({ stopped: true });
    return;
  }
  try {
    let laborers = '';
    let versions = '';
    let confirmations = '';
    let people = 0;
    let versionCount = 0;
    let employments = '';
    let followUps = '';
    let cases = '';
    let employmentCount = 0;
    await timed('generate', () => {
      for (const job of message.jobs) {
        const rows = generateVillage(job, keys, places);
        laborers += rows.laborers;
        versions += rows.versions;
        confirmations += rows.confirmations;
        employments += rows.employments;
        followUps += rows.followUps;
        cases += rows.cases;
        people += job.count;
        versionCount += rows.versionCount;
        employmentCount += rows.employmentCount;
      }
    });
    const first = message.jobs[0]!.firstId;
    const last = message.jobs.at(-1)!.firstId + message.jobs.at(-1)!.count - 1;
    // The workers write disjoint rows (their own cards, their own villages' days), but should two
    // ever deadlock, the chunk is rolled back and written again.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query('BEGIN');
        await copy('laborer', LABORER_COPY_COLUMNS, laborers);
        await copy('laborer_version', VERSION_COPY_COLUMNS, versions);
        await copy('laborer_confirmation', CONFIRMATION_COPY_COLUMNS, confirmations);
        await copy('employment', EMPLOYMENT_COPY_COLUMNS, employments);
        await copy('follow_up', FOLLOW_UP_COPY_COLUMNS, followUps);
        await copy('reemployment_case', CASE_COPY_COLUMNS, cases);
        // The chunk's statistics: its laborers' deltas and their villages' days (migration 0021).
        if (stats) await timed('stats', () => client.query('SELECT stats_add_laborers($1, $2)', [first, last]));
        await timed('commit', () => client.query('COMMIT'));
        break;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if ((error as { code?: string }).code !== '40P01' || attempt >= 3) throw error;
        retries++;
      }
    }
    parentPort!.postMessage({ chunk: message.chunk, people, versions: versionCount, employments: employmentCount, spent, retries });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    parentPort!.postMessage({ chunk: message.chunk, error: (error as Error).message });
  }
});

import { parentPort, workerData } from 'node:worker_threads';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CONFIRMATION_COPY_COLUMNS, LABORER_COPY_COLUMNS, VERSION_COPY_COLUMNS, generateVillage, type VillageJob } from './laborers.model.ts';
import { CASE_COPY_COLUMNS, EMPLOYMENT_COPY_COLUMNS, FOLLOW_UP_COPY_COLUMNS, type EmploymentPlaces } from './employment.model.ts';

/**
 * A generator worker: takes chunks of villages, generates their laborers and their employment
 * histories (the SM4 and SM3 work is
 * most of the CPU) and COPYs each chunk in its own transaction, so a crash loses at most the chunk
 * in flight and a re-run skips the chunks already there.
 */
const { url, identifierKey, identifierIndexKey, places } = workerData as { url: string; identifierKey: string; identifierIndexKey: string; places: EmploymentPlaces };
const keys = { identifierKey: Buffer.from(identifierKey, 'hex'), identifierIndexKey: Buffer.from(identifierIndexKey, 'hex') };
const client = new pg.Client({ connectionString: url, options: '-c timezone=Asia/Shanghai -c synchronous_commit=off' });
await client.connect();

async function copy(sql: string, text: string) {
  if (!text) return;
  await pipeline(Readable.from([text]), client.query(copyFrom(sql)));
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
    await client.query('BEGIN');
    await copy(`COPY laborer (${LABORER_COPY_COLUMNS}) FROM STDIN`, laborers);
    await copy(`COPY laborer_version (${VERSION_COPY_COLUMNS}) FROM STDIN`, versions);
    await copy(`COPY laborer_confirmation (${CONFIRMATION_COPY_COLUMNS}) FROM STDIN`, confirmations);
    await copy(`COPY employment (${EMPLOYMENT_COPY_COLUMNS}) FROM STDIN`, employments);
    await copy(`COPY follow_up (${FOLLOW_UP_COPY_COLUMNS}) FROM STDIN`, followUps);
    await copy(`COPY reemployment_case (${CASE_COPY_COLUMNS}) FROM STDIN`, cases);
    await client.query('COMMIT');
    parentPort!.postMessage({ chunk: message.chunk, people, versions: versionCount, employments: employmentCount });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    parentPort!.postMessage({ chunk: message.chunk, error: (error as Error).message });
  }
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';

/**
 * A process that starts the embedded PostgreSQL and then waits to be killed (server/src/db/
 * embedded.test.ts). Prints one line of JSON once the server is up: its postmaster's PID and the
 * watchdog processes (children of this one other than the postmaster).
 */
const [dataDir, port] = process.argv.slice(2);
await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port) });
const postmaster = Number(readFileSync(path.join(dataDir!, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
  .trim()
  .split(/\s+/)
  .map(Number)
  .filter((pid) => pid && pid !== postmaster);
process.stdout.write(`${JSON.stringify({ postmaster, watchdogs: children })}\n`);
setInterval(() => undefined, 60_000);

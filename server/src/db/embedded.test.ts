import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded.ts';

/**
 * When the Node process that started the embedded PostgreSQL dies without stopping it (SIGKILL,
 * the OOM killer), the next start must succeed on its own: the server does not outlive its owner,
 * or is stopped at the next start when it did.
 */
const CHILD = fileURLToPath(new URL('../../test/embedded-child.ts', import.meta.url));
let dataDir: string;
let port: number;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });

const alive = (pid: number) => {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
};

/** Starts the child, waits for its report, and returns it with the child's PID. */
function startChild(): Promise<{ pid: number; postmaster: number; watchdogs: number[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ pid: child.pid!, ...JSON.parse(line) });
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => reject(new Error(`the child exited (${code}) before reporting: ${err}`)));
  });
}

async function startAndQuery() {
  const server = await startEmbeddedPostgres({ dataDir, port });
  try {
    const client = new pg.Client({ connectionString: server.connectionString('postgres') });
    await client.connect();
    const { rows } = await client.query('SELECT 1 AS one');
    await client.end();
    return rows[0].one;
  } finally {
    await server.stop();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'laowu-embedded-'));
  // As root the server runs as the postgres user, who must reach the directory.
  chmodSync(dataDir, 0o755);
  port = await freePort();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the embedded PostgreSQL when its Node process is killed', () => {
  it('does not outlive it: a new start succeeds and the old server is gone', async () => {
    const first = await startChild();
    expect(alive(first.postmaster)).toBe(true);
    process.kill(first.pid, 'SIGKILL');
    expect(await startAndQuery()).toBe(1);
    expect(alive(first.postmaster)).toBe(false);
  }, 120_000);

  it('is stopped at the next start when its watchdog was killed with it', async () => {
    const second = await startChild();
    expect(second.watchdogs.length).toBeGreaterThan(0);
    for (const pid of second.watchdogs) process.kill(-pid, 'SIGKILL');
    process.kill(second.pid, 'SIGKILL');
    expect(alive(second.postmaster)).toBe(true);
    expect(await startAndQuery()).toBe(1);
    expect(alive(second.postmaster)).toBe(false);
  }, 120_000);
});

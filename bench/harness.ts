import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium, type Browser } from 'playwright-core';
import type { Config } from '../server/src/config.ts';
import type { DbOrTx } from '../server/src/db/database.ts';
import type { Actor } from '../server/src/platform/actor.ts';
import { chromiumLaunchOptions } from '../scripts/ensure-chromium.mjs';
import { actorOf } from '../server/src/modules/accounts/index.ts';

/**
 * The benchmark harness: each benchmark measures a figure the issues name, against a baseline
 * measured in the same run (the plain way a typical admin system would do it), and says the goal.
 */
export interface Figure {
  figure: string;
  value: number;
  unit: string;
  /** The goal as the issue states it, e.g. "< 20 s". */
  goal?: string;
  met?: boolean;
  baseline?: { label: string; value: number };
  /** How many times better than the baseline (higher is better, whatever the unit). */
  ratio?: number;
  notes?: string;
}

export interface BenchContext {
  config: Config;
  /** Server-level URL (database `postgres`) for creating scratch databases. */
  adminUrl: string;
  /** A database with the schema, the region tree and the demo accounts. */
  databaseUrl: string;
  log(message: string): void;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

export function urlFor(adminUrl: string, database: string) {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function recreateDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return urlFor(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export const seconds = (ms: number) => ms / 1000;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Creates the database when it does not exist (the province database is kept between runs). */
export async function ensureDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

/**
 * The server as `npm start` runs it (`server/src/main.ts` in a child process) on `databaseUrl`, on
 * a free port, without the demo or the SMPP listener: resolves once it prints where the console
 * is. `errors` collects its stderr, for a benchmark to report.
 */
export async function spawnServer(
  databaseUrl: string,
  dataDir: string,
): Promise<{ server: ChildProcess; port: number; base: string; errors: string[] }> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LAOWU_DATA_DIR: dataDir,
      LAOWU_SMPP_PORT: '0',
      LAOWU_DEMO: 'false',
      NODE_ENV: 'development',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  server.stderr!.on('data', (d: Buffer) => errors.push(d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /控制台:\s+http:\/\/localhost:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`server exited (${code}): ${errors.join('').slice(-2000)}`)));
  });
  return { server, port, base: `http://127.0.0.1:${port}`, errors };
}

/** The generated province's admin (hunan_admin) as the services see a signed-in caller: the benches' usual actor. */
export function provinceAdmin(db: DbOrTx): Promise<Actor> {
  return actorOf(db, 'hunan_admin');
}

/**
 * Debian's chromium for the browser benchmarks, headless, installed first when missing (as `npm test`
 * does); with `omniboxPopup`, as playwright launches it by default (scripts/ensure-chromium.mjs).
 */
export function launchBrowser(options: { omniboxPopup?: boolean } = {}): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions(options));
}

import pg from 'pg';
import type { Config } from '../server/src/config.ts';

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

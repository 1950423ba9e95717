import type pg from 'pg';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { AuditLog } from '../platform/audit.ts';
import type { Rng } from './random.ts';

/**
 * What a generator step is and what it is given (generator.ts runs them in order). Apart from
 * generator.ts so that the steps, which all need these types, never import the file that imports them.
 */
export type Preset = 'demo' | 'province';

export interface GeneratorContext {
  preset: Preset;
  seed: number;
  rng: Rng;
  db: Db;
  pool: pg.Pool;
  config: Config;
  audit: AuditLog;
  progress(phase: string, done: number, total: number): void;
}

export interface GeneratorStep {
  name: string;
  description: string;
  run(ctx: GeneratorContext): Promise<string>;
}

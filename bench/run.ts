import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../server/src/config.ts';
import { openDatabase } from '../server/src/db/open.ts';
import { loadRegions, regionTreeLoaded } from '../server/src/modules/regions/index.ts';
import { ensureDemoAccounts } from '../server/src/generate/demo-accounts.ts';
import { createAuditLog } from '../server/src/platform/audit.ts';
import { urlFor, type Benchmark, type Figure } from './harness.ts';
import { regionLoadBenchmark } from './regions.bench.ts';
import { loginBenchmark } from './login.bench.ts';
import { registryBenchmark } from './registry.bench.ts';
import { importBenchmark } from './import.bench.ts';
import { bulkImportBenchmark } from './bulk-import.bench.ts';
import { matchingBenchmark } from './matching.bench.ts';
import { fairsBenchmark } from './fairs.bench.ts';
import { brokersBenchmark } from './brokers.bench.ts';
import { retentionBenchmark } from './retention.bench.ts';
import { subsidiesBenchmark } from './subsidies.bench.ts';
import { smsBenchmark } from './sms.bench.ts';
import { statsBenchmark } from './stats.bench.ts';
import { loadBenchmark } from './load.bench.ts';
import { hostileImportsBenchmark } from './hostile-imports.bench.ts';
import { mobilePageBenchmark } from './mobile-page.bench.ts';
import { consolePagesBenchmark } from './console-pages.bench.ts';
import { fieldBenchmark } from './field.bench.ts';
import { registerExportBenchmark } from './register-export.bench.ts';
import { socialInsuranceBenchmark } from './social-insurance.bench.ts';

import { registryImportBenchmark } from './registry-import.bench.ts';

/**
 * `npm run bench`: every registered benchmark, a table of figure / value / baseline / ratio,
 * and bench/results.json. Runs on its own embedded server under var/bench (or DATABASE_URL's
 * server), so a running `npm start` is not disturbed.
 */
export const BENCHMARKS: Benchmark[] = [
  regionLoadBenchmark,
  loginBenchmark,
  importBenchmark,
  bulkImportBenchmark,
  registryBenchmark,
  matchingBenchmark,
  brokersBenchmark,
  retentionBenchmark,
  fairsBenchmark,
  subsidiesBenchmark,
  smsBenchmark,
  statsBenchmark,
  loadBenchmark,
  hostileImportsBenchmark,
  mobilePageBenchmark,
  consolePagesBenchmark,
  fieldBenchmark,
  registerExportBenchmark,
  socialInsuranceBenchmark,

  registryImportBenchmark,
];

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The machine's speed when a run starts and ends: a fixed JavaScript loop (3·10⁸ additions) in a
 * fresh Node, in ms. This machine is shared and its speed varies by half within a day; the figures
 * of a run are read beside it (535 ms when it is quiet).
 */
export const fixedLoopMs = () =>
  Number(
    execFileSync(process.execPath, ['-e', 'let t=Date.now();let x=0;for(let i=0;i<3e8;i++)x+=i%7;console.log(Date.now()-t)'], {
      encoding: 'utf8',
    }).trim(),
  );

export async function runBenchmarks(options: { only?: string[] } = {}) {
  const env = {
    ...process.env,
    LAOWU_DATA_DIR: process.env.LAOWU_BENCH_DATA_DIR || path.resolve('var/bench'),
    LAOWU_PG_PORT: process.env.LAOWU_BENCH_PG_PORT || '54349',
  };
  const config = loadConfig(env);
  const log = (message: string) => console.error(`[bench] ${message}`);
  const database = await openDatabase(config, { log, database: 'laowu_bench' });
  const figures: (Figure & { benchmark: string })[] = [];
  const loopMs = { before: fixedLoopMs(), after: 0 };
  log(`machine: the fixed loop takes ${loopMs.before} ms (535 ms when the machine is quiet)`);
  try {
    if (!(await regionTreeLoaded(database.pool))) await loadRegions(database.pool);
    await ensureDemoAccounts(database.db, createAuditLog(config.secrets.auditKey));
    const adminUrl = urlFor(database.url, 'postgres');
    for (const benchmark of BENCHMARKS) {
      if (options.only && !options.only.includes(benchmark.name)) continue;
      log(`running ${benchmark.name}`);
      for (const figure of await benchmark.run({ config, adminUrl, databaseUrl: database.url, log }))
        figures.push({ benchmark: benchmark.name, ...figure });
    }
  } finally {
    await database.shutdown();
  }
  loopMs.after = fixedLoopMs();
  log(`machine: the fixed loop takes ${loopMs.after} ms after the run`);
  printTable(figures);
  console.log(
    `  · machine: the fixed loop (3·10⁸ additions, 535 ms when quiet) took ${loopMs.before} ms before the run, ${loopMs.after} ms after`,
  );
  mkdirSync(here, { recursive: true });
  // A partial run (BENCH_ONLY / --only) replaces its own benchmarks' figures and keeps the others.
  const file = path.join(here, 'results.json');
  let kept: (Figure & { benchmark: string; ranAt?: string; loopMs?: { before: number; after: number } })[] = [];
  if (options.only && existsSync(file)) {
    const previous = JSON.parse(readFileSync(file, 'utf8'));
    kept = (previous.figures ?? [])
      .filter((f: { benchmark: string }) => !options.only!.includes(f.benchmark))
      .map((f: Figure & { benchmark: string; ranAt?: string }) => ({ ranAt: f.ranAt ?? previous.ranAt, ...f }));
  }
  const ranAt = new Date().toISOString();
  const results = {
    ranAt,
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version, loopMs },
    figures: [...kept, ...figures.map((f) => ({ ranAt, loopMs, ...f }))],
  };
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwritten bench/results.json`);
  return figures;
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

function printTable(figures: Figure[]) {
  const rows = figures.map((f) => [
    f.figure,
    `${fmt(f.value)} ${f.unit}`,
    f.goal ? `${f.goal} ${f.met ? '✓' : '✗'}` : '',
    f.baseline ? `${fmt(f.baseline.value)} ${f.unit} (${f.baseline.label})` : '',
    f.ratio !== undefined ? `${fmt(f.ratio)}×` : '',
  ]);
  const header = ['figure', 'value', 'goal', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log('\n' + line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  for (const f of figures) if (f.notes) console.log(`  · ${f.figure}: ${f.notes}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runBenchmarks({ only: process.env.BENCH_ONLY?.split(',') }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

import { sql } from 'kysely';
import { connect } from '../server/src/db/database.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { Rng } from '../server/src/generate/random.ts';
import { workshopsStep } from '../server/src/generate/workshops.step.ts';
import { serviceRecordsStep } from '../server/src/generate/service-records.step.ts';
import { subsidiesStep } from '../server/src/generate/subsidies.step.ts';
import type { GeneratorStep } from '../server/src/generate/generator.ts';
import { createAuditLog } from '../server/src/platform/audit.ts';
import { subsidiesRepo as subsidies } from '../server/src/modules/subsidies/index.ts';
import { personTimes } from '../server/src/modules/service-records/index.ts';
import { percentile, urlFor, type Benchmark, type Figure } from './harness.ts';

/**
 * Issue 7, "Retention-subsidy eligibility for the province for a year: under 30 s; baseline in the
 * same run: a per-laborer loop of queries", on the province database. The figure is the platform's
 * one set-based query (spells at each employer of the province, the rule, the subsidies already
 * granted) returning the whole list; the baseline finds the candidate laborers, then for each one
 * queries their records, computes the spells in code and queries for an existing subsidy — timed
 * on an evenly spread sample and extrapolated — and must agree with the list for every sampled
 * laborer. When the database has cards but not this issue's generated services and subsidies, the
 * three generator steps run first and their times are reported.
 *
 * BENCH_SUBSIDIES_DB names the database (default laowu_bench_province, kept between runs; it is
 * never created or generated here); BENCH_SUBSIDIES_REGION (43) and BENCH_SUBSIDIES_YEAR (2025)
 * the region and year; BENCH_SUBSIDIES_SAMPLE the baseline's sample (2,000 laborers).
 */
const DATABASE = process.env.BENCH_SUBSIDIES_DB || 'laowu_bench_province';
const REGION = process.env.BENCH_SUBSIDIES_REGION || '43';
const YEAR = Number(process.env.BENCH_SUBSIDIES_YEAR || 2025);
const SAMPLE = Number(process.env.BENCH_SUBSIDIES_SAMPLE || 2000);

export const subsidiesBenchmark: Benchmark = {
  name: 'subsidies',
  async run({ config, adminUrl, log }) {
    const figures: Figure[] = [];
    const admin = connect(adminUrl, { max: 1 });
    const { rows: exists } = await sql`SELECT 1 FROM pg_database WHERE datname = ${DATABASE}`
      .execute(admin.db)
      .finally(() => admin.close());
    if (exists.length === 0) {
      log(`subsidies: no database ${DATABASE}; generate the province first (the brokers benchmark does)`);
      return figures;
    }
    const handle = connect(urlFor(adminUrl, DATABASE), { max: 4 });
    try {
      await migrate(handle.pool);
      const { rows: have } = await sql<{ laborers: string; subsidies: string }>`SELECT (SELECT count(*) FROM laborer) AS laborers,
        (SELECT count(*) FROM subsidy) AS subsidies`.execute(handle.db);
      const laborers = Number(have[0]!.laborers);
      if (laborers === 0) {
        log(`subsidies: ${DATABASE} has no laborer cards; generate the province first`);
        return figures;
      }
      const preset = laborers >= 1_000_000 ? 'province' : 'demo';
      if (Number(have[0]!.subsidies) === 0) {
        const audit = createAuditLog(config.secrets.auditKey);
        const times: string[] = [];
        let total = 0;
        for (const step of [workshopsStep, serviceRecordsStep, subsidiesStep] as GeneratorStep[]) {
          log(`subsidies: generator step ${step.name} (${preset})`);
          const t0 = performance.now();
          const summary = await step.run({
            preset,
            seed: 1,
            rng: new Rng(1).fork(step.name),
            db: handle.db,
            pool: handle.pool,
            config,
            audit,
            progress: () => {},
          });
          const s = (performance.now() - t0) / 1000;
          total += s;
          times.push(`${step.name} ${s.toFixed(1)} s: ${summary}`);
        }
        figures.push({
          figure: `generator steps workshops + service-records + subsidies (${preset}, ${laborers.toLocaleString('en')} laborers)`,
          value: total,
          unit: 's',
          goal: '< 15 s',
          met: total < 15,
          notes: times.join(' · '),
        });
      }
      await sql`ANALYZE employment; ANALYZE employer; ANALYZE subsidy; ANALYZE service_record`.execute(handle.db);

      log(`subsidies: eligibility for ${REGION}, ${YEAR} — the set-based query, 3 runs`);
      const ms: number[] = [];
      let list = await subsidies.retentionEligible(handle.db, { region: REGION, year: YEAR });
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        list = await subsidies.retentionEligible(handle.db, { region: REGION, year: YEAR });
        ms.push(performance.now() - t0);
      }
      const byLaborer = new Map(list.map((r) => [r.laborer_id, r]));

      log(`subsidies: the per-laborer loop on a sample of ${SAMPLE}`);
      const t0 = performance.now();
      const candidates = await subsidies.retentionCandidates(handle.db, REGION, YEAR);
      const candidatesMs = performance.now() - t0;
      const step = Math.max(1, Math.floor(candidates.length / SAMPLE));
      const sample = candidates.filter((_, i) => i % step === 0).slice(0, SAMPLE);
      let mismatches = 0;
      const t1 = performance.now();
      for (const id of sample) {
        const r = await subsidies.retentionForLaborer(handle.db, id, REGION, YEAR);
        const s = byLaborer.get(id);
        const same =
          r === null
            ? !s
            : !!s && s.employer_id === r.employerId && s.since === r.since && s.until === r.until && (s.existing_id ?? null) === r.existing;
        if (!same) mismatches++;
      }
      const loopMs = performance.now() - t1;
      const baselineMs = candidatesMs + (sample.length ? (loopMs / sample.length) * candidates.length : 0);
      const median = percentile(ms, 50);
      const fresh = list.filter((r) => r.existing_id === null).length;
      figures.push({
        figure: `retention-subsidy eligibility for ${REGION === '43' ? 'the province' : REGION}, year ${YEAR} (${candidates.length.toLocaleString('en')} laborers at its employers, ${list.length.toLocaleString('en')} eligible)`,
        value: median / 1000,
        unit: 's',
        goal: '< 30 s',
        met: median < 30_000 && mismatches === 0,
        baseline: {
          label: `a per-laborer loop of queries, ${sample.length.toLocaleString('en')} sampled and extrapolated`,
          value: baselineMs / 1000,
        },
        ratio: baselineMs / median,
        notes: `${mismatches === 0 ? 'the loop agrees with the list for every sampled laborer' : `${mismatches} SAMPLED LABORERS DIFFER`}; ${fresh.toLocaleString('en')} not yet subsidised (${(fresh * 1000).toLocaleString('en')} yuan to draft); loop ${(loopMs / Math.max(1, sample.length)).toFixed(2)} ms per laborer`,
      });
      log(`subsidies: eligibility ${median.toFixed(0)} ms; baseline ${baselineMs.toFixed(0)} ms (extrapolated); mismatches ${mismatches}`);

      // The shape the generator follows (the second article, 2017-01-01 … 2017-06-30), for the record.
      const [times, persons] = await Promise.all([
        personTimes(handle.db, REGION, '2017-01-01', '2017-06-30'),
        subsidies.personsByKind(handle.db, REGION, '2017-01-01', '2017-06-30'),
      ]);
      const last = figures[figures.length - 1]!;
      last.notes += `; 2017 H1 person-times ${Object.entries(times)
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ')}; persons subsidised ${Object.entries(persons)
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ')}`;
    } finally {
      await handle.close();
    }
    return figures;
  },
};

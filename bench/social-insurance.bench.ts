import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { sql } from 'kysely';
import { connect } from '../server/src/db/database.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { createEmploymentService, employmentFacts, openOn } from '../server/src/modules/employment/index.ts';
import { createLaborersService, idCheckChar, parseIdNumber } from '../server/src/modules/registry/index.ts';
import { createSocialInsuranceService } from '../server/src/modules/social-insurance/index.ts';
import { createAuditLog } from '../server/src/platform/audit.ts';
import { hmacSm3, sm4Decrypt } from '../server/src/platform/crypto.ts';
import { addDays, addMonths, chinaToday } from '../server/src/platform/time.ts';
import { ensureDatabase, urlFor, type Benchmark, type Figure, provinceAdmin } from './harness.ts';

/**
 * Issue 21 item 2 at province scale: a quarter's contribution file of BENCH_SI_ROWS lines
 * (default 1.5 million) compared against the generated province (laowu_bench_province, ~1.5 M
 * cards) as the province admin — the file streamed and parsed, every ID number keyed, the lines
 * loaded in batches, the outcomes written by one set-based statement, the confirmed jobs' evidence,
 * the counts and the audit row. Goal: < 60 s.
 *
 * The file: 90 % of its lines are people on the platform (ID numbers read back from the cards),
 * half of those with the employer of their job on record (confirmed), the rest with another unit;
 * 10 % are people on no card. It is written to a temporary file first (not timed).
 *
 * Baseline, in the same run: the straightforward per-person way — for each line, find the card by
 * the ID number's index, read the person's open job, write the outcome; then for each open job of
 * the province, ask whether a follow-up confirmed it — one query each, on a sample
 * (BENCH_SI_SAMPLE, default 2,000 of each), extrapolated to the file's lines and the province's
 * open jobs. The run's rows (outcomes, evidence, the comparison) are removed afterwards, so runs
 * do not pile up.
 */
const PROVINCE_DB = process.env.BENCH_SI_DB || 'laowu_bench_province';
const ROWS = Number(process.env.BENCH_SI_ROWS || 1_500_000);
const SAMPLE = Number(process.env.BENCH_SI_SAMPLE || 2000);
const READ_BATCH = 20_000;

/** A valid ID number of nobody on the platform (a birth year before any card's). */
const strangerId = (n: number) => {
  const body = `430522${1930 + (n % 20)}0101${String(n % 1000).padStart(3, '0')}`;
  return body + idCheckChar(body);
};

export const socialInsuranceBenchmark: Benchmark = {
  name: 'social-insurance',
  async run({ config, adminUrl, log }) {
    await ensureDatabase(adminUrl, PROVINCE_DB);
    const handle = connect(urlFor(adminUrl, PROVINCE_DB), { max: 4 });
    const audit = createAuditLog(config.secrets.auditKey);
    const figures: Figure[] = [];
    const dir = path.resolve(config.dataDir, 'bench-social-insurance');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'contributions.csv');
    let comparisonId: string | null = null;
    try {
      await migrate(handle.pool);
      const { rows: cardCount } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM laborer WHERE deleted_at IS NULL`.execute(
        handle.db,
      );
      const known = Math.min(Math.round(ROWS * 0.9), cardCount[0]!.n);
      if (known === 0) {
        log('social-insurance: the database has no cards; run the registry benchmark first');
        return figures;
      }
      const actor = await provinceAdmin(handle.db);

      // The file (not timed): cards read in batches by id, their ID numbers decrypted.
      log(`social-insurance: writing ${ROWS} lines (${known} of people on cards)`);
      const out = createWriteStream(file);
      const write = async (text: string) => {
        if (!out.write(text)) await once(out, 'drain');
      };
      await write('证件号码,姓名,单位名称,统一社会信用代码,参保地,缴费月数\n');
      const today = chinaToday();
      let written = 0;
      let after = 0;
      while (written < known) {
        const { rows } = await sql<{ id: number; id_cipher: string; unit: string | null; code: string | null }>`
          SELECT l.id::int AS id, l.id_cipher, coalesce(m.name, j.workplace_name) AS unit, coalesce(m.credit_code, j.workplace_credit_code) AS code
          FROM laborer l LEFT JOIN employment j ON j.laborer_id = l.id AND ${openOn('j', today)} LEFT JOIN employer m ON m.id = j.employer_id
          WHERE l.id > ${after} AND l.deleted_at IS NULL ORDER BY l.id LIMIT ${Math.min(READ_BATCH, known - written)}`.execute(handle.db);
        if (!rows.length) break;
        let chunk = '';
        for (const r of rows) {
          const id = sm4Decrypt(config.secrets.identifierKey, r.id_cipher);
          const same = written % 2 === 0 && r.unit;
          const unit = same ? r.unit!.replace(/[",\n]/g, ' ') : '长沙市某某劳务有限公司';
          chunk += `${id},某某,${unit},${same && r.code ? r.code : ''},${written % 3 === 0 ? '新邵县' : '430522'},3\n`;
          written++;
        }
        after = rows.at(-1)!.id;
        await write(chunk);
      }
      for (let n = 0; written < ROWS; n++, written++) await write(`${strangerId(n)},某某,长沙市某某劳务有限公司,,430100,3\n`);
      out.end();
      await once(out, 'finish');

      const laborers = createLaborersService({ config, audit, employment: employmentFacts });
      const employment = createEmploymentService({ audit, laborers });
      const service = createSocialInsuranceService({ db: handle.db, audit, laborers, employment });

      log('social-insurance: comparing');
      const t0 = performance.now();
      const run = await service.importFile(actor, { fileName: 'contributions.csv', period: '2026Q4', input: createReadStream(file) });
      const seconds = (performance.now() - t0) / 1000;
      comparisonId = run.id;

      // The per-person baseline on a sample.
      log('social-insurance: per-person baseline on a sample');
      const sampleIds: string[] = [];
      {
        const { rows } = await sql<{ id_cipher: string }>`SELECT id_cipher FROM laborer WHERE deleted_at IS NULL
          ORDER BY id LIMIT ${Math.min(SAMPLE, known)}`.execute(handle.db);
        for (const r of rows) sampleIds.push(sm4Decrypt(config.secrets.identifierKey, r.id_cipher));
      }
      const { rows: scratch } = await sql<{ id: string }>`INSERT INTO social_insurance_comparison (region_code, period, compared_on, due_on,
          file_name, created_by, status) VALUES ('43', '2026Q4', ${today}, ${today}, 'baseline', ${actor.id}, 'failed') RETURNING id::text`.execute(
        handle.db,
      );
      const baselineId = scratch[0]!.id;
      const t1 = performance.now();
      for (const idNumber of sampleIds) {
        const parsed = parseIdNumber(idNumber);
        if (!parsed.ok) continue;
        const index = hmacSm3(config.secrets.identifierIndexKey, 'id:', parsed.value.idNumber);
        const { rows: card } = await sql<{ id: string; home_village_code: string }>`SELECT id::text, home_village_code FROM laborer
          WHERE id_index = ${index} AND deleted_at IS NULL`.execute(handle.db);
        if (!card[0]) continue;
        const { rows: job } = await sql<{ id: string; unit: string | null }>`SELECT j.id::text, coalesce(m.name, j.workplace_name) AS unit
          FROM employment j LEFT JOIN employer m ON m.id = j.employer_id WHERE j.laborer_id = ${card[0].id} AND ${openOn('j', today)}`.execute(
          handle.db,
        );
        await sql`INSERT INTO social_insurance_outcome (comparison_id, laborer_id, home_village_code, outcome, employment_id, months, due_on, status)
          VALUES (${baselineId}, ${card[0].id}, ${card[0].home_village_code}, ${job[0] ? 'employer_differs' : 'suspected'}, ${job[0]?.id ?? null}, 3,
            ${today}, 'open')`.execute(handle.db);
      }
      const perLineMs = (performance.now() - t1) / Math.max(1, sampleIds.length);
      const quarterFrom = addDays(addMonths(today, -3), 1);
      const { rows: openJobs } = await sql<{ id: string }>`SELECT j.id::text FROM employment j WHERE ${openOn('j', today)} ORDER BY j.id
        LIMIT ${SAMPLE}`.execute(handle.db);
      const { rows: openCount } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM employment j WHERE ${openOn('j', today)}`.execute(
        handle.db,
      );
      const t2 = performance.now();
      for (const j of openJobs)
        await sql`SELECT 1 FROM employment_evidence WHERE employment_id = ${j.id} AND kind = 'follow_up'
          AND evidenced_on BETWEEN ${quarterFrom} AND ${today} LIMIT 1`.execute(handle.db);
      const perJobMs = (performance.now() - t2) / Math.max(1, openJobs.length);
      await sql`DELETE FROM social_insurance_outcome WHERE comparison_id = ${baselineId}`.execute(handle.db);
      await sql`DELETE FROM social_insurance_comparison WHERE id = ${baselineId}`.execute(handle.db);
      const baselineSeconds = (perLineMs * ROWS + perJobMs * openCount[0]!.n) / 1000;

      const o = run.outcomes;
      figures.push({
        figure: `social-insurance comparison: ${ROWS.toLocaleString('en')} contribution lines against the province`,
        value: Math.round(seconds * 100) / 100,
        unit: 's',
        goal: ROWS >= 1_500_000 ? '< 60 s' : undefined,
        met: ROWS >= 1_500_000 ? seconds < 60 : undefined,
        baseline: {
          label: `one query per person (${sampleIds.length} lines + ${openJobs.length} jobs, extrapolated)`,
          value: Math.round(baselineSeconds * 10) / 10,
        },
        ratio: Math.round((baselineSeconds / seconds) * 10) / 10,
        notes: `${Math.round(ROWS / seconds).toLocaleString('en')} lines/s; confirmed ${o.confirmed}, 疑似已就业 ${o.suspected}, 待核实 ${o.unverified}, employer differs ${o.employer_differs}; ${run.linesUnmatched} lines on no card`,
      });
    } finally {
      if (comparisonId) {
        // The run's traces, so that the next run starts from the same province.
        // A join the planner hashes (the IN form took minutes on a nested loop).
        await sql`DELETE FROM employment_evidence e USING social_insurance_outcome o
          WHERE o.comparison_id = ${comparisonId} AND e.source_id = o.id AND e.kind = 'social_insurance'`.execute(handle.db);
        await sql`DELETE FROM social_insurance_outcome WHERE comparison_id = ${comparisonId}`.execute(handle.db);
        await sql`DELETE FROM social_insurance_comparison WHERE id = ${comparisonId}`.execute(handle.db);
      }
      rmSync(dir, { recursive: true, force: true });
      await handle.close();
    }
    return figures;
  },
};

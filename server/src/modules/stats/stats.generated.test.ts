import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createGeneratedTestApp, type TestApp } from '../../../test/helpers.ts';
import { statsTargetsStep } from '../../generate/targets.step.ts';
import type { GeneratorContext } from '../../generate/generator.ts';
import { personTimes } from '../service-records/index.ts';
import { personsByKind } from '../subsidies/index.ts';
import * as repo from './stats.repo.ts';

/**
 * What keeps the derived tables honest: on a generated world (the demo's ~30,000 cards with their
 * ledger and employment histories since 2016, written with the statistics triggers on, so every
 * chunk goes through the incremental path), the fast figures equal the straightforward SQL over the
 * normalized tables for several regions and dates, and a rebuild from scratch changes nothing.
 */
let t: TestApp;
let province: string;
const REGIONS = ['43', '4305', '430522', '433124', '430522107', '433126107225'];
const DATES = ['2016-03-31', '2017-06-30', '2018-01-01', '2019-12-31', '2021-02-28', '2024-07-15', '2026-11-20'];

beforeAll(async () => {
  t = await createGeneratedTestApp();
  province = await t.login('hunan_admin');
}, 600_000);
afterAll(async () => t?.close());

const fast = async (region: string, asOf: string) => {
  const m = (await repo.asOfMeasures(t.ctx.db, region, asOf, region.length)).get(region) ?? repo.zeroMeasures();
  const { placed6: _p, retained6: _r, ...rest } = m;
  return rest;
};

describe('fast path = straightforward SQL on a generated world', () => {
  it('every as-of measure, several regions and dates (maintained incrementally while generating)', async () => {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(20_000);
    for (const region of REGIONS) {
      for (const asOf of DATES)
        expect(await fast(region, asOf), `${region} ${asOf}`).toEqual(await repo.straightMeasures(t.ctx.db, region, asOf));
    }
  });

  it("the 6-month retention rate equals the employment module's, services and subsidies their modules'", async () => {
    for (const region of ['430522', '433124']) {
      for (const asOf of ['2017-06-30', '2024-07-15']) {
        const rate = (
          await t.app.inject({ method: 'GET', url: `/api/v1/retention/rate?region=${region}&asOf=${asOf}`, headers: { cookie: province } })
        ).json();
        const summary = (
          await t.app.inject({ method: 'GET', url: `/api/v1/stats/summary?region=${region}&asOf=${asOf}`, headers: { cookie: province } })
        ).json();
        expect(summary.retentionRate6m, `${region} ${asOf}`).toBe(rate.rate);
        const from = `${asOf.slice(0, 4)}-01-01`;
        const services = await personTimes(t.ctx.db, region, from, asOf);
        // Every kind of service and every kind of laborer subsidy (docs/domain.md §6), as their own modules count them.
        expect(summary.services).toEqual({
          guidance: services.guidance,
          introduction: services.introduction,
          training: services.training,
          entrepreneurship: services.entrepreneurship,
          policySupport: services.policy_support,
        });
        const persons = await personsByKind(t.ctx.db, region, from, asOf);
        expect(summary.subsidies).toEqual({
          training: persons.training ?? 0,
          socialInsurance: persons.social_insurance ?? 0,
          job: persons.job ?? 0,
          policySupport: persons.policy_support ?? 0,
          transport: persons.transport ?? 0,
          oneTimeJob: persons.one_time_job ?? 0,
          publicWelfare: persons.public_welfare ?? 0,
        });
        expect(
          summary.services.policySupport + summary.subsidies.transport + summary.subsidies.oneTimeJob,
          `${region} ${asOf}`,
        ).toBeGreaterThan(0);
      }
    }
  });

  it("the generator's kept months of each employment (the retention curve's) equal the database's definition", async () => {
    const { rows } = await sql<{ n: string; wrong: string }>`SELECT count(*) AS n,
        count(*) FILTER (WHERE kept_months IS DISTINCT FROM employment_kept_mask(laborer_id, started_on)) AS wrong FROM employment`.execute(
      t.ctx.db,
    );
    expect(Number(rows[0]!.n)).toBeGreaterThan(10_000);
    expect(Number(rows[0]!.wrong)).toBe(0);
  });

  it('drill-down totals equal the figures', async () => {
    const summary = (
      await t.app.inject({ method: 'GET', url: '/api/v1/stats/summary?region=430522&asOf=2017-06-30', headers: { cookie: province } })
    ).json();
    for (const figure of [
      'registered',
      'employed',
      'inCounty',
      'outOfCountyInProvince',
      'outOfProvince',
      'selfEmployed',
      'throughAssistance',
      'newTransfersThisYear',
      'services.training',
      'subsidies.policySupport',
    ]) {
      const list = (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/stats/drill?region=430522&asOf=2017-06-30&figure=${figure}&pageSize=1`,
          headers: { cookie: province },
        })
      ).json();
      const [group, key] = figure.split('.') as [string, string | undefined];
      expect(list.total, figure).toBe(key ? summary[group][key] : summary[figure]);
    }
  });

  it("a rebuild from scratch (the generator's last step) changes nothing, and adds the targets", async () => {
    const snapshot = async () =>
      (
        await sql`SELECT len, code, month, registered, employed, in_county, in_province, self_found, assisted, wage_sum, wage_n, new_transfers, placed6, retained6
      FROM stats_rollup WHERE registered <> 0 OR employed <> 0 OR new_transfers <> 0 OR placed6 <> 0 OR wage_sum <> 0 OR in_county <> 0 OR in_province <> 0
        OR self_found <> 0 OR assisted <> 0 OR retained6 <> 0 OR wage_n <> 0 ORDER BY 1, 2, 3`.execute(t.ctx.db)
      ).rows;
    const before = await snapshot();
    await repo.rebuild(t.database.db);
    expect(await statsTargetsStep.run({ preset: 'demo', db: t.database.db } as GeneratorContext)).toMatch(/yearly targets added/);
    expect(await snapshot()).toEqual(before);
    // The generated plan: what the year achieved over the article's completion rate (90.33 %).
    const summary = (
      await t.app.inject({ method: 'GET', url: '/api/v1/stats/summary?region=430522&asOf=2017-12-31', headers: { cookie: province } })
    ).json();
    expect(summary.yearTarget).toBeGreaterThan(summary.newTransfersThisYear);
    expect(summary.targetCompletion).toBeGreaterThan(0.9);
    expect(summary.targetCompletion).toBeLessThan(0.91);
  });
});

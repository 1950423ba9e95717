import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { liaisonStep } from '../../generate/liaison.step.ts';
import type { GeneratorContext } from '../../generate/generator.ts';
import { Rng } from '../../generate/random.ts';
import { creditCodeCheckChar } from '../employers/index.ts';
import { idCheckChar } from '../registry/index.ts';

let t: TestApp;
const context = (): GeneratorContext => ({
  preset: 'demo',
  seed: 1,
  rng: new Rng(1).fork('liaison'),
  db: t.database.db,
  pool: undefined as never,
  config: t.config,
  audit: t.ctx.audit,
  progress: () => {},
});

beforeAll(async () => {
  t = await createTestApp();
  const cookie = await t.login('huayuan_admin');
  const { rows: villages } = await sql<{
    code: string;
  }>`SELECT code FROM region WHERE code LIKE '433124%' AND length(code) = 12 ORDER BY code LIMIT 1`.execute(t.ctx.db);
  for (let i = 0; i < 6; i++) {
    const body17 = `433124199001${10 + i}40${i}`;
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie },
      payload: {
        idNumber: body17 + idCheckChar(body17),
        name: `测试${'甲乙丙丁戊己'[i]}`,
        homeVillageCode: villages[0]!.code,
        povertyStatus: 'registered',
        education: '70',
        laborCapacity: 'full',
        health: 'healthy',
        willingness: 'out_of_province',
        caring: 'none',
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    // The generator's world: cards it wrote as 已就业 for the step to give their jobs (the API takes 已就业 only from a record).
    if (i < 5) await sql`UPDATE laborer SET employment_status = 'employed' WHERE id = ${response.json().id}`.execute(t.ctx.db);
  }
  const body = '91440300MA5F00025';
  const { rows } = await sql<{ id: string }>`INSERT INTO employer (credit_code, name, region_code, kind)
    VALUES (${body + creditCodeCheckChar(body)}, '深圳生成测试厂', '440307', 'designated') RETURNING id`.execute(t.ctx.db);
  for (let i = 0; i < 8; i++) {
    await sql`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max, valid_from, valid_to)
      VALUES (${rows[0]!.id}, ${'操作工' + i}, '6-05-01-03', '440307', 3, 4000, 5500, '2024-01-01', '2099-12-31')`.execute(t.ctx.db);
  }
});
afterAll(async () => t?.close());

describe('the liaison generator step', () => {
  it("opens employments in 深圳 for employed 花垣县 cards only, adds the office's cases, and adds nothing on a second run", async () => {
    const summary = await liaisonStep.run(context());
    expect(summary).toMatch(/^5 employments .*; [1-9]\d* liaison cases added$/);
    const { rows } = await sql<{ status: string; n: number }>`SELECT l.employment_status AS status, count(*)::int AS n FROM employment e
      JOIN laborer l ON l.id = e.laborer_id WHERE e.ended_on IS NULL AND e.channel = 'assisted' GROUP BY 1`.execute(t.ctx.db);
    expect(rows).toEqual([{ status: 'employed', n: 5 }]);
    const { rows: filled } = await sql<{ n: number }>`SELECT sum(filled)::int AS n FROM posting WHERE work_region_code = '440307'`.execute(
      t.ctx.db,
    );
    expect(filled[0]!.n).toBe(5);
    const office = await t.login('huayuan_shenzhen');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/liaison/workers', headers: { cookie: office } })).json().total).toBe(5);
    const cases = (await t.app.inject({ method: 'GET', url: '/api/v1/liaison/cases', headers: { cookie: office } })).json();
    expect(cases.total).toBeGreaterThanOrEqual(3);
    for (const c of cases.items) if (c.status === 'closed') expect(c.helpGiven).toBeTruthy();

    expect(await liaisonStep.run(context())).toMatch(/^0 employments .*; 0 liaison cases added$/);
  });
});

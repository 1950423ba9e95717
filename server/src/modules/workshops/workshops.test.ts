import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode, DAZHU, insertEmployer, seekerCard } from '../../../test/fixtures.ts';

let t: TestApp;
let officer: string;
let county: string;
let city: string;
let guzhang: string;
let workshop: string;
let base: string;
let relocated: string;
const laborers: string[] = [];

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

beforeAll(async () => {
  t = await createTestApp();
  [officer, county, city, guzhang] = await Promise.all(
    ['dazhu_officer', 'xinshao_admin', 'shaoyang_admin', 'guzhang_admin'].map((u) => t.login(u)),
  );
  workshop = String(
    (await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db)).rows[0]!
      .employer_id,
  );
  base = await insertEmployer(t.ctx.db, creditCode('91430522MA4PTW001'), '新邵就业扶贫基地测试公司', '430522200', 'base');
  relocated = await insertEmployer(t.ctx.db, creditCode('91433126MA4PTW002'), '古丈安置点扶贫车间', '433126107225', 'workshop');
  await sql`UPDATE employer SET relocation_site = '淘金村易地扶贫搬迁安置点' WHERE id = ${relocated}`.execute(t.ctx.db);
  for (let i = 0; i < 4; i++) {
    const r = await call(
      'POST',
      '/api/v1/laborers',
      officer,
      seekerCard(`43052219920101${String(i + 1).padStart(3, '0')}`, { name: `车间工${i + 1}` }),
    );
    expect(r.statusCode, r.body).toBe(201);
    laborers.push(r.json().id);
  }
  // Three at the workshop now (one left), one at the base.
  const hire = (l: string, e: string, from: string, to: string | null = null) =>
    sql`INSERT INTO employment (laborer_id, employer_id, work_region_code, started_on, ended_on, end_reason, monthly_wage, channel)
    VALUES (${l}, ${e}, ${DAZHU}, ${from}::date, ${to}::date, ${to ? 'resigned' : null}, 2400, 'assisted')`.execute(t.ctx.db);
  await hire(laborers[0]!, workshop, '2018-01-01');
  await hire(laborers[1]!, workshop, '2018-02-01');
  await hire(laborers[2]!, workshop, '2018-03-01', '2018-09-30');
  await hire(laborers[2]!, base, '2018-10-08');
  await hire(laborers[3]!, workshop, '2019-05-01');
  await sql`INSERT INTO subsidy (recipient, kind, employer_id, region_code, amount, period_from, period_to, status, approved_at, paid_at, paid_on)
    VALUES ('employer', 'site', ${workshop}, ${DAZHU}, 6000, '2018-01-01', '2018-12-31', 'paid', now(), now(), '2019-01-15'),
           ('employer', 'logistics', ${workshop}, ${DAZHU}, 1500.5, '2018-01-01', '2018-12-31', 'paid', now(), now(), '2019-01-15'),
           ('employer', 'employment', ${workshop}, ${DAZHU}, 999, '2019-01-01', '2019-12-31', 'applied', NULL, NULL, NULL)`.execute(
    t.ctx.db,
  );
});
afterAll(async () => t?.close());

describe('the workshop and base registry (扶贫车间, 就业扶贫基地)', () => {
  it('lists workshops and bases with posts, poor laborers employed (computed) and subsidies received (paid ones)', async () => {
    const list = (await call('GET', '/api/v1/workshops', county)).json();
    expect(list.total).toBe(2);
    const w = list.items.find((x: { id: string }) => x.id === workshop);
    expect(w).toMatchObject({
      name: '邵阳国辉箱包扶贫车间',
      kind: 'workshop',
      employed: 3,
      subsidies: 7500.5,
      postsPlanned: null,
      region: { code: DAZHU },
    });
    expect(list.items.find((x: { id: string }) => x.id === base)).toMatchObject({ kind: 'base', employed: 1, subsidies: 0 });
    expect((await call('GET', '/api/v1/workshops?kind=base', county)).json().total).toBe(1);
    expect((await call('GET', '/api/v1/workshops?q=国辉', officer)).json().total).toBe(1);
    expect((await call('GET', '/api/v1/workshops?relocation=true', guzhang)).json().items).toEqual([
      expect.objectContaining({ relocationSite: '淘金村易地扶贫搬迁安置点' }),
    ]);
  });

  it('sets the posts a workshop develops (managers of its region), refuses others; the detail lists its workers masked, audited', async () => {
    const patched = await call('PATCH', `/api/v1/workshops/${workshop}`, county, { postsPlanned: 30 });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().postsPlanned).toBe(30);
    expect((await call('PATCH', `/api/v1/workshops/${workshop}`, county, { postsPlanned: -1 })).statusCode).toBe(400);
    expect((await call('PATCH', `/api/v1/workshops/${workshop}`, guzhang, { postsPlanned: 5 })).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/workshops/${workshop}`, officer, { postsPlanned: 5 })).statusCode).toBe(403);
    const detail = (await call('GET', `/api/v1/workshops/${workshop}`, officer)).json();
    expect(detail.employees.map((e: { name: string }) => e.name)).toEqual(['车间工1', '车间工2', '车间工4']);
    expect(detail.employees[0].idNumberMasked).toMatch(/\*{8}/);
    expect(detail.subsidies).toHaveLength(3);
    expect((await call('GET', `/api/v1/workshops/${workshop}`, guzhang)).statusCode).toBe(404);
    const { rows } = await sql<{
      action: string;
    }>`SELECT action FROM audit_log WHERE entity = 'employer' AND entity_id = ${workshop} AND result = 'success' AND action LIKE 'workshop.%' ORDER BY id`.execute(
      t.ctx.db,
    );
    expect(rows.map((r) => r.action)).toEqual(['workshop.update', 'workshop.view']);
  });

  it('totals per child region: workshops, bases, posts, employed, subsidies', async () => {
    const summary = (await call('GET', '/api/v1/workshops/summary?region=4305', city)).json();
    expect(summary.rows).toEqual([
      { code: '430522', name: '新邵县', totals: { workshops: 1, bases: 1, relocation: 0, posts: 30, employed: 4, subsidies: 7500.5 } },
    ]);
    expect(summary.totals).toEqual({ workshops: 1, bases: 1, relocation: 0, posts: 30, employed: 4, subsidies: 7500.5 });
    const county430522 = (await call('GET', '/api/v1/workshops/summary', county)).json();
    expect(county430522.rows.map((r: { code: string }) => r.code)).toEqual(['430522107', '430522200']);
    expect((await call('GET', '/api/v1/workshops/summary?region=43', county)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/workshops/summary', guzhang)).json().totals).toMatchObject({
      workshops: 1,
      relocation: 1,
      employed: 0,
    });
  });
});

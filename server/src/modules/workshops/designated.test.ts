import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode, insertEmployer, insertPosting, seekerCard } from '../../../test/fixtures.ts';

/**
 * 定点接收单位 (issue 20 item 3): the second article's table — enterprises, laborers received,
 * reserved posts planned and filled — for a region's laborers as of a day, against a world whose
 * figures are worked out by hand below.
 */
let t: TestApp;
let province: string;
let city: string;
let county: string;
let guzhang: string;
const GUZHANG_VILLAGE = '433126107225';

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const summary = async (cookie: string, query: string) => {
  const r = await call('GET', `/api/v1/designated-enterprises/summary?${query}`, cookie);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

beforeAll(async () => {
  t = await createTestApp();
  let officer: string;
  [province, city, county, guzhang, officer] = await Promise.all(
    ['hunan_admin', 'shaoyang_admin', 'xinshao_admin', 'guzhang_admin', 'dazhu_officer'].map((u) => t.login(u)),
  );
  const card = async (cookie: string, body17: string, extra: Record<string, unknown> = {}) => {
    const r = await call('POST', '/api/v1/laborers', cookie, seekerCard(body17, extra));
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  // Four laborers of 新邵县 (大竹村, 邵阳市) and one of 古丈县 (湘西州).
  const xinshao: string[] = [];
  for (let i = 1; i <= 4; i++) xinshao.push(await card(officer, `43052219900101${String(i).padStart(3, '0')}`, { name: `定点工${i}` }));
  const [L1, L2, L3, L4] = xinshao as [string, string, string, string];
  const G1 = await card(guzhang, '43312619900101001', { name: '古丈工', homeVillageCode: GUZHANG_VILLAGE });

  // A: 定点接收单位 in 深圳 since 2020-03-01; B: a 就业扶贫基地 designated on 2020-06-01; C: designated only
  // after the day asked (2021-09-01); O: an ordinary employer.
  const a = await insertEmployer(t.ctx.db, creditCode('91440300MA5FDX001'), '深圳定点电子厂', '440307', 'designated');
  const b = await insertEmployer(t.ctx.db, creditCode('91440300MA5FDX002'), '深圳就业扶贫基地', '440306', 'base');
  const c = await insertEmployer(t.ctx.db, creditCode('91440300MA5FDX003'), '深圳后认定电子厂', '440307', 'designated');
  const o = await insertEmployer(t.ctx.db, creditCode('91440300MA5FDX004'), '深圳普通电子厂', '440307');
  for (const [id, day] of [
    [a, '2020-03-01'],
    [b, '2020-06-01'],
    [c, '2021-09-01'],
  ] as const)
    await sql`UPDATE employer SET designated_on = ${day}::date WHERE id = ${id}`.execute(t.ctx.db);

  // Reserved posts: A 2 (PA1) and 10 not reserved (PA2); B 5 (PB1) and 4 published after the day (PB2); C 7.
  const pa1 = await insertPosting(t.ctx.db, a, { title: '专岗装配工', work_region_code: '440307', headcount: 2, reserved_for_poor: true });
  await insertPosting(t.ctx.db, a, { title: '普通装配工', work_region_code: '440307', headcount: 10 });
  const pb1 = await insertPosting(t.ctx.db, b, { title: '基地专岗', work_region_code: '440306', headcount: 5, reserved_for_poor: true });
  const pb2 = await insertPosting(t.ctx.db, b, { title: '基地新专岗', work_region_code: '440306', headcount: 4, reserved_for_poor: true });
  await sql`UPDATE posting SET valid_from = '2021-07-01' WHERE id = ${pb2}`.execute(t.ctx.db);
  await insertPosting(t.ctx.db, c, { title: '后认定专岗', work_region_code: '440307', headcount: 7, reserved_for_poor: true });

  const job = (l: string, e: string, posting: string | null, from: string, to: string | null = null) =>
    sql`INSERT INTO employment (laborer_id, employer_id, posting_id, work_region_code, started_on, ended_on, end_reason, monthly_wage, channel)
      VALUES (${l}, ${e}, ${posting}, '440307', ${from}::date, ${to}::date, ${to ? 'resigned' : null}, 4000, 'assisted')`.execute(t.ctx.db);
  await job(L1, a, pa1, '2020-04-01', '2021-01-31'); // received by A; takes PA1
  await job(L1, b, pb1, '2021-02-01'); // received by B too: one person all the same; takes PB1
  await job(L2, a, pa1, '2020-05-01', '2020-12-31'); // received (a job that ended still counts); takes PA1
  await job(L2, c, null, '2021-03-01'); // C is not designated on 2021-06-30
  await job(L3, a, pa1, '2021-01-10'); // received; a third taker of PA1's 2 posts
  await job(L4, a, null, '2020-02-01', '2020-05-31'); // before A's designation: not received
  await job(L4, o, null, '2020-06-01', '2021-07-01'); // an ordinary employer
  await job(L4, a, null, '2021-07-15'); // after the day asked
  await job(G1, b, pb1, '2020-07-01'); // 古丈's laborer at B; takes PB1
});
afterAll(async () => t?.close());

describe('定点接收单位 table', () => {
  it('counts enterprises, laborers received and reserved posts planned and filled for the province, per city', async () => {
    const s = await summary(province, 'region=43&asOf=2021-06-30');
    // A and B are designated by 2021-06-30 (B a base); C only later. Planned: PA1 2 + PB1 5 (PB2 came later, C is not counted).
    expect(s).toMatchObject({ region: { code: '43', name: '湖南省' }, asOf: '2021-06-30', enterprises: 2, bases: 1, reservedPlanned: 7 });
    // Received: L1, L2, L3 (by A) and G1 (by B), L1 once though B took him too. Filled: PA1 min(3, 2) + PB1 {L1, G1} = 4.
    expect(s.totals).toEqual({ receiving: 2, received: 4, reservedFilled: 4 });
    expect(s.rows).toEqual([
      // 邵阳: L1, L2, L3 by A and B; PA1 min(3, 2) + PB1 {L1}.
      { code: '4305', name: '邵阳市', totals: { receiving: 2, received: 3, reservedFilled: 3 } },
      // 湘西: G1 by B.
      { code: '4331', name: '湘西土家族苗族自治州', totals: { receiving: 1, received: 1, reservedFilled: 1 } },
    ]);
  });

  it('reads any past day as it was', async () => {
    // 2020-12-31: L1, L2 by A, G1 by B; PA1 {L1, L2} + PB1 {G1}.
    const end2020 = await summary(province, 'region=43&asOf=2020-12-31');
    expect(end2020).toMatchObject({
      enterprises: 2,
      bases: 1,
      reservedPlanned: 7,
      totals: { receiving: 2, received: 3, reservedFilled: 3 },
    });
    // 2020-04-30: only A is designated; L1 is its one laborer so far (L4 started before the designation).
    const april = await summary(province, 'region=43&asOf=2020-04-30');
    expect(april).toMatchObject({ enterprises: 1, bases: 0, reservedPlanned: 2, totals: { receiving: 1, received: 1, reservedFilled: 1 } });
    // Before any designation.
    expect(await summary(province, 'region=43&asOf=2020-01-01')).toMatchObject({
      enterprises: 0,
      reservedPlanned: 0,
      totals: { receiving: 0, received: 0, reservedFilled: 0 },
      rows: [],
    });
  });

  it('keeps to the caller’s region: a county sees its townships, a city its own, nobody a sibling', async () => {
    const xinshao = await summary(county, 'asOf=2021-06-30');
    expect(xinshao.region.code).toBe('430522');
    expect(xinshao.totals).toEqual({ receiving: 2, received: 3, reservedFilled: 3 });
    expect(xinshao.rows).toEqual([{ code: '430522107', name: '龙溪铺镇', totals: { receiving: 2, received: 3, reservedFilled: 3 } }]);
    expect((await summary(city, 'region=4305&asOf=2021-06-30')).totals.received).toBe(3);
    expect((await summary(guzhang, 'asOf=2021-06-30')).totals).toEqual({ receiving: 1, received: 1, reservedFilled: 1 });
    expect((await call('GET', '/api/v1/designated-enterprises/summary?region=43', guzhang)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/designated-enterprises/summary?region=4305', guzhang)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/designated-enterprises/summary?asOf=2021-02-30', county)).statusCode).toBe(400);
    // Every answered view is in the audit log (the refused ones roll back with their request): 1 + 3 + 3 so far.
    const { rows } = await sql<{
      entity_id: string;
    }>`SELECT entity_id FROM audit_log WHERE action = 'designated.summary' ORDER BY id`.execute(t.ctx.db);
    expect(rows.map((r) => r.entity_id)).toEqual(['43', '43', '43', '43', '430522', '4305', '433126']);
  });
});

describe('the designation on the employer', () => {
  it('is a date any kind may hold; a 定点接收单位 always has one, never in the future', async () => {
    const created = await call('POST', '/api/v1/employers', county, {
      creditCode: creditCode('91430522MA4PDX005'),
      name: '新邵定点接收基地',
      regionCode: '430522107',
      kind: 'base',
      designatedOn: '2019-05-01',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ kind: 'base', designatedOn: '2019-05-01' });
    const id = created.json().id;
    // Kind 'designated' with no day given takes the day of the write.
    const plain = await call('POST', '/api/v1/employers', county, {
      creditCode: creditCode('91430522MA4PDX006'),
      name: '新邵定点接收单位',
      regionCode: '430522107',
      kind: 'designated',
    });
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json().designatedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const refuse = async (body: object) => {
      const r = await call('PATCH', `/api/v1/employers/${plain.json().id}`, county, body);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().details[0].field).toBe('body.designatedOn');
    };
    await refuse({ designatedOn: null });
    await refuse({ designatedOn: '2999-01-01' });
    const ended = await call('PATCH', `/api/v1/employers/${id}`, county, { designatedOn: null });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().designatedOn).toBeNull();
  });
});

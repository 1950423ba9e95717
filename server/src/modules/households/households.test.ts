import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday, addDays } from '../../platform/time.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { buildHouseholdWorld, DAZHU, HH, TUANJIE } from './households.fixture.ts';

/**
 * Households (issue 20 item 1; docs/domain.md §9) against the hand-built world of
 * households.fixture.ts. Every figure below is worked out by hand:
 *
 * As of 2017-06-30 — income window 2016-07-01 … 2017-06-30 (365 days; a day = 12/365 month),
 * the 2017 line 3,335 yuan a person:
 *   H1  A1 36,000 (12 × 3,000) + A2 2,000 × 181 days × 12/365 = 11,901.37 → 47,901; 家庭人口 4
 *       (A3 is a member whose card is in 团结村, size stays the stated 4) → 11,975 a head ≥ 3,335;
 *       two employed, two able (A3 丧失劳动能力)
 *   H2  B1, B2 able, nobody employed → 零就业家庭; income 0
 *   H3  C1 alone, 丧失劳动能力 → neither employed nor 零就业 (no able member); 团结村
 *   H4  D1 alone since D2 left on 2017-05-10: 12 × 2,400 = 28,800; size 1 → reaches
 *   H5  E1 2,500 × 181 × 12/365 = 14,876.71 → 14,877; size 3 → 4,959 a head ≥ 3,335 → reaches
 *   H6  D2 (户主 since 2017-05-10) 12 × 3,000 = 36,000; size 1 → reaches
 *   新邵县: 6 households, 4 with someone employed (H1 H4 H5 H6), 1 零就业 (H2), 4 reaching the line
 *   大竹村: the same without H3 — 5, 4, 1, 4; 团结村: H3 only (H1 is placed by its head A1) — 1, 0, 0, 0
 *
 * As of 2017-05-01 — window 2016-05-02 … 2017-05-01 (365 days):
 *   H1  36,000 + 2,000 × 121 × 12/365 = 7,956.16 → 43,956 → reaches
 *   H4  D1 and D2 (before the move): 28,800 + 36,000 = 64,800, size max(1 stated, 2 members) = 2 → reaches
 *   H5  2,500 × 121 × 12/365 = 9,945.21 → 9,945 < 3 × 3,335 = 10,005 → below (it crosses by 06-30)
 *   H6  does not exist yet
 *   新邵县: 5 households, 3 with someone employed (H1 H4 H5), 1 零就业 (H2), 2 reaching (H1 H4)
 */
let t: TestApp;
let county: string;
let province: string;
let officer: string;
let operator: string;
let ids: Record<string, string>;

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const ok = async (url: string, cookie = county) => {
  const r = await get(url, cookie);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};
const figures = (region: string, asOf: string, cookie = county) => ok(`/api/v1/households/figures?region=${region}&asOf=${asOf}`, cookie);
const page = (code: string, asOf: string, cookie = county) => ok(`/api/v1/households/${code}?asOf=${asOf}`, cookie);

beforeAll(async () => {
  t = await createTestApp();
  ids = await buildHouseholdWorld(t.ctx.db);
  [county, province, officer, operator] = await Promise.all(
    ['xinshao_admin', 'hunan_admin', 'dazhu_officer', 'longxipu_operator'].map((u) => t.login(u)),
  );
});
afterAll(async () => t?.close());

describe('household figures', () => {
  it('as of 2017-06-30, for the county and for each village', async () => {
    const f = await figures('430522', '2017-06-30');
    expect(f).toMatchObject({
      asOf: '2017-06-30',
      window: { from: '2016-07-01', to: '2017-06-30' },
      povertyLine: { year: 2017, yuan: 3335 },
      households: 6,
      withEmployed: 4,
      zeroEmployment: 1,
      reachingLine: 4,
    });
    expect(await figures(DAZHU, '2017-06-30')).toMatchObject({ households: 5, withEmployed: 4, zeroEmployment: 1, reachingLine: 4 });
    expect(await figures(TUANJIE, '2017-06-30')).toMatchObject({ households: 1, withEmployed: 0, zeroEmployment: 0, reachingLine: 0 });
  });

  it('as of 2017-05-01: before the member moved, and before H5 crossed the line', async () => {
    expect(await figures('430522', '2017-05-01')).toMatchObject({
      window: { from: '2016-05-02', to: '2017-05-01' },
      households: 5,
      withEmployed: 3,
      zeroEmployment: 1,
      reachingLine: 2,
    });
  });

  it('has no line for a year the province has not set, until a province admin sets it', async () => {
    const asOf = addDays(chinaToday(), -1);
    const year = Number(asOf.slice(0, 4));
    await sql`DELETE FROM poverty_line WHERE year = ${year}`.execute(t.database.db);
    const before = await figures('430522', asOf);
    expect(before.povertyLine).toBeNull();
    expect(before.reachingLine).toBeNull();
    // A county admin may not set it (the line is the province's).
    const refused = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/households/poverty-lines/${year}`,
      headers: { cookie: county },
      payload: { yuan: 5000 },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('POVERTY_LINE_PROVINCE_ONLY');
    const set = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/households/poverty-lines/${year}`,
      headers: { cookie: province },
      payload: { yuan: 5000 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect((await figures('430522', asOf)).povertyLine).toMatchObject({ year, yuan: 5000 });
    const lines = await ok('/api/v1/households/poverty-lines');
    expect(lines.items.filter((l: { year: number }) => l.year >= 2016 && l.year <= 2020).map((l: { yuan: number }) => l.yuan)).toEqual([
      4000, 3747, 3535, 3335, 3146,
    ]);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'household.poverty_line.set'`.execute(
      t.database.db,
    );
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('refuses a region outside the caller, a future date and a date before the records', async () => {
    const outside = await get(`/api/v1/households/figures?region=430522&asOf=2017-06-30`, officer);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('REGION_OUT_OF_SCOPE');
    const future = await get(`/api/v1/households/figures?region=430522&asOf=${addDays(chinaToday(), 1)}`, county);
    expect(future.json().code).toBe('HOUSEHOLD_DATE_IN_FUTURE');
    expect((await get(`/api/v1/households/figures?region=430522&asOf=2015-12-31`, county)).json().code).toBe('HOUSEHOLD_DATE_BEFORE_DATA');
  });
});

describe('household list', () => {
  it('lists the 零就业家庭 with masked identifiers', async () => {
    const list = await ok(`/api/v1/households?region=430522&asOf=2017-06-30&filter=zero_employment`);
    expect(list.total).toBe(1);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      code: HH(2),
      head: { laborerId: ids.B1, name: '户测B1', relationToHead: '户主' },
      size: 3,
      members: 2,
      able: 2,
      employed: 0,
      income: 0,
      reachesLine: false,
    });
    expect(list.items[0].head.idNumberMasked).toMatch(/^430522\*{8}\d{4}$/);
  });

  it('pages every household by 户编号 with its income and head', async () => {
    const all = await ok(`/api/v1/households?region=430522&asOf=2017-06-30&pageSize=4`);
    expect(all.total).toBe(6);
    expect(all.items.map((h: { code: string }) => h.code)).toEqual([HH(1), HH(2), HH(4), HH(5)]);
    expect(all.items[0]).toMatchObject({
      size: 4,
      members: 3,
      able: 2,
      employed: 2,
      income: 47_901,
      perCapitaIncome: 11_975,
      reachesLine: true,
    });
    expect(all.items[3]).toMatchObject({ size: 3, income: 14_877, perCapitaIncome: 4_959, reachesLine: true });
    const next = await ok(`/api/v1/households?region=430522&asOf=2017-06-30&pageSize=4&page=2`);
    expect(next.items.map((h: { code: string }) => h.code)).toEqual([HH(6), `${TUANJIE}0003`]);
    const below = await ok(`/api/v1/households?region=430522&asOf=2017-05-01&filter=below_line`);
    expect(below.items.map((h: { code: string }) => h.code)).toEqual([HH(2), HH(5), `${TUANJIE}0003`]);
    expect(below.items[1]).toMatchObject({ income: 9_945, reachesLine: false });
  });

  it('gives a village officer only the households of their village', async () => {
    const list = await ok(`/api/v1/households?region=${DAZHU}&asOf=2017-06-30`, officer);
    expect(list.total).toBe(5);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'household.list'`.execute(t.database.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });
});

describe('household page', () => {
  it('shows members, who works where and income on record', async () => {
    const h = await page(HH(1), '2017-06-30');
    expect(h).toMatchObject({
      code: HH(1),
      size: 4,
      income: 47_901,
      perCapitaIncome: 11_975,
      reachesLine: true,
      povertyStatus: 'registered',
    });
    expect(h.village.code).toBe(DAZHU);
    expect(h.members.map((m: { name: string }) => m.name)).toEqual(['户测A1', '户测A2', '户测A3']);
    const [a1, a2, a3] = h.members;
    expect(a1).toMatchObject({ relationToHead: '户主', employed: true, able: true, income: 36_000, phoneMasked: '138****7000' });
    expect(a1.jobs).toEqual([
      expect.objectContaining({ employer: '深圳电子厂', monthlyWage: 3000, months: 12, income: 36_000, openOnAsOf: true }),
    ]);
    expect(a2).toMatchObject({ employed: true, income: 11_901 });
    expect(a2.jobs[0]).toMatchObject({ startedOn: '2017-01-01', months: 5.95 });
    expect(a3).toMatchObject({ able: false, employed: false, income: 0 });
    expect(a1.idNumberMasked).toMatch(/^430522\*{8}\d{4}$/);
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'household.view' AND entity_id = ${HH(1)}`.execute(t.database.db);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('keeps both households right before and after a member moved', async () => {
    const before = await page(HH(4), '2017-05-01');
    expect(before.members.map((m: { laborerId: string }) => m.laborerId)).toEqual([ids.D1, ids.D2]);
    expect(before).toMatchObject({ size: 2, income: 64_800 });
    const after = await page(HH(4), '2017-06-30');
    expect(after.members.map((m: { laborerId: string }) => m.laborerId)).toEqual([ids.D1]);
    expect(after).toMatchObject({ size: 1, income: 28_800 });
    // The day of the move counts as of its end: D2 is in H6 on 2017-05-10, in H4 on 2017-05-09.
    expect((await page(HH(4), '2017-05-09')).members).toHaveLength(2);
    expect((await page(HH(6), '2017-05-10')).members.map((m: { laborerId: string }) => m.laborerId)).toEqual([ids.D2]);
    expect((await get(`/api/v1/households/${HH(6)}?asOf=2017-05-09`, county)).statusCode).toBe(404);
    // Both households' ledgers name the stretch.
    expect(after.history).toEqual([
      expect.objectContaining({ laborerId: ids.D1, relationToHead: '户主', since: '2016-03-01', until: null }),
      expect.objectContaining({ laborerId: ids.D2, relationToHead: '子女', since: '2016-03-01', until: '2017-05-10' }),
    ]);
    expect((await page(HH(6), '2017-06-30')).history).toEqual([
      expect.objectContaining({ laborerId: ids.D2, relationToHead: '户主', since: '2017-05-10', until: null }),
    ]);
  });

  it('follows a household change made on the card today, leaving yesterday as it was', async () => {
    const yesterday = addDays(chinaToday(), -1);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/laborers/${ids.B2}`,
      headers: { cookie: officer },
      payload: { householdCode: HH(7), relationToHead: '户主', householdSize: 1, reason: '分户' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect((await page(HH(2), yesterday)).members).toHaveLength(2);
    expect((await page(HH(2), chinaToday())).members).toHaveLength(1);
    expect((await page(HH(7), chinaToday())).members.map((m: { laborerId: string }) => m.laborerId)).toEqual([ids.B2]);
    expect((await get(`/api/v1/households/${HH(7)}?asOf=${yesterday}`, county)).statusCode).toBe(404);
  });

  it('is scoped: a household outside the caller is not found; a member outside is shown masked', async () => {
    const outside = await get(`/api/v1/households/${TUANJIE}0003?asOf=2017-06-30`, operator);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe('NOT_FOUND');
    const h = await page(HH(1), '2017-06-30', officer);
    const a3 = h.members[2];
    expect(a3).toMatchObject({ laborerId: '', idNumberMasked: '', phoneMasked: null, jobs: [] });
    expect(a3.name).not.toBe('户测A3');
    // The county sees A3 in full.
    expect((await page(HH(1), '2017-06-30')).members[2]).toMatchObject({ name: '户测A3', laborerId: ids.A3 });
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'household.view' AND result = 'denied'`.execute(t.database.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });
});

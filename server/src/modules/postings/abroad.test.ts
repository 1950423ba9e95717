import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode, DAZHU, seekerCard } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';
import { ensureAbroadRegions } from '../regions/index.ts';

/**
 * Work abroad (issue 20 item 10, docs/domain.md §12): places abroad in the region tree, only a
 * licensed agency posts there, only a healthy laborer of 18–40 who chose 出国务工 is put forward,
 * and the statistics count the job abroad within 省外 and on its own.
 */
let t: TestApp;
let county: string;
let officer: string;
let agency: string;
let unlicensed: string;
const people: Record<string, string> = {};
const today = chinaToday();
const JAPAN = '990392';

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

const employer = (body17: string, name: string, extra: object = {}) => ({
  creditCode: creditCode(body17),
  name,
  regionCode: '430522',
  kind: 'ordinary',
  ...extra,
});

const posting = (employerId: string, extra: object = {}) => ({
  employerId,
  title: '日本钢筋工',
  occupationCode: '6-29-01-04',
  workRegionCode: JAPAN,
  headcount: 10,
  wageMin: 7000,
  wageMax: 9000,
  ageMin: 18,
  ageMax: 40,
  validTo: addDays(today, 90),
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  county = await t.login('xinshao_admin');
  officer = await t.login('dazhu_officer');
  const licensed = await call(
    'POST',
    '/api/v1/employers',
    county,
    employer('91430522MA4LAB001', '新邵国际经济技术合作有限公司', {
      overseasLicenseNo: 'MOFCOM-43-2019-101',
      overseasLicenseValidUntil: addDays(today, 400),
    }),
  );
  expect(licensed.statusCode, licensed.body).toBe(201);
  agency = licensed.json().id;
  const plain = await call('POST', '/api/v1/employers', county, employer('91430522MA4LAB002', '新邵普通劳务有限公司'));
  expect(plain.statusCode, plain.body).toBe(201);
  unlicensed = plain.json().id;
  for (const [key, body17, extra] of [
    ['eligible', '43052219950101301', { name: '出国甲', willingness: 'abroad' }],
    ['unwilling', '43052219950101302', { name: '出国乙', willingness: 'out_of_province' }],
    ['unwell', '43052219950101303', { name: '出国丙', willingness: 'abroad', health: 'chronic' }],
    // Born 1970: past 40.
    ['older', '43052219700101304', { name: '出国丁', willingness: 'abroad' }],
  ] as const) {
    const r = await call('POST', '/api/v1/laborers', officer, seekerCard(body17, extra));
    expect(r.statusCode, r.body).toBe(201);
    people[key] = r.json().id;
  }
}, 120_000);
afterAll(async () => t?.close());

describe('places abroad', () => {
  it('are regions under 境外, found by their Chinese name', async () => {
    const children = await call('GET', '/api/v1/regions/99/children', county);
    expect(children.statusCode, children.body).toBe(200);
    const names = (children.json().items as { code: string; name: string }[]).map((r) => `${r.code} ${r.name}`);
    expect(names).toContain('990392 日本');
    expect(names).toContain('990702 新加坡');
    expect(names).toContain('990344 中国香港');
    expect(names.some((n) => n.endsWith(' 中国'))).toBe(false);
    // By pinyin, so a country is found by its name's sound: 阿尔巴尼亚 (aerbaniya) first, 日本 under R.
    expect(names[0]).toBe('990008 阿尔巴尼亚');
    expect(names.indexOf('990458 马来西亚')).toBeLessThan(names.indexOf('990392 日本'));
    expect(names.indexOf('990392 日本')).toBeLessThan(names.indexOf('990702 新加坡'));
  });
});

describe('a tree loaded before places abroad', () => {
  it('gets them at the next start, and a second start writes nothing', async () => {
    await sql`DELETE FROM region WHERE code LIKE '990%'`.execute(t.ctx.db);
    await sql`DELETE FROM region WHERE code = '99'`.execute(t.ctx.db);
    expect(await ensureAbroadRegions(t.database.pool)).toBe(250);
    const { rows } = await sql<{ child_count: number }>`SELECT child_count FROM region WHERE code = '99'`.execute(t.ctx.db);
    expect(rows[0]!.child_count).toBe(249);
    expect(await ensureAbroadRegions(t.database.pool)).toBe(0);
  });
});

describe('a posting abroad', () => {
  it('is refused to an employer without an overseas licence, and to a licence that ends before the posting', async () => {
    const none = await call('POST', '/api/v1/postings', county, posting(unlicensed));
    expect(none.statusCode, none.body).toBe(409);
    expect(none.json()).toMatchObject({ code: 'POSTING_ABROAD_UNLICENSED' });
    expect(none.json().message).toContain('未登记对外劳务合作经营资格证书');
    const late = await call('POST', '/api/v1/postings', county, posting(agency, { validTo: addDays(today, 500) }));
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().message).toContain('早于岗位有效期截止日期');
  });

  it('asks for ages within 18–40', async () => {
    const r = await call('POST', '/api/v1/postings', county, posting(agency, { ageMax: 50 }));
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toMatchObject({ code: 'POSTING_ABROAD_AGE' });
  });

  it('needs a licence number and its last day together', async () => {
    const r = await call('PATCH', `/api/v1/employers/${unlicensed}`, county, { overseasLicenseNo: 'MOFCOM-43-2020-7' });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.body).toContain('有效期');
  });

  it('is published by a licensed agency, and only a healthy laborer of 18–40 who chose work abroad is put forward', async () => {
    const created = await call('POST', '/api/v1/postings', county, posting(agency));
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const refer = (laborerId: string, overrideReason?: string) =>
      call('POST', '/api/v1/referrals', officer, { laborerId, postingId: id, channel: 'staff', overrideReason });

    const unwilling = await refer(people.unwilling!);
    expect(unwilling.statusCode, unwilling.body).toBe(409);
    expect(unwilling.json()).toMatchObject({ code: 'REFERRAL_CONDITION_FAILED', details: { condition: 'work_place' } });
    for (const key of ['unwell', 'older']) {
      const refused = await refer(people[key]!, '本人强烈要求出国');
      expect(refused.statusCode, `${key} ${refused.body}`).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'REFERRAL_ABROAD_INELIGIBLE' });
      expect(refused.json().message).toContain('出国务工');
    }
    const ok = await refer(people.eligible!);
    expect(ok.statusCode, ok.body).toBe(201);

    // Hired abroad from today: counted within 省外 and as 境外, as of today and not the day before.
    const referral = ok.json().id;
    expect((await call('POST', `/api/v1/referrals/${referral}/steps`, county, { status: 'interviewed' })).statusCode).toBe(200);
    const hired = await call('POST', `/api/v1/referrals/${referral}/steps`, county, {
      status: 'hired',
      startedOn: today,
      monthlyWage: 8000,
    });
    expect(hired.statusCode, hired.body).toBe(200);
    const summary = async (asOf: string) => (await call('GET', `/api/v1/stats/summary?region=${DAZHU}&asOf=${asOf}`, county)).json();
    const now = await summary(today);
    expect(now.abroad).toBe(1);
    expect(now.outOfProvince).toBeGreaterThanOrEqual(1);
    expect((await summary(addDays(today, -1))).abroad).toBe(0);
    const drill = await call('GET', `/api/v1/stats/drill?region=${DAZHU}&asOf=${today}&figure=abroad`, county);
    expect(drill.statusCode, drill.body).toBe(200);
    expect(drill.json()).toMatchObject({
      total: 1,
      items: [{ laborer: { name: '出国甲' }, workRegionName: expect.stringContaining('日本') }],
    });
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'stats.drill'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });
});

describe('an employer account', () => {
  it('cannot set its own overseas licence', async () => {
    const guohui = await t.login('guohui_employer');
    const { rows } = await sql<{ employer_id: string }>`SELECT employer_id::text FROM account WHERE username = 'guohui_employer'`.execute(
      t.ctx.db,
    );
    const r = await call('PATCH', `/api/v1/employers/${rows[0]!.employer_id}`, guohui, {
      overseasLicenseNo: 'MOFCOM-43-2020-8',
      overseasLicenseValidUntil: addDays(today, 100),
    });
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json()).toMatchObject({ code: 'EMPLOYER_FIELD_LOCKED' });
  });
});

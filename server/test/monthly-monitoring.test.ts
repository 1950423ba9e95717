import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers.ts';
import { testEnv } from './test-database.ts';
import { DAZHU } from './fixtures.ts';
import { addDays, chinaToday } from '../src/platform/time.ts';
import { loadConfig } from '../src/config.ts';
import { accountId, insertCard, insertEmployment } from '../src/modules/dashboards/dashboards.fixture.ts';
import type { Workbench } from '../../contracts/workbench.ts';
import type { Returnees } from '../../contracts/employment.ts';

/**
 * 月度监测 (issue 20 item 2), a hand-built 新邵县 around today. M0 is this month's first day, L
 * last month's last day, B the last day of the month before (the two month ends the 工作台 compares).
 *
 * 龙溪铺镇 (大竹村, 430522107): x1–x8 at work since 2016-03-01; x9 since 2016-03-01, ended M0 (a
 * follow-up names the broker); x10 since 2016-03-01, ended B+2; x11 from M0 to today (no follow-up:
 * 大竹村's officer is responsible). Employed at B: x1–x10 = 10; at L: x1–x9 = 9 — a fall of 10%.
 * 潭府乡 (团结村, 430522200): y1–y50 at work since 2016-03-01; y50 ended B+2; y49 ended M0.
 * Employed at B: 50; at L: 49 — a fall of 2%, under the 5% default.
 * 新邵县 at B: 60; at L: 58; before 2016-03-01: 0.
 * 古丈县: g1 at work since 2016-03-01, ended M0 (another county: never on 新邵's list).
 * x12 (大竹村): ended M0 but the card was deleted — a deleted card is no one's returnee.
 * The month's returnees of 新邵县: x9, x11, y49 (3); of 龙溪铺镇: x9, x11; of 古丈县: g1.
 */
const TUANJIE = '430522200235';
const LONGXIPU = '430522107';
const TANFU = '430522200';
const GUZHANG_VILLAGE_PREFIX = '433126';
const today = chinaToday();
const M0 = `${today.slice(0, 7)}-01`;
const L = addDays(M0, -1);
const B = addDays(`${L.slice(0, 7)}-01`, -1);
const T = (day: string) => `${day}T09:00:00+08:00`;
const SINCE = '2016-03-01';

let t: TestApp;
let county: string;
let operator: string;
let guzhang: string;
let province: string;
let brokerId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [county, operator, guzhang, province] = await Promise.all(
    ['xinshao_admin', 'longxipu_operator', 'guzhang_admin', 'hunan_admin'].map((u) => t.login(u)),
  );
  const db = t.ctx.db;
  brokerId = await accountId(db, 'longxipu_broker');
  const guzhangVillage = (
    await sql<{
      code: string;
    }>`SELECT code FROM region WHERE level = 5 AND starts_with(code, ${GUZHANG_VILLAGE_PREFIX}) ORDER BY code LIMIT 1`.execute(db)
  ).rows[0]!.code;
  const card = async (key: string, village: string, deletedOn?: string) => {
    ids[key] = await insertCard(db, {
      name: key,
      versions: deletedOn
        ? [
            [village, T('2016-01-01'), T(deletedOn)],
            [village, T(deletedOn), undefined, true],
          ]
        : [[village, T('2016-01-01')]],
    });
    return ids[key]!;
  };
  for (let k = 1; k <= 8; k++) await insertEmployment(db, await card(`x${k}`, DAZHU), { work: '440307', from: SINCE });
  const x9 = await insertEmployment(db, await card('x9', DAZHU), { work: '440307', from: SINCE, to: M0 });
  await insertEmployment(db, await card('x10', DAZHU), { work: '440307', from: SINCE, to: addDays(B, 2) });
  await insertEmployment(db, await card('x11', DAZHU), { work: '430102', from: M0, to: today });
  await insertEmployment(db, await card('x12', DAZHU, addDays(M0, -40)), { work: '440307', from: SINCE, to: M0 });
  for (let k = 1; k <= 48; k++) await insertEmployment(db, await card(`y${k}`, TUANJIE), { work: '440307', from: SINCE });
  await insertEmployment(db, await card('y49', TUANJIE), { work: '440307', from: SINCE, to: M0 });
  await insertEmployment(db, await card('y50', TUANJIE), { work: '440307', from: SINCE, to: addDays(B, 2) });
  await insertEmployment(db, await card('g1', guzhangVillage), { work: '440307', from: SINCE, to: M0 });
  // x9's follow-ups: an early one with no account, the latest one the broker's.
  await sql`INSERT INTO follow_up (employment_id, laborer_id, months, due_on, responsible_kind, responsible_account) VALUES
    (${x9}, ${ids.x9}, 1, '2016-04-01', 'village', NULL), (${x9}, ${ids.x9}, 3, '2016-06-01', 'broker', ${brokerId})`.execute(db);
});
afterAll(async () => t?.close());

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

describe('employed by month (GET /api/v1/stats/monthly)', () => {
  it("gives 24 month ends, the last today, each equal to the summary's employed that day", async () => {
    const response = await get('/api/v1/stats/monthly?region=430522', county);
    expect(response.statusCode, response.body).toBe(200);
    const { region, months } = response.json() as { region: { code: string }; months: { month: string; asOf: string; employed: number }[] };
    expect(region.code).toBe('430522');
    expect(months).toHaveLength(24);
    expect(months.at(-1)!.asOf).toBe(today);
    expect(months.at(-2)!.asOf).toBe(L);
    expect(months.at(-3)!.asOf).toBe(B);
    for (const m of months.slice(0, -1)) expect(addDays(m.asOf, 1).slice(8)).toBe('01'); // a month's last day
    for (const m of months) {
      const summary = await get(`/api/v1/stats/summary?region=430522&asOf=${m.asOf}`, county);
      expect(summary.statusCode, summary.body).toBe(200);
      expect([m.asOf, m.employed]).toEqual([m.asOf, summary.json().employed]);
    }
    // Worked out by hand (above).
    expect(months.at(-3)!.employed).toBe(60);
    expect(months.at(-2)!.employed).toBe(58);
  });

  it('takes the number of months, and keeps to the caller’s region', async () => {
    const six = (await get(`/api/v1/stats/monthly?region=${LONGXIPU}&months=6`, operator)).json();
    expect(six.months.map((m: { asOf: string }) => m.asOf).slice(-3)).toEqual([B, L, today]);
    expect(six.months.slice(-3, -1).map((m: { employed: number }) => m.employed)).toEqual([10, 9]);
    expect((await get('/api/v1/stats/monthly?region=430522', operator)).statusCode).toBe(403);
    expect((await get('/api/v1/stats/monthly?region=430522', guzhang)).statusCode).toBe(403);
    expect((await get('/api/v1/stats/monthly?region=430522&months=0', county)).statusCode).toBe(400);
    expect((await get('/api/v1/stats/monthly?region=439999', province)).json().code).toBe('REGION_NOT_FOUND');
  });

  it('ends the series on the day the dashboards chose, each month equal to the summary that day', async () => {
    const mid = `${L.slice(0, 8)}15`; // the middle of last month
    const response = await get(`/api/v1/stats/monthly?region=${LONGXIPU}&months=3&asOf=${mid}`, operator);
    expect(response.statusCode, response.body).toBe(200);
    const months = response.json().months as { month: string; asOf: string; employed: number }[];
    expect(months.map((m) => m.asOf)).toEqual([addDays(`${B.slice(0, 7)}-01`, -1), B, mid]);
    for (const m of months) {
      const summary = (await get(`/api/v1/stats/summary?region=${LONGXIPU}&asOf=${m.asOf}`, operator)).json();
      expect([m.asOf, m.employed]).toEqual([m.asOf, summary.employed]);
    }
    expect(months.at(-2)!.employed).toBe(10); // the end of the month before last, worked out by hand (above)
    expect((await get(`/api/v1/stats/monthly?region=${LONGXIPU}&asOf=${addDays(today, 1)}`, operator)).json().code).toBe(
      'STATS_DATE_IN_FUTURE',
    );
    expect((await get(`/api/v1/stats/monthly?region=${LONGXIPU}&asOf=2015-12-31`, operator)).json().code).toBe('STATS_DATE_BEFORE_DATA');
  });
});

describe("decline alert on the county's 工作台", () => {
  it('flags the township whose employed fell 10% last month, not the one that fell 2%, linking to its statistics', async () => {
    const response = await get('/api/v1/workbench', county);
    expect(response.statusCode, response.body).toBe(200);
    const { alerts } = response.json() as Workbench;
    expect(alerts.map((a) => a.regionCode)).toEqual([LONGXIPU]);
    expect(alerts[0]).toMatchObject({
      before: B,
      asOf: L,
      employedBefore: 10,
      employed: 9,
      fall: 0.1,
      threshold: 0.05,
      link: `/stats?region=${LONGXIPU}`,
    });
    expect(alerts[0]!.regionName).toContain('龙溪铺');
    expect(alerts.some((a) => a.regionCode === TANFU)).toBe(false);
    // A township's or the province's workbench has no township alerts.
    expect(((await get('/api/v1/workbench', operator)).json() as Workbench).alerts).toEqual([]);
    expect(((await get('/api/v1/workbench', province)).json() as Workbench).alerts).toEqual([]);
  });

  it('reads its threshold from LAOWU_DECLINE_ALERT_SHARE and refuses a share that is not one', () => {
    expect(loadConfig({ ...testEnv(), LAOWU_DECLINE_ALERT_SHARE: '0.01' }).declineAlertShare).toBe(0.01);
    expect(() => loadConfig({ ...testEnv(), LAOWU_DECLINE_ALERT_SHARE: '5%' })).toThrow(/LAOWU_DECLINE_ALERT_SHARE/);
    expect(() => loadConfig({ ...testEnv(), LAOWU_DECLINE_ALERT_SHARE: '1.5' })).toThrow(/LAOWU_DECLINE_ALERT_SHARE/);
  });
});

describe("the month's returnees (GET /api/v1/lists/returnees)", () => {
  const officersOf = async (village: string) =>
    (
      await sql<{ id: string; display_name: string }>`SELECT id::text, display_name FROM account
        WHERE role = 'village_officer' AND status = 'active' AND region_code = ${village} ORDER BY id`.execute(t.ctx.db)
    ).rows.map((r) => ({ kind: 'village_officer', accountId: r.id, name: r.display_name }));

  it('holds exactly the jobs ended this month in scope, each with its responsible person, masked', async () => {
    const response = await get('/api/v1/lists/returnees?region=430522&pageSize=100', county);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as Returnees;
    expect([body.from, body.to, body.total]).toEqual([M0, today, 3]);
    const byName = Object.fromEntries(body.items.map((i) => [i.laborer.name, i]));
    expect(Object.keys(byName).sort()).toEqual(['x11', 'x9', 'y49']);
    const broker = (await sql<{ display_name: string }>`SELECT display_name FROM account WHERE id = ${brokerId}`.execute(t.ctx.db))
      .rows[0]!;
    expect(byName.x9!.responsible).toEqual([{ kind: 'follow_up', accountId: brokerId, name: broker.display_name }]);
    const dazhuOfficers = await officersOf(DAZHU);
    expect(dazhuOfficers.length).toBeGreaterThan(0);
    expect(byName.x11!.responsible).toEqual(dazhuOfficers);
    expect(byName.y49!.responsible).toEqual(await officersOf(TUANJIE));
    expect(byName.x9).toMatchObject({ endedOn: M0, startedOn: SINCE, endReason: 'resigned' });
    expect(byName.x11!.endedOn).toBe(today);
    for (const i of body.items) {
      expect(i.laborer.idNumberMasked).toMatch(/\*{4}/);
      expect(JSON.stringify(i)).not.toMatch(/\d{17}[\dX]/);
    }
  });

  it('keeps to the caller’s region, pages, and is audited', async () => {
    const own = (await get('/api/v1/lists/returnees?pageSize=1', operator)).json() as Returnees;
    expect(own.total).toBe(2);
    expect(own.items).toHaveLength(1);
    const second = (await get('/api/v1/lists/returnees?pageSize=1&page=2', operator)).json() as Returnees;
    expect([...own.items, ...second.items].map((i) => i.laborer.name).sort()).toEqual(['x11', 'x9']);
    expect((await get('/api/v1/lists/returnees?region=430522', operator)).statusCode).toBe(403);
    const guzhangList = (await get('/api/v1/lists/returnees', guzhang)).json() as Returnees;
    expect(guzhangList.items.map((i) => i.laborer.name)).toEqual(['g1']);
    const audited = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'list.returnees'`.execute(t.database.db);
    expect(Number(audited.rows[0]!.n)).toBeGreaterThanOrEqual(4);
  });
});

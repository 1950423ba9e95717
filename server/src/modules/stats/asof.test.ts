import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { addDays, chinaToday } from '../../platform/time.ts';
import { AS_OF, buildHandWorld, DAZHU, GANGGANG, TUANJIE } from './stats.fixture.ts';

/**
 * Issue 16 item 1, as staff meet it (docs/domain-notes-asof.md): a figure of a past date holds after
 * a move, a deletion or a service recorded late; a merge carries the person's jobs, services and
 * subsidies and the figures follow; deleting a card is a route with its reason in the ledger.
 * The world is stats.fixture.ts (大竹村, 团结村, 杠杠村 around 2017-06-30).
 */
let t: TestApp;
let province: string;
let officer: string;
let ids: Record<string, string>;
const today = chinaToday();
const yesterday = addDays(today, -1);

const get = async (url: string, cookie = province) => {
  const r = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};
const summary = (region: string, asOf: string) => get(`/api/v1/stats/summary?region=${region}&asOf=${asOf}`);
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload: unknown, cookie = province) =>
  t.app.inject({ method, url, headers: { cookie }, payload: payload as Record<string, unknown> });

beforeAll(async () => {
  t = await createTestApp();
  ids = await buildHandWorld(t.ctx.db);
  [province, officer] = await Promise.all(['hunan_admin', 'dazhu_officer'].map((u) => t.login(u)));
});
afterAll(async () => t?.close());

describe('a move made today leaves the past as it was', () => {
  it("大竹村's 6-month retention as of 2017-06-30 and the list behind it keep a card moved away today", async () => {
    // 大竹村's placements due by 2017-06-30: a1, a8's first, a10's first, a11 (gone by the check day), c5 → 4 of 5.
    const before = await get(`/api/v1/retention/rate?region=${DAZHU}&asOf=${AS_OF}`);
    expect([before.placed, before.retained, before.rate]).toEqual([5, 4, 0.8]);
    expect((await summary(DAZHU, AS_OF)).retentionRate6m).toBe(0.8);

    // a11 (the one not retained) moves to 杠杠村 today.
    const moved = await send('PATCH', `/api/v1/laborers/${ids.a11}`, { homeVillageCode: GANGGANG, reason: '迁居' });
    expect(moved.statusCode, moved.body).toBe(200);

    const after = await get(`/api/v1/retention/rate?region=${DAZHU}&asOf=${AS_OF}`);
    expect([after.placed, after.retained, after.rate]).toEqual([5, 4, 0.8]);
    expect((await summary(DAZHU, AS_OF)).retentionRate6m).toBe(0.8);
    expect((await summary(GANGGANG, AS_OF)).retentionRate6m).toBe(1);
    // The drill-down list shows a11 under 大竹村, where the card was on that date.
    const drill = await get(`/api/v1/stats/drill?region=${DAZHU}&asOf=${AS_OF}&figure=retentionRate6m&list=left`);
    expect(drill.items.map((i: { laborer: { id: string; villageCode: string } }) => [i.laborer.id, i.laborer.villageCode])).toEqual([
      [ids.a11, DAZHU],
    ]);
    // Today it is 杠杠村's.
    const now = await get(`/api/v1/retention/rate?region=${GANGGANG}&list=left`);
    expect(now.items.map((i: { laborer: { id: string } }) => i.laborer.id)).toContain(ids.a11);
  });

  it('a service recorded today for a day before the move counts in the village the card was in that day', async () => {
    const before = (await summary(TUANJIE, yesterday)).services.guidance;
    const moved = await send('PATCH', `/api/v1/laborers/${ids.a7}`, { homeVillageCode: TUANJIE, reason: '迁居' });
    expect(moved.statusCode, moved.body).toBe(200);
    const served = await send('POST', '/api/v1/service-records', { laborerId: ids.a7, kind: 'guidance', servedOn: yesterday });
    expect(served.statusCode, served.body).toBe(201);
    const dazhu = await get(`/api/v1/stats/drill?region=${DAZHU}&asOf=${yesterday}&figure=services.guidance`);
    expect(dazhu.items.map((i: { laborer: { id: string; villageCode: string } }) => [i.laborer.id, i.laborer.villageCode])).toContainEqual([
      ids.a7,
      DAZHU,
    ]);
    expect((await summary(TUANJIE, yesterday)).services.guidance).toBe(before);
  });
});

describe('services and subsidies count for the people registered on the day', () => {
  it('a service dated before the card existed is kept but counted nowhere', async () => {
    const created = await send('POST', '/api/v1/laborers', {
      idNumber: '430522199001011235',
      name: '新登记',
      sex: 'male',
      birthDate: '1990-01-01',
      homeVillageCode: DAZHU,
      povertyStatus: 'registered',
      education: '70',
      laborCapacity: 'full',
      health: 'healthy',
      willingness: 'in_county',
      caring: 'none',
      employmentStatus: 'unemployed',
    });
    expect(created.statusCode, created.body).toBe(201);
    const before = await summary(DAZHU, yesterday);
    const served = await send('POST', '/api/v1/service-records', { laborerId: created.json().id, kind: 'guidance', servedOn: yesterday });
    expect(served.statusCode, served.body).toBe(201);
    const after = await summary(DAZHU, yesterday);
    expect(after.registered).toBe(before.registered);
    expect(after.services.guidance).toBe(before.services.guidance);
  });
});

describe('a merge carries the person', () => {
  it("the retired card's job, services and subsidies become the survivor's: employed holds for every date, the person counts once", async () => {
    // a6 (no job until 2017-07-01) survives; a9 (public-welfare post since 2017-01-01, open) is the duplicate.
    const [then, now, county] = [await summary(DAZHU, AS_OF), await summary(DAZHU, today), await summary('430522', AS_OF)];
    const merged = await send('POST', `/api/v1/laborers/${ids.a6}/merge`, { duplicateId: ids.a9, reason: '同一人重复登记' });
    // a6's own job (from 2017-07-01, open) overlaps a9's: staff correct the jobs first.
    expect(merged.statusCode, merged.body).toBe(409);
    expect(merged.json().code).toBe('MERGE_EMPLOYMENT_OVERLAP');

    // b2 (no job; in 大竹村 since 2017-06-30 15:00) survives a8 (a job 2016-01-10…2017-01-01, then one open
    // since 2017-03-01; a subsidy paid 2017-02-02).
    const ok = await send('POST', `/api/v1/laborers/${ids.b2}/merge`, { duplicateId: ids.a8, reason: '同一人重复登记' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().employmentStatus).toBe('employed');
    const [then2, now2] = [await summary(DAZHU, AS_OF), await summary(DAZHU, today)];
    // Both cards existed since 2016: the person counts once on every date, and still at work.
    expect(then2.registered).toBe(then.registered - 1);
    expect(then2.employed).toBe(then.employed);
    expect(now2.registered).toBe(now.registered - 1);
    expect(now2.employed).toBe(now.employed);
    // a8's policy-support subsidy (paid 2017-02-02, when b2's card was in 团结村) is the person's: it
    // now counts in 团结村, the county's figure holds.
    const county2 = await summary('430522', AS_OF);
    expect(county2.subsidies).toEqual(county.subsidies);
    expect(county2.employed).toBe(county.employed);

    const jobs = await get(`/api/v1/employments?laborer=${ids.b2}`);
    expect(jobs.total).toBe(2);
    // Both ledgers say what moved.
    const survivor = await get(`/api/v1/laborers/${ids.b2}/history`);
    const taken = survivor.items.find((v: { kind: string; laborerId: string }) => v.kind === 'merge' && v.laborerId === ids.b2);
    expect(taken.changes.map((c: { field: string }) => c.field)).toEqual(expect.arrayContaining(['employments', 'subsidies']));
    const given = survivor.items.find((v: { kind: string; laborerId: string }) => v.kind === 'merge' && v.laborerId === ids.a8);
    expect(given.changes).toEqual(expect.arrayContaining([{ field: 'employments', before: 2, after: 0 }]));
  });
});

describe('deleting a card', () => {
  it('needs a reason, is kept in the ledger and audited, and changes only the dates after it', async () => {
    const [then, now] = [await summary(DAZHU, AS_OF), await summary(DAZHU, today)];
    const noReason = await send('DELETE', `/api/v1/laborers/${ids.a2}`, {});
    expect(noReason.statusCode).toBe(400);
    // Outside the officer's village: not found.
    const outside = await send('DELETE', `/api/v1/laborers/${ids.b1}`, { reason: '死亡' }, officer);
    expect(outside.statusCode).toBe(404);

    const deleted = await send('DELETE', `/api/v1/laborers/${ids.a2}`, { reason: '本人已死亡' }, officer);
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/laborers/${ids.a2}`, headers: { cookie: province } })).statusCode).toBe(404);

    const [then2, now2] = [await summary(DAZHU, AS_OF), await summary(DAZHU, today)];
    expect(then2).toEqual(then);
    expect(now2.registered).toBe(now.registered - 1);
    expect(now2.employed).toBe(now.employed - 1);

    const { rows: versions } = await sql<{ change_kind: string; reason: string; deleted: boolean }>`SELECT change_kind, reason, deleted
      FROM laborer_version WHERE laborer_id = ${ids.a2} AND valid_to = 'infinity'`.execute(t.ctx.db);
    expect(versions).toEqual([{ change_kind: 'delete', reason: '本人已死亡', deleted: true }]);
    const { rows: audit } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log
      WHERE action = 'laborer.delete' AND entity_id = ${ids.a2}`.execute(t.ctx.db);
    expect(Number(audit[0]!.n)).toBe(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode, DAZHU, insertEmployer, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { withinRegion } from '../../platform/access.ts';

const LONGXIPU = '430522107';
let t: TestApp;
let operator: string;
let county: string;
let guzhang: string;
let officer: string;
let guohuiId: string;
let otherEmployer: string;
let operatorId: string;
let officerId: string;
let guzhangId: string;
let postingId: string;
let otherPostingId: string;
let laborerId: string;
let teamId: string;
let otherVillage: string;

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const team = (body: object = {}, cookie = operator) =>
  call('POST', '/api/v1/teams', cookie, {
    name: '国辉箱包龙溪铺招工小分队',
    employerId: guohuiId,
    regionCode: LONGXIPU,
    memberIds: [operatorId, officerId],
    villageCodes: [DAZHU, otherVillage],
    periodFrom: '2026-03-01',
    periodTo: '2026-04-30',
    note: '春节后返岗招工',
    ...body,
  });
const accountId = async (username: string) =>
  String((await sql<{ id: string }>`SELECT id FROM account WHERE username = ${username}`.execute(t.ctx.db)).rows[0]!.id);

beforeAll(async () => {
  t = await createTestApp();
  [operator, county, guzhang, officer] = await Promise.all(
    ['longxipu_operator', 'xinshao_admin', 'guzhang_admin', 'dazhu_officer'].map((u) => t.login(u)),
  );
  [operatorId, officerId, guzhangId] = await Promise.all(['longxipu_operator', 'dazhu_officer', 'guzhang_admin'].map(accountId));
  guohuiId = String(
    (await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db)).rows[0]!
      .employer_id,
  );
  otherEmployer = await insertEmployer(t.ctx.db, creditCode('91440300MA5F00077'), '深圳小分队测试电子厂', '440307', 'designated');
  postingId = await insertPosting(t.ctx.db, guohuiId, { title: '箱包缝纫工', headcount: 5, work_region_code: DAZHU });
  otherPostingId = await insertPosting(t.ctx.db, otherEmployer, { title: '电子装配工', headcount: 5, work_region_code: '440307' });
  otherVillage = (
    await sql<{ code: string }>`SELECT code FROM region WHERE ${withinRegion('code', LONGXIPU)} AND code <> ${LONGXIPU}
    AND length(code) = 12 AND code <> ${DAZHU} ORDER BY code LIMIT 1`.execute(t.ctx.db)
  ).rows[0]!.code;
  const response = await call('POST', '/api/v1/laborers', officer, seekerCard('43052219880808301', { name: '曾小分' }));
  expect(response.statusCode, response.body).toBe(201);
  laborerId = response.json().id;
});
afterAll(async () => t?.close());

describe('forming a recruitment team (招工小分队)', () => {
  it('a township operator forms a team for an employer over villages of the township, audited', async () => {
    const response = await team();
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    teamId = body.id;
    expect(body).toMatchObject({
      name: '国辉箱包龙溪铺招工小分队',
      employer: { id: guohuiId },
      region: { code: LONGXIPU, name: '龙溪铺镇' },
      members: [
        { id: operatorId, username: 'longxipu_operator' },
        { id: officerId, username: 'dazhu_officer' },
      ],
      periodFrom: '2026-03-01',
      periodTo: '2026-04-30',
      referrals: 0,
      hires: 0,
      createdBy: 'longxipu_operator',
    });
    expect(body.villages.map((v: { code: string }) => v.code)).toEqual([DAZHU, otherVillage].sort());
    expect(body.villages.find((v: { code: string }) => v.code === DAZHU).name).toBe('大竹村');
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'recruitment_team.create' AND entity_id = ${teamId}`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBe(1);
    expect((await call('GET', `/api/v1/teams/${teamId}`, county)).json().name).toBe('国辉箱包龙溪铺招工小分队');
  });

  it('refuses an upside-down period, villages outside the region, non-staff or foreign members, unknown employers', async () => {
    const upside = await team({ periodFrom: '2026-05-01', periodTo: '2026-04-01' });
    expect(upside.statusCode).toBe(400);
    expect(upside.json()).toMatchObject({ code: 'TEAM_PERIOD', message: '招工小分队的工作期截止日期不能早于开始日期' });
    const far = await team({ villageCodes: ['433126100200'] });
    expect(far.statusCode).toBe(400);
    expect(far.json().code).toBe('TEAM_VILLAGE_OUTSIDE');
    expect(far.json().message).toContain('433126100200');
    const notVillage = await team({ villageCodes: ['430522107999'] });
    expect(notVillage.statusCode).toBe(400);
    expect(notVillage.json().message).toContain('不是村级行政区划');
    const foreign = await team({ memberIds: [guzhangId] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ code: 'TEAM_MEMBER_INVALID', message: '小分队成员须为本辖区在用的工作人员账号' });
    const noEmployer = await team({ employerId: '999999999' });
    expect(noEmployer.statusCode).toBe(400);
    expect(noEmployer.json().message).toBe('用人单位不存在');
    const village = await team({ regionCode: '430522107212' });
    expect(village.statusCode).toBe(400);
  });

  it('keeps teams within scope: another county neither forms teams here nor sees them', async () => {
    const response = await team({ memberIds: [guzhangId] }, guzhang);
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('REGION_OUT_OF_SCOPE');
    expect((await call('GET', `/api/v1/teams/${teamId}`, guzhang)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/teams', guzhang)).json().total).toBe(0);
    expect((await call('GET', `/api/v1/teams?region=${LONGXIPU}`, guzhang)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/teams', county)).json().total).toBe(1);
    expect((await call('GET', `/api/v1/teams?region=${DAZHU}&from=2026-04-01&to=2026-12-31`, county)).json().total).toBe(1);
    expect((await call('GET', '/api/v1/teams?from=2026-05-01', county)).json().total).toBe(0);
  });
});

describe('referrals credited to a team, and the results', () => {
  let referralId: string;

  it('refuses a team of another employer, and an unknown team', async () => {
    const wrong = await call('POST', '/api/v1/referrals', officer, { laborerId, postingId: otherPostingId, channel: 'staff', teamId });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'TEAM_EMPLOYER_MISMATCH' });
    expect(wrong.json().message).toContain('国辉箱包龙溪铺招工小分队');
    const unknown = await call('POST', '/api/v1/referrals', officer, { laborerId, postingId, channel: 'staff', teamId: '999999999' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('招工小分队不存在或无权限');
  });

  it('a village officer credits a referral to the township team, and the hire counts in the results', async () => {
    const created = await call('POST', '/api/v1/referrals', officer, { laborerId, postingId, channel: 'staff', teamId });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().teamId).toBe(teamId);
    referralId = created.json().id;

    let results = (await call('GET', '/api/v1/teams/results?from=2026-01-01&to=2026-12-31', county)).json();
    expect(results.totals).toEqual({ teams: 1, villages: 2, referrals: 1, hires: 0 });

    for (const status of ['interviewed', 'hired']) {
      const moved = await call('POST', `/api/v1/referrals/${referralId}/steps`, operator, { status });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    results = (await call('GET', `/api/v1/teams/results?region=${LONGXIPU}&from=2026-01-01&to=2026-12-31`, operator)).json();
    expect(results.rows).toEqual([
      expect.objectContaining({ teamId, name: '国辉箱包龙溪铺招工小分队', villages: 2, referrals: 1, hires: 1 }),
    ]);
    expect(results.totals).toEqual({ teams: 1, villages: 2, referrals: 1, hires: 1 });
    expect((await call('GET', `/api/v1/teams/${teamId}`, operator)).json()).toMatchObject({ referrals: 1, hires: 1 });
    // Another county's results do not show it; a period before the team's has none.
    expect((await call('GET', '/api/v1/teams/results', guzhang)).json().totals.hires).toBe(0);
    expect((await call('GET', '/api/v1/teams/results?to=2025-12-31', county)).json().totals.teams).toBe(0);
  });
});

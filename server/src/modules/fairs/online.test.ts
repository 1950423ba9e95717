import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { randomToken, sm3 } from '../../platform/crypto.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

/**
 * Online fairs a laborer joins from the mobile page (issue 19 item 6): the fair's postings on the
 * phone, an application from there, counted in the fair's results (attendees, intentions, hires)
 * under the online fairs, beside the door registrations of the offline ones.
 */
let t: TestApp;
let county: string;
let officer: string;
let guzhang: string;
let laborer: string;
let laborerId: string;
const postings: Record<string, string> = {};
const fairs: Record<string, string> = {};
const today = chinaToday();

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const apply = (fair: string, postingId: string, cookie = laborer) =>
  call('POST', `/api/v1/mobile/fairs/${fair}/applications`, cookie, { postingId });

/** A mobile session of a card (sign-in by SMS code has its own tests in modules/mobile). */
async function sessionOf(id: string): Promise<string> {
  const token = randomToken();
  await sql`INSERT INTO mobile_session (token_hash, laborer_id, expires_at) VALUES (${sm3(token)}, ${id}, now() + interval '1 day')`.execute(
    t.ctx.db,
  );
  return `laowu_mobile=${token}`;
}

async function createFair(key: string, cookie: string, body: Record<string, unknown>) {
  const response = await call('POST', '/api/v1/fairs', cookie, { postingIds: [postings.sewing, postings.qc], ...body });
  expect(response.statusCode, response.body).toBe(201);
  fairs[key] = response.json().id;
}

async function results(fair: string) {
  const response = await call('GET', '/api/v1/fairs/results', county);
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json();
  return { row: body.rows.find((r: { fairId: string }) => r.fairId === fair), online: body.online, offline: body.offline };
}

beforeAll(async () => {
  t = await createTestApp();
  [county, officer, guzhang] = await Promise.all(['xinshao_admin', 'dazhu_officer', 'guzhang_admin'].map((u) => t.login(u)));
  const { rows } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db);
  const employer = rows[0]!.employer_id;
  postings.sewing = await insertPosting(t.ctx.db, employer, { title: '线上会缝纫工', work_region_code: DAZHU, headcount: 3 });
  postings.qc = await insertPosting(t.ctx.db, employer, { title: '线上会质检员', work_region_code: DAZHU, headcount: 2 });
  postings.outside = await insertPosting(t.ctx.db, employer, { title: '未参会岗位', work_region_code: DAZHU, headcount: 2 });
  const card = await call('POST', '/api/v1/laborers', officer, seekerCard('43052219930303101', { name: '向春燕' }));
  expect(card.statusCode, card.body).toBe(201);
  laborerId = card.json().id;
  laborer = await sessionOf(laborerId);

  await createFair('open', county, {
    title: '新邵县春风行动线上招聘会',
    mode: 'online',
    heldOn: addDays(today, -2),
    endsOn: addDays(today, 5),
  });
  await createFair('offline', county, { title: '新邵县现场招聘会', mode: 'offline', heldOn: today });
  await createFair('ended', county, { title: '上月线上招聘会', mode: 'online', heldOn: addDays(today, -30), endsOn: addDays(today, -1) });
  await createFair('coming', county, { title: '下周线上招聘会', mode: 'online', heldOn: addDays(today, 7) });
  // 古丈县's online fair: not for a laborer of 新邵县.
  await createFair('elsewhere', guzhang, { title: '古丈县线上招聘会', mode: 'online', heldOn: today, postingIds: [postings.sewing] });
}, 60_000);
afterAll(() => t?.close());

describe('online fairs on the mobile page', () => {
  it('lists the online fairs of the laborer’s region that are open or coming, not offline, ended or other counties’ ones', async () => {
    const response = await call('GET', '/api/v1/mobile/fairs', laborer);
    expect(response.statusCode, response.body).toBe(200);
    const items = response.json().items as { id: string; state: string; joined: boolean; postings: number }[];
    expect(items.map((f) => f.id)).toEqual([fairs.open, fairs.coming]);
    expect(items[0]).toMatchObject({ state: 'open', joined: false, postings: 2, endsOn: addDays(today, 5) });
    expect(items[1]).toMatchObject({ state: 'upcoming', endsOn: addDays(today, 7) });
  });

  it('shows a fair’s open postings; another county’s online fair is not found', async () => {
    const response = await call('GET', `/api/v1/mobile/fairs/${fairs.open}`, laborer);
    expect(response.statusCode, response.body).toBe(200);
    expect(
      response
        .json()
        .items.map((i: { posting: { id: string } }) => i.posting.id)
        .sort(),
    ).toEqual([postings.sewing, postings.qc].sort());
    expect((await call('GET', `/api/v1/mobile/fairs/${fairs.elsewhere}`, laborer)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/mobile/fairs/${fairs.offline}`, laborer)).statusCode).toBe(404);
  });

  it('applies: the laborer is the fair’s attendee online, the application an intention and a fair-channel referral, audited', async () => {
    const before = await results(fairs.open);
    expect(before.row).toMatchObject({ attendees: 0, intentions: 0, hires: 0 });

    const response = await apply(fairs.open, postings.sewing);
    expect(response.statusCode, response.body).toBe(201);
    const { referralId, attendeeId } = response.json();
    const { rows: referral } = await sql<{ channel: string; status: string; laborer_id: string }>`SELECT channel, status, laborer_id::text
      FROM referral WHERE id = ${referralId}`.execute(t.ctx.db);
    expect(referral).toEqual([{ channel: 'fair', status: 'recommended', laborer_id: laborerId }]);
    const { rows: audit } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log
      WHERE action = 'fair.online.apply' AND entity_id = ${fairs.open} AND result = 'success'`.execute(t.ctx.db);
    expect(Number(audit[0]!.n)).toBe(1);

    // A second posting of the same fair: one attendee, one person with an intention.
    expect((await apply(fairs.open, postings.qc)).statusCode).toBe(201);
    const after = await results(fairs.open);
    expect(after.row).toMatchObject({ attendees: 1, poorAttendees: 1, intentions: 1, poorIntentions: 1, hires: 0 });
    expect(after.online.attendees - before.online.attendees).toBe(1);
    expect(after.offline).toEqual(before.offline);

    // The staff see who joined online, among the attendees.
    const list = await call('GET', `/api/v1/fairs/${fairs.open}/attendees`, county);
    expect(list.json().items).toMatchObject([{ id: attendeeId, online: true, poor: true, laborer: { name: '向春燕' } }]);
    expect(list.json().items[0].intentions).toHaveLength(2);

    // The phone says which postings were applied to, and that the laborer joined.
    const fair = (await call('GET', `/api/v1/mobile/fairs/${fairs.open}`, laborer)).json();
    expect(fair.fair.joined).toBe(true);
    expect(fair.items.every((i: { applied: boolean }) => i.applied)).toBe(true);

    // The hire that follows, through the referral's own pipeline, is the fair's.
    for (const status of ['interviewed', 'hired']) {
      const step = await call('POST', `/api/v1/referrals/${referralId}/steps`, officer, { status });
      expect(step.statusCode, step.body).toBe(200);
    }
    expect((await results(fairs.open)).row).toMatchObject({ hires: 1 });
  });

  it('refuses what the fair’s rules do not allow, each with its own code, and changes nothing', async () => {
    const count = async () =>
      (
        await sql<{
          n: string;
        }>`SELECT (SELECT count(*) FROM fair_intention) + (SELECT count(*) FROM fair_attendee) + (SELECT count(*) FROM referral) AS n`.execute(
          t.ctx.db,
        )
      ).rows[0]!.n;
    const before = await count();
    const cases: [string, string, number, string][] = [
      [fairs.offline, postings.sewing, 400, 'FAIR_NOT_ONLINE'],
      [fairs.ended, postings.sewing, 409, 'FAIR_CLOSED'],
      [fairs.coming, postings.sewing, 409, 'FAIR_NOT_STARTED'],
      [fairs.open, postings.outside, 400, 'FAIR_POSTING_NOT_IN_FAIR'],
      [fairs.open, postings.qc, 409, 'FAIR_APPLICATION_EXISTS'],
      [fairs.elsewhere, postings.sewing, 404, 'NOT_FOUND'],
      ['999999', postings.sewing, 404, 'NOT_FOUND'],
    ];
    for (const [fair, posting, status, code] of cases) {
      const response = await apply(fair, posting);
      expect([response.statusCode, response.json().code], `${fair}/${posting}`).toEqual([status, code]);
    }
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log
      WHERE action = 'fair.online.apply' AND result = 'denied'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBe(cases.length);
    expect(await count()).toBe(before);
  });

  it('validates the request: a malformed posting id or extra fields, and staff or nobody are refused', async () => {
    for (const payload of [{ postingId: '0' }, { postingId: 'abc' }, {}, { postingId: postings.sewing, extra: 1 }]) {
      const response = await call('POST', `/api/v1/mobile/fairs/${fairs.open}/applications`, laborer, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
    expect((await call('POST', `/api/v1/mobile/fairs/abc/applications`, laborer, { postingId: postings.sewing })).statusCode).toBe(400);
    expect((await call('POST', `/api/v1/mobile/fairs/${fairs.open}/applications`, county, { postingId: postings.sewing })).statusCode).toBe(
      403,
    );
    expect((await call('POST', `/api/v1/mobile/fairs/${fairs.open}/applications`, '', { postingId: postings.sewing })).statusCode).toBe(
      401,
    );
  });

  it('takes a last day of applications for online fairs only, not before the day it is held', async () => {
    for (const body of [
      { title: '现场会不收线上报名', mode: 'offline', heldOn: today, endsOn: addDays(today, 3) },
      { title: '截止早于开始', mode: 'online', heldOn: today, endsOn: addDays(today, -1) },
    ]) {
      const response = await call('POST', '/api/v1/fairs', county, body);
      expect([response.statusCode, response.json().code]).toEqual([400, 'FAIR_ENDS_ON']);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode as credit, DAZHU, insertEmployer, insertPosting, makeId } from '../../../test/fixtures.ts';

let t: TestApp;
let officer: string;
let county: string;
let guzhang: string;
let employer: string;
let guohuiId: string;
const postings: Record<string, string> = {};
const laborers: Record<string, string> = {};

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

const posting = (employerId: string, title: string, headcount: number, workRegion: string) =>
  insertPosting(t.ctx.db, employerId, { title, headcount, work_region_code: workRegion });

// Willing to work anywhere, so both the village's workshop and the 深圳 factory pass the hard conditions.
const card = (body17: string, name: string, willingness = 'out_of_province') => ({
  idNumber: makeId(body17),
  name,
  homeVillageCode: DAZHU,
  povertyStatus: 'registered',
  education: '70',
  laborCapacity: 'full',
  health: 'healthy',
  willingness,
  caring: 'none',
  employmentStatus: 'unemployed',
});

const refer = (laborer: string, posting: string, cookie = officer) =>
  call('POST', '/api/v1/referrals', cookie, { laborerId: laborer, postingId: posting, channel: 'staff', note: '村里推荐' });
const step = (id: string, cookie: string, body: object) => call('POST', `/api/v1/referrals/${id}/steps`, cookie, body);

async function auditCount(action: string, entityId: string): Promise<number> {
  const { rows } = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM audit_log WHERE action = ${action} AND entity_id = ${entityId} AND result <> 'denied'`.execute(t.ctx.db);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
  county = await t.login('xinshao_admin');
  guzhang = await t.login('guzhang_admin');
  employer = await t.login('guohui_employer');
  const { rows } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db);
  guohuiId = rows[0]!.employer_id;
  expect(guohuiId).toBeTruthy();
  const other = await insertEmployer(t.ctx.db, credit('91440300MA5F00009'), '深圳推荐测试电子厂', '440307', 'designated');
  postings.workshop = await posting(guohuiId, '箱包缝纫工', 1, DAZHU);
  postings.factory = await posting(other, '电子装配工', 5, '440307');
  for (const [key, body17, name] of [
    ['a', '43052219850302201', '蒋余美'],
    ['b', '43052219900405202', '李秀英'],
    ['c', '43052219950101203', '王强'],
  ] as const) {
    const response = await call('POST', '/api/v1/laborers', officer, card(body17, name));
    expect(response.statusCode, response.body).toBe(201);
    laborers[key] = response.json().id;
  }
});
afterAll(async () => t?.close());

const ids: Record<string, string> = {};

describe('recording a referral', () => {
  it('puts a laborer forward with its first step dated and by whom, and audits it', async () => {
    const response = await refer(laborers.a!, postings.workshop!);
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    ids.aWorkshop = body.id;
    expect(body).toMatchObject({
      status: 'recommended',
      channel: 'staff',
      next: ['interviewed', 'not_hired', 'withdrawn'],
      employment: null,
    });
    expect(body.laborer.idNumberMasked).toMatch(/^430522\*{8}\d{3}[\dX]$/);
    expect(body.steps).toEqual([
      {
        status: 'recommended',
        at: expect.any(String),
        by: { username: 'dazhu_officer', displayName: expect.any(String) },
        note: '村里推荐',
      },
    ]);
    expect(await auditCount('referral.create', ids.aWorkshop)).toBe(1);
  });

  it('allows one open referral per laborer and posting', async () => {
    const again = await refer(laborers.a!, postings.workshop!, county);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'REFERRAL_EXISTS', details: { referralId: ids.aWorkshop, status: 'recommended' } });
    const other = await refer(laborers.a!, postings.factory!);
    expect(other.statusCode, other.body).toBe(201);
    ids.aFactory = other.json().id;
    ids.bWorkshop = (await refer(laborers.b!, postings.workshop!)).json().id;
    ids.cFactory = (await refer(laborers.c!, postings.factory!)).json().id;
  });

  it('refuses a closed posting, an unknown one, and a bad channel', async () => {
    const closed = await posting(guohuiId, '已关闭岗位', 2, DAZHU);
    await sql`UPDATE posting SET status = 'closed' WHERE id = ${closed}`.execute(t.ctx.db);
    const response = await refer(laborers.c!, closed);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'REFERRAL_POSTING_NOT_OPEN', message: '岗位已关闭，不能推荐' });
    expect((await refer(laborers.c!, '999999')).statusCode).toBe(404);
    const batch = await call('POST', '/api/v1/referrals', officer, {
      laborerId: laborers.c,
      postingId: postings.factory,
      channel: 'batch',
    });
    expect(batch.statusCode).toBe(400);
  });

  it('is scoped: another county can neither refer, see nor move a 新邵 laborer', async () => {
    const response = await refer(laborers.c!, postings.workshop!, guzhang);
    expect(response.statusCode).toBe(404);
    expect((await call('GET', `/api/v1/referrals/${ids.aWorkshop}`, guzhang)).statusCode).toBe(404);
    expect((await step(ids.aWorkshop!, guzhang, { status: 'withdrawn' })).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/referrals', guzhang)).json()).toEqual({ items: [], total: 0 });
    expect((await call('GET', '/api/v1/referrals?region=430522', guzhang)).statusCode).toBe(403);
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'referral.view' AND result = 'denied' AND entity_id = ${ids.aWorkshop}`.execute(
      t.ctx.db,
    );
    expect(Number(rows[0]!.n)).toBe(1);
  });
});

describe('lists', () => {
  it('shows staff the referrals of their laborers, filtered by status, posting and laborer', async () => {
    const all = (await call('GET', '/api/v1/referrals', county)).json();
    expect(all.total).toBe(4);
    const byLaborer = (await call('GET', `/api/v1/referrals?laborer=${laborers.a}`, officer)).json();
    expect(byLaborer.items.map((r: { id: string }) => r.id).sort()).toEqual([ids.aWorkshop, ids.aFactory].sort());
    const byPosting = (await call('GET', `/api/v1/referrals?posting=${postings.workshop}&status=recommended`, officer)).json();
    expect(byPosting.total).toBe(2);
    expect((await call('GET', '/api/v1/referrals?status=hired', officer)).json().total).toBe(0);
  });

  it('shows an employer only the applicants to its own postings, with masked identifiers', async () => {
    const response = await call('GET', '/api/v1/referrals', employer);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.items.map((r: { id: string }) => r.id).sort()).toEqual([ids.aWorkshop, ids.bWorkshop].sort());
    expect(body.items.every((r: { posting: { employerId: string } }) => r.posting.employerId === guohuiId)).toBe(true);
    expect(response.body).not.toContain(makeId('43052219850302201'));
    expect((await call('GET', `/api/v1/referrals/${ids.aFactory}`, employer)).statusCode).toBe(404);
    expect((await step(ids.aFactory!, employer, { status: 'interviewed' })).statusCode).toBe(404);
  });
});

describe('the pipeline', () => {
  it('refuses illegal transitions with a clear reason', async () => {
    const skip = await step(ids.aWorkshop!, employer, { status: 'hired' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json()).toMatchObject({ code: 'REFERRAL_TRANSITION', message: '推荐当前为“已推荐”，不能改为“已录用”' });
    const wage = await step(ids.aWorkshop!, employer, { status: 'interviewed', monthlyWage: 3000 });
    expect(wage.statusCode).toBe(400);
    expect((await step(ids.aWorkshop!, employer, { status: 'recommended' })).statusCode).toBe(400);
  });

  it('lets the employer move its applicant to hired: employment opened, card employed in the ledger, one opening taken', async () => {
    const interviewed = await step(ids.aWorkshop!, employer, { status: 'interviewed', note: '面试通过' });
    expect(interviewed.statusCode, interviewed.body).toBe(200);
    expect(interviewed.json()).toMatchObject({ status: 'interviewed', next: ['hired', 'not_hired', 'withdrawn'] });
    // b was interviewed for the same one place.
    expect((await step(ids.bWorkshop!, officer, { status: 'interviewed' })).statusCode).toBe(200);

    const hired = await step(ids.aWorkshop!, employer, { status: 'hired', startedOn: '2026-03-02', monthlyWage: 3200 });
    expect(hired.statusCode, hired.body).toBe(200);
    const body = hired.json();
    expect(body.status).toBe('hired');
    expect(body.next).toEqual([]);
    expect(body.steps.map((s: { status: string }) => s.status)).toEqual(['recommended', 'interviewed', 'hired']);
    expect(body.steps[2].by.username).toBe('guohui_employer');
    expect(body.employment).toMatchObject({
      startedOn: '2026-03-02',
      endedOn: null,
      monthlyWage: 3200,
      workRegionCode: DAZHU,
      channel: 'assisted',
    });

    const { rows } = await sql<{
      employer_id: string;
      posting_id: string;
      occupation_code: string;
    }>`SELECT employer_id, posting_id, occupation_code
      FROM employment WHERE laborer_id = ${laborers.a}`.execute(t.ctx.db);
    expect(rows).toEqual([{ employer_id: guohuiId, posting_id: postings.workshop, occupation_code: '6-05-01-03' }]);

    const cardNow = (await call('GET', `/api/v1/laborers/${laborers.a}`, officer)).json();
    expect(cardNow.employmentStatus).toBe('employed');
    const history = (await call('GET', `/api/v1/laborers/${laborers.a}/history`, officer)).json().items;
    expect(history[0]).toMatchObject({
      kind: 'update',
      by: { username: 'guohui_employer' },
      changes: [{ field: 'employment_status', before: 'unemployed', after: 'employed' }],
    });
    expect(history[0].reason).toMatch(/^经推荐入职：/);

    const postingNow = (await call('GET', `/api/v1/postings/${postings.workshop}`, county)).json();
    expect(postingNow).toMatchObject({ filled: 1, openings: 0, state: 'full' });
    expect(await auditCount('referral.step', ids.aWorkshop!)).toBe(2);
    expect(await auditCount('laborer.update', laborers.a!)).toBe(1);
  });

  it('refuses a hire when the posting has no opening left, saving nothing', async () => {
    const response = await step(ids.bWorkshop!, officer, { status: 'hired' });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('REFERRAL_POSTING_FULL');
    expect((await call('GET', `/api/v1/referrals/${ids.bWorkshop}`, officer)).json().status).toBe('interviewed');
    expect((await step(ids.bWorkshop!, employer, { status: 'not_hired', note: '名额已满' })).json().status).toBe('not_hired');
  });

  it('refuses a second open employment for the same laborer, saving nothing', async () => {
    expect((await step(ids.aFactory!, county, { status: 'interviewed' })).statusCode).toBe(200);
    const response = await step(ids.aFactory!, county, { status: 'hired' });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('EMPLOYMENT_OPEN_EXISTS');
    const { rows } = await sql<{ filled: number }>`SELECT filled FROM posting WHERE id = ${postings.factory}`.execute(t.ctx.db);
    expect(rows[0]!.filled).toBe(0);
    expect((await call('GET', `/api/v1/referrals/${ids.aFactory}`, county)).json().status).toBe('interviewed');
    // A finished referral moves no further.
    const finished = await step(ids.aWorkshop!, officer, { status: 'withdrawn' });
    expect(finished.statusCode).toBe(409);
    expect(finished.json().code).toBe('REFERRAL_TRANSITION');
  });

  it('lets staff withdraw a referral, after which the pair may be referred again', async () => {
    expect((await step(ids.cFactory!, officer, { status: 'withdrawn', note: '本人不愿外出' })).json().status).toBe('withdrawn');
    expect((await refer(laborers.c!, postings.factory!)).statusCode).toBe(201);
  });
});

describe('the hard conditions of the matching screens hold for a staff referral (issue 16 item 4c)', () => {
  let homebody: string;

  beforeAll(async () => {
    const response = await call('POST', '/api/v1/laborers', officer, card('43052219880808204', '龙桂花', 'in_county'));
    expect(response.statusCode, response.body).toBe(201);
    homebody = response.json().id;
  });

  it('refuses a laborer who wants work in the county only for a posting in 深圳, naming the condition; nothing is saved', async () => {
    const refused = await refer(homebody, postings.factory!);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'REFERRAL_CONDITION_FAILED',
      message: expect.stringContaining('工作地点超出务工意愿'),
      details: { condition: 'work_place', label: '工作地点超出务工意愿', detail: expect.stringContaining('意愿县内务工') },
    });
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM referral WHERE laborer_id = ${homebody}`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBe(0);
    // The matching screen refuses the same pair with the same words.
    const candidates = (await call('GET', `/api/v1/postings/${postings.factory}/candidates?region=${DAZHU}`, officer)).json();
    expect(candidates.refusals).toEqual(expect.arrayContaining([expect.objectContaining({ reason: '工作地点超出务工意愿' })]));
  });

  it('goes ahead only with a stated reason of at least 4 characters, kept on the referral and shown with it', async () => {
    const short = await call('POST', '/api/v1/referrals', officer, {
      laborerId: homebody,
      postingId: postings.factory,
      channel: 'staff',
      overrideReason: '同意',
    });
    expect(short.statusCode).toBe(400);
    const blank = await call('POST', '/api/v1/referrals', officer, {
      laborerId: homebody,
      postingId: postings.factory,
      channel: 'staff',
      overrideReason: '    ',
    });
    expect(blank.statusCode).toBe(400);
    const made = await call('POST', '/api/v1/referrals', officer, {
      laborerId: homebody,
      postingId: postings.factory,
      channel: 'staff',
      overrideReason: '本人电话确认愿意去深圳务工',
    });
    expect(made.statusCode, made.body).toBe(201);
    const override = { condition: 'work_place', label: '工作地点超出务工意愿', reason: '本人电话确认愿意去深圳务工' };
    expect(made.json().override).toEqual(override);
    expect((await call('GET', `/api/v1/referrals/${made.json().id}`, county)).json().override).toEqual(override);
    const listed = (await call('GET', `/api/v1/referrals?laborer=${homebody}`, officer)).json();
    expect(listed.items[0].override).toEqual(override);
    const { rows } = await sql<{
      details: { override?: unknown };
    }>`SELECT details FROM audit_log WHERE action = 'referral.create' AND entity_id = ${made.json().id}`.execute(t.ctx.db);
    expect(rows[0]!.details.override).toEqual({ condition: 'work_place', reason: '本人电话确认愿意去深圳务工' });
  });

  it('a pair that passes keeps no override, whatever the body says', async () => {
    expect((await refer(laborers.c!, postings.workshop!)).json().override ?? null).toBeNull();
  });
});

describe('a card that moves', () => {
  it('takes its referrals along: listed under its new village, no longer under the old one nor by the old village’s officer', async () => {
    const made = await call('POST', '/api/v1/laborers', officer, card('43052219770707215', '周移居'));
    expect(made.statusCode, made.body).toBe(201);
    const mover = made.json().id as string;
    const referred = await refer(mover, postings.factory!);
    expect(referred.statusCode, referred.body).toBe(201);
    const referral = referred.json().id as string;
    const listed = async (query: string, cookie: string) =>
      ((await call('GET', `/api/v1/referrals?laborer=${mover}${query}`, cookie)).json().items as { id: string }[]).map((r) => r.id);
    const { rows } = await sql<{ code: string }>`SELECT code FROM region WHERE level = 5 AND code >= '430522' AND code < '430522~'
      AND code NOT LIKE '430522107%' ORDER BY code LIMIT 1`.execute(t.ctx.db);
    const elsewhere = rows[0]!.code;
    expect(await listed(`&region=${DAZHU}`, county)).toEqual([referral]);

    const moved = await call('PATCH', `/api/v1/laborers/${mover}`, county, { homeVillageCode: elsewhere, reason: '户籍迁至本县另一村' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await listed(`&region=${DAZHU}`, county)).toEqual([]);
    expect(await listed(`&region=${elsewhere}`, county)).toEqual([referral]);
    expect(await listed('', officer)).toEqual([]);
    expect((await call('GET', `/api/v1/referrals/${referral}`, officer)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/referrals/${referral}`, county)).json().laborer.villageCode).toBe(elsewhere);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { idCheckChar } from '../registry/identity.ts';
import { classifyIdentifier } from './fairs.service.ts';

const makeId = (body17: string) => body17 + idCheckChar(body17);
/** The same number with a wrong check character. */
const badCheck = (body17: string) => body17 + (idCheckChar(body17) === '0' ? '1' : '0');
const DAZHU = '430522107212';

let t: TestApp;
let operator: string;
let officer: string;
let county: string;
let guzhang: string;
let fairId: string;
let onlineId: string;
const postings: Record<string, string> = {};
const laborers: Record<string, string> = {};
const attendees: Record<string, string> = {};

const ID = {
  a: makeId('43052219850302201'),
  b: makeId('43052219900405202'),
  // Born 1975: also written as a legacy 15-digit number (no century, no check character).
  c: makeId('43052219750101203'),
  stranger: makeId('44030719920817301'),
};
const legacy15 = (id18: string) => id18.slice(0, 6) + id18.slice(8, 17);

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) => t.app.inject({ method, url, headers: { cookie }, payload });

async function posting(title: string, headcount: number): Promise<string> {
  const { rows: e } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db);
  const { rows } = await sql<{ id: string }>`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max,
      valid_from, valid_to) VALUES (${e[0]!.employer_id}, ${title}, '6-05-01-03', ${DAZHU}, ${headcount}, 2600, 3600, '2020-01-01', '2099-12-31')
    RETURNING id`.execute(t.ctx.db);
  return rows[0]!.id;
}

async function auditCount(action: string, entityId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = ${action} AND entity_id = ${entityId} AND result <> 'denied'`.execute(t.ctx.db);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  t = await createTestApp();
  operator = await t.login('longxipu_operator');
  officer = await t.login('dazhu_officer');
  county = await t.login('xinshao_admin');
  guzhang = await t.login('guzhang_admin');
  postings.workshop = await posting('箱包缝纫工', 3);
  postings.other = await posting('质检员', 2);
  postings.outside = await posting('未参会岗位', 2);
  for (const [key, name, phone] of [['a', '蒋余美', '13812345678'], ['b', '李秀英', null], ['c', '王强', null]] as const) {
    const response = await call('POST', '/api/v1/laborers', officer, {
      idNumber: ID[key], name, homeVillageCode: DAZHU, povertyStatus: 'registered', education: '70', laborCapacity: 'full',
      health: 'healthy', willingness: 'in_county', caring: 'none', employmentStatus: 'unemployed', ...(phone ? { phone } : {}),
    });
    expect(response.statusCode, response.body).toBe(201);
    laborers[key] = response.json().id;
  }
}, 60_000);
afterAll(() => t?.close());

describe('identifiers typed at the door', () => {
  it('tells phones from ID numbers and names the problem', () => {
    expect(classifyIdentifier(' 138 1234 5678 ')).toMatchObject({ ok: true, kind: 'phone', masked: '138****5678' });
    expect(classifyIdentifier(legacy15(ID.c))).toMatchObject({ ok: true, kind: 'id', value: ID.c });
    expect(classifyIdentifier(badCheck('43052219850302201'))).toMatchObject({ ok: false, code: 'ID_CHECK_DIGIT', message: '身份证号校验位错误' });
    expect(classifyIdentifier('12345678901')).toMatchObject({ ok: false, kind: 'phone', code: 'PHONE_FORMAT' });
    expect(classifyIdentifier('')).toMatchObject({ ok: false, code: 'ID_EMPTY' });
  });
});

describe('recruitment fairs', () => {
  it('creates a fair at a village door with its postings and employers, audited', async () => {
    const response = await call('POST', '/api/v1/fairs', operator, {
      title: '龙溪铺镇大竹村送岗上门招聘会', mode: 'offline', heldOn: '2026-03-02', villageCode: DAZHU, address: '大竹村村部',
      organiserName: '龙溪铺镇人社服务站', postingIds: [postings.workshop, postings.other],
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    fairId = body.id;
    expect(body).toMatchObject({ mode: 'offline', regionCode: '430522107', villageCode: DAZHU, placeRegionCode: DAZHU, figures: { sessions: 1, attendees: 0 } });
    expect(body.postings.map((p: { id: string }) => p.id).sort()).toEqual([postings.workshop, postings.other].sort());
    expect(body.employers).toHaveLength(1);
    expect(await auditCount('fair.create', fairId)).toBe(1);

    const online = await call('POST', '/api/v1/fairs', county, { title: '新邵县春风行动线上招聘会', mode: 'online', heldOn: '2026-02-20', postingIds: [postings.other] });
    expect(online.statusCode, online.body).toBe(201);
    onlineId = online.json().id;
  });

  it('refuses a village outside the organising region and unknown postings', async () => {
    const outside = await call('POST', '/api/v1/fairs', operator, { title: '越界招聘会', mode: 'offline', heldOn: '2026-03-02', villageCode: '433126100200' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().code).toBe('FAIR_VILLAGE_OUTSIDE');
    const unknown = await call('POST', '/api/v1/fairs', operator, { title: '未知岗位招聘会', mode: 'offline', heldOn: '2026-03-02', postingIds: ['999999'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'FAIR_PARTICIPANT_UNKNOWN', details: { postings: ['999999'] } });
    expect((await call('POST', '/api/v1/fairs', guzhang, { title: '跨县招聘会', mode: 'offline', heldOn: '2026-03-02', regionCode: '430522' })).statusCode).toBe(403);
  });

  it('registers a batch at the door with a result per row: poor laborers recognised, bad check digits refused, duplicates caught', async () => {
    const response = await call('POST', `/api/v1/fairs/${fairId}/attendees/batch`, officer, {
      identifiers: [ID.a, badCheck('43052219900405202'), legacy15(ID.c), ID.stranger, ID.a, '13812345678', '12345678901', '13900001111'],
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ registered: 4, duplicates: 2, invalid: 2, poor: 2 });
    const rows = body.rows;
    expect(rows[0]).toMatchObject({ row: 1, status: 'registered', kind: 'id', poor: true, laborer: { id: laborers.a, name: '蒋余美', villageCode: DAZHU } });
    expect(rows[0].masked).toMatch(/^430522\*{8}\d{3}[\dX]$/);
    expect(rows[1]).toMatchObject({ row: 2, status: 'invalid', code: 'ID_CHECK_DIGIT', message: '身份证号校验位错误', attendeeId: null });
    expect(rows[2]).toMatchObject({ row: 3, status: 'registered', poor: true, laborer: { id: laborers.c } });
    expect(rows[3]).toMatchObject({ row: 4, status: 'registered', poor: false, laborer: null, masked: `440307********${ID.stranger.slice(14)}` });
    // The same person twice in a batch, and by phone after the ID: one attendee.
    expect(rows[4]).toMatchObject({ row: 5, status: 'duplicate', attendeeId: rows[0].attendeeId });
    expect(rows[5]).toMatchObject({ row: 6, status: 'duplicate', kind: 'phone', attendeeId: rows[0].attendeeId, laborer: { id: laborers.a } });
    expect(rows[6]).toMatchObject({ row: 7, status: 'invalid', code: 'PHONE_FORMAT' });
    expect(rows[7]).toMatchObject({ row: 8, status: 'registered', kind: 'phone', poor: false, masked: '139****1111' });
    attendees.a = rows[0].attendeeId;
    attendees.c = rows[2].attendeeId;
    attendees.stranger = rows[3].attendeeId;
    expect(await auditCount('fair.attendees.register', fairId)).toBe(1);
  });

  it('never stores the clear number of anyone', async () => {
    const { rows } = await sql<{ row: string }>`SELECT row_to_json(a)::text AS row FROM fair_attendee a WHERE fair_id = ${fairId}`.execute(t.ctx.db);
    expect(rows).toHaveLength(4);
    for (const r of rows) for (const secret of [ID.a, ID.c, ID.stranger, legacy15(ID.c), '13900001111']) expect(r.row).not.toContain(secret);
    const { rows: stranger } = await sql<{ laborer_id: string | null; id_masked: string; has_index: boolean }>`SELECT laborer_id, id_masked, id_index IS NOT NULL AS has_index
      FROM fair_attendee WHERE id = ${attendees.stranger}`.execute(t.ctx.db);
    expect(stranger[0]).toEqual({ laborer_id: null, id_masked: `440307********${ID.stranger.slice(14)}`, has_index: true });
  });

  it('registers one attendee: a repeat is a duplicate, a wrong check digit a clear 400', async () => {
    const one = await call('POST', `/api/v1/fairs/${fairId}/attendees`, officer, { identifier: ID.b });
    expect(one.statusCode, one.body).toBe(201);
    expect(one.json()).toMatchObject({ status: 'registered', poor: true, laborer: { id: laborers.b } });
    const again = await call('POST', `/api/v1/fairs/${fairId}/attendees`, officer, { identifier: ID.c });
    expect(again.json()).toMatchObject({ status: 'duplicate', attendeeId: attendees.c });
    const bad = await call('POST', `/api/v1/fairs/${fairId}/attendees`, officer, { identifier: badCheck('43052219850302201') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'FAIR_ATTENDEE_INVALID', message: '身份证号校验位错误', details: { code: 'ID_CHECK_DIGIT' } });
    const tooMany = await call('POST', `/api/v1/fairs/${fairId}/attendees/batch`, officer, { identifiers: Array.from({ length: 1001 }, () => ID.a) });
    expect(tooMany.statusCode).toBe(400);
  });

  it('records intentions, opening a fair-channel referral for registry laborers', async () => {
    const a = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, { attendeeId: attendees.a, postingId: postings.workshop, refer: true });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ postingId: postings.workshop, referralStatus: 'recommended' });
    const referralId = a.json().referralId;
    const { rows } = await sql<{ channel: string; laborer_id: string }>`SELECT channel, laborer_id FROM referral WHERE id = ${referralId}`.execute(t.ctx.db);
    expect(rows[0]).toEqual({ channel: 'fair', laborer_id: laborers.a });

    const stranger = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, { attendeeId: attendees.stranger, postingId: postings.other });
    expect(stranger.statusCode, stranger.body).toBe(201);
    expect(stranger.json().referralId).toBeNull();
    const c = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, { attendeeId: attendees.c, postingId: postings.other, refer: true });
    expect(c.statusCode, c.body).toBe(201);

    const twice = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, { attendeeId: attendees.a, postingId: postings.workshop });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('FAIR_INTENTION_EXISTS');
    const notInFair = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, { attendeeId: attendees.a, postingId: postings.outside });
    expect(notInFair.json().code).toBe('FAIR_POSTING_NOT_IN_FAIR');
    const referUnknown = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, { attendeeId: attendees.stranger, postingId: postings.workshop, refer: true });
    expect(referUnknown.json().code).toBe('FAIR_REFER_UNKNOWN');

    // The hire that follows, through the referral's own pipeline.
    for (const status of ['interviewed', 'hired']) {
      const step = await call('POST', `/api/v1/referrals/${referralId}/steps`, officer, { status });
      expect(step.statusCode, step.body).toBe(200);
    }
  });

  it('lists attendees with their intentions, the view audited', async () => {
    const response = await call('GET', `/api/v1/fairs/${fairId}/attendees?pageSize=50`, county);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.total).toBe(5);
    const a = body.items.find((i: { id: string }) => i.id === attendees.a);
    expect(a).toMatchObject({ poor: true, laborer: { name: '蒋余美' }, intentions: [{ postingId: postings.workshop, referralStatus: 'hired' }] });
    expect(JSON.stringify(body)).not.toContain(ID.a);
    expect(await auditCount('fair.attendees.view', fairId)).toBe(1);
    const poorOnly = await call('GET', `/api/v1/fairs/${fairId}/attendees?poor=true`, county);
    expect(poorOnly.json().total).toBe(3);
  });

  it('gives the village pre-recruitment list with who came', async () => {
    const response = await call('GET', `/api/v1/fairs/${fairId}/pre-recruitment`, officer);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const ours = body.items.filter((i: { laborerId: string }) => Object.values(laborers).includes(i.laborerId));
    // 蒋余美 was hired after the fair: she left the job-seeker list.
    expect(ours.map((i: { name: string; attended: boolean }) => [i.name, i.attended]).sort()).toEqual([['李秀英', true], ['王强', true]]);
    expect(await auditCount('fair.prerecruitment.view', fairId)).toBe(1);
    expect((await call('GET', `/api/v1/fairs/${onlineId}/pre-recruitment`, county)).json().code).toBe('FAIR_NOT_AT_VILLAGE');
  });

  it('gives the article results table per fair and summed for a region and period', async () => {
    const response = await call('GET', '/api/v1/fairs/results?region=430522&from=2026-01-01&to=2026-12-31', county);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.rows.find((r: { fairId: string }) => r.fairId === fairId)).toMatchObject({
      sessions: 1, attendees: 5, poorAttendees: 3, intentions: 3, poorIntentions: 2, hires: 1,
    });
    expect(body.offline).toEqual({ sessions: 1, attendees: 5, poorAttendees: 3, intentions: 3, poorIntentions: 2, hires: 1 });
    expect(body.online).toEqual({ sessions: 1, attendees: 0, poorAttendees: 0, intentions: 0, poorIntentions: 0, hires: 0 });
    expect(body.total.sessions).toBe(2);
    const march = await call('GET', '/api/v1/fairs/results?region=430522&from=2026-03-01&to=2026-03-31', county);
    expect(march.json().total).toMatchObject({ sessions: 1, attendees: 5 });
    const upside = await call('GET', '/api/v1/fairs/results?from=2026-03-31&to=2026-03-01', county);
    expect(upside.json().code).toBe('FAIR_PERIOD');
    // The village officer sees the township's fair held at the village door.
    expect((await call('GET', '/api/v1/fairs/results', officer)).json().total).toMatchObject({ sessions: 1, attendees: 5 });
  });

  it('is scoped: another county neither sees nor registers at the fair', async () => {
    expect((await call('GET', `/api/v1/fairs/${fairId}`, guzhang)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/fairs/${fairId}/attendees`, guzhang, { identifier: ID.b })).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/fairs/${fairId}/attendees`, guzhang)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/fairs', guzhang)).json()).toEqual({ items: [], total: 0 });
    expect((await call('GET', '/api/v1/fairs/results?region=430522', guzhang)).statusCode).toBe(403);
    // The village officer does not see the county's online fair (organised above the village).
    expect((await call('GET', `/api/v1/fairs/${onlineId}`, officer)).statusCode).toBe(404);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE entity = 'fair' AND entity_id = ${fairId} AND result = 'denied'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(3);
  });
});

describe('generator step', () => {
  it('adds the demo fairs with attendees and intentions once, deterministically', async () => {
    const { fairsStep } = await import('../../generate/fairs.step.ts');
    const { Rng } = await import('../../generate/random.ts');
    const run = () => fairsStep.run({
      preset: 'demo', seed: 1, rng: new Rng(1).fork('fairs'), db: t.ctx.db, pool: t.database.pool, config: t.config, audit: t.ctx.audit, progress: () => {},
    });
    expect(await run()).toMatch(/^9 fairs added \(0 already there\), \d+ attendees, \d+ intentions, \d+ hires$/);
    const { rows } = await sql<{ fairs: string; online: string; village: string; poor: string; clear: string }>`SELECT count(*) AS fairs,
        count(*) FILTER (WHERE mode = 'online') AS online, count(*) FILTER (WHERE village_code IS NOT NULL) AS village,
        (SELECT count(*) FROM fair_attendee a WHERE a.fair_id >= 100000 AND a.poor) AS poor,
        (SELECT count(*) FROM fair_attendee a WHERE a.fair_id >= 100000 AND a.id_masked !~ '^\\d{6}\\*{8}\\d{3}[\\dX]$') AS clear
      FROM fair WHERE id >= 100000`.execute(t.ctx.db);
    expect(rows[0]).toMatchObject({ fairs: '9', online: '3', village: '3', clear: '0' });
    expect(await run()).toMatch(/^0 fairs added \(9 already there\)/);
    // Fairs staff create after a generation take ids past the generated block.
    const after = await call('POST', '/api/v1/fairs', county, { title: '生成之后的招聘会', mode: 'offline', heldOn: '2026-11-21' });
    expect(Number(after.json().id)).toBeGreaterThan(100_008);
  });
});

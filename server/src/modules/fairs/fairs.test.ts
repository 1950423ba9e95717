import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { idCheckChar } from '../registry/index.ts';
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

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

async function posting(title: string, headcount: number): Promise<string> {
  const { rows: e } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(
    t.ctx.db,
  );
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max,
      valid_from, valid_to) VALUES (${e[0]!.employer_id}, ${title}, '6-05-01-03', ${DAZHU}, ${headcount}, 2600, 3600, '2020-01-01', '2099-12-31')
    RETURNING id`.execute(t.ctx.db);
  return rows[0]!.id;
}

async function auditCount(action: string, entityId: string): Promise<number> {
  const { rows } = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM audit_log WHERE action = ${action} AND entity_id = ${entityId} AND result <> 'denied'`.execute(t.ctx.db);
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
  for (const [key, name, phone] of [
    ['a', '蒋余美', '13812345678'],
    ['b', '李秀英', null],
    ['c', '王强', null],
  ] as const) {
    const response = await call('POST', '/api/v1/laborers', officer, {
      idNumber: ID[key],
      name,
      homeVillageCode: DAZHU,
      povertyStatus: 'registered',
      education: '70',
      laborCapacity: 'full',
      health: 'healthy',
      willingness: 'in_county',
      caring: 'none',
      employmentStatus: 'unemployed',
      ...(phone ? { phone } : {}),
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
    expect(classifyIdentifier(badCheck('43052219850302201'))).toMatchObject({
      ok: false,
      code: 'ID_CHECK_DIGIT',
      message: '身份证号校验位错误',
    });
    expect(classifyIdentifier('12345678901')).toMatchObject({ ok: false, kind: 'phone', code: 'PHONE_FORMAT' });
    expect(classifyIdentifier('')).toMatchObject({ ok: false, code: 'ID_EMPTY' });
  });
});

describe('recruitment fairs', () => {
  it('creates a fair at a village door with its postings and employers, audited', async () => {
    const response = await call('POST', '/api/v1/fairs', operator, {
      title: '龙溪铺镇大竹村送岗上门招聘会',
      mode: 'offline',
      heldOn: '2026-03-02',
      villageCode: DAZHU,
      address: '大竹村村部',
      organiserName: '龙溪铺镇人社服务站',
      postingIds: [postings.workshop, postings.other],
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    fairId = body.id;
    expect(body).toMatchObject({
      mode: 'offline',
      regionCode: '430522107',
      villageCode: DAZHU,
      placeRegionCode: DAZHU,
      figures: { sessions: 1, attendees: 0 },
    });
    expect(body.postings.map((p: { id: string }) => p.id).sort()).toEqual([postings.workshop, postings.other].sort());
    expect(body.employers).toHaveLength(1);
    expect(await auditCount('fair.create', fairId)).toBe(1);

    const online = await call('POST', '/api/v1/fairs', county, {
      title: '新邵县春风行动线上招聘会',
      mode: 'online',
      heldOn: '2026-02-20',
      postingIds: [postings.other],
    });
    expect(online.statusCode, online.body).toBe(201);
    onlineId = online.json().id;
  });

  it('refuses a village outside the organising region and unknown postings', async () => {
    const outside = await call('POST', '/api/v1/fairs', operator, {
      title: '越界招聘会',
      mode: 'offline',
      heldOn: '2026-03-02',
      villageCode: '433126100200',
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().code).toBe('FAIR_VILLAGE_OUTSIDE');
    const unknown = await call('POST', '/api/v1/fairs', operator, {
      title: '未知岗位招聘会',
      mode: 'offline',
      heldOn: '2026-03-02',
      postingIds: ['999999'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'FAIR_PARTICIPANT_UNKNOWN', details: { postings: ['999999'] } });
    expect(
      (await call('POST', '/api/v1/fairs', guzhang, { title: '跨县招聘会', mode: 'offline', heldOn: '2026-03-02', regionCode: '430522' }))
        .statusCode,
    ).toBe(403);
  });

  it('registers a batch at the door with a result per row: poor laborers recognised, bad check digits refused, duplicates caught', async () => {
    const response = await call('POST', `/api/v1/fairs/${fairId}/attendees/batch`, officer, {
      identifiers: [ID.a, badCheck('43052219900405202'), legacy15(ID.c), ID.stranger, ID.a, '13812345678', '12345678901', '13900001111'],
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ registered: 4, duplicates: 2, invalid: 2, poor: 2 });
    const rows = body.rows;
    expect(rows[0]).toMatchObject({
      row: 1,
      status: 'registered',
      kind: 'id',
      poor: true,
      laborer: { id: laborers.a, name: '蒋余美', villageCode: DAZHU },
    });
    expect(rows[0].masked).toMatch(/^430522\*{8}\d{3}[\dX]$/);
    expect(rows[1]).toMatchObject({ row: 2, status: 'invalid', code: 'ID_CHECK_DIGIT', message: '身份证号校验位错误', attendeeId: null });
    expect(rows[2]).toMatchObject({ row: 3, status: 'registered', poor: true, laborer: { id: laborers.c } });
    expect(rows[3]).toMatchObject({
      row: 4,
      status: 'registered',
      poor: false,
      laborer: null,
      masked: `440307********${ID.stranger.slice(14)}`,
    });
    // The same person twice in a batch, and by phone after the ID: one attendee.
    expect(rows[4]).toMatchObject({ row: 5, status: 'duplicate', attendeeId: rows[0].attendeeId });
    expect(rows[5]).toMatchObject({
      row: 6,
      status: 'duplicate',
      kind: 'phone',
      attendeeId: rows[0].attendeeId,
      laborer: { id: laborers.a },
    });
    expect(rows[6]).toMatchObject({ row: 7, status: 'invalid', code: 'PHONE_FORMAT' });
    expect(rows[7]).toMatchObject({ row: 8, status: 'registered', kind: 'phone', poor: false, masked: '139****1111' });
    attendees.a = rows[0].attendeeId;
    attendees.c = rows[2].attendeeId;
    attendees.stranger = rows[3].attendeeId;
    expect(await auditCount('fair.attendees.register', fairId)).toBe(1);
  });

  it('never stores the clear number of anyone', async () => {
    const { rows } = await sql<{ row: string }>`SELECT row_to_json(a)::text AS row FROM fair_attendee a WHERE fair_id = ${fairId}`.execute(
      t.ctx.db,
    );
    expect(rows).toHaveLength(4);
    for (const r of rows)
      for (const secret of [ID.a, ID.c, ID.stranger, legacy15(ID.c), '13900001111']) expect(r.row).not.toContain(secret);
    const { rows: stranger } = await sql<{
      laborer_id: string | null;
      id_masked: string;
      has_index: boolean;
    }>`SELECT laborer_id, id_masked, id_index IS NOT NULL AS has_index
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
  });

  it('records intentions, opening a fair-channel referral for registry laborers', async () => {
    const a = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, {
      attendeeId: attendees.a,
      postingId: postings.workshop,
      refer: true,
    });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ postingId: postings.workshop, referralStatus: 'recommended' });
    const referralId = a.json().referralId;
    const { rows } = await sql<{
      channel: string;
      laborer_id: string;
    }>`SELECT channel, laborer_id FROM referral WHERE id = ${referralId}`.execute(t.ctx.db);
    expect(rows[0]).toEqual({ channel: 'fair', laborer_id: laborers.a });

    const stranger = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, {
      attendeeId: attendees.stranger,
      postingId: postings.other,
    });
    expect(stranger.statusCode, stranger.body).toBe(201);
    expect(stranger.json().referralId).toBeNull();
    const c = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, {
      attendeeId: attendees.c,
      postingId: postings.other,
      refer: true,
    });
    expect(c.statusCode, c.body).toBe(201);

    const twice = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, {
      attendeeId: attendees.a,
      postingId: postings.workshop,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('FAIR_INTENTION_EXISTS');
    const notInFair = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, {
      attendeeId: attendees.a,
      postingId: postings.outside,
    });
    expect(notInFair.json().code).toBe('FAIR_POSTING_NOT_IN_FAIR');
    const referUnknown = await call('POST', `/api/v1/fairs/${fairId}/intentions`, officer, {
      attendeeId: attendees.stranger,
      postingId: postings.workshop,
      refer: true,
    });
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
    expect(a).toMatchObject({
      poor: true,
      laborer: { name: '蒋余美' },
      intentions: [{ postingId: postings.workshop, referralStatus: 'hired' }],
    });
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
    expect(ours.map((i: { name: string; attended: boolean }) => [i.name, i.attended]).sort()).toEqual([
      ['李秀英', true],
      ['王强', true],
    ]);
    expect(await auditCount('fair.prerecruitment.view', fairId)).toBe(1);
    expect((await call('GET', `/api/v1/fairs/${onlineId}/pre-recruitment`, county)).json().code).toBe('FAIR_NOT_AT_VILLAGE');
  });

  it('gives the article results table per fair and summed for a region and period', async () => {
    const response = await call('GET', '/api/v1/fairs/results?region=430522&from=2026-01-01&to=2026-12-31', county);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.rows.find((r: { fairId: string }) => r.fairId === fairId)).toMatchObject({
      sessions: 1,
      attendees: 5,
      poorAttendees: 3,
      intentions: 3,
      poorIntentions: 2,
      hires: 1,
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
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE entity = 'fair' AND entity_id = ${fairId} AND result = 'denied'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(3);
  });
});

describe('the door is not an identity oracle (issue 15)', () => {
  const HUAYUAN_VILLAGE = '433124109269'; // 花垣县 杠杠村
  const TUANJIE = '430522200235'; // 新邵县 潭府乡 团结村: the officer's county, not their village
  const far = { id: makeId('43312419880712401'), phone: '13700001234' };
  const near = makeId('43052219790315402');
  let farCard: string;
  let nearCard: string;
  let doorFair: string;

  const card = async (cookie: string, idNumber: string, name: string, village: string, phone?: string) => {
    const response = await call('POST', '/api/v1/laborers', cookie, {
      idNumber,
      name,
      homeVillageCode: village,
      povertyStatus: 'monitored',
      education: '70',
      laborCapacity: 'full',
      health: 'healthy',
      willingness: 'out_of_province',
      caring: 'none',
      employmentStatus: 'unemployed',
      ...(phone ? { phone } : {}),
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  };
  const views = async (laborerId: string) => {
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'laborer.view' AND entity = 'laborer' AND entity_id = ${laborerId}`.execute(
      t.ctx.db,
    );
    return Number(rows[0]!.n);
  };

  beforeAll(async () => {
    farCard = await card(await t.login('huayuan_admin'), far.id, '石泽芳', HUAYUAN_VILLAGE, far.phone);
    nearCard = await card(county, near, '刘团结', TUANJIE);
    const response = await call('POST', '/api/v1/fairs', operator, {
      title: '大竹村门口招聘会（识别范围）',
      mode: 'offline',
      heldOn: '2026-04-02',
      villageCode: DAZHU,
    });
    expect(response.statusCode, response.body).toBe(201);
    doorFair = response.json().id;
  });

  it('tells the village officer of 大竹村 only "贫困劳动力（外县）" about a laborer of 花垣县, by ID number or by phone', async () => {
    const response = await call('POST', `/api/v1/fairs/${doorFair}/attendees/batch`, officer, {
      identifiers: [far.id, far.phone, near, ID.b],
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ registered: 3, duplicates: 1, poor: 3 });
    const [byId, byPhone, neighbour, own] = body.rows;
    expect(byId).toMatchObject({
      status: 'registered',
      poor: true,
      laborer: null,
      outsideScope: '贫困劳动力（外县）',
      message: '已识别为贫困劳动力（外县）',
    });
    expect(byPhone).toMatchObject({
      status: 'duplicate',
      poor: true,
      laborer: null,
      outsideScope: '贫困劳动力（外县）',
      attendeeId: byId.attendeeId,
    });
    // Another village of the officer's own county is outside their scope too.
    expect(neighbour).toMatchObject({ poor: true, laborer: null, outsideScope: '贫困劳动力（辖区外）' });
    expect(own).toMatchObject({ poor: true, laborer: { id: laborers.b, name: '李秀英', villageCode: DAZHU }, outsideScope: null });
    // Nothing that identifies the card: no name, village, card id or poverty status; the row is all there is.
    expect(byId).toEqual({
      row: 1,
      status: 'registered',
      kind: 'id',
      masked: `433124********${far.id.slice(14)}`,
      attendeeId: expect.any(String),
      poor: true,
      laborer: null,
      outsideScope: '贫困劳动力（外县）',
      code: null,
      message: '已识别为贫困劳动力（外县）',
    });
    const text = JSON.stringify(body.rows.slice(0, 3));
    for (const secret of ['石泽芳', '刘团结', HUAYUAN_VILLAGE, TUANJIE, '杠杠村', '团结村', 'monitored', '监测', far.id, far.phone])
      expect(text).not.toContain(secret);

    // The attendee list says no more, even where the phone led to the card.
    const list = await call('GET', `/api/v1/fairs/${doorFair}/attendees?pageSize=50`, officer);
    expect(list.statusCode, list.body).toBe(200);
    const farRow = list.json().items.find((i: { id: string }) => i.id === byId.attendeeId);
    expect(farRow).toMatchObject({
      poor: true,
      laborer: null,
      outsideScope: '贫困劳动力（外县）',
      idNumberMasked: `433124********${far.id.slice(14)}`,
    });
    const listText = JSON.stringify(list.json().items.filter((i: { id: string }) => i.id !== own.attendeeId));
    for (const secret of ['石泽芳', '刘团结', HUAYUAN_VILLAGE, TUANJIE, 'monitored']) expect(listText).not.toContain(secret);

    // The fair's figures still count them as poor; the county admin sees the county's own card named.
    expect((await call('GET', `/api/v1/fairs/${doorFair}`, officer)).json().figures).toMatchObject({ attendees: 3, poorAttendees: 3 });
    const asCounty = (await call('GET', `/api/v1/fairs/${doorFair}/attendees?pageSize=50`, county)).json().items;
    expect(asCounty.find((i: { id: string }) => i.id === neighbour.attendeeId)).toMatchObject({
      laborer: { id: nearCard, name: '刘团结' },
      outsideScope: null,
    });
    expect(asCounty.find((i: { id: string }) => i.id === byId.attendeeId)).toMatchObject({
      laborer: null,
      outsideScope: '贫困劳动力（外县）',
    });
  });

  it('audits each recognition of an in-scope card as a view of that card, and none outside the scope', async () => {
    const before = await views(laborers.a);
    const response = await call('POST', `/api/v1/fairs/${doorFair}/attendees`, officer, { identifier: ID.a });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ laborer: { id: laborers.a } });
    expect(await views(laborers.a)).toBe(before + 1);
    const { rows } = await sql<{ actor_name: string; details: { via: string; fair: string } }>`SELECT actor_name, details FROM audit_log
      WHERE action = 'laborer.view' AND entity_id = ${laborers.a} ORDER BY id DESC LIMIT 1`.execute(t.ctx.db);
    expect(rows[0]).toEqual({ actor_name: 'dazhu_officer', details: { via: 'fair.attendees.register', fair: doorFair } });
    // The 花垣县 and 团结村 cards were recognised above, and never shown: no view of them.
    expect(await views(farCard)).toBe(0);
    expect(await views(nearCard)).toBe(0);
  });

  it('refuses a batch of more than 200 with a clear answer', async () => {
    const identifiers = Array.from({ length: 201 }, (_, i) => makeId(`43052219900101${String(i).padStart(3, '0')}`));
    const response = await call('POST', `/api/v1/fairs/${doorFair}/attendees/batch`, officer, { identifiers });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'FAIR_BATCH_TOO_LARGE',
      message: '一次至多登记 200 人（本次 201 行），请分批提交',
      details: { max: 200, rows: 201 },
    });
    const ok = await call('POST', `/api/v1/fairs/${doorFair}/attendees/batch`, officer, { identifiers: identifiers.slice(0, 200) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().registered).toBe(200);
  });
});

describe('door lookups per account are limited', () => {
  const ids = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => makeId(`43052219910201${String(from + i).padStart(3, '0')}`));
  /** An app with these limits, a fair at 大竹村's door, and the officer's batch and single registration. */
  async function door(perMinute: number, perDay: number) {
    const app = await createTestApp({ LAOWU_FAIR_LOOKUPS_PER_MINUTE: String(perMinute), LAOWU_FAIR_LOOKUPS_PER_DAY: String(perDay) });
    const post = async (url: string, cookie: string, payload: object) =>
      app.app.inject({ method: 'POST', url, headers: { cookie }, payload });
    const fair = await post('/api/v1/fairs', await app.login('longxipu_operator'), {
      title: '限流测试招聘会',
      mode: 'offline',
      heldOn: '2026-04-03',
      villageCode: DAZHU,
    });
    expect(fair.statusCode, fair.body).toBe(201);
    const url = `/api/v1/fairs/${fair.json().id}/attendees`;
    return {
      app,
      batch: async (cookie: string, identifiers: string[]) => post(`${url}/batch`, cookie, { identifiers }),
      single: async (cookie: string, identifier: string) => post(url, cookie, { identifier }),
    };
  }

  it("refuses a request that would exceed the minute's lookups with 429 FAIR_LOOKUP_RATE, audited; a refused request and wrong numbers do not count", async () => {
    const d = await door(5, 1000);
    try {
      const officerCookie = await d.app.login('dazhu_officer');
      // Six numbers in one request: more than a minute allows, whatever the clock says.
      const burst = await d.batch(officerCookie, ids(0, 6));
      expect(burst.statusCode).toBe(429);
      expect(burst.json()).toMatchObject({
        code: 'FAIR_LOOKUP_RATE',
        message: '每个账号每分钟至多识别 5 个身份证号或手机号，请稍后再试',
        details: { window: 'minute', limit: 5 },
      });
      const { rows } = await sql<{
        actor_name: string;
      }>`SELECT actor_name FROM audit_log WHERE action = 'fair.attendees.register' AND result = 'denied'
        AND details->>'reason' = 'rate'`.execute(d.app.ctx.db);
      expect(rows).toEqual([{ actor_name: 'dazhu_officer' }]);
      // The refused request counted nothing; wrong check digits are not lookups.
      const five = await d.batch(officerCookie, [...ids(10, 5), badCheck('43052219910202001'), badCheck('43052219910202002')]);
      expect(five.statusCode, five.body).toBe(200);
      expect(five.json()).toMatchObject({ registered: 5, invalid: 2 });
    } finally {
      await d.app.close();
    }
  }, 60_000);

  it("counts the day's lookups across requests, per account", async () => {
    const d = await door(1000, 8);
    try {
      const officerCookie = await d.app.login('dazhu_officer');
      expect((await d.batch(officerCookie, ids(0, 4))).statusCode).toBe(200);
      expect((await d.batch(officerCookie, ids(10, 4))).statusCode).toBe(200);
      const ninth = await d.single(officerCookie, ids(20, 1)[0]!);
      expect(ninth.statusCode).toBe(429);
      expect(ninth.json()).toMatchObject({
        code: 'FAIR_LOOKUP_RATE',
        message: '每个账号每天至多识别 8 个身份证号或手机号，请明天再试',
        details: { window: 'day', limit: 8 },
      });
      // Another account has its own count.
      const countyCookie = await d.app.login('xinshao_admin');
      expect((await d.batch(countyCookie, ids(30, 8))).statusCode).toBe(200);
    } finally {
      await d.app.close();
    }
  }, 60_000);
});

describe('generator step', () => {
  it('adds the demo fairs with attendees and intentions once, deterministically', async () => {
    const { fairsStep } = await import('../../generate/fairs.step.ts');
    const { Rng } = await import('../../generate/random.ts');
    const run = () =>
      fairsStep.run({
        preset: 'demo',
        seed: 1,
        rng: new Rng(1).fork('fairs'),
        db: t.database.db,
        pool: t.database.pool,
        config: t.config,
        audit: t.ctx.audit,
        progress: () => {},
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

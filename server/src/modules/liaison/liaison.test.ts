import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers.ts';
import { createAccountsService } from '../accounts/index.ts';
import { creditCodeCheckChar } from '../employers/index.ts';
import { idCheckChar } from '../registry/index.ts';
import { chinaToday, addDays } from '../../platform/time.ts';

const makeId = (body17: string) => body17 + idCheckChar(body17);
const credit = (body17: string) => body17 + creditCodeCheckChar(body17);
const DAZHU = '430522107212';

let t: TestApp;
let office: string; // huayuan_shenzhen: 花垣县's office in 深圳
let guangzhouOffice: string; // 花垣县's office in 广州
let huayuan: string;
let xinshao: string;
let guzhang: string;
let officeId: string;
const laborers: Record<string, string> = {};
let shenzhenEmployer: string;

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

const card = (body17: string, name: string, village: string) => ({
  idNumber: makeId(body17),
  name,
  homeVillageCode: village,
  povertyStatus: 'registered',
  education: '70',
  laborCapacity: 'full',
  health: 'healthy',
  willingness: 'out_of_province',
  caring: 'none',
});

async function employment(laborer: string, employer: string | null, region: string, startedOn: string, endedOn: string | null = null) {
  await sql`INSERT INTO employment (laborer_id, employer_id, work_region_code, started_on, ended_on, end_reason, monthly_wage, channel)
    VALUES (${laborer}, ${employer}, ${region}, ${startedOn}::date, ${endedOn}::date, ${endedOn ? 'contract_ended' : null}, 5200, 'assisted')`.execute(
    t.ctx.db,
  );
}

async function audited(action: string, result = 'success'): Promise<{ entity_id: string | null; actor_name: string; details: unknown }[]> {
  const { rows } = await sql<{ entity_id: string | null; actor_name: string; details: unknown }>`SELECT entity_id, actor_name, details
    FROM audit_log WHERE action = ${action} AND result = ${result} ORDER BY id`.execute(t.ctx.db);
  return rows;
}

beforeAll(async () => {
  t = await createTestApp();
  const accounts = createAccountsService({ audit: t.ctx.audit });
  await t.database.db.transaction().execute((tx) =>
    accounts.createSystemAccount(tx, {
      username: 'huayuan_guangzhou',
      displayName: '花垣县驻广州劳务对接服务中心',
      password: DEMO_PASSWORD,
      role: 'liaison_office',
      regionCode: '433124',
      hostRegionCode: '4401',
    }),
  );
  [office, guangzhouOffice, huayuan, xinshao, guzhang] = await Promise.all(
    ['huayuan_shenzhen', 'huayuan_guangzhou', 'huayuan_admin', 'xinshao_admin', 'guzhang_admin'].map((u) => t.login(u)),
  );
  const { rows: acc } = await sql<{ id: string }>`SELECT id FROM account WHERE username = 'huayuan_shenzhen'`.execute(t.ctx.db);
  officeId = acc[0]!.id;
  const { rows: villages } = await sql<{
    code: string;
  }>`SELECT code FROM region WHERE code LIKE '433124%' AND length(code) = 12 ORDER BY code LIMIT 1`.execute(t.ctx.db);
  const huayuanVillage = villages[0]!.code;
  for (const [key, body17, name, village, cookie] of [
    ['shenzhen', '43312419880101301', '石泽芳', huayuanVillage, huayuan],
    ['guangzhou', '43312419900202302', '龙秀英', huayuanVillage, huayuan],
    ['ended', '43312419920303303', '麻建国', huayuanVillage, huayuan],
    ['home', '43312419940404304', '吴金花', huayuanVillage, huayuan],
    ['xinshao', '43052219860505305', '蒋余美', DAZHU, xinshao],
  ] as const) {
    const response = await call('POST', '/api/v1/laborers', cookie, card(body17, name, village));
    expect(response.statusCode, response.body).toBe(201);
    laborers[key] = response.json().id;
  }
  const { rows: emp } = await sql<{ id: string }>`INSERT INTO employer (credit_code, name, region_code, kind)
    VALUES (${credit('91440300MA5F00017')}, '深圳布吉首饰加工厂', '440307', 'designated') RETURNING id`.execute(t.ctx.db);
  shenzhenEmployer = emp[0]!.id;
  await employment(laborers.shenzhen!, shenzhenEmployer, '440307', '2024-03-01');
  await employment(laborers.guangzhou!, null, '440106', '2024-05-01');
  await employment(laborers.ended!, shenzhenEmployer, '440307', '2023-01-01', '2024-01-31');
  await employment(laborers.xinshao!, shenzhenEmployer, '440307', '2024-06-01');
});
afterAll(async () => t?.close());

describe('the office sees the laborers of its county working in its city', () => {
  it('lists exactly the open 深圳 employment of 花垣县 laborers, identifiers masked, and audits the search', async () => {
    const response = await call('GET', '/api/v1/liaison/workers', office);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.total).toBe(1);
    expect(body.items.map((w: { laborerId: string }) => w.laborerId)).toEqual([laborers.shenzhen]);
    expect(body.items[0]).toMatchObject({
      name: '石泽芳',
      idNumberMasked: expect.stringMatching(/^433124\*{8}\d{3}[\dX]$/),
      openCases: 0,
      employment: {
        employerName: '深圳布吉首饰加工厂',
        workRegionCode: '440307',
        startedOn: '2024-03-01',
        monthlyWage: 5200,
        channel: 'assisted',
      },
    });
    expect(JSON.stringify(body)).not.toContain(makeId('43312419880101301'));
    const rows = await audited('liaison.worker.list');
    expect(rows.at(-1)).toMatchObject({ actor_name: 'huayuan_shenzhen', details: { shown: 1, total: 1 } });
  });

  it('searches by name, pinyin initials and employer', async () => {
    for (const [q, n] of [
      ['石泽', 1],
      ['szf', 1],
      ['布吉', 1],
      ['龙秀英', 0],
      ['%', 0],
    ] as const) {
      const body = (await call('GET', `/api/v1/liaison/workers?q=${encodeURIComponent(q)}`, office)).json();
      expect(body.total, q).toBe(n);
    }
  });

  it("the same county's office in 广州 sees its own city only", async () => {
    const body = (await call('GET', '/api/v1/liaison/workers', guangzhouOffice)).json();
    expect(body.items.map((w: { laborerId: string }) => w.laborerId)).toEqual([laborers.guangzhou]);
  });

  it('opens the worker with the current employment; everyone else is 404 不存在或无权限, audited', async () => {
    const response = await call('GET', `/api/v1/liaison/workers/${laborers.shenzhen}`, office);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ laborerId: laborers.shenzhen, employment: { workRegionCode: '440307' }, cases: [] });
    expect((await audited('liaison.worker.view')).map((r) => r.entity_id)).toEqual([laborers.shenzhen]);
    for (const key of ['guangzhou', 'ended', 'home', 'xinshao'] as const) {
      const refused = await call('GET', `/api/v1/liaison/workers/${laborers[key]}`, office);
      expect(refused.statusCode, key).toBe(404);
      expect(refused.json()).toMatchObject({ code: 'NOT_FOUND', message: '不存在或无权限' });
    }
    expect((await call('GET', '/api/v1/liaison/workers/999999999', office)).statusCode).toBe(404);
    expect((await audited('liaison.worker.view', 'denied')).map((r) => r.entity_id)).toEqual([
      laborers.guangzhou,
      laborers.ended,
      laborers.home,
      laborers.xinshao,
      '999999999',
    ]);
  });
});

const caseIds: Record<string, string> = {};

describe('problems and help', () => {
  it('records a problem the worker reported, in the same transaction as its audit row', async () => {
    const response = await call('POST', `/api/v1/liaison/workers/${laborers.shenzhen}/cases`, office, {
      kind: 'wage_arrears',
      description: '工厂拖欠两个月工资',
      reportedOn: '2024-09-02',
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    caseIds.wages = body.id;
    expect(body).toMatchObject({
      laborerId: laborers.shenzhen,
      laborerName: '石泽芳',
      kind: 'wage_arrears',
      status: 'open',
      helpGiven: null,
      closedOn: null,
      reportedOn: '2024-09-02',
      hostRegionCode: '4403',
      homeRegionCode: '433124',
      employerName: '深圳布吉首饰加工厂',
      recordedBy: { username: 'huayuan_shenzhen' },
    });
    const second = await call('POST', `/api/v1/liaison/workers/${laborers.shenzhen}/cases`, office, {
      kind: 'hardship',
      description: '子女入学需要协调',
      helpGiven: '已联系街道办',
    });
    expect(second.statusCode, second.body).toBe(201);
    caseIds.hardship = second.json().id;
    expect(second.json()).toMatchObject({ reportedOn: chinaToday(), helpGiven: '已联系街道办', status: 'open' });
    expect((await audited('liaison.case.create')).map((r) => r.entity_id)).toEqual([caseIds.wages, caseIds.hardship]);
    const worker = (await call('GET', `/api/v1/liaison/workers/${laborers.shenzhen}`, office)).json();
    expect(worker.openCases).toBe(2);
    expect(worker.cases.map((c: { id: string }) => c.id).sort()).toEqual([caseIds.wages, caseIds.hardship].sort());
  });

  it('refuses bad input with a clear reason, and workers outside the scope', async () => {
    const url = `/api/v1/liaison/workers/${laborers.shenzhen}/cases`;
    const cases: [object, string][] = [
      [{ kind: 'theft', description: '丢失物品' }, 'VALIDATION_FAILED'],
      [{ kind: 'other', description: '   ' }, 'VALIDATION_FAILED'],
      [{ kind: 'other' }, 'VALIDATION_FAILED'],
      [{ kind: 'other', description: '其他', officeId: '1' }, 'VALIDATION_FAILED'],
      [{ kind: 'other', description: '其他', reportedOn: addDays(chinaToday(), 2) }, 'LIAISON_CASE_DATE'],
      [{ kind: 'other', description: '其他', reportedOn: '2024-02-01' }, 'LIAISON_CASE_DATE'],
    ];
    for (const [payload, code] of cases) {
      const response = await call('POST', url, office, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().code, JSON.stringify(payload)).toBe(code);
    }
    for (const key of ['guangzhou', 'ended', 'xinshao'] as const) {
      expect(
        (await call('POST', `/api/v1/liaison/workers/${laborers[key]}/cases`, office, { kind: 'other', description: '其他' })).statusCode,
      ).toBe(404);
    }
    expect((await audited('liaison.case.create')).length).toBe(2);
  });

  it('closes a case with the help given; a closed case is not changed again', async () => {
    const url = `/api/v1/liaison/cases/${caseIds.wages}`;
    expect((await call('PATCH', url, office, {})).json().code).toBe('VALIDATION_FAILED');
    expect((await call('PATCH', url, office, { status: 'closed' })).json().code).toBe('LIAISON_CASE_HELP_REQUIRED');
    expect((await call('PATCH', url, office, { status: 'closed', helpGiven: '协调', closedOn: '2024-09-01' })).json().code).toBe(
      'LIAISON_CASE_DATE',
    );
    expect((await call('PATCH', url, office, { helpGiven: '协调', closedOn: '2024-09-10' })).json().code).toBe('VALIDATION_FAILED');
    const updated = await call('PATCH', url, office, { description: '工厂拖欠7月、8月工资共1万元' });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ status: 'open', description: '工厂拖欠7月、8月工资共1万元' });
    const closed = await call('PATCH', url, office, {
      status: 'closed',
      helpGiven: '联系深圳市龙岗区劳动监察大队，工资已全部追回',
      closedOn: '2024-09-20',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      closedOn: '2024-09-20',
      helpGiven: '联系深圳市龙岗区劳动监察大队，工资已全部追回',
    });
    const again = await call('PATCH', url, office, { helpGiven: '补充' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('LIAISON_CASE_CLOSED');
    // Help recorded earlier is enough to close.
    const hardship = await call('PATCH', `/api/v1/liaison/cases/${caseIds.hardship}`, office, { status: 'closed' });
    expect(hardship.json()).toMatchObject({ status: 'closed', closedOn: chinaToday(), helpGiven: '已联系街道办' });
    expect((await audited('liaison.case.close')).map((r) => r.entity_id)).toEqual([caseIds.wages, caseIds.hardship]);
    expect((await audited('liaison.case.update')).map((r) => r.entity_id)).toEqual([caseIds.wages]);
  });

  it("lists the office's cases by status; another office never sees nor changes them", async () => {
    const open = await call('POST', `/api/v1/liaison/workers/${laborers.shenzhen}/cases`, office, {
      kind: 'return_home',
      description: '春节后想回县里就业',
    });
    caseIds.returnHome = open.json().id;
    const all = (await call('GET', '/api/v1/liaison/cases', office)).json();
    expect(all.total).toBe(3);
    expect(all.items[0].id).toBe(caseIds.returnHome); // open cases first
    expect((await call('GET', '/api/v1/liaison/cases?status=closed', office)).json().total).toBe(2);
    expect((await call('GET', '/api/v1/liaison/cases?status=open', office)).json().items.map((c: { id: string }) => c.id)).toEqual([
      caseIds.returnHome,
    ]);
    expect((await call('GET', '/api/v1/liaison/cases?status=pending', office)).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/liaison/cases', guangzhouOffice)).json().total).toBe(0);
    expect(
      (await call('PATCH', `/api/v1/liaison/cases/${caseIds.returnHome}`, guangzhouOffice, { status: 'closed', helpGiven: 'x' }))
        .statusCode,
    ).toBe(404);
    expect((await audited('liaison.case.update', 'denied')).map((r) => r.entity_id)).toEqual([caseIds.returnHome]);
  });

  it("the home county's admin reads the cases of its laborers; other counties read none", async () => {
    const county = await call('GET', '/api/v1/liaison/cases', huayuan);
    expect(county.statusCode, county.body).toBe(200);
    expect(county.json().total).toBe(3);
    expect((await call('GET', `/api/v1/liaison/cases?laborer=${laborers.shenzhen}&status=closed`, huayuan)).json().total).toBe(2);
    expect((await call('GET', '/api/v1/liaison/cases', guzhang)).json().total).toBe(0);
    expect((await call('GET', '/api/v1/liaison/cases', xinshao)).json().total).toBe(0);
    // Reading is not changing: the county does not close the office's cases.
    expect(
      (await call('PATCH', `/api/v1/liaison/cases/${caseIds.returnHome}`, huayuan, { status: 'closed', helpGiven: 'x' })).statusCode,
    ).toBe(403);
    expect((await audited('liaison.case.list')).some((r) => r.actor_name === 'huayuan_admin')).toBe(true);
  });

  it("keeps the office's records after the worker left the city, and the worker drops out of its list", async () => {
    await sql`UPDATE employment SET ended_on = ${chinaToday()}::date, end_reason = 'returned_home' WHERE laborer_id = ${laborers.shenzhen} AND ended_on IS NULL`.execute(
      t.ctx.db,
    );
    expect((await call('GET', '/api/v1/liaison/workers', office)).json().total).toBe(0);
    expect((await call('GET', `/api/v1/liaison/workers/${laborers.shenzhen}`, office)).statusCode).toBe(404);
    const closed = await call('PATCH', `/api/v1/liaison/cases/${caseIds.returnHome}`, office, {
      status: 'closed',
      helpGiven: '已协助联系县人社局返乡就业',
    });
    expect(closed.json().status).toBe('closed');
    expect((await call('GET', '/api/v1/liaison/cases', office)).json().total).toBe(3);
  });
});

describe("the office's own postings", () => {
  it("lists the postings its accounts published, with their state and hires, and nobody else's", async () => {
    const posting = async (title: string, by: string | null, validTo = '2099-12-31') => {
      const { rows } = await sql<{
        id: string;
      }>`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max,
          valid_from, valid_to, created_by) VALUES (${shenzhenEmployer}, ${title}, '6-05-01-03', '440307', 10, 4500, 6000, '2024-01-01', ${validTo}::date, ${by})
        RETURNING id`.execute(t.ctx.db);
      return rows[0]!.id;
    };
    const own = await posting('首饰加工操作工', officeId);
    const expired = await posting('包装工', officeId, '2024-06-30');
    const { rows } = await sql<{ id: string }>`SELECT id FROM account WHERE username = 'huayuan_admin'`.execute(t.ctx.db);
    await posting('县里发布的岗位', rows[0]!.id);
    await sql`UPDATE employment SET posting_id = ${own} WHERE laborer_id = ${laborers.ended}`.execute(t.ctx.db);
    const response = await call('GET', '/api/v1/liaison/postings', office);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.total).toBe(2);
    const byId = Object.fromEntries(body.items.map((p: { id: string }) => [p.id, p]));
    expect(byId[own]).toMatchObject({
      state: 'open',
      hires: 1,
      employerName: '深圳布吉首饰加工厂',
      createdBy: { username: 'huayuan_shenzhen' },
    });
    expect(byId[expired]).toMatchObject({ state: 'expired', hires: 0 });
    expect((await call('GET', '/api/v1/liaison/postings', guangzhouOffice)).json().total).toBe(0);
  });
});

describe("the office and the county's 稳岗清单 name the same employer and contact (issue 16 item 4a)", () => {
  it('shows the employer (registered or written on the employment) and its phone, exactly as the retention list does', async () => {
    const { rows: villages } = await sql<{
      code: string;
    }>`SELECT code FROM region WHERE code LIKE '433124%' AND length(code) = 12 ORDER BY code LIMIT 1`.execute(t.ctx.db);
    const ids: Record<string, string> = {};
    for (const [key, body17, name] of [
      ['registered', '43312419950505306', '田秋月'],
      ['self', '43312419960606307', '向东林'],
    ] as const) {
      const response = await call('POST', '/api/v1/laborers', huayuan, card(body17, name, villages[0]!.code));
      expect(response.statusCode, response.body).toBe(201);
      ids[key] = response.json().id;
    }
    await sql`UPDATE employer SET contact_phone = '0755-28881234' WHERE id = ${shenzhenEmployer}`.execute(t.ctx.db);
    await employment(ids.registered!, shenzhenEmployer, '440307', '2024-07-01');
    // A job found without a registered employer: the workplace and its contact are written on the employment.
    await sql`INSERT INTO employment (laborer_id, employer_id, workplace_name, workplace_contact, work_region_code, started_on, monthly_wage, channel)
      VALUES (${ids.self}, NULL, '龙岗区布吉街道个体服装店', '13800138000', '440307', '2024-08-01', 4800, 'self_found')`.execute(t.ctx.db);

    const workers = (await call('GET', '/api/v1/liaison/workers', office)).json();
    const shown = Object.fromEntries(
      workers.items.map((w: { laborerId: string; employment: { employerName: string | null; employerContact: string | null } }) => [
        w.laborerId,
        [w.employment.employerName, w.employment.employerContact],
      ]),
    );
    expect(shown[ids.registered!]).toEqual(['深圳布吉首饰加工厂', '0755-28881234']);
    expect(shown[ids.self!]).toEqual(['龙岗区布吉街道个体服装店', '13800138000']);

    const retention = await call('GET', '/api/v1/lists/retention?region=433124&workRegion=4403&pageSize=100', huayuan);
    expect(retention.statusCode, retention.body).toBe(200);
    const listed = Object.fromEntries(
      retention
        .json()
        .items.map((i: { laborer: { id: string }; employer: string | null; contact: string | null }) => [
          i.laborer.id,
          [i.employer, i.contact],
        ]),
    );
    for (const id of [ids.registered!, ids.self!]) expect(shown[id]).toEqual(listed[id]);

    const detail = (await call('GET', `/api/v1/liaison/workers/${ids.self}`, office)).json();
    expect(detail.employment).toMatchObject({ employerName: '龙岗区布吉街道个体服装店', employerContact: '13800138000' });
    // The office finds the worker by the workplace name as well.
    expect(
      (await call('GET', `/api/v1/liaison/workers?q=${encodeURIComponent('个体服装店')}`, office))
        .json()
        .items.map((w: { laborerId: string }) => w.laborerId),
    ).toEqual([ids.self]);
  });
});

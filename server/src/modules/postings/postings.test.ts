import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../test/helpers.ts';
import { createAccountsService } from '../accounts/index.ts';
import { creditCodeCheckChar } from '../employers/index.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

const code = (body17: string) => body17 + creditCodeCheckChar(body17);
const today = chinaToday();
const LONGGANG = '440307';
const FURONG = '430102';

let t: TestApp;
let county: string;
let guzhang: string;
let township: string;
let officer: string;
let broker: string;
let liaison: string;
let guohui: string;
let shenzhenAdmin: string;
let xinshaoEmployer: string;
let shenzhenEmployer: string;
let demoEmployer: string;

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const countPostings = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('posting')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const auditRows = (action: string, entityId: string) =>
  t.database.db
    .selectFrom('audit_log')
    .select(['actor_name', 'result', 'details'])
    .where('action', '=', action)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
const ids = (body: { items: { id: string }[] }) => body.items.map((p) => p.id).sort();

const posting = (extra: Record<string, unknown> = {}) => ({
  employerId: xinshaoEmployer,
  title: '电子厂普工',
  occupationCode: '6-25-04-07',
  workRegionCode: LONGGANG,
  headcount: 30,
  wageMin: 4500,
  wageMax: 6000,
  food: true,
  housing: true,
  ageMin: 18,
  ageMax: 45,
  minEducation: '70',
  skills: ['电子装配'],
  reservedForPoor: true,
  validTo: addDays(today, 90),
  description: '长白班，五险一金',
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  // An admin of 深圳市 (the input area) registers the employers there.
  const accounts = createAccountsService({ audit: t.ctx.audit });
  await t.database.db.transaction().execute((tx) =>
    accounts.createSystemAccount(tx, {
      username: 'shenzhen_admin',
      displayName: '深圳市人社局管理员',
      password: DEMO_PASSWORD,
      role: 'admin',
      regionCode: '4403',
    }),
  );
  [county, guzhang, township, officer, broker, liaison, guohui, shenzhenAdmin] = await Promise.all(
    [
      'xinshao_admin',
      'guzhang_admin',
      'longxipu_operator',
      'dazhu_officer',
      'longxipu_broker',
      'huayuan_shenzhen',
      'guohui_employer',
      'shenzhen_admin',
    ].map((u) => t.login(u)),
  );
  const make = async (cookie: string, body: object) => {
    const response = await call('POST', '/api/v1/employers', cookie, body);
    if (response.statusCode !== 201) throw new Error(response.body);
    return response.json().id as string;
  };
  xinshaoEmployer = await make(county, {
    creditCode: code('91430522MA4L10011'),
    name: '新邵县劳务输出公司',
    regionCode: '430522',
    kind: 'ordinary',
  });
  shenzhenEmployer = await make(shenzhenAdmin, {
    creditCode: code('91440300MA5D10022'),
    name: '深圳龙岗电子有限公司',
    regionCode: LONGGANG,
    industry: '39',
    kind: 'designated',
  });
  demoEmployer = (await call('GET', '/api/v1/employers', guohui)).json().items[0].id;
});
afterAll(async () => t?.close());

describe('job postings (岗位)', () => {
  let shenzhenPosting: string;

  it('the demo workshop has open postings at 大竹村 (缝纫工, 2500–3500, 包吃)', async () => {
    const body = (await call('GET', '/api/v1/postings', guohui)).json();
    expect(body.total).toBeGreaterThanOrEqual(1);
    expect(body.items).toContainEqual(
      expect.objectContaining({
        employer: expect.objectContaining({ id: demoEmployer, name: '邵阳国辉箱包扶贫车间', kind: 'workshop' }),
        occupation: { code: '6-05-01-03', label: '缝纫工' },
        workRegion: { code: '430522107212', name: '大竹村', fullName: '湖南省邵阳市新邵县龙溪铺镇大竹村' },
        wageMin: 2500,
        wageMax: 3500,
        food: true,
        state: 'open',
        editable: true,
      }),
    );
  });

  it('a county admin publishes a 深圳 job for a county employer; the answer names employer, place, occupation and openings', async () => {
    const response = await call('POST', '/api/v1/postings', county, posting());
    expect(response.statusCode).toBe(201);
    const body = response.json();
    shenzhenPosting = body.id;
    expect(body).toMatchObject({
      title: '电子厂普工',
      employer: {
        id: xinshaoEmployer,
        name: '新邵县劳务输出公司',
        kind: 'ordinary',
        region: { code: '430522', fullName: '湖南省邵阳市新邵县' },
      },
      occupation: { code: '6-25-04-07', label: '电子设备装接工' },
      workRegion: { code: LONGGANG, name: '龙岗区', fullName: '广东省深圳市龙岗区' },
      headcount: 30,
      filled: 0,
      openings: 30,
      minEducation: '70',
      reservedForPoor: true,
      validFrom: today,
      status: 'open',
      state: 'open',
      editable: true,
    });
    const audit = await auditRows('posting.create', shenzhenPosting);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_name: 'xinshao_admin',
      result: 'success',
      details: { employer: xinshaoEmployer, workRegion: LONGGANG, headcount: 30 },
    });
  });

  it('answers every bad input with its own code and saves nothing', async () => {
    const before = await countPostings();
    const cases: [Record<string, unknown>, number, string, string?][] = [
      [{ wageMin: 5000, wageMax: 3000 }, 400, 'POSTING_WAGE_RANGE', 'body.wageMin'],
      [{ headcount: 0 }, 400, 'POSTING_HEADCOUNT', 'body.headcount'],
      [{ headcount: -5 }, 400, 'POSTING_HEADCOUNT', 'body.headcount'],
      [{ ageMin: 50, ageMax: 30 }, 400, 'POSTING_AGE_RANGE', 'body.ageMin'],
      [{ validFrom: addDays(today, 30), validTo: addDays(today, 10) }, 400, 'POSTING_VALIDITY', 'body.validTo'],
      [{ validTo: addDays(today, -1) }, 400, 'POSTING_EXPIRED', 'body.validTo'],
      [{ validFrom: addDays(today, -60), validTo: addDays(today, -30) }, 400, 'POSTING_EXPIRED', 'body.validTo'],
      [{ workRegionCode: '44' }, 400, 'POSTING_LOCATION_NOT_COUNTY', 'body.workRegionCode'],
      [{ workRegionCode: '4403' }, 400, 'POSTING_LOCATION_NOT_COUNTY', 'body.workRegionCode'],
      [{ workRegionCode: '440399' }, 400, 'VALIDATION_FAILED', 'body.workRegionCode'],
      [{ occupationCode: '6-05-01-98' }, 400, 'POSTING_OCCUPATION_UNKNOWN', 'body.occupationCode'],
      [{ occupationCode: '6-5' }, 400, 'VALIDATION_FAILED', 'body.occupationCode'],
      [{ minEducation: '50' }, 400, 'VALIDATION_FAILED', 'body.minEducation'],
      [{ ageMin: 14 }, 400, 'VALIDATION_FAILED', 'body.ageMin'],
      [{ employerId: '999999' }, 400, 'VALIDATION_FAILED', 'body.employerId'],
      [{ employerId: undefined }, 400, 'VALIDATION_FAILED', 'body.employerId'],
      [{ validTo: '2026-02-30' }, 400, 'VALIDATION_FAILED', 'body.validTo'],
      [{ color: 'red' }, 400, 'VALIDATION_FAILED', 'body.color'],
    ];
    for (const [extra, status, errorCode, field] of cases) {
      const response = await call('POST', '/api/v1/postings', county, posting(extra));
      const body = response.json();
      expect({ extra, status: response.statusCode, code: body.code }).toEqual({ extra, status, code: errorCode });
      expect(body.message, JSON.stringify(extra)).toMatch(/[\u4e00-\u9fa5]/);
      if (field) expect(JSON.stringify(body.details), JSON.stringify(extra)).toContain(field);
    }
    const city = (await call('POST', '/api/v1/postings', county, posting({ workRegionCode: '4403' }))).json();
    expect(city.message).toContain('广东省深圳市');
    expect(await countPostings()).toBe(before);
  });

  it('scope: writers need the employer or the place of work in their subtree', async () => {
    // 古丈 cannot post a 新邵 employer's job in 新邵 …
    const refused = await call('POST', '/api/v1/postings', guzhang, posting({ workRegionCode: '430522107' }));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('REGION_OUT_OF_SCOPE');
    // … but may post its job at a place of work in 古丈, and cannot edit the one in 深圳.
    expect((await call('POST', '/api/v1/postings', guzhang, posting({ workRegionCode: '433126107' }))).statusCode).toBe(201);
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, guzhang, { headcount: 1 })).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/postings/${shenzhenPosting}/close`, guzhang, {})).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/postings/${shenzhenPosting}`, guzhang)).json()).toMatchObject({ headcount: 30, editable: false });
  });

  it('a liaison office publishes postings in its host city (深圳) but not in 长沙, and edits 深圳 postings only', async () => {
    const created = await call(
      'POST',
      '/api/v1/postings',
      liaison,
      posting({ employerId: shenzhenEmployer, title: '龙岗电子厂操作工', reservedForPoor: false }),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      employer: { name: '深圳龙岗电子有限公司', kind: 'designated' },
      workRegion: { fullName: '广东省深圳市龙岗区' },
      editable: true,
    });
    expect((await auditRows('posting.create', created.json().id))[0].actor_name).toBe('huayuan_shenzhen');
    const before = await countPostings();
    const changsha = await call('POST', '/api/v1/postings', liaison, posting({ employerId: shenzhenEmployer, workRegionCode: FURONG }));
    expect(changsha.statusCode).toBe(403);
    expect(changsha.json().code).toBe('REGION_OUT_OF_SCOPE');
    expect(await countPostings()).toBe(before);
    // A 深圳 posting published by the county is the liaison office's to keep up to date too.
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, liaison, { filled: 2 })).json()).toMatchObject({
      filled: 2,
      openings: 28,
    });
    // It cannot move a job out of 深圳, nor touch the workshop's job in 大竹村.
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, liaison, { workRegionCode: FURONG })).json().code).toBe(
      'REGION_OUT_OF_SCOPE',
    );
    const demoPosting = (await call('GET', '/api/v1/postings', guohui)).json().items[0].id;
    expect((await call('PATCH', `/api/v1/postings/${demoPosting}`, liaison, { headcount: 1 })).statusCode).toBe(404);
  });

  it('an employer account sees only its own postings, publishes for itself, and cannot touch another employer’s', async () => {
    const own = (await call('GET', '/api/v1/postings', guohui)).json();
    expect(own.items.every((p: { employer: { id: string } }) => p.employer.id === demoEmployer)).toBe(true);
    expect((await call('GET', `/api/v1/postings?region=${LONGGANG}`, guohui)).json().total).toBe(0);
    expect((await call('GET', `/api/v1/postings/${shenzhenPosting}`, guohui)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, guohui, { headcount: 1 })).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/postings/${shenzhenPosting}/close`, guohui, {})).statusCode).toBe(404);
    const other = await call('POST', '/api/v1/postings', guohui, posting({ employerId: xinshaoEmployer }));
    expect(other.statusCode).toBe(403);
    const { employerId: _omit, ...mine } = posting({
      title: '箱包质检员',
      occupationCode: '6-05',
      workRegionCode: '430522107212',
      wageMin: 2800,
      wageMax: 3200,
      reservedForPoor: false,
    });
    const created = await call('POST', '/api/v1/postings', guohui, mine);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      employer: { id: demoEmployer },
      occupation: { code: '6-05', label: '纺织品、服装和皮革、毛皮制品加工制作人员' },
    });
    const edited = await call('PATCH', `/api/v1/postings/${created.json().id}`, guohui, { headcount: 3, filled: 3 });
    expect(edited.json()).toMatchObject({ headcount: 3, filled: 3, openings: 0, state: 'full' });
    expect((await auditRows('posting.update', created.json().id))[0]).toMatchObject({
      actor_name: 'guohui_employer',
      details: { changes: { headcount: [30, 3], filled: [0, 3] } },
    });
    expect((await call('GET', '/api/v1/postings?openOnly=true', guohui)).json().items.map((p: { id: string }) => p.id)).not.toContain(
      created.json().id,
    );
  });

  it('every staff role reads postings anywhere: the output county sees the jobs in 深圳', async () => {
    for (const cookie of [county, township, officer, broker, liaison, guzhang]) {
      const response = await call('GET', `/api/v1/postings?region=4403`, cookie);
      expect(response.statusCode).toBe(200);
      expect(response.json().total).toBe(2);
    }
  });

  it('edits are checked on the posting as it would be saved, and audited with before and after', async () => {
    const before = (await call('GET', `/api/v1/postings/${shenzhenPosting}`, county)).json();
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, { wageMin: 7000 })).json().code).toBe('POSTING_WAGE_RANGE');
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, { headcount: 1 })).json().code).toBe('POSTING_FILLED');
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, { headcount: 0 })).json().code).toBe('POSTING_HEADCOUNT');
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, { ageMax: 17 })).json().code).toBe('POSTING_AGE_RANGE');
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, { validTo: addDays(today, -1) })).json().code).toBe(
      'POSTING_EXPIRED',
    );
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, { workRegionCode: '4403' })).json().code).toBe(
      'POSTING_LOCATION_NOT_COUNTY',
    );
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, { occupationCode: '4-99-99-99' })).json().code).toBe(
      'POSTING_OCCUPATION_UNKNOWN',
    );
    expect((await call('GET', `/api/v1/postings/${shenzhenPosting}`, county)).json()).toEqual(before);
    const edited = await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, {
      wageMax: 6500,
      minEducation: null,
      skills: ['电子装配', ' 焊接 ', '焊接'],
    });
    expect(edited.json()).toMatchObject({ wageMax: 6500, minEducation: null, skills: ['电子装配', '焊接'] });
    const audit = await auditRows('posting.update', shenzhenPosting);
    expect(audit.at(-1)).toMatchObject({
      actor_name: 'xinshao_admin',
      details: { changes: { wageMax: [6000, 6500], minEducation: ['70', null], skills: [['电子装配'], ['电子装配', '焊接']] } },
    });
  });

  it('closing stops recruiting (audited); an expired posting leaves the supply list and cannot be reopened without a new end date', async () => {
    const closed = await call('POST', `/api/v1/postings/${shenzhenPosting}/close`, liaison, { reason: '企业暂停招工' });
    expect(closed.json()).toMatchObject({ status: 'closed', state: 'closed' });
    expect((await auditRows('posting.close', shenzhenPosting))[0]).toMatchObject({
      actor_name: 'huayuan_shenzhen',
      details: { reason: '企业暂停招工' },
    });
    // Without any body (curl -X POST) it answers the same.
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/postings/${shenzhenPosting}/close`, headers: { cookie: liaison } })).json()
        .status,
    ).toBe('closed');
    expect(await auditRows('posting.close', shenzhenPosting)).toHaveLength(1);
    expect(
      (await call('GET', `/api/v1/postings?region=4403&openOnly=true`, county)).json().items.map((p: { id: string }) => p.id),
    ).not.toContain(shenzhenPosting);
    // Time passes: the validity ends.
    await sql`UPDATE posting SET valid_from = ${addDays(today, -40)}::date, valid_to = ${addDays(today, -1)}::date WHERE id = ${shenzhenPosting}`.execute(
      t.database.db,
    );
    expect((await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, { status: 'open' })).json().code).toBe('POSTING_EXPIRED');
    const reopened = await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, { status: 'open', validTo: addDays(today, 30) });
    expect(reopened.json()).toMatchObject({ status: 'open', state: 'open' });
    await sql`UPDATE posting SET valid_to = ${addDays(today, -1)}::date WHERE id = ${shenzhenPosting}`.execute(t.database.db);
    expect((await call('GET', `/api/v1/postings/${shenzhenPosting}`, county)).json()).toMatchObject({ status: 'open', state: 'expired' });
    expect(
      (await call('GET', `/api/v1/postings?region=4403&openOnly=true`, county)).json().items.map((p: { id: string }) => p.id),
    ).not.toContain(shenzhenPosting);
    await call('PATCH', `/api/v1/postings/${shenzhenPosting}`, county, { validTo: addDays(today, 30) });
  });

  it('the list filters by place, employer, occupation group, status, reserved posts, wage and title, and sorts', async () => {
    type ListedPosting = {
      id: string;
      workRegion: { code: string };
      employer: { id: string };
      occupation: { code: string };
      state: string;
      reservedForPoor: boolean;
      wageMax: number;
      title: string;
    };
    const all = (await call('GET', '/api/v1/postings?pageSize=200', county)).json();
    const list = async (query: string) => (await call('GET', `/api/v1/postings?pageSize=200&${query}`, county)).json();
    const expectIds = async (query: string, predicate: (p: ListedPosting) => boolean) => {
      const expected = all.items
        .filter(predicate)
        .map((p: { id: string }) => p.id)
        .sort();
      expect(expected.length, query).toBeGreaterThan(0);
      expect(expected.length, query).toBeLessThan(all.items.length);
      expect(ids(await list(query)), query).toEqual(expected);
    };
    await expectIds('region=430522', (p) => p.workRegion.code.startsWith('430522'));
    await expectIds(`employerId=${shenzhenEmployer}`, (p) => p.employer.id === shenzhenEmployer);
    await expectIds('occupation=6-05', (p) => p.occupation.code === '6-05' || p.occupation.code.startsWith('6-05-'));
    await expectIds('occupation=6-05-01-03', (p) => p.occupation.code === '6-05-01-03');
    await expectIds('openOnly=true', (p) => p.state === 'open');
    await expectIds('reservedForPoor=true', (p) => p.reservedForPoor);
    await expectIds('wageAtLeast=4000', (p) => p.wageMax >= 4000);
    await expectIds(`q=${encodeURIComponent('缝纫')}`, (p) => p.title.includes('缝纫'));
    await call('POST', `/api/v1/postings/${shenzhenPosting}/close`, county, {});
    expect(ids(await list('status=closed'))).toEqual([shenzhenPosting]);
    const byWage = (await list('sort=wageMax&order=asc')).items.map((p: { wageMax: number }) => p.wageMax);
    expect(byWage).toEqual([...byWage].sort((a, b) => a - b));
    const byEnd = (await list('sort=validTo&order=desc')).items.map((p: { validTo: string }) => p.validTo);
    expect(byEnd).toEqual([...byEnd].sort().reverse());
    const byUpdate = all.items.map((p: { updatedAt: string }) => p.updatedAt);
    expect(byUpdate).toEqual([...byUpdate].sort().reverse());
    const page = await call('GET', '/api/v1/postings?pageSize=2&page=2', county);
    expect(page.json()).toMatchObject({ total: all.total });
    expect(page.json().items).toHaveLength(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { DEMO_EMPLOYER } from '../../generate/demo-employers.ts';
import { creditCodeCheckChar } from './credit-code.ts';

const code = (body17: string) => body17 + creditCodeCheckChar(body17);
/** A code whose last character is wrong. */
const wrongCheck = (body17: string) => {
  const right = creditCodeCheckChar(body17);
  return body17 + (right === '0' ? '1' : '0');
};

const employer = (extra: Record<string, unknown> = {}) => ({
  creditCode: code('91430522MA4L00011'),
  name: '新邵县龙溪铺电子厂',
  regionCode: '430522107',
  industry: '39',
  kind: 'designated',
  contactName: '王经理',
  contactPhone: '13807390001',
  address: '龙溪铺镇工业园',
  ...extra,
});

let t: TestApp;
let county: string;
let guzhang: string;
let township: string;
let officer: string;
let broker: string;
let liaison: string;
let guohui: string;
let auditor: string;
beforeAll(async () => {
  t = await createTestApp();
  [county, guzhang, township, officer, broker, liaison, guohui, auditor] = await Promise.all(
    [
      'xinshao_admin',
      'guzhang_admin',
      'longxipu_operator',
      'dazhu_officer',
      'longxipu_broker',
      'huayuan_shenzhen',
      'guohui_employer',
      'hunan_auditor',
    ].map((u) => t.login(u)),
  );
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const countEmployers = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('employer')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const auditRows = (action: string, entityId: string) =>
  t.database.db
    .selectFrom('audit_log')
    .select(['action', 'actor_name', 'result', 'details'])
    .where('action', '=', action)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();

describe('employers (用人单位)', () => {
  let id: string;

  it('the demo workshop exists, linked to guohui_employer, with a valid GB 32100 code', async () => {
    const response = await call('GET', '/api/v1/employers', guohui);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({
      name: '邵阳国辉箱包扶贫车间',
      creditCode: DEMO_EMPLOYER.creditCode,
      kind: 'workshop',
      region: { code: '430522107212', fullName: '湖南省邵阳市新邵县龙溪铺镇大竹村' },
      industry: { code: '19', name: '皮革、毛皮、羽毛及其制品和制鞋业' },
      editable: true,
    });
    expect(body.items[0].openPostings).toBeGreaterThanOrEqual(1);
  });

  it('a county admin registers an employer in the county; the credit code is normalized and the create audited', async () => {
    const typed = employer()
      .creditCode.toLowerCase()
      .replace(/(.{6})/g, '$1 ');
    const response = await call('POST', '/api/v1/employers', county, employer({ creditCode: typed }));
    expect(response.statusCode).toBe(201);
    const body = response.json();
    id = body.id;
    expect(body).toMatchObject({
      creditCode: employer().creditCode,
      name: '新邵县龙溪铺电子厂',
      region: { code: '430522107', name: '龙溪铺镇', fullName: '湖南省邵阳市新邵县龙溪铺镇' },
      industry: { code: '39', name: '计算机、通信和其他电子设备制造业' },
      kind: 'designated',
      relocationSite: null,
      contactName: '王经理',
      openPostings: 0,
      editable: true,
    });
    const audit = await auditRows('employer.create', id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: 'xinshao_admin', result: 'success' });
  });

  it('refuses a wrong check character, a malformed code and a second registration of a code, saving nothing', async () => {
    const before = await countEmployers();
    const check = await call('POST', '/api/v1/employers', county, employer({ creditCode: wrongCheck('91430522MA4L00022') }));
    expect(check.statusCode).toBe(400);
    expect(check.json()).toMatchObject({
      code: 'CREDIT_CODE_CHECK',
      message: '统一社会信用代码校验位错误',
      details: [{ field: 'body.creditCode' }],
    });
    const format = await call('POST', '/api/v1/employers', county, employer({ creditCode: '91430522MA4L00022I' }));
    expect(format.statusCode).toBe(400);
    expect(format.json().code).toBe('CREDIT_CODE_FORMAT');
    expect(format.json().message).toContain('18 位');
    const twice = await call('POST', '/api/v1/employers', township, employer({ name: '同一代码的另一个名字' }));
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('EMPLOYER_EXISTS');
    expect(twice.json().message).toContain('新邵县龙溪铺电子厂');
    const demo = await call('POST', '/api/v1/employers', county, employer({ creditCode: DEMO_EMPLOYER.creditCode }));
    expect(demo.json().code).toBe('EMPLOYER_EXISTS');
    expect(await countEmployers()).toBe(before);
  });

  it('refuses a region above county level, an unknown region, an unknown industry and a relocation site of a non-workshop', async () => {
    const before = await countEmployers();
    const fresh = (extra: Record<string, unknown>) => employer({ creditCode: code('91430522MA4L00033'), ...extra });
    const city = await call('POST', '/api/v1/employers', county, fresh({ regionCode: '4305' }));
    expect(city.statusCode).toBe(400);
    expect(city.json().code).toBe('EMPLOYER_REGION_NOT_COUNTY');
    const unknown = await call('POST', '/api/v1/employers', county, fresh({ regionCode: '430522999' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'body.regionCode' }] });
    const industry = await call('POST', '/api/v1/employers', county, fresh({ industry: '98' }));
    expect(industry.statusCode).toBe(400);
    expect(industry.json().details[0].field).toBe('body.industry');
    const site = await call('POST', '/api/v1/employers', county, fresh({ relocationSite: '龙溪铺镇安置小区' }));
    expect(site.statusCode).toBe(400);
    expect(site.json().details[0].field).toBe('body.relocationSite');
    const kind = await call('POST', '/api/v1/employers', county, fresh({ kind: 'factory' }));
    expect(kind.statusCode).toBe(400);
    expect(await countEmployers()).toBe(before);
  });

  it('a 古丈 county admin cannot register an employer in 新邵 nor edit one there, but reads it', async () => {
    const before = await countEmployers();
    const create = await call('POST', '/api/v1/employers', guzhang, employer({ creditCode: code('91430522MA4L00044') }));
    expect(create.statusCode).toBe(403);
    expect(create.json().code).toBe('REGION_OUT_OF_SCOPE');
    expect(await countEmployers()).toBe(before);
    const read = await call('GET', `/api/v1/employers/${id}`, guzhang);
    expect(read.statusCode).toBe(200);
    expect(read.json().editable).toBe(false);
    const edit = await call('PATCH', `/api/v1/employers/${id}`, guzhang, { contactName: '古丈改的' });
    expect(edit.statusCode).toBe(404);
    expect((await call('GET', `/api/v1/employers/${id}`, county)).json().contactName).toBe('王经理');
    // A workshop in 古丈's own 高峰镇 is fine, with its relocation site.
    const own = await call(
      'POST',
      '/api/v1/employers',
      guzhang,
      employer({
        creditCode: code('92433126MA4L00055'),
        name: '古丈县高峰镇茶叶扶贫车间',
        regionCode: '433126107',
        industry: '15',
        kind: 'workshop',
        relocationSite: '高峰镇易地扶贫搬迁安置点',
      }),
    );
    expect(own.statusCode).toBe(201);
    expect(own.json().relocationSite).toBe('高峰镇易地扶贫搬迁安置点');
  });

  it('every staff role reads employers anywhere; lists filter by region, kind, industry, name and credit code', async () => {
    for (const cookie of [officer, broker, liaison, township]) {
      const response = await call('GET', '/api/v1/employers?region=430522', cookie);
      expect(response.statusCode).toBe(200);
      expect(response.json().total).toBe(2);
    }
    const byKind = (await call('GET', '/api/v1/employers?kind=workshop', county)).json();
    expect(byKind.items.map((e: { name: string }) => e.name).sort()).toEqual(['古丈县高峰镇茶叶扶贫车间', '邵阳国辉箱包扶贫车间']);
    expect((await call('GET', '/api/v1/employers?industry=39', county)).json().items.map((e: { id: string }) => e.id)).toEqual([id]);
    expect(
      (await call('GET', `/api/v1/employers?q=${encodeURIComponent('电子')}`, county)).json().items.map((e: { id: string }) => e.id),
    ).toEqual([id]);
    expect(
      (await call('GET', `/api/v1/employers?q=${employer().creditCode.slice(0, 12).toLowerCase()}`, county))
        .json()
        .items.map((e: { id: string }) => e.id),
    ).toEqual([id]);
    expect((await call('GET', '/api/v1/employers?region=433126', county)).json().total).toBe(1);
    const page = (await call('GET', '/api/v1/employers?pageSize=1&page=2', county)).json();
    expect(page.items).toHaveLength(1);
    expect(page.total).toBe(3);
    expect((await call('GET', '/api/v1/employers', auditor)).statusCode).toBe(403);
  });

  it('a township operator edits an employer of the township; only changed fields are audited, with before and after', async () => {
    const response = await call('PATCH', `/api/v1/employers/${id}`, township, {
      contactName: '李主任',
      address: '龙溪铺镇工业园 3 号',
      name: '新邵县龙溪铺电子厂',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ contactName: '李主任', address: '龙溪铺镇工业园 3 号' });
    const audit = await auditRows('employer.update', id);
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toEqual({
      changes: { contactName: ['王经理', '李主任'], address: ['龙溪铺镇工业园', '龙溪铺镇工业园 3 号'] },
    });
    // Nothing changed: nothing written.
    await call('PATCH', `/api/v1/employers/${id}`, township, { contactName: '李主任' });
    expect(await auditRows('employer.update', id)).toHaveLength(1);
    // Optional fields can be cleared.
    expect((await call('PATCH', `/api/v1/employers/${id}`, township, { address: null })).json().address).toBeNull();
    // Moving it out of the operator's township is refused; taking an existing code too.
    expect((await call('PATCH', `/api/v1/employers/${id}`, township, { regionCode: '430522200' })).json().code).toBe('REGION_OUT_OF_SCOPE');
    expect((await call('PATCH', `/api/v1/employers/${id}`, county, { creditCode: DEMO_EMPLOYER.creditCode })).json().code).toBe(
      'EMPLOYER_EXISTS',
    );
    expect((await call('PATCH', `/api/v1/employers/${id}`, county, { regionCode: '43' })).json().code).toBe('EMPLOYER_REGION_NOT_COUNTY');
  });

  it('an employer account reads and edits its own employer only, and cannot change what 人社 staff keep', async () => {
    const own = (await call('GET', '/api/v1/employers', guohui)).json().items[0];
    expect((await call('GET', `/api/v1/employers/${id}`, guohui)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/employers/${id}`, guohui, { contactName: '冒名' })).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/employers?region=430522107', guohui)).json().items.map((e: { id: string }) => e.id)).toEqual([
      own.id,
    ]);
    const edit = await call('PATCH', `/api/v1/employers/${own.id}`, guohui, { contactName: '刘国辉', contactPhone: '13907391111' });
    expect(edit.statusCode).toBe(200);
    expect(edit.json()).toMatchObject({ contactName: '刘国辉', contactPhone: '13907391111' });
    expect((await auditRows('employer.update', own.id))[0]).toMatchObject({ actor_name: 'guohui_employer' });
    const locked = await call('PATCH', `/api/v1/employers/${own.id}`, guohui, { kind: 'base' });
    expect(locked.statusCode).toBe(403);
    expect(locked.json()).toMatchObject({ code: 'EMPLOYER_FIELD_LOCKED', details: [{ field: 'body.kind' }] });
    expect((await call('GET', `/api/v1/employers/${own.id}`, guohui)).json().kind).toBe('workshop');
    // The same change by the county admin goes through.
    expect((await call('PATCH', `/api/v1/employers/${own.id}`, county, { kind: 'base' })).json().kind).toBe('base');
    await call('PATCH', `/api/v1/employers/${own.id}`, county, { kind: 'workshop' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { idCheckChar } from './identity.ts';

const makeId = (body17: string) => body17 + idCheckChar(body17);
const DAZHU = '430522107212'; // 大竹村, 龙溪铺镇
const NIUSHANPU = '430522107202'; // 牛山铺村, 龙溪铺镇
const TUANJIE = '430522200235'; // 团结村, 潭府乡 (same county, another township)
const SHIBADONG = '433124110226'; // 十八洞村, 花垣县
const card = (idNumber: string, extra: Record<string, unknown> = {}) => ({
  idNumber,
  name: '蒋余美',
  homeVillageCode: DAZHU,
  povertyStatus: 'registered',
  education: '70',
  laborCapacity: 'full',
  health: 'healthy',
  willingness: 'in_county',
  caring: 'none',
  employmentStatus: 'unemployed',
  ...extra,
});

let t: TestApp;
let officer: string;
let operator: string;
let county: string;
let huayuan: string;
let province: string;
beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
  operator = await t.login('longxipu_operator');
  county = await t.login('xinshao_admin');
  huayuan = await t.login('huayuan_admin');
  province = await t.login('hunan_admin');
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const create = async (cookie: string, body: object): Promise<string> => {
  const response = await call('POST', '/api/v1/laborers', cookie, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
};
type Group = {
  key: string;
  rules: string[];
  reason: string;
  laborers: { id: string; idNumberMasked: string; phoneMasked: string | null; homeVillage: { fullName: string } }[];
};
const groups = async (cookie: string, query = ''): Promise<Group[]> => {
  const response = await call('GET', `/api/v1/laborers/duplicates${query}`, cookie);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
};
const groupOf = (list: Group[], ...ids: string[]) =>
  list.find(
    (g) =>
      g.laborers
        .map((l) => l.id)
        .sort()
        .join() === [...ids].sort().join(),
  );

describe('likely duplicates (疑似重复)', () => {
  // Same name and birth date in one township (two villages of 龙溪铺镇).
  let a: string;
  let b: string;
  // Same phone in two townships of the county.
  let c: string;
  let d: string;
  // Same name and birth date, but in two townships: not a likely duplicate by that rule.
  let e: string;
  let f: string;
  // The same phone in another county: outside every county admin's reach.
  let h: string;

  beforeAll(async () => {
    a = await create(officer, card(makeId('43052219850302102'), { employmentStatus: 'not_working' }));
    b = await create(
      operator,
      card(makeId('43052219850302124'), {
        homeVillageCode: NIUSHANPU,
        phone: '13807391111',
        skills: ['缝纫'],
        householdSize: 4,
        remark: '外出务工',
      }),
    );
    c = await create(officer, card(makeId('43052219900101123'), { name: '谢团结', phone: '13907392222' }));
    d = await create(county, card(makeId('43052219911111123'), { name: '谢金生', homeVillageCode: TUANJIE, phone: '13907392222' }));
    e = await create(officer, card(makeId('43052219700505123'), { name: '刘德华' }));
    f = await create(county, card(makeId('43052219700505145'), { name: '刘德华', homeVillageCode: TUANJIE }));
    h = await create(huayuan, card(makeId('43312419800808123'), { name: '石顺莲', homeVillageCode: SHIBADONG, phone: '13907392222' }));
  });

  it('lists same name and birth date within one township, and the same phone, with masked identifiers and village names', async () => {
    const list = await groups(county);
    const byName = groupOf(list, a, b);
    expect(byName).toMatchObject({ rules: ['name_birth'], reason: '同乡镇同名同出生日期' });
    expect(byName!.laborers.map((l) => l.homeVillage.fullName)).toEqual(
      expect.arrayContaining(['湖南省邵阳市新邵县龙溪铺镇大竹村', '湖南省邵阳市新邵县龙溪铺镇牛山铺村']),
    );
    expect(byName!.laborers.find((l) => l.id === b)).toMatchObject({
      idNumberMasked: expect.stringMatching(/^430522\*{8}\d{3}[\dX]$/),
      phoneMasked: '138****1111',
    });
    const byPhone = groupOf(list, c, d);
    expect(byPhone).toMatchObject({ rules: ['phone'], reason: '手机号相同' });
    // Same name and birth date in two townships is not grouped; the 花垣 card with the same phone is not shown.
    expect(groupOf(list, e, f)).toBeUndefined();
    expect(list.flatMap((g) => g.laborers.map((l) => l.id))).not.toContain(h);
    expect(JSON.stringify(list)).not.toContain('石顺莲');
    // No clear identifier anywhere in the answer, and no birth date beside the masked numbers (issue 15): ages.
    expect(JSON.stringify(list)).not.toContain('13807391111');
    expect(JSON.stringify(list)).not.toContain('1985-03-02');
    expect(byName!.laborers.map((l) => (l as unknown as { age: number }).age)).toEqual([expect.any(Number), expect.any(Number)]);
  });

  it('lists only groups whose cards all lie in the caller’s scope', async () => {
    // The township sees its own pair, not the phone pair that spans two townships.
    const township = await groups(operator);
    expect(groupOf(township, a, b)).toBeDefined();
    expect(groupOf(township, c, d)).toBeUndefined();
    // The village officer holds only one card of each pair.
    expect(await groups(officer)).toEqual([]);
    // Another county sees none of them, and may not ask for this county.
    expect(await groups(huayuan)).toEqual([]);
    expect((await call('GET', '/api/v1/laborers/duplicates?region=430522', huayuan)).statusCode).toBe(403);
    // A narrower region of one's own scope.
    const tanfu = await groups(county, '?region=430522200');
    expect(tanfu).toEqual([]);
  });

  it('asks a province admin for a city or narrower region (a province holds 1.5 million cards)', async () => {
    const wide = await call('GET', '/api/v1/laborers/duplicates', province);
    expect(wide.statusCode).toBe(400);
    expect(wide.json().code).toBe('DUPLICATES_REGION_TOO_BROAD');
    expect(groupOf(await groups(province, '?region=4305'), a, b)).toBeDefined();
  });

  it('refuses a merge when either card is outside the caller’s scope, or a card with itself', async () => {
    const officerMerge = await call('POST', `/api/v1/laborers/${a}/merge`, officer, { duplicateId: b, reason: '同一人重复登记' });
    expect(officerMerge.statusCode).toBe(404);
    expect(officerMerge.json().message).toBe('不存在或无权限');
    expect((await call('POST', `/api/v1/laborers/${a}/merge`, huayuan, { duplicateId: b, reason: '同一人重复登记' })).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/laborers/${h}/merge`, county, { duplicateId: c, reason: '同一人重复登记' })).statusCode).toBe(404);
    const self = await call('POST', `/api/v1/laborers/${a}/merge`, operator, { duplicateId: a, reason: '同一人重复登记' });
    expect(self.json().code).toBe('MERGE_SAME_CARD');
    expect((await call('POST', `/api/v1/laborers/${a}/merge`, operator, { duplicateId: b })).statusCode).toBe(400);
    // Nothing changed.
    expect((await call('GET', `/api/v1/laborers/${b}`, operator)).json().version).toBe(1);
  });

  it('merges: keeps the survivor, retires the duplicate, fills the survivor’s empty fields and keeps both histories', async () => {
    const merged = await call('POST', `/api/v1/laborers/${a}/merge`, operator, {
      duplicateId: b,
      reason: '入户核实为同一人，牛山铺村重复登记',
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({
      id: a,
      version: 2,
      phoneMasked: '138****1111',
      skills: ['缝纫'],
      householdSize: 4,
      remark: '外出务工',
      employmentStatus: 'not_working',
      homeVillage: { code: DAZHU },
    });
    // The duplicate is gone from cards and lists.
    expect((await call('GET', `/api/v1/laborers/${b}`, operator)).statusCode).toBe(404);
    const register = (await call('GET', `/api/v1/laborers?q=${encodeURIComponent('蒋余美')}`, operator)).json();
    expect(register.items.map((l: { id: string }) => l.id)).toEqual([a]);
    expect(groupOf(await groups(county), a, b)).toBeUndefined();

    const history = (await call('GET', `/api/v1/laborers/${a}/history`, officer)).json().items;
    const own = history.filter((v: { fromCard: unknown }) => v.fromCard === null);
    const theirs = history.filter((v: { fromCard: unknown }) => v.fromCard !== null);
    expect(own.map((v: { version: number; kind: string }) => [v.version, v.kind])).toEqual([
      [2, 'merge'],
      [1, 'create'],
    ]);
    expect(own[0]).toMatchObject({
      reason: '入户核实为同一人，牛山铺村重复登记',
      by: { username: 'longxipu_operator' },
      mergedCard: { laborerId: b, name: '蒋余美' },
    });
    expect(own[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'phone', before: null, after: '138****1111' },
        { field: 'skills', before: [], after: ['缝纫'] },
        { field: 'household_size', before: null, after: 4 },
      ]),
    );
    // The merged card's own ledger, marked as coming from it: its creation and its retirement.
    expect(theirs.map((v: { version: number; kind: string }) => [v.version, v.kind])).toEqual([
      [2, 'merge'],
      [1, 'create'],
    ]);
    for (const v of theirs) expect(v.fromCard).toMatchObject({ laborerId: b, idNumberMasked: expect.stringMatching(/^430522\*{8}/) });
    expect(theirs[0].mergedCard).toMatchObject({ laborerId: a });

    // Audited, inside the same transaction.
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['entity_id', 'details'])
      .where('action', '=', 'laborer.merge')
      .where('result', '=', 'success')
      .execute();
    expect(audit).toEqual([{ entity_id: a, details: expect.objectContaining({ duplicate: b }) }]);
    // A second merge of the retired card is refused.
    expect((await call('POST', `/api/v1/laborers/${a}/merge`, operator, { duplicateId: b, reason: '再次合并' })).statusCode).toBe(404);
    // The retired card's ID number still points registration at the survivor's county.
    const again = await call('POST', '/api/v1/laborers', huayuan, card(makeId('43052219850302124'), { homeVillageCode: SHIBADONG }));
    expect(again.json()).toMatchObject({ code: 'LABORER_EXISTS', details: { county: { code: '430522' } } });
  });

  it('dismisses a pair as not the same person: it is no longer listed', async () => {
    expect((await call('POST', '/api/v1/laborers/duplicates/dismiss', huayuan, { laborerIds: [c, d] })).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/laborers/duplicates/dismiss', operator, { laborerIds: [c, d] })).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/laborers/duplicates/dismiss', county, { laborerIds: [c] })).statusCode).toBe(400);
    expect(groupOf(await groups(county), c, d)).toBeDefined();
    const dismissed = await call('POST', '/api/v1/laborers/duplicates/dismiss', county, {
      laborerIds: [d, c],
      reason: '父子共用一个手机号',
    });
    expect(dismissed.statusCode).toBe(204);
    expect(groupOf(await groups(county), c, d)).toBeUndefined();
    // Dismissing again is harmless.
    expect((await call('POST', '/api/v1/laborers/duplicates/dismiss', county, { laborerIds: [c, d] })).statusCode).toBe(204);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'laborer.duplicate_dismiss')
      .where('result', '=', 'success')
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('keeps listing a larger group while one of its pairs is not dismissed', async () => {
    const p = await create(officer, card(makeId('43052219600606123'), { name: '王强', phone: '13607393333' }));
    const q = await create(operator, card(makeId('43052219610606123'), { name: '王刚', homeVillageCode: NIUSHANPU, phone: '13607393333' }));
    const r = await create(county, card(makeId('43052219620606123'), { name: '王明', homeVillageCode: TUANJIE, phone: '13607393333' }));
    expect(groupOf(await groups(county), p, q, r)).toBeDefined();
    await call('POST', '/api/v1/laborers/duplicates/dismiss', county, { laborerIds: [p, q] });
    const list = await groups(county);
    expect(groupOf(list, p, q, r)).toBeDefined();
    await call('POST', '/api/v1/laborers/duplicates/dismiss', county, { laborerIds: [p, r] });
    expect(groupOf(await groups(county), q, r)).toBeDefined();
    await call('POST', '/api/v1/laborers/duplicates/dismiss', county, { laborerIds: [q, r] });
    const after = await groups(county);
    expect(after.some((g) => g.laborers.some((l) => [p, q, r].includes(l.id)))).toBe(false);
  });
});

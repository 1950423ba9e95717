import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { ageOn, idCheckChar } from './identity.ts';
import { chinaToday } from '../../platform/time.ts';

const makeId = (body17: string) => body17 + idCheckChar(body17);
const DAZHU = '430522107212';
const card = (idNumber: string, extra: Record<string, unknown> = {}) => ({
  idNumber,
  name: '蒋余美',
  phone: '13807391234',
  homeVillageCode: DAZHU,
  povertyStatus: 'registered',
  education: '70',
  laborCapacity: 'full',
  health: 'healthy',
  willingness: 'in_county',
  caring: 'children',
  employmentStatus: 'unemployed',
  skills: ['缝纫'],
  flags: ['returnee'],
  expectedWage: 3000,
  ...extra,
});

let t: TestApp;
let officer: string;
let huayuan: string;
let county: string;
beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
  huayuan = await t.login('huayuan_admin');
  county = await t.login('xinshao_admin');
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

describe('the laborer card (一人一卡)', () => {
  const idNumber = makeId('43052219850302102');
  let id: string;

  it('is created by the village officer, with identifiers masked and derived fields from the ID number', async () => {
    const response = await call('POST', '/api/v1/laborers', officer, card(idNumber));
    expect(response.statusCode).toBe(201);
    const body = response.json();
    id = body.id;
    expect(body).toMatchObject({
      name: '蒋余美',
      idNumberMasked: `430522********${idNumber.slice(-4)}`,
      phoneMasked: '138****1234',
      sex: 'female',
      homeVillage: { code: DAZHU, fullName: '湖南省邵阳市新邵县龙溪铺镇大竹村' },
      version: 1,
    });
    expect(JSON.stringify(body)).not.toContain(idNumber);
  });

  it('keeps the ID number and phone encrypted at rest: no column holds them in clear', async () => {
    const { rows } = await sql<{ text: string }>`SELECT row_to_json(l)::text AS text FROM laborer l WHERE id = ${id}`.execute(
      t.database.db,
    );
    expect(rows[0].text).not.toContain(idNumber);
    expect(rows[0].text).not.toContain('13807391234');
    const versions = await sql<{
      text: string;
    }>`SELECT row_to_json(v)::text AS text FROM laborer_version v WHERE laborer_id = ${id}`.execute(t.database.db);
    expect(versions.rows.map((r) => r.text).join()).not.toContain(idNumber);
  });

  it('refuses a second card for the same ID anywhere, naming only the county that holds it', async () => {
    const response = await call(
      'POST',
      '/api/v1/laborers',
      huayuan,
      card(idNumber, { homeVillageCode: '433124110226', name: '另一个名字' }),
    );
    expect(response.statusCode).toBe(409);
    const body = response.json();
    expect(body.code).toBe('LABORER_EXISTS');
    expect(body.message).toContain('湖南省邵阳市新邵县');
    expect(body.details).toEqual({ county: { code: '430522', fullName: '湖南省邵阳市新邵县' }, transferRequest: true });
    expect(JSON.stringify(body)).not.toContain('蒋余美');
    // The refused attempt is in the audit log, though its transaction rolled back.
    const attempts = await sql<{
      actor_name: string;
    }>`SELECT actor_name FROM audit_log WHERE action = 'laborer.create' AND result = 'failure'`.execute(t.database.db);
    expect(attempts.rows.map((r) => r.actor_name)).toContain('huayuan_admin');
    // The same person typed as a 15-digit legacy number is the same card.
    const legacy = idNumber.slice(0, 6) + idNumber.slice(8, 17);
    expect((await call('POST', '/api/v1/laborers', county, card(legacy))).json().code).toBe('LABORER_EXISTS');
  });

  it('refuses bad identity data with clear Chinese messages and saves nothing', async () => {
    const before = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM laborer`.execute(t.database.db)).rows[0].n);
    const wrongCheck = idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0');
    const badCheck = await call('POST', '/api/v1/laborers', officer, card(wrongCheck));
    expect(badCheck.statusCode).toBe(400);
    expect(badCheck.json().message).toBe('身份证号校验位错误');
    const mismatch = await call('POST', '/api/v1/laborers', officer, card(makeId('43052219900101123'), { birthDate: '1991-01-01' }));
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().message).toContain('出生日期');
    const phone = await call('POST', '/api/v1/laborers', officer, card(makeId('43052219900101125'), { phone: '0739-1234567' }));
    expect(phone.json().message).toContain('手机号');
    const badProvince = await call('POST', '/api/v1/laborers', officer, card(makeId('99052219900101123')));
    expect(badProvince.statusCode).toBe(400);
    const notVillage = await call('POST', '/api/v1/laborers', officer, card(makeId('43052219900101127'), { homeVillageCode: '430522107' }));
    expect(notVillage.statusCode).toBe(400);
    const after = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM laborer`.execute(t.database.db)).rows[0].n);
    expect(after).toBe(before);
  });

  it('converts a 15-digit legacy number to 18 digits', async () => {
    const response = await call('POST', '/api/v1/laborers', officer, card('430522720615101', { name: '谢团结' }));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ sex: 'male', age: ageOn('1972-06-15', chinaToday()) });
    expect(response.json().idNumberMasked).toMatch(/^430522\*{8}101\d|^430522\*{8}101X$/);
  });

  it('stays inside the writer’s region: a village officer cannot register elsewhere, a sibling county cannot see it', async () => {
    const elsewhere = await call(
      'POST',
      '/api/v1/laborers',
      officer,
      card(makeId('43052219920202123'), { homeVillageCode: '430522200235' }),
    );
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().code).toBe('REGION_OUT_OF_SCOPE');
    const sibling = await call('GET', `/api/v1/laborers/${id}`, huayuan);
    expect(sibling.statusCode).toBe(404);
    expect(sibling.json().message).toBe('不存在或无权限');
    expect((await call('GET', `/api/v1/laborers/${id}`, county)).statusCode).toBe(200);
  });

  it('keeps every change in the ledger with who, when, and each field’s old and new value', async () => {
    const updated = await call('PATCH', `/api/v1/laborers/${id}`, officer, {
      employmentStatus: 'not_working',
      expectedWage: 3500,
      phone: '13907395678',
      reason: '入户核实',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ version: 2, employmentStatus: 'not_working', expectedWage: 3500, phoneMasked: '139****5678' });
    const history = (await call('GET', `/api/v1/laborers/${id}/history`, officer)).json().items;
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ version: 2, kind: 'update', reason: '入户核实', by: { username: 'dazhu_officer' } });
    expect(history[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'employment_status', before: 'unemployed', after: 'not_working' },
        { field: 'expected_wage', before: 3000, after: 3500 },
        { field: 'phone', before: '138****1234', after: '139****5678' },
      ]),
    );
    expect(history[1]).toMatchObject({ version: 1, kind: 'create' });
  });

  it('clears an optional field with null, and the ledger says so', async () => {
    await call('PATCH', `/api/v1/laborers/${id}`, officer, { remark: '在长沙务工', householdSize: 4 });
    const cleared = await call('PATCH', `/api/v1/laborers/${id}`, officer, { remark: null, householdSize: null });
    expect(cleared.json()).toMatchObject({ remark: null, householdSize: null });
    const latest = (await call('GET', `/api/v1/laborers/${id}/history`, officer)).json().items[0];
    expect(latest.changes).toEqual(expect.arrayContaining([{ field: 'remark', before: '在长沙务工', after: null }]));
  });

  it('answers lists "as of" a past date with what was true then', async () => {
    // Put the card's first version in 2025 and the change on 2026-01-10 (China time).
    await sql`UPDATE laborer_version SET valid_from = '2025-03-01T09:00:00+08', valid_to = '2026-01-10T09:00:00+08' WHERE laborer_id = ${id} AND version = 1`.execute(
      t.database.db,
    );
    await sql`UPDATE laborer_version SET valid_from = '2026-01-10T09:00:00+08' WHERE laborer_id = ${id} AND version = 2`.execute(
      t.database.db,
    );
    const then = (await call('GET', `/api/v1/laborers?asOf=2025-12-31&q=${encodeURIComponent('蒋余美')}`, county)).json();
    expect(then.total).toBe(1);
    expect(then.items[0]).toMatchObject({ employmentStatus: 'unemployed', expectedWage: 3000, version: 1 });
    const dayOf = (await call('GET', `/api/v1/laborers?asOf=2026-01-10&q=${encodeURIComponent('蒋余美')}`, county)).json();
    expect(dayOf.items[0]).toMatchObject({ employmentStatus: 'not_working', version: 2 });
    expect((await call('GET', `/api/v1/laborers?q=${encodeURIComponent('蒋余美')}`, county)).json().items[0].version).toBe(4);
    const before = (await call('GET', `/api/v1/laborers?asOf=2025-02-28&q=${encodeURIComponent('蒋余美')}`, county)).json();
    expect(before.total).toBe(0);
    const future = await call('GET', '/api/v1/laborers?asOf=2999-01-01', county);
    expect(future.statusCode).toBe(400);
  });

  it('filters, sorts and searches by name, pinyin, initials, ID tail and phone', async () => {
    const search = async (q: string) => (await call('GET', `/api/v1/laborers?q=${encodeURIComponent(q)}`, county)).json();
    expect((await search('蒋余美')).total).toBe(1);
    expect((await search('jiangyumei')).total).toBe(1);
    expect((await search('jym')).total).toBe(1);
    expect((await search(idNumber.slice(-4))).items.map((l: { id: string }) => l.id)).toContain(id);
    expect((await search('13907395678')).items.map((l: { id: string }) => l.id)).toEqual([id]);
    expect((await search(idNumber)).items.map((l: { id: string }) => l.id)).toEqual([id]);
    const filtered = (
      await call('GET', '/api/v1/laborers?employmentStatus=not_working&flag=returnee&ageMin=30&ageMax=50&povertyStatus=registered', county)
    ).json();
    expect(filtered.items.map((l: { id: string }) => l.id)).toEqual([id]);
    const tooYoung = (await call('GET', '/api/v1/laborers?ageMax=25', county)).json();
    expect(tooYoung.items.map((l: { id: string }) => l.id)).not.toContain(id);
    // The township operator of another township sees none of them; the county admin of 花垣县 neither.
    expect((await call('GET', '/api/v1/laborers', huayuan)).json().total).toBe(0);
    expect((await call('GET', '/api/v1/laborers?region=430522', huayuan)).statusCode).toBe(403);
  });

  it('counts a card as confirmed for the quarter once the village officer reviews it', async () => {
    expect((await call('GET', '/api/v1/laborers?confirmed=false', officer)).json().items.map((l: { id: string }) => l.id)).toContain(id);
    expect((await call('POST', `/api/v1/laborers/${id}/confirm`, officer)).statusCode).toBe(204);
    expect((await call('GET', '/api/v1/laborers?confirmed=true', officer)).json().items.map((l: { id: string }) => l.id)).toEqual([id]);
    expect((await call('POST', `/api/v1/laborers/${id}/confirm`, county)).statusCode).toBe(403);
    // The campaign's progress: per township for the county, per village for the township.
    const progress = (await call('GET', '/api/v1/laborers/confirmation-progress', county)).json();
    expect(progress.region).toBe('430522');
    const longxipu = progress.items.find((i: { code: string }) => i.code === '430522107');
    expect(longxipu).toMatchObject({ name: '龙溪铺镇', confirmed: 1 });
    expect(longxipu.cards).toBe(longxipu.confirmed + longxipu.due);
    const villages = (await call('GET', '/api/v1/laborers/confirmation-progress?region=430522107', county)).json();
    expect(villages.items.find((i: { code: string }) => i.code === DAZHU)).toMatchObject({ name: '大竹村', confirmed: 1 });
    expect((await call('GET', '/api/v1/laborers/confirmation-progress?region=433124', county)).statusCode).toBe(403);
  });

  it('shows the full ID number only for a stated reason, and audits it; searches never log the number', async () => {
    const noReason = await call('POST', `/api/v1/laborers/${id}/reveal`, officer, {});
    expect(noReason.statusCode).toBe(400);
    const revealed = await call('POST', `/api/v1/laborers/${id}/reveal`, officer, { reason: '办理社保补贴核对身份' });
    expect(revealed.json()).toEqual({ idNumber, birthDate: '1985-03-02', phone: '13907395678' });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'laborer.reveal')
      .execute();
    expect(audit[0].details).toEqual({ reason: '办理社保补贴核对身份' });
    const searches = await sql<{ text: string }>`SELECT string_agg(details::text, ' ') AS text FROM audit_log`.execute(t.database.db);
    expect(searches.rows[0].text).not.toContain(idNumber);
    expect(searches.rows[0].text).not.toContain('13907395678');
  });

  it('never shows the birth date beside the masked ID number: cards, lists, duplicates and exports give the age; the reveal gives the date', async () => {
    // 430522********xxxx with 1985-03-02 beside it would be the whole number but a check digit and three.
    const birth = ['1985-03-02', '19850302', '1985/3/2', '1985年3月2日'];
    const age = ageOn('1985-03-02', chinaToday());
    const cardView = await call('GET', `/api/v1/laborers/${id}`, officer);
    expect(cardView.statusCode).toBe(200);
    expect(cardView.json()).toMatchObject({ idNumberMasked: `430522********${idNumber.slice(-4)}`, age });
    expect(cardView.json()).not.toHaveProperty('birthDate');
    const list = await call('GET', `/api/v1/laborers?q=${encodeURIComponent('蒋余美')}`, county);
    expect(list.json().items[0]).toMatchObject({ id, age });
    // A list "as of" a past date still gives today's age: an age on a chosen day, day by day, would find the birthday.
    const asOf = await call('GET', `/api/v1/laborers?asOf=2026-01-10&q=${encodeURIComponent('蒋余美')}`, county);
    expect(asOf.json().items[0]).toMatchObject({ id, age });
    const exported = await call('GET', '/api/v1/laborers/export', county);
    expect(exported.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = JSON.stringify(wb.worksheets[0]!.getSheetValues());
    expect(sheet).toContain('年龄');
    for (const [label, body] of [
      ['card', cardView.body],
      ['list', list.body],
      ['asOf list', asOf.body],
      ['export', sheet],
    ] as const) {
      for (const text of [...birth, '出生日期', 'birthDate']) expect(body, `${label} shows ${text}`).not.toContain(text);
    }
    const revealed = await call('POST', `/api/v1/laborers/${id}/reveal`, county, { reason: '核对出生日期办理补贴' });
    expect(revealed.json()).toMatchObject({ idNumber, birthDate: '1985-03-02' });
  });
});

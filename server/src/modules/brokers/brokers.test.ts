import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { idCheckChar } from '../registry/index.ts';
import { brokerVillages } from './brokers.service.ts';
import { withinRegion } from '../../platform/access.ts';

const makeId = (body17: string) => body17 + idCheckChar(body17);
const DAZHU = '430522107212';
const LONGXIPU = '430522107';

let t: TestApp;
let operator: string;
let county: string;
let guzhang: string;
let broker: string;
let employer: string;
let brokerId: string;
let otherVillage: string;
let thirdVillage: string;
let otherTownshipVillage: string;
let postingId: string;
const laborers: Record<string, string> = {};
const contracts: Record<string, string> = {};

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const card = (body17: string, name: string, village: string, willingness = 'in_county') => ({
  idNumber: makeId(body17),
  name,
  homeVillageCode: village,
  povertyStatus: 'registered',
  education: '70',
  laborCapacity: 'full',
  health: 'healthy',
  willingness,
  caring: 'none',
  employmentStatus: 'unemployed',
});
const contract = (body: object, cookie = operator) => call('POST', '/api/v1/brokers/contracts', cookie, body);
const refer = (laborer: string, channel = 'broker', cookie = broker) =>
  call('POST', '/api/v1/referrals', cookie, { laborerId: laborer, postingId, channel });
const table = (query: string, cookie = county) => call('GET', `/api/v1/brokers/table?${query}`, cookie);

beforeAll(async () => {
  t = await createTestApp();
  [operator, county, guzhang, broker, employer] = await Promise.all(
    ['longxipu_operator', 'xinshao_admin', 'guzhang_admin', 'longxipu_broker', 'guohui_employer'].map((u) => t.login(u)),
  );
  const { rows } = await sql<{ id: string }>`SELECT id FROM account WHERE username = 'longxipu_broker'`.execute(t.ctx.db);
  brokerId = String(rows[0]!.id);
  const { rows: villages } = await sql<{
    code: string;
  }>`SELECT code FROM region WHERE ${withinRegion('code', LONGXIPU)} AND code <> ${LONGXIPU}
    AND length(code) = 12 AND code <> ${DAZHU} ORDER BY code LIMIT 2`.execute(t.ctx.db);
  [otherVillage, thirdVillage] = villages.map((v) => v.code) as [string, string];
  const { rows: far } = await sql<{ code: string }>`SELECT code FROM region WHERE code > '430522' AND code < '430522~' AND length(code) = 12
    AND left(code, 9) <> ${LONGXIPU} ORDER BY code LIMIT 1`.execute(t.ctx.db);
  otherTownshipVillage = far[0]!.code;
  const { rows: emp } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(
    t.ctx.db,
  );
  const { rows: p } = await sql<{
    id: string;
  }>`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max,
      valid_from, valid_to) VALUES (${emp[0]!.employer_id}, '箱包缝纫工', '6-05-01-03', ${DAZHU}, 10, 2600, 3600, '2020-01-01', '2099-12-31') RETURNING id`.execute(
    t.ctx.db,
  );
  postingId = String(p[0]!.id);
  for (const [key, body17, name, village, willingness] of [
    ['a', '43052219850302211', '蒋余美', DAZHU, 'in_county'],
    ['b', '43052219900405212', '李秀英', DAZHU, 'out_of_province'],
    ['c', '43052219950101213', '王强', otherVillage, 'in_county'],
    ['d', '43052219920101214', '刘军', thirdVillage, 'in_county'],
  ] as const) {
    const response = await call('POST', '/api/v1/laborers', operator, card(body17, name, village, willingness));
    expect(response.statusCode, response.body).toBe(201);
    laborers[key] = response.json().id;
  }
});
afterAll(async () => t?.close());

describe('broker contracts (双线管理)', () => {
  it('a township operator contracts a broker for villages of the township, recording township and county', async () => {
    const response = await contract({
      brokerId,
      villageCodes: [DAZHU],
      validFrom: '2020-01-01',
      validTo: '2099-12-31',
      note: '购买服务协议',
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    contracts.dazhu = body.id;
    expect(body).toMatchObject({
      broker: { id: brokerId, username: 'longxipu_broker' },
      villages: [{ code: DAZHU, name: '大竹村' }],
      township: { code: LONGXIPU, name: '龙溪铺镇' },
      county: { code: '430522', name: '新邵县' },
      state: 'active',
      createdBy: 'longxipu_operator',
      endedOn: null,
    });
    // The county labour bureau signs too (the other line), here for a second village.
    const second = await contract({ brokerId, villageCodes: [otherVillage], validFrom: '2020-01-01', validTo: '2099-12-31' }, county);
    expect(second.statusCode, second.body).toBe(201);
    contracts.other = second.json().id;
    const listed = (await call('GET', '/api/v1/brokers/contracts', operator)).json();
    expect(listed.total).toBe(2);
    expect((await call('GET', `/api/v1/brokers/contracts?region=${DAZHU}&activeOn=2026-01-01`, county)).json().total).toBe(1);
  });

  it('refuses an upside-down period, non-villages, villages outside scope or of two townships, and other counties', async () => {
    const upside = await contract({ brokerId, villageCodes: [DAZHU], validFrom: '2026-12-31', validTo: '2026-01-01' });
    expect(upside.statusCode).toBe(400);
    expect(upside.json()).toMatchObject({ code: 'BROKER_CONTRACT_PERIOD', message: '协议截止日期不能早于开始日期' });
    expect((await contract({ brokerId, villageCodes: [LONGXIPU], validFrom: '2026-01-01', validTo: '2026-12-31' })).statusCode).toBe(400);
    const unknown = await contract({ brokerId, villageCodes: ['430522107999'], validFrom: '2026-01-01', validTo: '2026-12-31' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('430522107999');
    const outside = await contract({ brokerId, villageCodes: [otherTownshipVillage], validFrom: '2026-01-01', validTo: '2026-12-31' });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('BROKER_VILLAGE_OUT_OF_SCOPE');
    const two = await contract(
      { brokerId, villageCodes: [DAZHU, otherTownshipVillage], validFrom: '2026-01-01', validTo: '2026-12-31' },
      county,
    );
    expect(two.json()).toMatchObject({ code: 'BROKER_VILLAGES_ONE_TOWNSHIP' });
    expect((await contract({ brokerId, villageCodes: [DAZHU], validFrom: '2026-01-01', validTo: '2026-12-31' }, guzhang)).statusCode).toBe(
      404,
    );
    const notBroker = await sql<{ id: string }>`SELECT id FROM account WHERE username = 'dazhu_officer'`.execute(t.ctx.db);
    expect(
      (await contract({ brokerId: String(notBroker.rows[0]!.id), villageCodes: [DAZHU], validFrom: '2026-01-01', validTo: '2026-12-31' }))
        .statusCode,
    ).toBe(404);
    expect((await call('GET', '/api/v1/brokers/contracts', guzhang)).json()).toEqual({ items: [], total: 0 });
    expect((await call('POST', `/api/v1/brokers/contracts/${contracts.dazhu}/end`, guzhang, { reason: '测试' })).statusCode).toBe(404);
  });
});

describe("a broker's villages", () => {
  it('sees only the job seekers of villages under a contract valid today, masked, filtered', async () => {
    const response = await call('GET', '/api/v1/brokers/me/laborers', broker);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.villages.map((v: { code: string }) => v.code)).toEqual([DAZHU, otherVillage].sort());
    expect(body.items.map((l: { id: string }) => l.id).sort()).toEqual([laborers.a, laborers.b, laborers.c].sort());
    expect(body.items[0].idNumberMasked).toMatch(/^430522\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(body)).not.toContain('43052219850302211');
    expect((await call('GET', '/api/v1/brokers/me/laborers?name=李', broker)).json().items.map((l: { id: string }) => l.id)).toEqual([
      laborers.b,
    ]);
    expect((await call('GET', '/api/v1/brokers/me/laborers?willingness=out_of_province', broker)).json().total).toBe(1);
    expect((await call('GET', `/api/v1/brokers/me/laborers?village=${thirdVillage}`, broker)).json().code).toBe(
      'BROKER_VILLAGE_NOT_CONTRACTED',
    );
    expect(await brokerVillages(t.ctx.db, brokerId, '2026-06-01')).toEqual([DAZHU, otherVillage].sort());
    expect(await brokerVillages(t.ctx.db, brokerId, '2019-06-01')).toEqual([]);
  });

  it('refers a laborer of a contracted village, credited to the broker', async () => {
    const response = await refer(laborers.a!);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ channel: 'broker', status: 'recommended', createdBy: { username: 'longxipu_broker' } });
    const { rows } = await sql<{
      created_by: string;
      channel: string;
    }>`SELECT created_by, channel FROM referral WHERE id = ${response.json().id}`.execute(t.ctx.db);
    expect(rows[0]).toEqual({ created_by: brokerId, channel: 'broker' });
    contracts.referralA = response.json().id;
  });

  it('is refused outside the contract, after its end, with another channel; staff cannot claim the broker channel', async () => {
    const outside = await refer(laborers.d!);
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({
      code: 'BROKER_VILLAGE_NOT_CONTRACTED',
      message: '该劳动力所在村不在您的劳务经纪协议范围内，不能推荐',
    });
    expect((await refer(laborers.b!, 'staff')).json().code).toBe('REFERRAL_CHANNEL');
    expect((await refer(laborers.c!, 'broker', operator)).json().code).toBe('REFERRAL_CHANNEL');
    expect((await refer('999999')).statusCode).toBe(404);
    const ended = await call('POST', `/api/v1/brokers/contracts/${contracts.other}/end`, operator, {
      endedOn: '2026-01-01',
      reason: '经纪人外出务工，协议终止',
    });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ state: 'ended', endedOn: '2026-01-01', endReason: '经纪人外出务工，协议终止' });
    const after = await refer(laborers.c!);
    expect(after.statusCode).toBe(403);
    expect(after.json()).toMatchObject({
      code: 'BROKER_CONTRACT_ENDED',
      message: '您与该村的劳务经纪协议已于2026-01-01终止，不能再推荐该村劳动力',
    });
    expect(
      (await call('GET', '/api/v1/brokers/me/laborers', broker))
        .json()
        .items.map((l: { id: string }) => l.id)
        .sort(),
    ).toEqual([laborers.a, laborers.b].sort());
    expect((await call('POST', `/api/v1/brokers/contracts/${contracts.other}/end`, operator, { reason: '重复' })).statusCode).toBe(409);
    const mine = (await call('GET', '/api/v1/brokers/me/contracts', broker)).json();
    expect(mine.items.map((c: { state: string }) => c.state).sort()).toEqual(['active', 'ended']);
  });
});

describe('the broker table', () => {
  it('counts referrals, hires and hires still at work 3 and 6 months later, as of a date', async () => {
    const id = contracts.referralA!;
    expect((await call('POST', `/api/v1/referrals/${id}/steps`, employer, { status: 'interviewed' })).statusCode).toBe(200);
    const hired = await call('POST', `/api/v1/referrals/${id}/steps`, employer, { status: 'hired', startedOn: '2025-02-01' });
    expect(hired.statusCode, hired.body).toBe(200);
    await sql`UPDATE referral SET created_at = '2025-01-10T10:00:00+08:00' WHERE id = ${id}`.execute(t.ctx.db);
    const rowOf = async (asOf: string, cookie = county, region = '430522') => {
      const response = await table(`region=${region}&asOf=${asOf}`, cookie);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().rows.find((r: { username: string }) => r.username === 'longxipu_broker');
    };
    expect(await rowOf('2025-01-09')).toMatchObject({ referrals: 0, hires: 0, retained3: 0, retained6: 0 });
    expect(await rowOf('2025-01-31')).toMatchObject({ referrals: 1, hires: 0 });
    expect(await rowOf('2025-04-30')).toMatchObject({ referrals: 1, hires: 1, retained3: 0, retained6: 0 });
    expect(await rowOf('2025-05-01')).toMatchObject({ referrals: 1, hires: 1, retained3: 1, retained6: 0 });
    expect(await rowOf('2025-08-01')).toMatchObject({ referrals: 1, hires: 1, retained3: 1, retained6: 1, villages: 2 });
    await sql`UPDATE employment SET ended_on = '2025-06-15', end_reason = 'resigned' WHERE referral_id = ${id}`.execute(t.ctx.db);
    expect(await rowOf('2025-08-01')).toMatchObject({ hires: 1, retained3: 1, retained6: 0 });
    expect(await rowOf('2026-06-01', operator, LONGXIPU)).toMatchObject({ hires: 1, retained3: 1, retained6: 0, villages: 1 });
    const province = (await table('region=43', await t.login('hunan_admin'))).json();
    expect(province.totals).toMatchObject({ referrals: 1, hires: 1, retained3: 1, retained6: 0 });
  });

  it('is scoped to the caller', async () => {
    expect((await table('region=430522', guzhang)).statusCode).toBe(403);
    expect((await table('region=430522', operator)).statusCode).toBe(403);
    expect((await table('', guzhang)).json().rows.find((r: { username: string }) => r.username === 'longxipu_broker')).toBeUndefined();
    expect((await table('region=430522', broker)).statusCode).toBe(403);
  });
});

describe("a broker's referral passes the hard conditions the staff's matching screen applies (issue 16 item 4c)", () => {
  it('refuses a laborer who wants work in the county only for a posting in 长沙, unless the broker states why', async () => {
    const { rows: city } = await sql<{
      code: string;
    }>`SELECT code FROM region WHERE code LIKE '4301%' AND length(code) = 6 AND code <> '430100' ORDER BY code LIMIT 1`.execute(t.ctx.db);
    const { rows: emp } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(
      t.ctx.db,
    );
    const { rows: p } = await sql<{
      id: string;
    }>`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max,
        valid_from, valid_to) VALUES (${emp[0]!.employer_id}, '长沙仓储分拣员', '6-05-01-03', ${city[0]!.code}, 10, 4000, 5000, '2020-01-01', '2099-12-31') RETURNING id`.execute(
      t.ctx.db,
    );
    const changsha = String(p[0]!.id);
    const created = await call('POST', '/api/v1/laborers', operator, card('43052219930303215', '石小燕', DAZHU, 'in_county'));
    expect(created.statusCode, created.body).toBe(201);
    const body = { laborerId: created.json().id, postingId: changsha, channel: 'broker' };
    const refused = await call('POST', '/api/v1/referrals', broker, body);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'REFERRAL_CONDITION_FAILED',
      details: { condition: 'work_place', label: '工作地点超出务工意愿' },
    });
    expect(refused.json().message).toContain('工作地点超出务工意愿');
    const made = await call('POST', '/api/v1/referrals', broker, { ...body, overrideReason: '本人当面表示愿意去长沙' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ channel: 'broker', override: { condition: 'work_place', reason: '本人当面表示愿意去长沙' } });
    // The staff see the broker's stated reason with the referral.
    const seen = await call('GET', `/api/v1/referrals/${made.json().id}`, operator);
    expect(seen.json().override).toMatchObject({ label: '工作地点超出务工意愿', reason: '本人当面表示愿意去长沙' });
  });
});

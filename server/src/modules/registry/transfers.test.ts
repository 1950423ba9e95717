import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { idCheckChar } from './identity.ts';

const makeId = (body17: string) => body17 + idCheckChar(body17);
const DAZHU = '430522107212'; // 大竹村, 新邵县
const SHIBADONG = '433124110226'; // 十八洞村, 花垣县
const GANGGANG = '433124109269'; // 杠杠村, 花垣县
const TAOJIN = '433126107225'; // 淘金村, 古丈县
const card = (idNumber: string, extra: Record<string, unknown> = {}) => ({
  idNumber,
  name: '龙秀英',
  phone: '13807394444',
  homeVillageCode: DAZHU,
  povertyStatus: 'registered',
  education: '70',
  laborCapacity: 'full',
  health: 'healthy',
  willingness: 'out_of_province',
  caring: 'none',
  employmentStatus: 'unemployed',
  ...extra,
});

let t: TestApp;
let officer: string;
let operator: string;
let xinshao: string;
let huayuan: string;
let guzhang: string;
beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
  operator = await t.login('longxipu_operator');
  xinshao = await t.login('xinshao_admin');
  huayuan = await t.login('huayuan_admin');
  guzhang = await t.login('guzhang_admin');
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const list = async (cookie: string, direction: 'incoming' | 'outgoing', status = '') =>
  (await call('GET', `/api/v1/laborers/transfer-requests?direction=${direction}${status ? `&status=${status}` : ''}`, cookie)).json();

describe('transfer requests (迁移申请)', () => {
  const idNumber = makeId('43052219880808102');
  let laborerId: string;
  let requestId: string;

  beforeAll(async () => {
    const created = await call('POST', '/api/v1/laborers', officer, card(idNumber));
    expect(created.statusCode).toBe(201);
    laborerId = created.json().id;
  });

  it('offers a transfer request when the ID number is held by another county, and the request names only that county', async () => {
    const refused = await call('POST', '/api/v1/laborers', huayuan, card(idNumber, { homeVillageCode: SHIBADONG }));
    expect(refused.json()).toMatchObject({ code: 'LABORER_EXISTS', details: { county: { code: '430522' }, transferRequest: true } });

    const response = await call('POST', '/api/v1/laborers/transfer-requests', huayuan, {
      idNumber,
      toVillageCode: SHIBADONG,
      reason: '已随配偶落户十八洞村',
    });
    expect(response.statusCode, response.body).toBe(201);
    const request = response.json();
    requestId = request.id;
    expect(request).toMatchObject({
      status: 'pending',
      idNumberMasked: `430522********${idNumber.slice(-4)}`,
      holdingCounty: { code: '430522', fullName: '湖南省邵阳市新邵县' },
      fromVillage: null,
      toVillage: { code: SHIBADONG },
      requestingRegion: { code: '433124' },
      laborer: null,
      canDecide: false,
    });
    // Nothing more about the card: not its name, village, phone or id.
    const text = JSON.stringify(request);
    for (const secret of ['龙秀英', '大竹村', '138****4444', idNumber]) expect(text).not.toContain(secret);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['entity_id'])
      .where('action', '=', 'laborer.transfer_request')
      .execute();
    expect(audit).toEqual([{ entity_id: requestId }]);
  });

  it('allows one pending request per card, and refuses requests that make no sense', async () => {
    const second = await call('POST', '/api/v1/laborers/transfer-requests', guzhang, {
      idNumber,
      toVillageCode: TAOJIN,
      reason: '在古丈县长期居住',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('TRANSFER_PENDING');
    const same = await call('POST', '/api/v1/laborers/transfer-requests', huayuan, {
      idNumber,
      toVillageCode: GANGGANG,
      reason: '改为杠杠村',
    });
    expect(same.json().code).toBe('TRANSFER_PENDING');
    // Into a village outside one's own scope.
    const outside = await call('POST', '/api/v1/laborers/transfer-requests', guzhang, {
      idNumber,
      toVillageCode: SHIBADONG,
      reason: '代为申请',
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('REGION_OUT_OF_SCOPE');
    // The card is already in the requester's scope.
    const own = await call('POST', '/api/v1/laborers/transfer-requests', xinshao, {
      idNumber,
      toVillageCode: '430522200235',
      reason: '迁往潭府乡',
    });
    expect(own.json().code).toBe('TRANSFER_NOT_NEEDED');
    // No card with this number.
    const none = await call('POST', '/api/v1/laborers/transfer-requests', huayuan, {
      idNumber: makeId('43052219990909123'),
      toVillageCode: SHIBADONG,
      reason: '新落户',
    });
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('TRANSFER_NO_CARD');
    const bad = await call('POST', '/api/v1/laborers/transfer-requests', huayuan, {
      idNumber: idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0'),
      toVillageCode: SHIBADONG,
      reason: '新落户',
    });
    expect(bad.statusCode).toBe(400);
    const count = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer_transfer_request`.execute(t.database.db);
    expect(Number(count.rows[0].n)).toBe(1);
  });

  it('lists the request as outgoing for the requester and incoming for the holding county', async () => {
    const outgoing = await list(huayuan, 'outgoing');
    expect(outgoing.total).toBe(1);
    expect(outgoing.items[0]).toMatchObject({ id: requestId, laborer: null, canDecide: false });
    expect((await list(huayuan, 'incoming')).total).toBe(0);

    const incoming = await list(xinshao, 'incoming');
    expect(incoming.total).toBe(1);
    expect(incoming.items[0]).toMatchObject({
      id: requestId,
      fromVillage: { code: DAZHU },
      laborer: { id: laborerId, name: '龙秀英', homeVillage: { code: DAZHU } },
      requestedBy: { username: 'huayuan_admin' },
      canDecide: true,
    });
    // The village officer sees the request for a card of the village, but decides nothing.
    expect((await list(officer, 'incoming')).items[0]).toMatchObject({ id: requestId, canDecide: false });
    expect((await list(guzhang, 'incoming')).total).toBe(0);
    expect((await list(guzhang, 'outgoing')).total).toBe(0);
    expect((await list(xinshao, 'incoming', 'approved')).total).toBe(0);
  });

  it('is decided only by the admins and township operators of the holding region', async () => {
    const wrongCounty = await call('POST', `/api/v1/laborers/transfer-requests/${requestId}/approve`, guzhang, {});
    expect(wrongCounty.statusCode).toBe(404);
    expect(wrongCounty.json().message).toBe('不存在或无权限');
    const requester = await call('POST', `/api/v1/laborers/transfer-requests/${requestId}/approve`, huayuan, {});
    expect(requester.statusCode).toBe(403);
    expect(requester.json().code).toBe('TRANSFER_NOT_HOLDER');
    expect(
      (await call('POST', `/api/v1/laborers/transfer-requests/${requestId}/reject`, huayuan, { reason: '自己驳回' })).json().code,
    ).toBe('TRANSFER_NOT_HOLDER');
    expect((await call('POST', `/api/v1/laborers/transfer-requests/${requestId}/approve`, officer, {})).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/laborers/${laborerId}`, huayuan)).statusCode).toBe(404);
  });

  it('on approval moves the card as a new ledger version: the history and "as of" lists stay right', async () => {
    const approved = await call('POST', `/api/v1/laborers/transfer-requests/${requestId}/approve`, operator, { reason: '经核实已迁出' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: { username: 'longxipu_operator' },
      decisionReason: '经核实已迁出',
      fromVillage: { code: DAZHU },
      laborer: null,
      canDecide: false,
    });

    // The card now belongs to 十八洞村: 花垣县 sees it, 新邵县 no longer does.
    const moved = await call('GET', `/api/v1/laborers/${laborerId}`, huayuan);
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      homeVillage: { code: SHIBADONG, fullName: '湖南省湘西土家族苗族自治州花垣县双龙镇十八洞村' },
      version: 2,
      name: '龙秀英',
    });
    expect((await call('GET', `/api/v1/laborers/${laborerId}`, xinshao)).statusCode).toBe(404);

    const history = (await call('GET', `/api/v1/laborers/${laborerId}/history`, huayuan)).json().items;
    expect(history[0]).toMatchObject({ version: 2, kind: 'transfer', by: { username: 'longxipu_operator' }, fromCard: null });
    expect(history[0].reason).toContain('已随配偶落户十八洞村');
    expect(history[0].changes).toEqual([{ field: 'home_village_code', before: DAZHU, after: SHIBADONG }]);

    // The requester now sees the card through the request; the holder keeps the decided request.
    expect((await list(huayuan, 'outgoing')).items[0]).toMatchObject({ status: 'approved', laborer: { id: laborerId } });
    expect((await list(xinshao, 'incoming', 'approved')).items[0]).toMatchObject({ id: requestId, status: 'approved', laborer: null });
    // Decided once.
    expect(
      (await call('POST', `/api/v1/laborers/transfer-requests/${requestId}/reject`, operator, { reason: '重复审批' })).json().code,
    ).toBe('TRANSFER_NOT_PENDING');

    // Put the first version in 2025-03 … 2025-06 and the transfer on 2025-06-01 (China time).
    await sql`UPDATE laborer_version SET valid_from = '2025-03-01T09:00:00+08', valid_to = '2025-06-01T09:00:00+08' WHERE laborer_id = ${laborerId} AND version = 1`.execute(
      t.database.db,
    );
    await sql`UPDATE laborer_version SET valid_from = '2025-06-01T09:00:00+08' WHERE laborer_id = ${laborerId} AND version = 2`.execute(
      t.database.db,
    );
    const ids = async (cookie: string, asOf: string) =>
      (await call('GET', `/api/v1/laborers?asOf=${asOf}&q=${encodeURIComponent('龙秀英')}`, cookie))
        .json()
        .items.map((l: { id: string }) => l.id);
    expect(await ids(xinshao, '2025-05-01')).toEqual([laborerId]);
    expect(await ids(huayuan, '2025-05-01')).toEqual([]);
    expect(await ids(xinshao, '2025-07-01')).toEqual([]);
    expect(await ids(huayuan, '2025-07-01')).toEqual([laborerId]);
  });

  it('takes a new request once the last one is decided, and a rejection needs a reason', async () => {
    const back = await call('POST', '/api/v1/laborers/transfer-requests', officer, {
      idNumber,
      toVillageCode: DAZHU,
      reason: '已回大竹村居住',
    });
    expect(back.statusCode, back.body).toBe(201);
    expect(back.json().holdingCounty).toEqual({ code: '433124', fullName: '湖南省湘西土家族苗族自治州花垣县' });
    const id = back.json().id;
    expect((await call('POST', `/api/v1/laborers/transfer-requests/${id}/reject`, huayuan, {})).statusCode).toBe(400);
    const rejected = await call('POST', `/api/v1/laborers/transfer-requests/${id}/reject`, huayuan, { reason: '本人仍在花垣县务工居住' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionReason: '本人仍在花垣县务工居住' });
    expect((await call('GET', `/api/v1/laborers/${laborerId}`, huayuan)).json().homeVillage.code).toBe(SHIBADONG);
    expect((await list(officer, 'outgoing')).items.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [id, 'rejected'],
    ]);
  });
});

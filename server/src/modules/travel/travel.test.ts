import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, creditCode, insertEmployer, seekerCard } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';
import { travelStep } from '../../generate/travel.step.ts';
import type { GeneratorContext } from '../../generate/generator.ts';
import { Rng } from '../../generate/random.ts';

let t: TestApp;
let operator: string;
let county: string;
let guzhang: string;
let employer: string;
let guohuiId: string;
let otherEmployerId: string;
let otherTownshipVillage: string;
const laborers: Record<string, string> = {};
const trips: Record<string, string> = {};
const DAY = addDays(chinaToday(), 7);

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const createTrip = (body: object, cookie = operator) => call('POST', '/api/v1/trips', cookie, body);
const add = (trip: string, source: string, ids: string[], cookie = operator) =>
  call('POST', `/api/v1/trips/${trip}/passengers`, cookie, { source, laborerIds: ids });
const board = (trip: string, ids: string[], boarded = true) =>
  call('POST', `/api/v1/trips/${trip}/boarding`, operator, { laborerIds: ids, boarded });
const arrive = (trip: string, body: object, cookie = operator) => call('POST', `/api/v1/trips/${trip}/arrivals`, cookie, body);
const status = (trip: string, to: string, cookie = operator) => call('POST', `/api/v1/trips/${trip}/status`, cookie, { status: to });
const auditCount = async (action: string, entityId: string, result = 'success') =>
  Number(
    (
      await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM audit_log WHERE action = ${action} AND entity_id = ${entityId} AND result = ${result}`.execute(t.ctx.db)
    ).rows[0]!.n,
  );

beforeAll(async () => {
  t = await createTestApp();
  [operator, county, guzhang, employer] = await Promise.all(
    ['longxipu_operator', 'xinshao_admin', 'guzhang_admin', 'guohui_employer'].map((u) => t.login(u)),
  );
  const { rows: emp } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(
    t.ctx.db,
  );
  guohuiId = String(emp[0]!.employer_id);
  otherEmployerId = String(await insertEmployer(t.ctx.db, creditCode('91430522MA4L00017'), '新邵县测试电子厂', '430522'));
  const { rows: far } = await sql<{ code: string }>`SELECT code FROM region WHERE code > '430522' AND code < '430522~' AND length(code) = 12
    AND left(code, 9) <> '430522107' ORDER BY code LIMIT 1`.execute(t.ctx.db);
  otherTownshipVillage = far[0]!.code;
  for (const [key, body17, name, village, cookie] of [
    ['a', '43052219850302311', '蒋余美', DAZHU, operator],
    ['b', '43052219900405312', '李秀英', DAZHU, operator],
    ['c', '43052219950101313', '王强', DAZHU, operator],
    ['d', '43052219920101314', '刘军', DAZHU, operator],
    ['e', '43052219880101315', '陈芳', otherTownshipVillage, county],
  ] as const) {
    const response = await call('POST', '/api/v1/laborers', cookie, seekerCard(body17, { name, homeVillageCode: village }));
    expect(response.statusCode, response.body).toBe(201);
    laborers[key] = response.json().id;
  }
  // Hires of 国辉 (a, b, c, and e of another township); d is a job seeker.
  for (const key of ['a', 'b', 'c', 'e']) {
    await sql`INSERT INTO employment (laborer_id, employer_id, work_region_code, started_on, channel)
      VALUES (${laborers[key]}, ${guohuiId}, ${DAZHU}, '2025-01-01', 'assisted')`.execute(t.ctx.db);
  }
});
afterAll(async () => t?.close());

describe('creating a trip', () => {
  it('refuses no seats, a bad or past date, no destination, a county outside scope', async () => {
    const base = { mode: 'bus', employerId: guohuiId, departsOn: DAY, capacity: 3, subsidyPerPerson: 200 };
    expect((await createTrip({ ...base, capacity: 0 })).statusCode).toBe(400);
    expect((await createTrip({ ...base, departsOn: '2026-02-30x' })).statusCode).toBe(400);
    expect((await createTrip({ ...base, departsOn: '2020-01-01' })).json().code).toBe('TRIP_DATE_PAST');
    const none = await createTrip({ mode: 'train', departsOn: DAY, capacity: 10 });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'TRIP_DESTINATION_REQUIRED', message: '请选择目的地：用人单位或到达地区' });
    expect((await createTrip({ ...base, fromCountyCode: '430522' }, guzhang)).json().code).toBe('TRIP_COUNTY_OUT_OF_SCOPE');
  });

  it('a township operator arranges a bus to an employer from its county; the destination is the employer', async () => {
    const response = await createTrip({
      mode: 'bus',
      employerId: guohuiId,
      departsOn: DAY,
      capacity: 3,
      subsidyPerPerson: 200,
      note: '春节后返岗',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      mode: 'bus',
      fromCounty: { code: '430522', name: '新邵县' },
      employer: { id: guohuiId },
      destination: { code: DAZHU, name: '大竹村' },
      departsOn: DAY,
      capacity: 3,
      subsidyPerPerson: 200,
      status: 'planned',
      passengers: 0,
      subsidyTotal: 0,
      createdBy: 'longxipu_operator',
    });
    trips.hire = response.json().id;
    const special = await createTrip(
      { mode: 'train', destinationRegionCode: '4305', departsOn: DAY, capacity: 50, subsidyPerPerson: 150 },
      county,
    );
    expect(special.statusCode, special.body).toBe(201);
    trips.train = special.json().id;
    expect((await call('GET', '/api/v1/trips', operator)).json().total).toBe(2);
    expect((await call('GET', '/api/v1/trips', guzhang)).json()).toEqual({ items: [], total: 0 });
    expect((await call('GET', `/api/v1/trips/${trips.hire}`, guzhang)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/trips', employer)).json().items.map((x: { id: string }) => x.id)).toEqual([trips.hire]);
  });
});

describe('the manifest', () => {
  it('takes hires of the trip employer in scope; refuses non-hires, laborers outside scope, overbooking', async () => {
    const candidates = (await call('GET', `/api/v1/trips/${trips.hire}/candidates`, operator)).json();
    expect(candidates.items.map((c: { laborerId: string }) => c.laborerId).sort()).toEqual([laborers.a, laborers.b, laborers.c].sort());
    const added = await add(trips.hire!, 'hire', [laborers.a!, laborers.b!]);
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().passengers).toBe(2);
    expect((await add(trips.hire!, 'hire', [laborers.d!])).json()).toMatchObject({
      code: 'TRIP_NOT_HIRED',
      details: { laborerIds: [laborers.d] },
    });
    // e is a hire too, but of another township: not the operator's to put on a bus.
    expect((await add(trips.hire!, 'hire', [laborers.e!])).statusCode).toBe(404);
    expect(await auditCount('trip.passengers.add', trips.hire!, 'denied')).toBe(1);
    expect((await add(trips.hire!, 'hire', [laborers.c!], guzhang)).statusCode).toBe(404);
    expect((await add(trips.hire!, 'return_to_work', [laborers.c!, laborers.d!])).json().code).toBe('TRIP_FULL');
    expect((await add(trips.train!, 'hire', [laborers.d!], county)).json().code).toBe('TRIP_NO_EMPLOYER');
    expect((await add(trips.hire!, 'hire', [laborers.c!])).json().passengers).toBe(3);
  });

  it('refuses a laborer on two trips the same day', async () => {
    const twice = await add(trips.train!, 'return_to_work', [laborers.a!, laborers.d!], county);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({
      code: 'TRIP_DOUBLE_BOOKED',
      details: { booked: [{ laborerId: laborers.a, tripId: trips.hire }] },
    });
    const ok = await add(trips.train!, 'return_to_work', [laborers.d!, laborers.e!], county);
    expect(ok.statusCode, ok.body).toBe(200);
    // Another day is another trip.
    const later = (await createTrip({ mode: 'bus', destinationRegionCode: '4305', departsOn: addDays(DAY, 1), capacity: 5 })).json();
    expect((await add(later.id, 'return_to_work', [laborers.a!])).statusCode).toBe(200);
  });
});

describe('on the way', () => {
  it('boards, departs, confirms arrivals; the trip cannot arrive while a boarded passenger is unaccounted for', async () => {
    expect((await status(trips.hire!, 'departed')).json().message).toBe('还没有人员上车，不能发车');
    expect((await arrive(trips.hire!, { laborerIds: [laborers.a], arrived: true })).json().code).toBe('TRIP_STATUS');
    const boarded = await board(trips.hire!, [laborers.a!, laborers.b!]);
    expect(boarded.statusCode, boarded.body).toBe(200);
    expect(boarded.json()).toMatchObject({ boarded: 2, subsidyDue: 400, subsidyTotal: 0 });
    expect((await board(trips.hire!, [laborers.d!])).json().code).toBe('TRIP_NOT_PASSENGER');
    expect((await status(trips.hire!, 'departed')).json().status).toBe('departed');
    expect((await arrive(trips.hire!, { laborerIds: [laborers.c], arrived: true })).json().code).toBe('TRIP_NOT_BOARDED');

    // At the factory gate: the trip's own employer confirms.
    const gate = await arrive(trips.hire!, { laborerIds: [laborers.a], arrived: true }, employer);
    expect(gate.statusCode, gate.body).toBe(200);
    expect(gate.json()).toMatchObject({ arrived: 1, missing: 1 });
    const refused = await status(trips.hire!, 'arrived');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'TRIP_UNACCOUNTED', details: { laborerIds: [laborers.b] } });

    const manifest = await call('GET', `/api/v1/trips/${trips.hire}/manifest`, operator);
    expect(manifest.statusCode, manifest.body).toBe(200);
    const body = manifest.json();
    expect(body.passengers).toHaveLength(3);
    expect(body.missing.map((p: { laborerId: string }) => p.laborerId)).toEqual([laborers.b]);
    expect(body.passengers.find((p: { laborerId: string }) => p.laborerId === laborers.a)).toMatchObject({
      arrived: true,
      arrivedBy: 'guohui_employer',
      missing: false,
    });
    expect(body.passengers[0].idNumberMasked).toMatch(/^430522\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(body)).not.toContain('43052219850302311');
    expect(body.trip).toMatchObject({ passengers: 3, boarded: 2, subsidyDue: 400, subsidyTotal: 0 });

    const reason = await arrive(trips.hire!, { laborerIds: [laborers.b], arrived: false, reason: '中途下车（家中有事）' });
    expect(reason.json()).toMatchObject({ missing: 0, arrived: 1 });
    const done = await status(trips.hire!, 'arrived');
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'arrived', subsidyDue: 400, subsidyTotal: 0 });
    const after = (await call('GET', `/api/v1/trips/${trips.hire}/manifest`, employer)).json();
    expect(after.passengers.find((p: { laborerId: string }) => p.laborerId === laborers.b)).toMatchObject({
      arrived: false,
      missingReason: '中途下车（家中有事）',
      missing: false,
    });
  });

  it('an employer confirms arrivals of its own trips only', async () => {
    // The county's trip: the county labour bureau boards its passengers.
    expect(
      (await call('POST', `/api/v1/trips/${trips.train}/boarding`, county, { laborerIds: [laborers.d], boarded: true })).statusCode,
    ).toBe(200);
    expect((await status(trips.train!, 'departed', county)).statusCode).toBe(200);
    expect((await arrive(trips.train!, { laborerIds: [laborers.d], arrived: true }, employer)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/trips/${trips.train}/manifest`, employer)).statusCode).toBe(404);
    expect(await auditCount('trip.arrival', trips.train!, 'denied')).toBe(1);
    expect(await auditCount('trip.manifest', trips.train!, 'denied')).toBe(1);
    // An employer's trip elsewhere: the demo employer sees nothing of it.
    const other = (await createTrip({ mode: 'bus', employerId: otherEmployerId, departsOn: addDays(DAY, 2), capacity: 5 })).json();
    expect((await call('GET', `/api/v1/trips/${other.id}`, employer)).statusCode).toBe(404);
  });

  it("a township operator sees, boards and marks only its own township's passengers of a county trip (issue 15)", async () => {
    // The county's train carries d (大竹村, the operator's township) and e (another township of the county).
    const boardE = await call('POST', `/api/v1/trips/${trips.train}/boarding`, operator, { laborerIds: [laborers.e], boarded: true });
    expect(boardE.statusCode).toBe(400);
    expect(boardE.json()).toMatchObject({
      code: 'TRIP_NOT_PASSENGER',
      message: '该劳动力不在本车次乘车名单中，或不属于您的辖区',
      details: { laborerIds: [laborers.e] },
    });
    expect(await auditCount('trip.boarding', trips.train!, 'denied')).toBe(1);
    // The county boards e; the operator still cannot mark e's arrival, nor learn whether e is aboard.
    expect(
      (await call('POST', `/api/v1/trips/${trips.train}/boarding`, county, { laborerIds: [laborers.e], boarded: true })).statusCode,
    ).toBe(200);
    const markE = await arrive(trips.train!, { laborerIds: [laborers.e], arrived: false, reason: '未到' });
    expect(markE.statusCode).toBe(400);
    expect(markE.json()).toMatchObject({ code: 'TRIP_NOT_PASSENGER', details: { laborerIds: [laborers.e] } });
    expect((await arrive(trips.train!, { laborerIds: [laborers.d], arrived: true })).statusCode).toBe(200);

    // The manifest lists the operator's own passengers only; the others are a count, with no name or id.
    const mine = await call('GET', `/api/v1/trips/${trips.train}/manifest`, operator);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().passengers.map((p: { laborerId: string }) => p.laborerId)).toEqual([laborers.d]);
    expect(mine.json()).toMatchObject({ outsideScope: 1, trip: { passengers: 2, boarded: 2, arrived: 1, missing: 1 }, missing: [] });
    expect(JSON.stringify(mine.json())).not.toContain('陈芳');
    expect(JSON.stringify(mine.json().passengers)).not.toContain(otherTownshipVillage);
    // The trip cannot arrive while e is unaccounted for; the refusal names no one outside the operator's township.
    const refused = await status(trips.train!, 'arrived');
    expect(refused.json()).toMatchObject({
      code: 'TRIP_UNACCOUNTED',
      message: '仍有1名已上车人员未确认到达、也未登记原因，不能确认车次到达',
      details: { laborerIds: [] },
    });
    const all = (await call('GET', `/api/v1/trips/${trips.train}/manifest`, county)).json();
    expect(all).toMatchObject({ outsideScope: 0 });
    expect(all.missing.map((p: { name: string }) => p.name)).toEqual(['陈芳']);
  });

  it('cancelling frees the day; every write and every manifest view is audited', async () => {
    const spare = (await createTrip({ mode: 'other', destinationRegionCode: '4305', departsOn: addDays(DAY, 3), capacity: 5 })).json();
    expect((await add(spare.id, 'return_to_work', [laborers.c!])).statusCode).toBe(200);
    expect((await status(spare.id, 'cancelled')).json().status).toBe('cancelled');
    const again = (await createTrip({ mode: 'bus', destinationRegionCode: '4305', departsOn: addDays(DAY, 3), capacity: 5 })).json();
    expect((await add(again.id, 'return_to_work', [laborers.c!])).statusCode).toBe(200);
    expect((await status(spare.id, 'departed')).json().code).toBe('TRIP_STATUS');

    const id = trips.hire!;
    expect(await auditCount('trip.create', id)).toBe(1);
    expect(await auditCount('trip.passengers.add', id)).toBe(2);
    expect(await auditCount('trip.boarding', id)).toBe(1);
    expect(await auditCount('trip.arrival', id)).toBe(2);
    expect(await auditCount('trip.status', id)).toBe(2);
    expect(await auditCount('trip.manifest', id)).toBe(2);
    const { rows } = await sql<{ actor_name: string; details: { arrived: boolean } }>`SELECT actor_name, details FROM audit_log
      WHERE action = 'trip.arrival' AND entity_id = ${id} ORDER BY id LIMIT 1`.execute(t.ctx.db);
    expect(rows[0]).toMatchObject({ actor_name: 'guohui_employer', details: { arrived: true } });
  });
});

describe('the generator step', () => {
  it('arranges trips from open employments, deterministic and idempotent, leaving booked seats alone', async () => {
    const f = await call(
      'POST',
      '/api/v1/laborers',
      county,
      seekerCard('43052219930101316', { name: '赵敏', homeVillageCode: otherTownshipVillage }),
    );
    expect(f.statusCode, f.body).toBe(201);
    await sql`INSERT INTO employment (laborer_id, employer_id, work_region_code, started_on, channel)
      VALUES (${f.json().id}, ${guohuiId}, ${DAZHU}, '2025-01-01', 'assisted')`.execute(t.ctx.db);
    const run = () =>
      travelStep.run({
        preset: 'demo',
        seed: 1,
        rng: new Rng(1).fork('travel'),
        db: t.database.db,
        audit: t.ctx.audit,
        progress: () => undefined,
      } as unknown as GeneratorContext);
    expect(await run()).toMatch(/^新增就业直通车1趟/);
    const { rows } = await sql<{
      status: string;
      n: number;
    }>`SELECT t.status, count(p.id)::int AS n FROM trip t LEFT JOIN trip_passenger p ON p.trip_id = t.id
      WHERE t.created_by IS NULL GROUP BY t.id, t.status`.execute(t.ctx.db);
    // 国辉's hires of 新邵县: a, b, c, e already hold a seat on a console trip that day; only f takes the generated one.
    expect(rows).toEqual([{ status: 'planned', n: 1 }]);
    expect(await run()).toBe('已有就业直通车数据或没有在岗就业记录，未新增');
  });
});

describe('the free-travel subsidy in the subsidy ledger (issue 20 item 7)', () => {
  const draft = (trip: string, cookie = operator) => call('POST', `/api/v1/trips/${trip}/subsidies`, cookie);
  const transportOf = async (laborer: string) =>
    (await call('GET', `/api/v1/subsidies?kind=transport&laborer=${laborer}`, county)).json().items as {
      id: string;
      status: string;
      amount: number;
      periodFrom: string;
      periodTo: string;
    }[];

  it("drafts one transport subsidy per boarded rider of the caller's scope; drafting again adds nothing", async () => {
    // Nobody has ridden a trip that has not left; a trip without a per-person subsidy has nothing to draft.
    const planned = (await createTrip({ mode: 'bus', destinationRegionCode: '4305', departsOn: addDays(DAY, 4), capacity: 5 })).json();
    expect((await draft(planned.id)).json().code).toBe('TRIP_STATUS');
    expect((await draft(trips.hire!, guzhang)).statusCode).toBe(404);
    expect(await auditCount('trip.subsidies', trips.hire!, 'denied')).toBe(1);

    // 国辉's bus: a and b boarded (c did not), 200 yuan each.
    const first = await draft(trips.hire!);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      created: 2,
      skipped: 0,
      amount: 400,
      trip: { boarded: 2, subsidyDue: 400, subsidyTotal: 400, subsidyRiders: 2, subsidyPaid: 0 },
    });
    const [a] = await transportOf(laborers.a!);
    expect(a).toMatchObject({ status: 'applied', amount: 200, periodFrom: DAY, periodTo: DAY });
    expect(await transportOf(laborers.c!)).toEqual([]);

    const again = await draft(trips.hire!);
    expect(again.json()).toMatchObject({ created: 0, skipped: 2, amount: 0, trip: { subsidyTotal: 400, subsidyRiders: 2 } });
    expect(await transportOf(laborers.a!)).toHaveLength(1);
    expect(await auditCount('trip.subsidies', trips.hire!)).toBe(2);
    // The trip list reads the same ledger.
    const listed = (await call('GET', '/api/v1/trips', operator)).json().items.find((x: { id: string }) => x.id === trips.hire);
    expect(listed).toMatchObject({ subsidyTotal: 400, subsidyRiders: 2 });

    // The county's train: the township operator drafts its own rider (d) only; the county then drafts e, and d is skipped.
    expect((await draft(trips.train!)).json()).toMatchObject({
      created: 1,
      skipped: 0,
      amount: 150,
      trip: { subsidyDue: 300, subsidyTotal: 150 },
    });
    expect(await transportOf(laborers.e!)).toEqual([]);
    expect((await draft(trips.train!, county)).json()).toMatchObject({
      created: 1,
      skipped: 1,
      trip: { subsidyTotal: 300, subsidyRiders: 2 },
    });
  });

  it("the same rider's transport subsidy cannot be granted or paid twice", async () => {
    const [drafted] = await transportOf(laborers.a!);
    // By hand, for the same day: the ledger's never-twice rule sees the trip's subsidy.
    const byHand = await call('POST', '/api/v1/subsidies', operator, {
      recipient: 'laborer',
      kind: 'transport',
      laborerId: laborers.a,
      amount: 200,
      periodFrom: DAY,
      periodTo: DAY,
    });
    expect(byHand.statusCode).toBe(409);
    expect(byHand.json()).toMatchObject({ code: 'SUBSIDY_DUPLICATE', details: { existing: drafted!.id } });

    const approved = await call('POST', `/api/v1/subsidies/${drafted!.id}/approve`, county, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const paid = await call('POST', `/api/v1/subsidies/${drafted!.id}/pay`, county, { paymentRef: 'ZTC-001' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect((await call('POST', `/api/v1/subsidies/${drafted!.id}/pay`, county, {})).statusCode).toBe(409);
    expect((await draft(trips.hire!)).json()).toMatchObject({ created: 0, trip: { subsidyTotal: 400, subsidyPaid: 200 } });
    // Even a writer going around the service cannot put a second one in the ledger for the day.
    await expect(
      sql`INSERT INTO subsidy (recipient, kind, laborer_id, region_code, home_region_code, amount, period_from, period_to, trip_id)
        VALUES ('laborer', 'transport', ${laborers.a}, ${DAZHU}, ${DAZHU}, 200, ${DAY}, ${DAY}, ${trips.hire})`.execute(t.ctx.db),
    ).rejects.toThrow(/subsidy_laborer_once/);
    expect(await transportOf(laborers.a!)).toEqual([expect.objectContaining({ id: drafted!.id, status: 'paid' })]);
  });
});

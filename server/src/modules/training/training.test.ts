import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, makeId, seekerCard } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

let t: TestApp;
let operator: string;
let county: string;
let guzhang: string;
let otherTownshipVillage: string;
const laborers: Record<string, string> = {};
const classes: Record<string, string> = {};
const TODAY = chinaToday();
const START = addDays(TODAY, -20);
const END = addDays(TODAY, -1);
const BODY17 = { a: '43052219850302411', b: '43052219900405412', c: '43052219950101413', d: '43052219920101414', e: '43052219880101415' };

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const PATH = '/api/v1/training-classes';
const sewing = {
  institution: '新邵县职业技能培训学校',
  course: '缝纫工技能培训',
  occupationCode: '6-05-01-03',
  hours: 40,
  startsOn: START,
  endsOn: END,
};
const createClass = (body: object, cookie = operator) => call('POST', PATH, cookie, body);
const enrol = (id: string, ids: string[], cookie = operator) => call('POST', `${PATH}/${id}/roster`, cookie, { laborerIds: ids });
const hours = (id: string, entries: { laborerId: string; hours: number }[], cookie = operator) =>
  call('POST', `${PATH}/${id}/attendance`, cookie, { entries });
const finish = (id: string, cookie = operator) => call('POST', `${PATH}/${id}/finish`, cookie);
const count = async (query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(t.ctx.db)).rows[0]!.n);
const subsidiesOf = (laborer: string) =>
  count(sql<{ n: string }>`SELECT count(*) AS n FROM subsidy WHERE laborer_id = ${laborer} AND kind = 'training'`);
const recordsOf = (laborer: string) =>
  count(sql<{ n: string }>`SELECT count(*) AS n FROM service_record WHERE laborer_id = ${laborer} AND kind = 'training'`);

beforeAll(async () => {
  t = await createTestApp();
  [operator, county, guzhang] = await Promise.all(['longxipu_operator', 'xinshao_admin', 'guzhang_admin'].map((u) => t.login(u)));
  const { rows: far } = await sql<{ code: string }>`SELECT code FROM region WHERE code > '430522' AND code < '430522~' AND length(code) = 12
    AND left(code, 9) <> '430522107' ORDER BY code LIMIT 1`.execute(t.ctx.db);
  otherTownshipVillage = far[0]!.code;
  for (const [key, name, village, cookie] of [
    ['a', '蒋余美', DAZHU, operator],
    ['b', '李秀英', DAZHU, operator],
    ['c', '王强', DAZHU, operator],
    ['d', '刘军', DAZHU, operator],
    ['e', '陈芳', otherTownshipVillage, county],
  ] as const) {
    const response = await call('POST', '/api/v1/laborers', cookie, seekerCard(BODY17[key], { name, homeVillageCode: village }));
    expect(response.statusCode, response.body).toBe(201);
    laborers[key] = response.json().id;
  }
});
afterAll(async () => t?.close());

describe('opening a class', () => {
  it('refuses an occupation not in the table, dates the wrong way round, a region outside the organiser', async () => {
    expect((await createClass({ ...sewing, occupationCode: '6-05-01-97' })).json()).toMatchObject({
      code: 'TRAINING_OCCUPATION_UNKNOWN',
      message: '职业代码不在职业分类大典（2022 年版）中',
    });
    expect((await createClass({ ...sewing, startsOn: END, endsOn: START })).json().code).toBe('TRAINING_PERIOD');
    expect((await createClass({ ...sewing, regionCode: '430522' })).json().code).toBe('TRAINING_REGION_INVALID');
    expect((await createClass({ ...sewing, hours: 0 })).statusCode).toBe(400);
    expect((await createClass({ ...sewing, extra: 1 })).statusCode).toBe(400);
  });

  it('a township operator opens a class of its township; the county sees it, another county does not', async () => {
    const response = await createClass({ ...sewing, subsidyPerPerson: 800 });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      region: { code: '430522107', name: '龙溪铺镇' },
      occupation: { code: '6-05-01-03', name: '缝纫工' },
      hours: 40,
      status: 'open',
      enrolled: 0,
      subsidyPerPerson: 800,
      createdBy: '龙溪铺镇劳动保障服务站',
    });
    classes.sewing = response.json().id;
    expect((await call('GET', PATH, county)).json().items.map((c: { id: string }) => c.id)).toContain(classes.sewing);
    expect((await call('GET', PATH, guzhang)).json()).toEqual({ items: [], total: 0 });
    expect((await call('GET', `${PATH}/${classes.sewing}`, guzhang)).statusCode).toBe(404);
    expect((await call('GET', `${PATH}/${classes.sewing}/roster`, guzhang)).statusCode).toBe(404);
  });
});

describe('the roster', () => {
  it('a township operator cannot enrol a laborer outside their region (nor the county, into a township class)', async () => {
    const response = await enrol(classes.sewing!, [laborers.a!, laborers.e!]);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND', details: { laborerIds: [laborers.e] } });
    expect((await enrol(classes.sewing!, [laborers.e!], county)).statusCode).toBe(404);
    const denied = await count(sql<{ n: string }>`SELECT count(*) AS n FROM audit_log
      WHERE action = 'training_class.enrol' AND entity_id = ${classes.sewing} AND result = 'denied'`);
    expect(denied).toBe(2);
    // Nobody was enrolled by the refused request.
    expect((await call('GET', `${PATH}/${classes.sewing}/roster`, operator)).json().trainees).toEqual([]);
  });

  it('enrols laborers of the region once each; the roster masks their identifiers and its view is audited', async () => {
    const response = await enrol(classes.sewing!, [laborers.a!, laborers.b!, laborers.c!]);
    expect(response.statusCode, response.body).toBe(200);
    expect(
      response
        .json()
        .trainees.map((p: { name: string }) => p.name)
        .sort(),
    ).toEqual(['李秀英', '王强', '蒋余美'].sort());
    expect((await enrol(classes.sewing!, [laborers.a!])).json().code).toBe('TRAINING_ALREADY_ENROLLED');
    const roster = await call('GET', `${PATH}/${classes.sewing}/roster`, county);
    expect(roster.statusCode).toBe(200);
    expect(roster.body).not.toContain(makeId(BODY17.a));
    expect(roster.json().requiredHours).toBe(32);
    expect(
      await count(
        sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'training_class.roster' AND entity_id = ${classes.sewing}`,
      ),
    ).toBeGreaterThan(0);
  });

  it('records the hours each attended, never more than the class has, only for people on the roster', async () => {
    expect((await hours(classes.sewing!, [{ laborerId: laborers.a!, hours: 41 }])).json().code).toBe('TRAINING_HOURS_OVER');
    expect((await hours(classes.sewing!, [{ laborerId: laborers.d!, hours: 10 }])).json().code).toBe('TRAINING_NOT_ON_ROSTER');
    const response = await hours(classes.sewing!, [
      { laborerId: laborers.a!, hours: 40 },
      { laborerId: laborers.b!, hours: 32 },
      { laborerId: laborers.c!, hours: 31.5 },
    ]);
    expect(response.statusCode, response.body).toBe(200);
    const byName = Object.fromEntries(
      response
        .json()
        .trainees.map((p: { name: string; hoursAttended: number; meetsAttendance: boolean }) => [
          p.name,
          [p.hoursAttended, p.meetsAttendance],
        ]),
    );
    expect(byName).toEqual({ 蒋余美: [40, true], 李秀英: [32, true], 王强: [31.5, false] });
  });
});

describe('finishing a class', () => {
  it('waits for the class to end', async () => {
    const later = await createClass({ ...sewing, course: '电工培训', occupationCode: '6-31-01-03', endsOn: addDays(TODAY, 3) });
    expect(later.statusCode, later.body).toBe(201);
    expect((await finish(later.json().id)).json().code).toBe('TRAINING_NOT_ENDED');
  });

  it('drafts the training subsidy and writes the training service record once for each person who finished', async () => {
    const response = await finish(classes.sewing!);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      completed: 2,
      notCompleted: 1,
      recordsCreated: 2,
      subsidiesCreated: 2,
      subsidiesSkipped: 0,
      amount: 1600,
      roster: { trainingClass: { status: 'finished', completed: 2, notCompleted: 1, subsidyPersons: 2, subsidyTotal: 1600 } },
    });
    const ledger = await call('GET', `/api/v1/subsidies?laborer=${laborers.a}&kind=training`, county);
    expect(ledger.json().items).toHaveLength(1);
    expect(ledger.json().items[0]).toMatchObject({ kind: 'training', amount: 800, status: 'applied', periodFrom: START, periodTo: END });
    const records = await call('GET', `/api/v1/service-records?laborer=${laborers.b}&kind=training`, county);
    expect(records.json().items).toHaveLength(1);
    expect(records.json().items[0]).toMatchObject({
      kind: 'training',
      servedOn: END,
      provider: '新邵县职业技能培训学校',
      course: '缝纫工技能培训',
      hours: 32,
    });
  });

  it('a person below the attendance rule gets no subsidy and no training record', async () => {
    expect(await subsidiesOf(laborers.c!)).toBe(0);
    expect(await recordsOf(laborers.c!)).toBe(0);
    const roster = (await call('GET', `${PATH}/${classes.sewing}/roster`, operator)).json();
    expect(roster.trainees.find((p: { laborerId: string }) => p.laborerId === laborers.c)).toMatchObject({
      result: 'not_completed',
      subsidy: null,
    });
  });

  it('finishing again drafts nothing more, even when a drafted subsidy was rejected meanwhile', async () => {
    const drafted = (await call('GET', `/api/v1/subsidies?laborer=${laborers.a}&kind=training`, county)).json().items[0];
    expect((await call('POST', `/api/v1/subsidies/${drafted.id}/reject`, county, { reason: '材料不全' })).statusCode).toBe(200);
    const again = await finish(classes.sewing!);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({
      completed: 2,
      notCompleted: 1,
      recordsCreated: 0,
      subsidiesCreated: 0,
      subsidiesSkipped: 2,
      amount: 0,
    });
    expect(await subsidiesOf(laborers.a!)).toBe(1);
    expect(await subsidiesOf(laborers.b!)).toBe(1);
    expect(await recordsOf(laborers.a!)).toBe(1);
    expect(await recordsOf(laborers.b!)).toBe(1);
    // The roster is closed once finished.
    expect((await enrol(classes.sewing!, [laborers.d!])).json().code).toBe('TRAINING_CLASS_FINISHED');
    expect((await hours(classes.sewing!, [{ laborerId: laborers.c!, hours: 40 }])).json().code).toBe('TRAINING_CLASS_FINISHED');
  });

  it('the database itself refuses a second training subsidy for the same class and person', async () => {
    await expect(
      sql`INSERT INTO subsidy (recipient, kind, laborer_id, region_code, home_region_code, amount, period_from, period_to, training_class_id)
        VALUES ('laborer', 'training', ${laborers.b}, ${DAZHU}, ${DAZHU}, 100, '2001-01-01', '2001-01-02', ${classes.sewing})`.execute(
        t.ctx.db,
      ),
    ).rejects.toThrow(/subsidy_training_class_once/);
  });

  it('a person who already has a training subsidy for the period is not drafted another', async () => {
    const byHand = await call('POST', '/api/v1/subsidies', operator, {
      recipient: 'laborer',
      kind: 'training',
      laborerId: laborers.d,
      amount: 500,
      periodFrom: START,
      periodTo: START,
    });
    expect(byHand.statusCode, byHand.body).toBe(201);
    const second = await createClass({
      ...sewing,
      course: '家政服务员培训',
      occupationCode: '4-10-01-06',
      hours: 20,
      subsidyPerPerson: 600,
    });
    const id = second.json().id;
    expect((await enrol(id, [laborers.c!, laborers.d!])).statusCode).toBe(200);
    await hours(id, [
      { laborerId: laborers.c!, hours: 20 },
      { laborerId: laborers.d!, hours: 16 },
    ]);
    const response = await finish(id);
    expect(response.json()).toMatchObject({ completed: 2, recordsCreated: 2, subsidiesCreated: 1, subsidiesSkipped: 1, amount: 600 });
    expect(await subsidiesOf(laborers.d!)).toBe(1);
    expect(await subsidiesOf(laborers.c!)).toBe(1);
  });
});

describe('certificates', () => {
  it('are recorded for those who finished, a number once per kind, and reach the training record', async () => {
    const cert = (laborerId: string, number: string, kind = 'skill_level') =>
      call('POST', `${PATH}/${classes.sewing}/certificates`, operator, { laborerId, kind, number });
    expect((await cert(laborers.c!, 'S-001')).json().code).toBe('TRAINING_NOT_COMPLETED');
    const response = await cert(laborers.a!, 'S-001');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().trainees.find((p: { laborerId: string }) => p.laborerId === laborers.a)).toMatchObject({
      result: 'completed',
      certificateKind: 'skill_level',
      certificateNo: 'S-001',
    });
    expect(response.json().trainingClass.certified).toBe(1);
    expect((await cert(laborers.b!, 'S-001')).json().code).toBe('TRAINING_CERTIFICATE_TAKEN');
    expect((await cert(laborers.b!, 'S-001', 'training')).statusCode).toBe(200);
    const records = await call('GET', `/api/v1/service-records?laborer=${laborers.a}&kind=training`, county);
    expect(records.json().items[0].certificate).toBe('职业技能等级证书 S-001');
  });
});

describe('a merge of duplicate cards', () => {
  it('two cards of one person who both finished a class merge; the survivor keeps one record of the class', async () => {
    const ids: string[] = [];
    for (const body17 of ['43052219800101416', '43052219800101417']) {
      const response = await call('POST', '/api/v1/laborers', operator, seekerCard(body17, { name: '重复卡', homeVillageCode: DAZHU }));
      expect(response.statusCode, response.body).toBe(201);
      ids.push(response.json().id);
    }
    const created = await createClass({ ...sewing, course: '电工培训', occupationCode: '6-31-01-03', hours: 10 });
    const id = created.json().id;
    await enrol(id, ids);
    await hours(
      id,
      ids.map((laborerId) => ({ laborerId, hours: 10 })),
    );
    expect((await finish(id)).json()).toMatchObject({ completed: 2, recordsCreated: 2 });
    const merged = await call('POST', `/api/v1/laborers/${ids[0]}/merge`, county, { duplicateId: ids[1], reason: '同一人重复录入' });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(await recordsOf(ids[0]!)).toBe(2);
    expect(
      await count(sql<{ n: string }>`SELECT count(*) AS n FROM service_record WHERE laborer_id = ${ids[0]} AND training_class_id = ${id}`),
    ).toBe(1);
  });
});

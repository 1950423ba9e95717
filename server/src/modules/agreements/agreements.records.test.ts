import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCode, insertEmployer, makeId } from '../../../test/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';

/**
 * 济南–湘西 (issue 20 item 4): the agreement's students, fairs and training commitments counted from
 * the records — 两后生 school enrolments, fairs with the other side's employers, training service
 * records of the output region's laborers — in a hand-built world.
 */
let t: TestApp;
const who: Record<string, string> = {};
let huayuanVillage: string;
let xinshaoVillage: string;
const laborers: Record<string, string> = {};
let agreementId: string;

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const card = (body17: string, name: string, village: string) => ({
  idNumber: makeId(body17),
  name,
  homeVillageCode: village,
  povertyStatus: 'registered',
  education: '30',
  laborCapacity: 'full',
  health: 'healthy',
  willingness: 'out_of_province',
  caring: 'none',
  employmentStatus: 'unemployed',
});
const enrol = (cookie: string, body: Record<string, unknown>) =>
  call('POST', '/api/v1/school-enrolments', cookie, {
    schoolName: '济南市技师学院',
    schoolKind: 'technician_college',
    schoolRegionCode: '3701',
    programme: '数控加工',
    ...body,
  });

async function fair(title: string, region: string, heldOn: string, employers: string[], place = region) {
  const { rows } = await sql<{ id: string }>`INSERT INTO fair (title, mode, held_on, region_code, place_region_code)
    VALUES (${title}, 'offline', ${heldOn}, ${region}, ${place}) RETURNING id::text AS id`.execute(t.ctx.db);
  for (const e of employers) await sql`INSERT INTO fair_employer (fair_id, employer_id) VALUES (${rows[0]!.id}, ${e})`.execute(t.ctx.db);
}

beforeAll(async () => {
  t = await createTestApp();
  for (const name of ['hunan_admin', 'huayuan_admin', 'xinshao_admin']) who[name] = await t.login(name);
  const village = async (county: string) =>
    (
      await sql<{
        code: string;
      }>`SELECT code FROM region WHERE code > ${county} AND code < ${`${county}~`} AND length(code) = 12 ORDER BY code LIMIT 1`.execute(
        t.ctx.db,
      )
    ).rows[0]!.code;
  huayuanVillage = await village('433124');
  xinshaoVillage = await village('430522');
  for (const [key, body17, name, v, cookie] of [
    ['a', '43312420050301101', '石小龙', huayuanVillage, who.huayuan_admin],
    ['b', '43312420050402102', '龙小花', huayuanVillage, who.huayuan_admin],
    ['c', '43312420040503103', '麻小军', huayuanVillage, who.huayuan_admin],
    ['d', '43312420040604104', '吴小英', huayuanVillage, who.huayuan_admin],
    ['s', '43052220050705105', '邵小明', xinshaoVillage, who.xinshao_admin],
  ] as const) {
    const r = await call('POST', '/api/v1/laborers', cookie!, card(body17, name, v));
    expect(r.statusCode, r.body).toBe(201);
    laborers[key] = r.json().id;
  }
  // Cards registered long before: a service is counted for the region the card was in that day.
  await sql`UPDATE laborer_version SET valid_from = '2016-01-01T00:00:00+08' WHERE laborer_id IN (${sql.join(Object.values(laborers))}) AND version = 1`.execute(
    t.ctx.db,
  );

  const agreement = await call('POST', '/api/v1/agreements', who.hunan_admin, {
    title: '济南市—湘西州劳务协作脱贫协议（测试）',
    outputRegionCode: '4331',
    inputRegionCode: '3701',
    validFrom: '2024-01-01',
    validTo: '2025-12-31',
    commitments: [{ kind: 'students', target: 200 }, { kind: 'fairs', target: 20 }, { kind: 'trained' }],
  });
  expect(agreement.statusCode, agreement.body).toBe(201);
  agreementId = agreement.json().id;
});
afterAll(async () => t?.close());

describe('the 济南–湘西 commitments from records', () => {
  it('before any record: computed, and zero', async () => {
    const r = await call('GET', `/api/v1/agreements/${agreementId}`, who.huayuan_admin);
    expect(r.statusCode, r.body).toBe(200);
    for (const c of r.json().commitments) expect(c).toMatchObject({ source: 'computed', achieved: 0 });
  });

  it('students: 两后生 of the output region enrolled in a school of the input region in the period, each once', async () => {
    const cases: [string, Record<string, unknown>, number][] = [
      ['a', { startedOn: '2024-09-01' }, 201],
      ['b', { startedOn: '2025-03-01', programme: '焊接' }, 201],
      ['b', { startedOn: '2025-09-01', programme: '电工' }, 201], // the same person again: one student
      ['c', { startedOn: '2024-09-01', schoolName: '湘西州技工学校', schoolKind: 'technical_school', schoolRegionCode: '4331' }, 201], // a school at home
      ['d', { startedOn: '2023-09-01' }, 201], // before the period
    ];
    for (const [key, body, status] of cases) {
      const r = await enrol(who.huayuan_admin, { laborerId: laborers[key], ...body });
      expect(r.statusCode, r.body).toBe(status);
    }
    // 邵阳's laborer in 济南: not from the output region.
    expect((await enrol(who.xinshao_admin, { laborerId: laborers.s, startedOn: '2024-09-01' })).statusCode).toBe(201);

    const byKind = await commitments();
    expect(byKind.students).toMatchObject({ target: 200, achieved: 2, source: 'computed' });
  });

  it('fairs: held in the period by or in one side with employers of the other side', async () => {
    const jinan = await insertEmployer(t.ctx.db, creditCode('91370100MA3C00001'), '济南重汽测试公司', '370112');
    const jishou = await insertEmployer(t.ctx.db, creditCode('91433100MA4L00002'), '吉首测试农业公司', '433101');
    await fair('济南企业湘西专场招聘会', '433124', '2024-05-10', [jinan, jishou]); // counted
    await fair('湘西籍劳动力济南招聘会', '4331', '2025-02-20', [jinan], '370102'); // 湘西 organised, held in 济南 with its employers: counted
    await fair('花垣县本地招聘会', '433124', '2024-06-01', [jishou]); // no 济南 employer
    await fair('济南本地招聘会', '3701', '2024-07-01', [jinan]); // no 湘西 side
    await fair('济南企业湘西专场招聘会（2023）', '433124', '2023-05-10', [jinan]); // before the period
    expect((await commitments()).fairs).toMatchObject({ target: 20, achieved: 2, source: 'computed' });
  });

  it('training: the output region’s laborers given vocational training in the period (service records), each once', async () => {
    const train = (key: string, servedOn: string, cookie = who.huayuan_admin, kind = 'training') =>
      call('POST', '/api/v1/service-records', cookie, {
        laborerId: laborers[key],
        kind,
        servedOn,
        ...(kind === 'training' && { course: '焊工', hours: 40 }),
      });
    for (const [key, day] of [
      ['a', '2024-04-01'],
      ['a', '2025-04-01'], // twice: one person trained
      ['c', '2025-11-30'],
      ['d', '2023-12-31'], // before the period
    ] as const) {
      const r = await train(key, day);
      expect(r.statusCode, r.body).toBe(201);
    }
    expect((await train('b', '2024-04-01', who.huayuan_admin, 'guidance')).statusCode).toBe(201); // not training
    expect((await train('s', '2024-04-01', who.xinshao_admin)).statusCode).toBe(201); // not of the output region
    expect((await commitments()).trained).toMatchObject({ target: null, achieved: 2, source: 'computed' });
  });
});

describe('school enrolments (两后生)', () => {
  it('are listed for the region with masked ID numbers and the job after finishing, on record', async () => {
    const list = await call('GET', `/api/v1/school-enrolments?region=433124`, who.huayuan_admin);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().total).toBe(5);
    const first = list.json().items.find((e: { laborer: { id: string } }) => e.laborer.id === laborers.a);
    expect(first.laborer.idNumberMasked).not.toContain('0301');
    expect(first).toMatchObject({ finishedOn: null, job: null, schoolRegion: { code: '3701', name: '济南市' } });

    const finished = await call('POST', `/api/v1/school-enrolments/${first.id}/finish`, who.huayuan_admin, { finishedOn: '2025-07-01' });
    expect(finished.statusCode, finished.body).toBe(200);
    const job = await call('POST', '/api/v1/employments', who.huayuan_admin, {
      laborerId: laborers.a,
      workplaceName: '济南重汽测试公司',
      workRegionCode: '370112',
      startedOn: '2025-08-01',
      monthlyWage: 4500,
      socialInsurance: true,
      channel: 'assisted',
    });
    expect(job.statusCode, job.body).toBe(201);
    const again = (await call('GET', `/api/v1/school-enrolments?laborer=${laborers.a}`, who.huayuan_admin)).json();
    expect(again.items[0]).toMatchObject({ finishedOn: '2025-07-01', job: { employer: '济南重汽测试公司', startedOn: '2025-08-01' } });

    const { rows } = await sql<{ action: string }>`SELECT action FROM audit_log WHERE action LIKE 'school_enrolment.%' ORDER BY id`.execute(
      t.ctx.db,
    );
    expect(rows.map((r) => r.action)).toEqual([
      ...Array(6).fill('school_enrolment.create'),
      'school_enrolment.list',
      'school_enrolment.finish',
      'school_enrolment.list',
    ]);
  });

  it('are refused outside the caller’s region, twice, and with days upside down', async () => {
    expect((await enrol(who.xinshao_admin, { laborerId: laborers.a, startedOn: '2024-10-01' })).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/school-enrolments?region=433124', who.xinshao_admin)).json().code).toBe('REGION_OUT_OF_SCOPE');
    const twice = await enrol(who.huayuan_admin, { laborerId: laborers.a, startedOn: '2024-09-01' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ENROLMENT_DUPLICATE');
    const upside = await enrol(who.huayuan_admin, {
      laborerId: laborers.d,
      startedOn: '2024-09-01',
      finishedOn: '2024-01-01',
      programme: '汽修',
    });
    expect(upside.statusCode).toBe(400);
    expect(upside.json().code).toBe('ENROLMENT_DATES');
  });
});

async function commitments(): Promise<Record<string, { target: number | null; achieved: number | null; source: string }>> {
  const r = await call('GET', `/api/v1/agreements/${agreementId}`, who.huayuan_admin);
  expect(r.statusCode, r.body).toBe(200);
  return Object.fromEntries(r.json().commitments.map((c: { kind: string }) => [c.kind, c]));
}

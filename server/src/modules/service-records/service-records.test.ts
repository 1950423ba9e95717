import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode, DAZHU, insertEmployer, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { chinaToday, addDays } from '../../platform/time.ts';
import { personTimes } from './service-records.repo.ts';

let t: TestApp;
let officer: string;
let county: string;
let guzhang: string;
let laborer: string;
let other: string;
let postingId: string;

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const record = (body: object, cookie = officer) => call('POST', '/api/v1/service-records', cookie, body);

beforeAll(async () => {
  t = await createTestApp();
  [officer, county, guzhang] = await Promise.all(['dazhu_officer', 'xinshao_admin', 'guzhang_admin'].map((u) => t.login(u)));
  const a = await call('POST', '/api/v1/laborers', officer, seekerCard('43052219900202011', { name: '蒋余美' }));
  const b = await call('POST', '/api/v1/laborers', officer, seekerCard('43052219910303022', { name: '蒋二' }));
  expect(a.statusCode, a.body).toBe(201);
  laborer = a.json().id;
  other = b.json().id;
  // Both cards registered since 2016 (as the province's were): a service counts only for a card
  // registered on its day (docs/domain.md §5), and this file records services of 2017.
  await sql`UPDATE laborer_version SET valid_from = '2016-01-01T00:00:00+08' WHERE laborer_id IN (${laborer}, ${other}) AND version = 1`.execute(
    t.database.db,
  );
  const employer = await insertEmployer(t.ctx.db, creditCode('91430522MA4PTC001'), '新邵服务测试公司', '430522');
  postingId = await insertPosting(t.ctx.db, employer, { title: '缝纫工', headcount: 3, work_region_code: DAZHU });
});
afterAll(async () => t?.close());

describe('recording services (服务记录)', () => {
  it('records each kind for a laborer of the region, dated and by whom; training with course, hours and certificate', async () => {
    const guidance = await record({
      laborerId: laborer,
      kind: 'guidance',
      servedOn: '2017-03-02',
      provider: '新邵县就业服务中心',
      content: '就业意愿和岗位咨询',
    });
    expect(guidance.statusCode, guidance.body).toBe(201);
    expect(guidance.json()).toMatchObject({
      kind: 'guidance',
      servedOn: '2017-03-02',
      laborer: { id: laborer, name: '蒋余美', villageCode: DAZHU, villageName: '大竹村' },
      recordedBy: expect.any(String),
    });
    expect(guidance.json().laborer.idNumberMasked).toMatch(/\*{8}/);
    const intro = await record({ laborerId: laborer, kind: 'introduction', servedOn: '2017-03-05', postingId });
    expect(intro.json()).toMatchObject({ kind: 'introduction', posting: { id: postingId, title: '缝纫工' } });
    const training = await record({
      laborerId: laborer,
      kind: 'training',
      servedOn: '2017-04-10',
      course: '缝纫工（初级）',
      hours: 56,
      certificate: '专项职业能力证书',
    });
    expect(training.statusCode, training.body).toBe(201);
    expect(training.json()).toMatchObject({ course: '缝纫工（初级）', hours: 56, certificate: '专项职业能力证书' });
    expect((await record({ laborerId: other, kind: 'entrepreneurship', servedOn: '2017-05-01' })).statusCode).toBe(201);
    expect((await record({ laborerId: other, kind: 'policy_support', servedOn: '2017-05-02' }, county)).statusCode).toBe(201);
    expect((await record({ laborerId: other, kind: 'guidance', servedOn: '2017-07-01' })).statusCode).toBe(201);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'service_record.create'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBe(6);
  });

  it('refuses a future date, training without course or hours, training fields on another kind, and laborers out of scope', async () => {
    const before = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM service_record`.execute(t.ctx.db)).rows[0]!.n);
    const future = await record({ laborerId: laborer, kind: 'guidance', servedOn: addDays(chinaToday(), 1) });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: 'SERVICE_DATE_FUTURE', message: '服务日期不能晚于今天' });
    expect((await record({ laborerId: laborer, kind: 'training', servedOn: '2017-04-10', course: '电工' })).json().code).toBe(
      'SERVICE_TRAINING_FIELDS',
    );
    expect((await record({ laborerId: laborer, kind: 'guidance', servedOn: '2017-04-10', hours: 8 })).json()).toMatchObject({
      code: 'SERVICE_TRAINING_FIELDS',
      message: '培训项目、课时和证书只用于职业培训',
    });
    expect((await record({ laborerId: laborer, kind: 'guidance', servedOn: '2017-04-10', postingId })).json().code).toBe(
      'SERVICE_POSTING_ONLY_INTRODUCTION',
    );
    expect((await record({ laborerId: laborer, kind: 'training', servedOn: '2017-04-10', course: '电工', hours: -3 })).statusCode).toBe(
      400,
    );
    expect((await record({ laborerId: laborer, kind: 'unknown', servedOn: '2017-04-10' })).statusCode).toBe(400);
    const foreign = await record({ laborerId: laborer, kind: 'guidance', servedOn: '2017-04-10' }, guzhang);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().message).toBe('不存在或无权限');
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM service_record`.execute(t.ctx.db)).rows[0]!.n)).toBe(before);
  });

  it("lists a laborer's services and the region's, never another county's, and audits the view", async () => {
    const mine = (await call('GET', `/api/v1/service-records?laborer=${laborer}`, officer)).json();
    expect(mine.total).toBe(3);
    expect(mine.items.map((r: { kind: string }) => r.kind)).toEqual(['training', 'introduction', 'guidance']);
    expect((await call('GET', '/api/v1/service-records?kind=guidance&from=2017-01-01&to=2017-06-30', county)).json().total).toBe(1);
    expect((await call('GET', '/api/v1/service-records', guzhang)).json().total).toBe(0);
    expect((await call('GET', `/api/v1/service-records?laborer=${laborer}`, guzhang)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/service-records?region=430522', guzhang)).statusCode).toBe(403);
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'service_record.list' AND result = 'success'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(3);
  });

  it('counts person-times per kind for a region and below in a period, by month and by child region', async () => {
    expect(await personTimes(t.ctx.db, '430522', '2017-01-01', '2017-06-30')).toEqual({
      guidance: 1,
      introduction: 1,
      training: 1,
      entrepreneurship: 1,
      policy_support: 1,
    });
    expect(await personTimes(t.ctx.db, '43', '2017-01-01', '2017-12-31')).toMatchObject({ guidance: 2 });
    expect(await personTimes(t.ctx.db, '433126', '2017-01-01', '2017-12-31')).toEqual({
      guidance: 0,
      introduction: 0,
      training: 0,
      entrepreneurship: 0,
      policy_support: 0,
    });
    const stats = (await call('GET', '/api/v1/service-records/person-times?region=430522&from=2017-01-01&to=2017-12-31', county)).json();
    expect(stats.totals).toEqual({ guidance: 2, introduction: 1, training: 1, entrepreneurship: 1, policy_support: 1 });
    expect(stats.persons.guidance).toBe(2);
    expect(stats.months.map((m: { month: string }) => m.month)).toEqual(['2017-03', '2017-04', '2017-05', '2017-07']);
    expect(stats.children).toEqual([
      expect.objectContaining({ code: '430522107', name: '龙溪铺镇', counts: expect.objectContaining({ guidance: 2 }) }),
    ]);
    expect((await call('GET', '/api/v1/service-records/person-times?from=2017-07-01&to=2017-01-01', county)).json().code).toBe(
      'PERIOD_UPSIDE_DOWN',
    );
  });
});

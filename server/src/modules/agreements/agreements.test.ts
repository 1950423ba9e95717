import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { idCheckChar } from '../registry/index.ts';
import { creditCodeCheckChar } from '../employers/index.ts';
import { activeAgreementPairs } from './agreements.repo.ts';
import { agreementsStep } from '../../generate/agreements.step.ts';
import type { GeneratorContext } from '../../generate/generator.ts';

const makeId = (body17: string) => body17 + idCheckChar(body17);
const credit = (body17: string) => body17 + creditCodeCheckChar(body17);
const DAZHU = '430522107212';

let t: TestApp;
const who: Record<string, string> = {};

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

async function employer(code: string, name: string, region: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`INSERT INTO employer (credit_code, name, region_code, kind)
    VALUES (${code}, ${name}, ${region}, 'designated') RETURNING id`.execute(t.ctx.db);
  return rows[0]!.id;
}

async function posting(employerId: string, region: string, headcount: number, createdAt?: string): Promise<string> {
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max,
      valid_from, valid_to, created_at)
    VALUES (${employerId}, '电子装配工', '6-25-04-07', ${region}, ${headcount}, 4000, 5000, '2017-01-01', '2099-12-31', coalesce(${createdAt ?? null}::timestamptz, now()))
    RETURNING id`.execute(t.ctx.db);
  return rows[0]!.id;
}

async function referral(laborerId: string, postingId: string, status: string, updatedAt?: string) {
  await sql`INSERT INTO referral (laborer_id, posting_id, channel, status, updated_at)
    VALUES (${laborerId}, ${postingId}, 'staff', ${status}, coalesce(${updatedAt ?? null}::timestamptz, now()))`.execute(t.ctx.db);
}

const card = (body17: string, name: string) => ({
  idNumber: makeId(body17),
  name,
  homeVillageCode: DAZHU,
  povertyStatus: 'registered',
  education: '70',
  laborCapacity: 'full',
  health: 'healthy',
  willingness: 'out_of_province',
  caring: 'none',
  employmentStatus: 'unemployed',
});

const agreement = (extra: Record<string, unknown> = {}) => ({
  title: '深圳市—邵阳市劳务协作协议',
  outputRegionCode: '4305',
  inputRegionCode: '4403',
  signedOn: '2023-12-20',
  validFrom: '2024-01-01',
  validTo: '2027-12-31',
  notes: '测试',
  commitments: [
    { kind: 'posts', target: 100 },
    { kind: 'hires', target: 10 },
    { kind: 'students', target: 5 },
  ],
  ...extra,
});

let shaoyangId: string;
let jinanId: string;

beforeAll(async () => {
  t = await createTestApp();
  for (const name of [
    'hunan_admin',
    'shaoyang_admin',
    'xinshao_admin',
    'huayuan_admin',
    'longxipu_operator',
    'dazhu_officer',
    'huayuan_shenzhen',
    'guohui_employer',
    'hunan_auditor',
  ]) {
    who[name] = await t.login(name);
  }
});
afterAll(async () => t?.close());

describe('creating agreements', () => {
  it('a city admin registers an agreement between its city and another region; progress comes with it', async () => {
    const response = await call('POST', '/api/v1/agreements', who.shaoyang_admin, agreement());
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    shaoyangId = body.id;
    expect(body.outputRegion).toMatchObject({ code: '4305', name: '邵阳市' });
    expect(body.inputRegion).toMatchObject({ code: '4403', name: '深圳市' });
    expect(body.editable).toBe(true);
    expect(body.commitments.map((c: { kind: string }) => c.kind)).toEqual(['posts', 'hires', 'students']);
    expect(body.commitments[2]).toMatchObject({ kind: 'students', target: 5, achieved: 0, source: 'computed' });
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'agreement.create' AND entity_id = ${shaoyangId}`.execute(t.ctx.db);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('the province admin registers 济南 ↔ 湘西州 (2017–2020) with a training commitment without a number', async () => {
    const response = await call(
      'POST',
      '/api/v1/agreements',
      who.hunan_admin,
      agreement({
        title: '济南市—湘西州劳务协作脱贫协议',
        outputRegionCode: '4331',
        inputRegionCode: '3701',
        signedOn: null,
        validFrom: '2017-01-01',
        validTo: '2020-12-31',
        commitments: [
          { kind: 'posts', target: 3000 },
          { kind: 'students', target: 200 },
          { kind: 'fairs', target: 20 },
          { kind: 'trained' },
        ],
      }),
    );
    expect(response.statusCode, response.body).toBe(201);
    jinanId = response.json().id;
    expect(response.json().state).toBe('ended');
    expect(response.json().commitments.find((c: { kind: string }) => c.kind === 'trained')).toMatchObject({
      target: null,
      achieved: 0,
      source: 'computed',
    });
  });

  it.each([
    ['a period upside down', { validFrom: '2025-01-01', validTo: '2024-12-31' }, 400, 'AGREEMENT_PERIOD'],
    ['a target of 0', { commitments: [{ kind: 'posts', target: 0 }] }, 400, 'AGREEMENT_TARGET'],
    ['a null target (no number is written by leaving it out)', { commitments: [{ kind: 'posts', target: null }] }, 400, 'AGREEMENT_TARGET'],
    ['a negative target', { commitments: [{ kind: 'hires', target: -5 }] }, 400, 'AGREEMENT_TARGET'],
    [
      'the same kind twice',
      {
        commitments: [
          { kind: 'posts', target: 5 },
          { kind: 'posts', target: 6 },
        ],
      },
      400,
      'AGREEMENT_COMMITMENTS',
    ],
    ['no commitment', { commitments: [] }, 400, 'AGREEMENT_COMMITMENTS'],
    ['output = input', { inputRegionCode: '4305' }, 400, 'AGREEMENT_SAME_REGION'],
    ['input inside output', { inputRegionCode: '430522' }, 400, 'AGREEMENT_SAME_REGION'],
    ['a region that does not exist', { inputRegionCode: '9999' }, 400, 'VALIDATION_FAILED'],
    ['an unknown kind', { commitments: [{ kind: 'money', target: 5 }] }, 400, 'VALIDATION_FAILED'],
    ['an unknown field', { progress: 50 }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s', async (_name, extra, status, code) => {
    const response = await call('POST', '/api/v1/agreements', who.shaoyang_admin, agreement(extra));
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json().code).toBe(code);
  });

  it('a county admin cannot register an agreement between two regions outside its subtree', async () => {
    const outside = await call(
      'POST',
      '/api/v1/agreements',
      who.xinshao_admin,
      agreement({ outputRegionCode: '4331', inputRegionCode: '4403' }),
    );
    expect(outside.statusCode, outside.body).toBe(403);
    expect(outside.json().code).toBe('REGION_OUT_OF_SCOPE');
    // Its city's agreement is not its own either: 新邵县 does not contain 邵阳市.
    expect((await call('POST', '/api/v1/agreements', who.xinshao_admin, agreement())).statusCode).toBe(403);
    // Hunan's admin cannot sign for 济南 and 深圳.
    expect(
      (await call('POST', '/api/v1/agreements', who.hunan_admin, agreement({ outputRegionCode: '3701', inputRegionCode: '4403' })))
        .statusCode,
    ).toBe(403);
    const own = await call(
      'POST',
      '/api/v1/agreements',
      who.xinshao_admin,
      agreement({ title: '新邵县—深圳市龙岗区劳务协作协议', outputRegionCode: '430522', inputRegionCode: '440307' }),
    );
    expect(own.statusCode, own.body).toBe(201);
  });

  it('only admins write agreements', async () => {
    expect((await call('POST', '/api/v1/agreements', who.longxipu_operator, agreement())).statusCode).toBe(403);
    expect((await call('PATCH', `/api/v1/agreements/${shaoyangId}`, who.dazhu_officer, { notes: 'x' })).statusCode).toBe(403);
  });
});

describe('reading agreements', () => {
  const titles = async (cookie: string, query = '') => {
    const response = await call('GET', `/api/v1/agreements${query}`, cookie);
    expect(response.statusCode, response.body).toBe(200);
    return response
      .json()
      .items.map((a: { id: string }) => a.id)
      .sort();
  };

  it('each staff role reads the agreements touching its region on either side', async () => {
    // 花垣县 lies in 湘西州: it sees 济南 ↔ 湘西州, not 深圳 ↔ 邵阳.
    expect(await titles(who.huayuan_admin)).toEqual([jinanId]);
    expect((await call('GET', `/api/v1/agreements/${shaoyangId}`, who.huayuan_admin)).statusCode).toBe(404);
    // 大竹村 lies in 邵阳市 and 新邵县.
    const village = await titles(who.dazhu_officer);
    expect(village).toContain(shaoyangId);
    expect(village).not.toContain(jinanId);
    // 花垣县's office in 深圳: its home county's agreements and its host city's.
    expect(await titles(who.huayuan_shenzhen)).toEqual(expect.arrayContaining([jinanId, shaoyangId]));
    // The province admin reads all; the region filter narrows to either side.
    expect((await titles(who.hunan_admin)).length).toBe(3);
    expect(await titles(who.hunan_admin, '?region=3701')).toEqual([jinanId]);
    expect(await titles(who.hunan_admin, '?region=433124')).toEqual([jinanId]);
    expect(await titles(who.hunan_admin, '?activeOn=2019-06-01')).toEqual([jinanId]);
  });

  it('an employer account may not read agreements', async () => {
    expect((await call('GET', '/api/v1/agreements', who.guohui_employer)).statusCode).toBe(403);
  });

  it("the auditor reads the audit log and nothing else: no agreement, not even the province's (issue 15)", async () => {
    for (const url of ['/api/v1/agreements', `/api/v1/agreements/${jinanId}`]) {
      const response = await call('GET', url, who.hunan_auditor);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'FORBIDDEN', message: '无权执行此操作' });
      expect(response.body).not.toContain('济南');
    }
    expect((await call('GET', '/api/v1/audit', who.hunan_auditor)).statusCode).toBe(200);
  });

  it('a county admin reads but may not change its city’s agreement', async () => {
    const read = await call('GET', `/api/v1/agreements/${jinanId}`, who.huayuan_admin);
    expect(read.statusCode).toBe(200);
    expect(read.json().editable).toBe(false);
    const edit = await call('PATCH', `/api/v1/agreements/${jinanId}`, who.huayuan_admin, { notes: '改' });
    expect(edit.statusCode).toBe(403);
    expect(edit.json().code).toBe('REGION_OUT_OF_SCOPE');
  });
});

describe('progress from the records', () => {
  const laborers: string[] = [];
  beforeAll(async () => {
    const shenzhen = await employer(credit('91440300MA5F0A001'), '深圳协议测试电子厂', '440307');
    const changsha = await employer(credit('91430100MA4L0A002'), '长沙协议测试电子厂', '430104');
    const p1 = await posting(shenzhen, '440307', 30);
    const p2 = await posting(shenzhen, '440307', 12);
    const pOld = await posting(shenzhen, '440307', 50, '2019-05-01T10:00:00+08:00');
    const pChangsha = await posting(changsha, '430104', 10);
    // The last day of a period counts in China Standard Time: 23:30 CST on 2020-12-31 is in, 00:30 on 2021-01-01 is out.
    await posting(shenzhen, '440307', 7, '2020-12-31T23:30:00+08:00');
    await posting(shenzhen, '440307', 9, '2021-01-01T00:30:00+08:00');
    for (const [body17, name] of [
      ['43052219850302102', '蒋余美'],
      ['43052219900405102', '李秀英'],
      ['43052219950101101', '王强'],
      ['43052219920707101', '刘军'],
    ]) {
      const response = await call('POST', '/api/v1/laborers', who.dazhu_officer, card(body17, name));
      expect(response.statusCode, response.body).toBe(201);
      laborers.push(response.json().id);
    }
    await referral(laborers[0], p1, 'hired');
    await referral(laborers[0], p2, 'hired'); // the same person twice: one hire
    await referral(laborers[1], p2, 'hired');
    await referral(laborers[2], p1, 'recommended'); // not hired
    await referral(laborers[3], pChangsha, 'hired'); // hired, but in 长沙
    await referral(laborers[3], pOld, 'hired', '2019-06-01T10:00:00+08:00'); // in 深圳, before the period
  });

  it('posts are the places of postings in the input region published in the period; hires the people from the output region hired there', async () => {
    const response = await call('GET', `/api/v1/agreements/${shaoyangId}`, who.shaoyang_admin);
    expect(response.statusCode, response.body).toBe(200);
    const byKind = Object.fromEntries(response.json().commitments.map((c: { kind: string }) => [c.kind, c]));
    expect(byKind.posts).toMatchObject({ target: 100, achieved: 42, source: 'computed' });
    expect(byKind.hires).toMatchObject({ target: 10, achieved: 2, source: 'computed' });
    expect(byKind.students).toMatchObject({ achieved: 0, source: 'computed' });
  });

  it('an agreement of another period counts that period’s records', async () => {
    const response = await call(
      'POST',
      '/api/v1/agreements',
      who.shaoyang_admin,
      agreement({
        title: '深圳市—邵阳市劳务协作协议（2017—2020年）',
        validFrom: '2017-01-01',
        validTo: '2020-12-31',
        signedOn: null,
      }),
    );
    expect(response.statusCode, response.body).toBe(201);
    const byKind = Object.fromEntries(response.json().commitments.map((c: { kind: string }) => [c.kind, c]));
    expect(byKind.posts.achieved).toBe(57);
    expect(byKind.hires.achieved).toBe(1);
  });

  it('the list carries the same progress', async () => {
    const response = await call('GET', '/api/v1/agreements?region=4305&activeOn=2025-03-01', who.shaoyang_admin);
    const item = response.json().items.find((a: { id: string }) => a.id === shaoyangId);
    expect(item.commitments[0]).toMatchObject({ kind: 'posts', achieved: 42 });
  });
});

describe('editing', () => {
  it('an admin of the output region edits the period and replaces the commitments, audited in the same change', async () => {
    const response = await call('PATCH', `/api/v1/agreements/${shaoyangId}`, who.shaoyang_admin, {
      validTo: '2028-12-31',
      commitments: [
        { kind: 'posts', target: 200 },
        { kind: 'fairs', target: 6 },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().validTo).toBe('2028-12-31');
    expect(response.json().commitments.map((c: { kind: string; target: number }) => [c.kind, c.target])).toEqual([
      ['posts', 200],
      ['fairs', 6],
    ]);
    const { rows } = await sql<{
      details: { changes: Record<string, unknown> };
    }>`SELECT details FROM audit_log WHERE action = 'agreement.update' AND entity_id = ${shaoyangId}`.execute(t.ctx.db);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0].details.changes).sort()).toEqual(['commitments', 'validTo']);
  });

  it('checks the agreement as it would be after the edit', async () => {
    const upside = await call('PATCH', `/api/v1/agreements/${shaoyangId}`, who.shaoyang_admin, { validFrom: '2030-01-01' });
    expect(upside.json().code).toBe('AGREEMENT_PERIOD');
    // Moving both sides out of 邵阳市 would leave the agreement outside the editor's scope.
    const away = await call('PATCH', `/api/v1/agreements/${shaoyangId}`, who.shaoyang_admin, { outputRegionCode: '4331' });
    expect(away.statusCode).toBe(403);
    const zero = await call('PATCH', `/api/v1/agreements/${shaoyangId}`, who.shaoyang_admin, {
      commitments: [{ kind: 'hires', target: 0 }],
    });
    expect(zero.json().code).toBe('AGREEMENT_TARGET');
    expect((await call('PATCH', '/api/v1/agreements/999999', who.hunan_admin, { notes: 'x' })).statusCode).toBe(404);
  });
});

describe('activeAgreementPairs', () => {
  it('answers the region pairs of the agreements in force on a date, each once', async () => {
    expect(await activeAgreementPairs(t.ctx.db, '2019-06-01')).toEqual([
      { outputRegionCode: '4305', inputRegionCode: '4403' },
      { outputRegionCode: '4331', inputRegionCode: '3701' },
    ]);
    const now = await activeAgreementPairs(t.ctx.db, '2025-06-01');
    expect(now).toEqual([
      { outputRegionCode: '4305', inputRegionCode: '4403' },
      { outputRegionCode: '430522', inputRegionCode: '440307' },
    ]);
    expect(await activeAgreementPairs(t.ctx.db, '2016-12-31')).toEqual([]);
  });
});

describe('generator step', () => {
  it('adds the seeds’ 济南 ↔ 湘西州 agreement and the two current ones once; re-running adds nothing', async () => {
    const ctx = { db: t.database.db, progress: () => {} } as unknown as GeneratorContext;
    expect(await agreementsStep.run(ctx)).toMatch(/^3 agreements added/);
    expect(await agreementsStep.run(ctx)).toMatch(/^0 agreements added/);
    const list = (await call('GET', '/api/v1/agreements?region=3701', who.hunan_admin)).json().items;
    const jinan = list.find((a: { title: string }) => a.title.startsWith('济南市—湘西州'));
    expect(jinan).toMatchObject({
      validFrom: '2017-01-01',
      validTo: '2020-12-31',
      outputRegion: { code: '4331' },
      inputRegion: { code: '3701' },
    });
    expect(jinan.commitments.map((c: { kind: string; target: number | null }) => [c.kind, c.target])).toEqual([
      ['posts', 3000],
      ['students', 200],
      ['fairs', 20],
      ['trained', null],
    ]);
    expect(await activeAgreementPairs(t.ctx.db, '2025-06-01')).toEqual(
      expect.arrayContaining([
        { outputRegionCode: '4305', inputRegionCode: '4403' },
        { outputRegionCode: '4331', inputRegionCode: '4301' },
      ]),
    );
  });
});

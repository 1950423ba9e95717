import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KyselyPlugin, type RawNode, sql } from 'kysely';
import { createTestApp, type TestApp, until } from '../../../test/helpers.ts';
import { creditCode, DAZHU, insertEmployer, insertPosting } from '../../../test/fixtures.ts';
import { actorOf } from '../accounts/index.ts';
import { addDays, chinaToday } from '../../platform/time.ts';
import { createAssessmentService } from './index.ts';
import { accountId, insertCard, insertEmployment, insertReferral, villageUnder } from '../dashboards/dashboards.fixture.ts';

/**
 * Two counties worked out by hand, as of today with the default weights of migration 0054
 * (cards complete 15, reconfirmed 15, postings 10, referrals 10, follow-ups 15, target 15, verified employment 20):
 * 新邵县: 4 cards, 2 complete, 1 re-confirmed this quarter, 1 at work → 3 unemployed; 1 open posting
 * in the county (and the demo employer's), 1 referral in the last year (333.3 per 1,000 each, the best → 100); 2 follow-ups
 * due, 1 done (50 %); its one job typed only (the follow-up written straight into the table left no evidence) → 0 % verified.
 * Score (15·50 + 15·25 + 10·100 + 10·100 + 15·50 + 20·0) / 85 = 45.6 (no target: its weight left out).
 * 古丈县: 2 cards, both complete and re-confirmed, none at work, no postings or referrals (0), no
 * follow-ups due and nobody employed (both left out). Score (15·100 + 15·100 + 0 + 0) / 50 = 60.
 */
let t: TestApp;
let province: string;
let xinshao: string;
let guzhang: string;
let city: string;
let officer: string;
const today = chinaToday();
const at = (day: string) => `${day}T09:00:00+08:00`;
/** The demo employer's open postings in 大竹村 (the template's demo accounts come with them). */
let demoPostings = 0;
/** 新邵's one job (typed only until the target test confirms it). */
let xinshaoJob: string;

beforeAll(async () => {
  t = await createTestApp();
  [province, xinshao, guzhang, city, officer] = await Promise.all(
    ['hunan_admin', 'xinshao_admin', 'guzhang_admin', 'shaoyang_admin', 'dazhu_officer'].map((u) => t.login(u)),
  );
  const db = t.ctx.db;
  const gz = await villageUnder(db, '433126');
  const since = at('2020-01-01');
  const x = [
    await insertCard(db, { name: '完整甲', versions: [[DAZHU, since]], complete: true }),
    await insertCard(db, { name: '完整乙', versions: [[DAZHU, since]], complete: true }),
    await insertCard(db, { name: '缺项丙', versions: [[DAZHU, since]] }),
    await insertCard(db, { name: '缺项丁', versions: [[DAZHU, since]] }),
  ];
  const g = [
    await insertCard(db, { name: '古丈甲', versions: [[gz, since]], complete: true }),
    await insertCard(db, { name: '古丈乙', versions: [[gz, since]], complete: true }),
  ];
  const officerId = await accountId(db, 'dazhu_officer');
  await sql`INSERT INTO laborer_confirmation (laborer_id, confirmed_by) VALUES (${x[0]}, ${officerId}), (${g[0]}, ${officerId}), (${g[1]}, ${officerId})`.execute(
    db,
  );
  // A confirmation of last year does not count for this quarter.
  await sql`INSERT INTO laborer_confirmation (laborer_id, confirmed_at, confirmed_by) VALUES (${x[1]}, now() - interval '400 days', ${officerId})`.execute(
    db,
  );

  const employment = await insertEmployment(db, x[0]!, { work: '430522107', from: addDays(today, -100) });
  xinshaoJob = employment;
  await sql`INSERT INTO follow_up (employment_id, laborer_id, months, due_on, responsible_kind, status, done_on, method, still_employed)
    VALUES (${employment}, ${x[0]}, 1, ${addDays(today, -70)}, 'village', 'done', ${addDays(today, -69)}, 'phone', true),
           (${employment}, ${x[0]}, 3, ${addDays(today, -10)}, 'village', 'due', NULL, NULL, NULL),
           (${employment}, ${x[0]}, 6, ${addDays(today, 80)}, 'village', 'due', NULL, NULL, NULL)`.execute(db);

  demoPostings = Number(
    (
      await sql<{ n: string }>`SELECT count(*) AS n FROM posting WHERE status = 'open' AND work_region_code LIKE '430522%'
    AND valid_from <= ${today}::date AND valid_to >= ${today}::date`.execute(db)
    ).rows[0]!.n,
  );
  const employer = await insertEmployer(db, creditCode('91430522MA4L00002'), '新邵考核厂', '430522');
  const posting = await insertPosting(db, employer, { title: '包装工', work_region_code: '430522107', headcount: 5 });
  // A closed posting and one in 长沙 count for nobody here.
  await insertPosting(db, employer, { title: '已关闭', work_region_code: '430522107', headcount: 5, status: 'closed' });
  await insertPosting(db, employer, { title: '长沙岗位', work_region_code: '430104', headcount: 5 });
  await insertReferral(db, x[2]!, posting, officerId, [['recommended', new Date(Date.now() - 10 * 86_400_000).toISOString()]]);
  // A referral older than a year does not count.
  await insertReferral(db, x[3]!, posting, officerId, [
    ['recommended', at(addDays(today, -400))],
    ['withdrawn', at(addDays(today, -399))],
  ]);
});
afterAll(async () => t?.close());

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (cookie: string, payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/v1/assessment/weights', headers: { cookie }, payload });
const weights = (w: Partial<Record<string, number>>) => ({
  cardsComplete: 0,
  reconfirmed: 0,
  postingsPer1000: 0,
  referralsPer1000: 0,
  followUpCoverage: 0,
  targetCompletion: 0,
  verifiedEmployment: 0,
  ...w,
});

describe('county assessment (量化考核)', () => {
  it('scores and ranks the counties from their records, with the evidence behind each figure', async () => {
    const response = await get('/api/v1/assessment', province);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ asOf: today, counties: 2, targetsAvailable: false, weights: { version: 2 } });
    expect(body.rows.map((r: { county: { code: string }; rank: number; score: number }) => [r.county.code, r.rank, r.score])).toEqual([
      ['433126', 1, 60],
      ['430522', 2, 45.6],
    ]);
    const xs = body.rows[1];
    expect(xs.county).toEqual({ code: '430522', name: '新邵县', city: '邵阳市' });
    expect(xs.indicators.cardsComplete).toMatchObject({
      numerator: 2,
      denominator: 4,
      value: 0.5,
      normalised: 50,
      link: '/laborers?region=430522',
    });
    expect(xs.indicators.reconfirmed).toMatchObject({ numerator: 1, denominator: 4, value: 0.25, normalised: 25 });
    const postings = demoPostings + 1;
    expect(xs.indicators.postingsPer1000).toMatchObject({
      numerator: postings,
      denominator: 3,
      value: Math.round(((postings * 1000) / 3) * 10_000) / 10_000,
      normalised: 100,
    });
    expect(xs.indicators.referralsPer1000).toMatchObject({ numerator: 1, denominator: 3, value: 333.3333, normalised: 100 });
    expect(xs.indicators.followUpCoverage).toMatchObject({ numerator: 1, denominator: 2, value: 0.5, normalised: 50 });
    expect(xs.indicators.targetCompletion).toMatchObject({ value: null, normalised: null, note: '目标未设置' });
    expect(xs.indicators.verifiedEmployment).toMatchObject({ numerator: 0, denominator: 1, value: 0, normalised: 0 });
    const gz = body.rows[0];
    expect(gz.indicators.verifiedEmployment).toMatchObject({ numerator: 0, denominator: 0, value: null, normalised: null });
    expect(gz.indicators.postingsPer1000).toMatchObject({ numerator: 0, denominator: 2, value: 0, normalised: 0 });
    expect(gz.indicators.followUpCoverage).toMatchObject({ numerator: 0, denominator: 0, value: null, note: '无可计算的记录' });
    // An earlier date reads the employment records' dates (today reads the open ones): the same 3 unemployed yesterday.
    const yesterday = (await get(`/api/v1/assessment?asOf=${addDays(today, -1)}`, province)).json();
    expect(
      yesterday.rows.find((r: { county: { code: string } }) => r.county.code === '430522').indicators.referralsPer1000.denominator,
    ).toBe(3);
    expect((await get('/api/v1/assessment?asOf=2015-12-31', province)).json().code).toBe('DASHBOARD_DATE_RANGE');
  });

  it('a county sees only its own row with its rank among all counties; a city its counties', async () => {
    const own = (await get('/api/v1/assessment', guzhang)).json();
    expect(own.counties).toBe(2);
    expect(own.rows.map((r: { county: { code: string }; rank: number }) => [r.county.code, r.rank])).toEqual([['433126', 1]]);
    expect((await get('/api/v1/assessment', city)).json().rows.map((r: { county: { code: string } }) => r.county.code)).toEqual(['430522']);
    expect((await get('/api/v1/assessment?region=430522', guzhang)).statusCode).toBe(403);
    expect((await get('/api/v1/assessment', officer)).statusCode).toBe(403);
  });

  it('the province admin sets the weights (versioned, who and when); the ranking follows them', async () => {
    const set = await post(province, { weights: weights({ cardsComplete: 60, reconfirmed: 40 }), note: '侧重信息采集' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      version: 3,
      setBy: expect.any(String),
      note: '侧重信息采集',
      weights: { cardsComplete: 60, reconfirmed: 40 },
    });
    const history = (await get('/api/v1/assessment/weights', xinshao)).json();
    expect(history.current.version).toBe(3);
    expect(history.history.map((h: { version: number }) => h.version)).toEqual([3, 2, 1]);
    // Migration 0054 kept the first default (no weight for verified employment) and re-balanced the
    // default to give verified employment 20 points; every version sums to 100.
    expect(history.history[2].weights).toEqual({
      ...weights({}),
      cardsComplete: 20,
      reconfirmed: 20,
      postingsPer1000: 15,
      referralsPer1000: 15,
      followUpCoverage: 15,
      targetCompletion: 15,
    });
    expect(history.history[1].weights).toMatchObject({ verifiedEmployment: 20 });
    for (const h of history.history as { weights: Record<string, number> }[])
      expect(Object.values(h.weights).reduce((a, b) => a + b, 0)).toBe(100);
    // 古丈 (100, 100) now leads 新邵 (0.6·50 + 0.4·25 = 40).
    const rows = (await get('/api/v1/assessment', province)).json().rows;
    expect(rows.map((r: { county: { code: string }; rank: number; score: number }) => [r.county.code, r.rank, r.score])).toEqual([
      ['433126', 1, 100],
      ['430522', 2, 40],
    ]);
    expect(
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'assessment.weights'`.execute(t.ctx.db)).rows[0]!.n,
      ),
    ).toBe(1);
  });

  it("target completion is the new transfers whose job was confirmed over the statistics' target, once the province sets one", async () => {
    const target = await t.app.inject({
      method: 'POST',
      url: '/api/v1/stats/targets',
      headers: { cookie: province },
      payload: { region: '430522', year: Number(today.slice(0, 4)), newTransfers: 4 },
    });
    expect(target.statusCode, target.body).toBeLessThan(300);
    const body = (await get('/api/v1/assessment', province)).json();
    expect(body.targetsAvailable).toBe(true);
    const xs = body.rows.find((r: { county: { code: string } }) => r.county.code === '430522');
    // 新邵's one laborer at work began 100 days ago (this year) and was not at work on 1 January: a
    // new transfer, but typed only, so it does not count towards the target.
    expect(xs.indicators.targetCompletion).toMatchObject({ numerator: 0, denominator: 4, value: 0, normalised: 0, note: null });
    // Once the employer confirms the job (any day from its start), it counts.
    await sql`INSERT INTO employment_evidence (employment_id, kind, evidenced_on) VALUES (${xinshaoJob}, 'employer', ${addDays(today, -95)})`.execute(
      t.ctx.db,
    );
    const confirmed = (await get('/api/v1/assessment', province)).json();
    const xs2 = confirmed.rows.find((r: { county: { code: string } }) => r.county.code === '430522');
    expect(xs2.indicators.targetCompletion).toMatchObject({ numerator: 1, denominator: 4, value: 0.25, normalised: 25, note: null });
    const gz = body.rows.find((r: { county: { code: string } }) => r.county.code === '433126');
    expect(gz.indicators.targetCompletion).toMatchObject({ value: null, note: '目标未设置' });
    // A county sees the same figure for itself.
    const own = (await get('/api/v1/assessment', xinshao)).json();
    expect(own.rows[0].indicators.targetCompletion.value).toBe(0.25);
  });

  it('refuses weights from anyone but the province admin, negative weights and sums other than 100, in Chinese', async () => {
    const county = await post(xinshao, { weights: weights({ cardsComplete: 100 }) });
    expect(county.statusCode).toBe(403);
    expect(county.json()).toMatchObject({ code: 'ASSESSMENT_PROVINCE_ONLY', message: '考核权重只能由省级管理员设置' });
    expect((await post(city, { weights: weights({ cardsComplete: 100 }) })).statusCode).toBe(403);
    const negative = await post(province, { weights: weights({ cardsComplete: 110, reconfirmed: -10 }) });
    expect(negative.statusCode).toBe(400);
    expect(negative.json()).toMatchObject({ code: 'ASSESSMENT_WEIGHTS_NEGATIVE', message: '考核权重不能为负数' });
    const sum = await post(province, { weights: weights({ cardsComplete: 50, reconfirmed: 40 }) });
    expect(sum.statusCode).toBe(400);
    expect(sum.json()).toMatchObject({ code: 'ASSESSMENT_WEIGHTS_SUM', message: '考核权重合计须为 100，当前合计 90' });
    expect((await post(province, { weights: { cardsComplete: 100 } })).statusCode).toBe(400);
    expect((await get('/api/v1/assessment/weights', province)).json().current.version).toBe(3);
  });
});

/**
 * Issue 21 item 3: two counties alike in every record but one — 新邵's job is confirmed by its
 * employer, 古丈's is typed only. As of 2025-06-30 (a past day, so the year's new transfers do not
 * depend on when the test runs): each has one complete card and one job started 2025-03-01 in the
 * county; 新邵's employer confirmed it on 2025-05-10 (inside [2025-03-31, 2025-06-30]).
 */
describe('the assessment scores verified employment, not typed employment', () => {
  let app: TestApp;
  let admin: string;
  const asOf = '2025-06-30';
  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.login('hunan_admin');
    const db = app.ctx.db;
    const gz = await villageUnder(db, '433126');
    const since = at('2020-01-01');
    const confirmedCard = await insertCard(db, { name: '核实甲', versions: [[DAZHU, since]], complete: true });
    const typedCard = await insertCard(db, { name: '录入乙', versions: [[gz, since]], complete: true });
    const confirmedJob = await insertEmployment(db, confirmedCard, { work: '430522107', from: '2025-03-01' });
    await insertEmployment(db, typedCard, { work: gz, from: '2025-03-01' });
    await sql`INSERT INTO employment_evidence (employment_id, kind, evidenced_on) VALUES (${confirmedJob}, 'employer', '2025-05-10')`.execute(
      db,
    );
    for (const region of ['430522', '433126']) {
      const target = await app.app.inject({
        method: 'POST',
        url: '/api/v1/stats/targets',
        headers: { cookie: admin },
        payload: { region, year: 2025, newTransfers: 1 },
      });
      expect(target.statusCode, target.body).toBeLessThan(300);
    }
  });
  afterAll(async () => app?.close());

  it('a county whose jobs are typed only scores lower than one whose jobs are confirmed; the weights sum to 100', async () => {
    const response = await app.app.inject({ method: 'GET', url: `/api/v1/assessment?asOf=${asOf}`, headers: { cookie: admin } });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(Object.values(body.weights.weights as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(100);
    expect(body.weights.weights.verifiedEmployment).toBeGreaterThan(0);
    const row = (code: string) => body.rows.find((r: { county: { code: string } }) => r.county.code === code);
    const confirmed = row('430522');
    const typed = row('433126');
    expect(confirmed.indicators.verifiedEmployment).toMatchObject({ numerator: 1, denominator: 1, value: 1, normalised: 100 });
    expect(typed.indicators.verifiedEmployment).toMatchObject({ numerator: 0, denominator: 1, value: 0, normalised: 0 });
    // Both are new transfers of 2025; only the confirmed one counts towards the target of 1.
    expect(confirmed.indicators.targetCompletion).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
    expect(typed.indicators.targetCompletion).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    expect(typed.score).toBeLessThan(confirmed.score);
    expect([confirmed.rank, typed.rank]).toEqual([1, 2]);
    // One source: the statistics' verification of the county gives the same figures.
    const verification = await app.app.inject({
      method: 'GET',
      url: `/api/v1/stats/verification?region=430522&asOf=${asOf}`,
      headers: { cookie: admin },
    });
    expect(verification.json()).toMatchObject({ employed: 1, confirmed: 1, byKind: { employer: 1, follow_up: 0, social_insurance: 0 } });
  });
});

/**
 * Issue 18 item 8: the province's figures are computed once and reused for the configured minutes
 * (migration 0064), so a county admin does not wait for the whole province and nine admins opening
 * the page at once run one computation. Older figures are shown, marked, while one computation in
 * the background replaces them.
 */
describe('the province’s figures are computed once and reused for a while', () => {
  let app: TestApp;
  let admin: string;
  let county: string;
  const cards = (body: { rows: { county: { code: string }; indicators: { cardsComplete: { denominator: number } } }[] }) =>
    body.rows.find((r) => r.county.code === '430522')?.indicators.cardsComplete.denominator ?? 0;
  beforeAll(async () => {
    app = await createTestApp({ LAOWU_ASSESSMENT_REUSE_MINUTES: '10' });
    [admin, county] = await Promise.all([app.login('hunan_admin'), app.login('xinshao_admin')]);
    await insertCard(app.ctx.db, { name: '复用甲', versions: [[DAZHU, at('2020-01-01')]], complete: true });
  });
  afterAll(async () => app?.close());
  const read = async (cookie: string) => {
    const response = await app.app.inject({ method: 'GET', url: '/api/v1/assessment', headers: { cookie } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  it('nine admins at once share one computation; a later write shows after the reuse time, marked while it is recomputed', async () => {
    const first = await Promise.all([...Array.from({ length: 8 }, () => read(admin)), read(county)]);
    const computedAt = first[0].computedAt;
    expect(first.every((b) => b.computedAt === computedAt && b.refreshing === false)).toBe(true);
    expect(first.every((b) => cards(b) === 1)).toBe(true);
    // The county sees its own row of the same computation.
    expect(first[8].rows.map((r: { county: { code: string } }) => r.county.code)).toEqual(['430522']);

    await insertCard(app.ctx.db, { name: '复用乙', versions: [[DAZHU, at('2020-01-01')]], complete: true });
    const reused = await read(admin);
    expect([reused.computedAt, reused.refreshing, cards(reused)]).toEqual([computedAt, false, 1]);

    // Eleven minutes later: the old figures, said to be refreshing, then the new ones.
    await sql`UPDATE assessment_figures SET computed_at = computed_at - interval '11 minutes'`.execute(app.database.db);
    const stale = await read(county);
    expect([stale.refreshing, cards(stale)]).toEqual([true, 1]);
    expect(Date.parse(stale.computedAt)).toBe(Date.parse(computedAt) - 11 * 60_000);
    const fresh = await until(
      () => read(county),
      (b) => b.refreshing === false && cards(b) === 2,
      'the recomputed figures',
    );
    expect(Date.parse(fresh.computedAt)).toBeGreaterThan(Date.parse(computedAt));
  });

  it('today’s figures are computed ahead of the first look for a province looked at this month', async () => {
    await sql`DELETE FROM assessment_figures`.execute(app.database.db);
    expect(await app.assessment.prepareToday()).toBe(0);
    await read(county);
    await sql`UPDATE assessment_figures SET as_of = as_of - 1`.execute(app.database.db);
    expect(await app.assessment.prepareToday()).toBe(1);
    const { rows } = await sql<{ as_of: string }>`SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of FROM assessment_figures ORDER BY 1`.execute(
      app.database.db,
    );
    expect(rows.map((r) => r.as_of)).toEqual([addDays(today, -1), today]);
    expect(await app.assessment.prepareToday()).toBe(0);
    const first = await read(county);
    expect([first.refreshing, cards(first)]).toEqual([false, 2]);
  });

  it('a read that looked before the figures were stored and goes on after their computation ended takes them, not a second computation', async () => {
    // The background connections with the second look at assessment_figures held until the first
    // computation has stored its figures and left (the interleaving a busy server can give).
    let stored!: () => void;
    const storedFigures = new Promise<void>((resolve) => {
      stored = resolve;
    });
    const kinds = new WeakMap<object, string>();
    let looks = 0;
    const plugin: KyselyPlugin = {
      transformQuery({ node, queryId }) {
        const text = node.kind === 'RawNode' ? (node as RawNode).sqlFragments.join('?') : '';
        if (/FROM assessment_figures WHERE/.test(text)) kinds.set(queryId, 'look');
        if (/^\s*INSERT INTO assessment_figures/.test(text)) kinds.set(queryId, 'store');
        return node;
      },
      async transformResult({ result, queryId }) {
        const kind = kinds.get(queryId);
        if (kind === 'store') stored();
        if (kind === 'look' && ++looks === 2) {
          await storedFigures;
          await new Promise((resolve) => setImmediate(resolve));
        }
        return result;
      },
    };
    const service = createAssessmentService({
      audit: app.ctx.audit,
      stats: { countyTransfers: async () => new Map() },
      db: app.ctx.background.withPlugin(plugin),
      reuseMs: 10 * 60_000,
    });
    const actor = await actorOf(app.ctx.db, 'hunan_admin');
    const asOf = addDays(today, -2);
    const [a, b] = await Promise.all([service.figures(actor, { asOf }), service.figures(actor, { asOf })]);
    expect(looks).toBe(2);
    expect([a.refreshing, b.refreshing, b.figures.computedAt.getTime()]).toEqual([false, false, a.figures.computedAt.getTime()]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, seekerCard } from '../../../test/fixtures.ts';
import { addDays, addMonths, chinaToday } from '../../platform/time.ts';
import { monthlyPay } from './public-welfare.service.ts';
import { publicWelfareStep } from '../../generate/public-welfare.step.ts';
import type { GeneratorContext } from '../../generate/generator.ts';
import { Rng } from '../../generate/random.ts';

/**
 * 公益性岗位 (issue 20 item 9) through the API: who may hold a post, the employment record the
 * assignment opens and the exit ends, the month's pay from the days worked drafted into the
 * subsidy ledger once, and the region scope.
 */
let t: TestApp;
let operator: string;
let county: string;
let officer: string;
let guzhang: string;
let post: string;
const cards: Record<string, string> = {};
const today = chinaToday();
/** The last complete month, and the day the holders started (the first of the month before it). */
const lastMonth = addMonths(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
const STARTED = addMonths(`${lastMonth}-01`, -1);

const call = (method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, payload });
const assign = (laborerId: string, cookie = operator, postId = post) =>
  call('POST', '/public-welfare/holdings', cookie, { postId, laborerId, startedOn: STARTED });
const welfareSubsidies = async (laborerId: string) =>
  (
    await sql<{ id: string; amount: string; period_from: string; period_to: string; status: string }>`
      SELECT id::text AS id, amount::text AS amount, to_char(period_from, 'YYYY-MM-DD') AS period_from,
        to_char(period_to, 'YYYY-MM-DD') AS period_to, status
      FROM subsidy WHERE laborer_id = ${laborerId} AND kind = 'public_welfare' ORDER BY id`.execute(t.ctx.db)
  ).rows;

beforeAll(async () => {
  t = await createTestApp();
  [operator, county, officer, guzhang] = await Promise.all(
    ['longxipu_operator', 'xinshao_admin', 'dazhu_officer', 'guzhang_admin'].map((u) => t.login(u)),
  );
  // a: cares for elders (家庭原因) — eligible; e: 不愿外出 — eligible; b: can go out; c: a village cadre; d: no labor capacity.
  for (const [key, body17, extra] of [
    ['a', '43052219800101411', { name: '蒋秀兰', caring: 'elders' }],
    ['b', '43052219810101412', { name: '李勇', willingness: 'out_of_province' }],
    ['c', '43052219820101413', { name: '王村官', caring: 'children', flags: ['village_cadre'] }],
    ['d', '43052219830101414', { name: '刘病', caring: 'both', laborCapacity: 'lost', health: 'serious' }],
    ['e', '43052219840101415', { name: '陈守家', willingness: 'stay_home' }],
    ['f', '43052219850101416', { name: '赵顾家', caring: 'children' }],
  ] as const) {
    const response = await call('POST', '/laborers', operator, seekerCard(body17, { homeVillageCode: DAZHU, ...extra }));
    expect(response.statusCode, response.body).toBe(201);
    cards[key] = response.json().id;
  }
  const created = await call('POST', '/public-welfare/posts', operator, {
    name: '村道保洁员',
    employerName: '大竹村村民委员会',
    regionCode: DAZHU,
    monthlyPay: 870,
    headcount: 2,
  });
  expect(created.statusCode, created.body).toBe(201);
  post = created.json().id;
});
afterAll(async () => t?.close());

describe('posts', () => {
  it('has an employer (a registered one or a named committee, one of the two) and a place in the caller’s region', async () => {
    const base = { name: '护林员', regionCode: DAZHU, monthlyPay: 600, headcount: 1 };
    const neither = await call('POST', '/public-welfare/posts', operator, base);
    expect(neither.statusCode).toBe(400);
    expect(neither.json().code).toBe('PUBLIC_WELFARE_EMPLOYER_REQUIRED');
    const outside = await call('POST', '/public-welfare/posts', guzhang, { ...base, employerName: '大竹村村民委员会' });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('REGION_OUT_OF_SCOPE');
    const list = await call('GET', '/public-welfare/posts', operator);
    expect(list.json().items).toEqual([
      expect.objectContaining({ id: post, employer: { id: null, name: '大竹村村民委员会' }, monthlyPay: 870, headcount: 2, filled: 0 }),
    ]);
    expect((await call('GET', '/public-welfare/posts', guzhang)).json().total).toBe(0);
  });
});

describe('assignment', () => {
  it('refuses a laborer who can leave home, a village cadre and one without labor capacity, each with its code and message', async () => {
    const canLeave = await assign(cards.b!);
    expect(canLeave.statusCode).toBe(400);
    expect(canLeave.json()).toMatchObject({
      code: 'PUBLIC_WELFARE_CAN_LEAVE_HOME',
      message: '该劳动力没有照顾家庭或不愿外出等无法外出务工的情形，应优先转移就业，不能安置公益性岗位',
    });
    const cadre = await assign(cards.c!);
    expect(cadre.statusCode).toBe(400);
    expect(cadre.json()).toMatchObject({ code: 'PUBLIC_WELFARE_VILLAGE_CADRE', message: '村干部不能安置公益性岗位' });
    const unable = await assign(cards.d!);
    expect(unable.json().code).toBe('PUBLIC_WELFARE_NOT_ABLE');
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM employment
      WHERE laborer_id = ANY(${[cards.b, cards.c, cards.d]}::bigint[])`.execute(t.ctx.db);
    expect(rows[0]!.n).toBe(0);
  });

  it('refuses a post or a laborer outside the caller’s region as not found', async () => {
    const response = await assign(cards.a!, guzhang);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
  });

  it('opens the public_welfare employment record, marks the card employed, and fills the post up to its headcount', async () => {
    const response = await assign(cards.a!);
    expect(response.statusCode, response.body).toBe(201);
    const holding = response.json();
    expect(holding).toMatchObject({ startedOn: STARTED, endedOn: null, post: { id: post, monthlyPay: 870 }, laborer: { id: cards.a } });
    const jobs = await call('GET', `/employments?laborer=${cards.a}`, county);
    expect(jobs.json().items).toEqual([
      expect.objectContaining({
        id: holding.employmentId,
        channel: 'public_welfare',
        startedOn: STARTED,
        endedOn: null,
        workRegionCode: DAZHU,
        workplaceName: '大竹村村民委员会',
      }),
    ]);
    const card = await call('GET', `/laborers/${cards.a}`, operator);
    expect(card.json().employmentStatus).toBe('employed');
    // One open job per person: the employment module refuses a second assignment.
    expect((await assign(cards.a!)).json().code).toBe('EMPLOYMENT_OPEN_EXISTS');
    expect((await assign(cards.e!)).statusCode).toBe(201);
    const full = await assign(cards.f!);
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('PUBLIC_WELFARE_POST_FULL');
    expect((await call('GET', '/public-welfare/posts', operator)).json().items[0].filled).toBe(2);
  });
});

describe("a month's pay", () => {
  let holding: string;
  beforeAll(async () => {
    const list = await call('GET', `/public-welfare/holdings?post=${post}&status=open`, officer);
    holding = list.json().items.find((h: { laborer: { id: string } }) => h.laborer.id === cards.a).id;
  });

  it('is computed from the days worked: the standard × days / 21.75, never more than the standard', async () => {
    expect(monthlyPay(870, 20)).toBe(800);
    expect(monthlyPay(870, 23)).toBe(870);
    expect(monthlyPay(1000, 1)).toBe(45.98);
    const recorded = await call('PUT', `/public-welfare/holdings/${holding}/attendance`, officer, { month: lastMonth, daysWorked: 20 });
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json()).toEqual({ month: lastMonth, daysWorked: 20, pay: 800, subsidy: null });
    const tooMany = await call('PUT', `/public-welfare/holdings/${holding}/attendance`, officer, { month: lastMonth, daysWorked: 31 });
    const daysInMonth = Number(addDays(addMonths(`${lastMonth}-01`, 1), -1).slice(8));
    if (daysInMonth < 31) expect(tooMany.json().code).toBe('PUBLIC_WELFARE_DAYS_EXCEED');
    const before = await call('PUT', `/public-welfare/holdings/${holding}/attendance`, officer, {
      month: addMonths(`${STARTED}`, -1).slice(0, 7),
      daysWorked: 1,
    });
    expect(before.json().code).toBe('PUBLIC_WELFARE_MONTH_OUTSIDE');
    // Another county's staff cannot see or record it.
    expect(
      (await call('PUT', `/public-welfare/holdings/${holding}/attendance`, guzhang, { month: lastMonth, daysWorked: 5 })).statusCode,
    ).toBe(404);
  });

  it('is drafted into the subsidy ledger once: drafting again or recording the month again never pays twice', async () => {
    const current = await call('POST', '/public-welfare/pay', operator, { month: today.slice(0, 7) });
    expect(current.json().code).toBe('PUBLIC_WELFARE_MONTH_NOT_OVER');
    const first = await call('POST', '/public-welfare/pay', operator, { month: lastMonth });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ month: lastMonth, drafted: 1, amount: 800, skipped: 0 });
    const again = await call('POST', '/public-welfare/pay', county, { month: lastMonth });
    expect(again.json()).toEqual({ month: lastMonth, drafted: 0, amount: 0, skipped: 1 });
    // The same days again change nothing; other days are refused while the draft stands.
    const same = await call('PUT', `/public-welfare/holdings/${holding}/attendance`, officer, { month: lastMonth, daysWorked: 20 });
    expect(same.statusCode).toBe(200);
    expect(same.json().subsidy).toMatchObject({ status: 'applied' });
    const changed = await call('PUT', `/public-welfare/holdings/${holding}/attendance`, officer, { month: lastMonth, daysWorked: 21 });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().code).toBe('PUBLIC_WELFARE_PAY_DRAFTED');
    expect((await call('POST', '/public-welfare/pay', operator, { month: lastMonth })).json().drafted).toBe(0);
    const paid = await welfareSubsidies(cards.a!);
    expect(paid).toEqual([
      {
        id: expect.any(String),
        amount: '800.00',
        period_from: `${lastMonth}-01`,
        period_to: addDays(addMonths(`${lastMonth}-01`, 1), -1),
        status: 'applied',
      },
    ]);
    // Nor by hand through the subsidies page.
    const byHand = await call('POST', '/subsidies', operator, {
      recipient: 'laborer',
      kind: 'public_welfare',
      laborerId: cards.a,
      amount: 800,
      periodFrom: `${lastMonth}-01`,
      periodTo: paid[0]!.period_to,
    });
    expect(byHand.json().code).toBe('SUBSIDY_KIND_FROM_ATTENDANCE');
  });

  it('is guaranteed once by the database: a second subsidy for the month, or part of a month, is refused', async () => {
    const insert = (from: string, to: string) =>
      sql`INSERT INTO subsidy (recipient, kind, laborer_id, region_code, home_region_code, amount, period_from, period_to)
        VALUES ('laborer', 'public_welfare', ${cards.a}, ${DAZHU}, ${DAZHU}, 800, ${from}::date, ${to}::date)`.execute(t.ctx.db);
    const end = addDays(addMonths(`${lastMonth}-01`, 1), -1);
    await expect(insert(`${lastMonth}-01`, end)).rejects.toMatchObject({ code: '23P01' });
    await expect(insert(`${lastMonth}-02`, end)).rejects.toMatchObject({ code: '23514' });
  });

  it('may be corrected and drafted again once its subsidy was rejected', async () => {
    const [draft] = await welfareSubsidies(cards.a!);
    const rejected = await call('POST', `/subsidies/${draft!.id}/reject`, county, { reason: '出勤天数有误' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const corrected = await call('PUT', `/public-welfare/holdings/${holding}/attendance`, officer, { month: lastMonth, daysWorked: 10 });
    expect(corrected.json()).toMatchObject({ daysWorked: 10, pay: 400, subsidy: null });
    expect((await call('POST', '/public-welfare/pay', operator, { month: lastMonth })).json()).toMatchObject({ drafted: 1, amount: 400 });
    expect((await welfareSubsidies(cards.a!)).map((s) => [s.amount, s.status])).toEqual([
      ['800.00', 'rejected'],
      ['400.00', 'applied'],
    ]);
    const attendance = await call('GET', `/public-welfare/holdings/${holding}/attendance`, officer);
    expect(attendance.json().items).toEqual([
      { month: lastMonth, daysWorked: 10, pay: 400, subsidy: { id: expect.any(String), status: 'applied' } },
    ]);
  });
});

describe('exit', () => {
  const lastDay = addDays(today, -1);
  it('ends the holding and its employment record, frees the place, and is refused twice', async () => {
    const list = await call('GET', `/public-welfare/holdings?post=${post}&status=open`, operator);
    const holding = list.json().items.find((h: { laborer: { id: string } }) => h.laborer.id === cards.e);
    expect(
      (await call('POST', `/public-welfare/holdings/${holding.id}/exit`, guzhang, { endedOn: lastDay, reason: 'family' })).statusCode,
    ).toBe(404);
    const exited = await call('POST', `/public-welfare/holdings/${holding.id}/exit`, operator, { endedOn: lastDay, reason: 'family' });
    expect(exited.statusCode, exited.body).toBe(200);
    expect(exited.json()).toMatchObject({ endedOn: lastDay, endReason: 'family' });
    const job = await call('GET', `/employments/${holding.employmentId}`, county);
    expect(job.json().employment).toMatchObject({ channel: 'public_welfare', endedOn: lastDay, endReason: 'family' });
    expect((await call('GET', `/laborers/${cards.e}`, operator)).json().employmentStatus).toBe('unemployed');
    const twice = await call('POST', `/public-welfare/holdings/${holding.id}/exit`, operator, { endedOn: lastDay, reason: 'family' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('PUBLIC_WELFARE_HOLDING_ENDED');
    expect((await assign(cards.f!)).statusCode).toBe(201);
    const ended = await call('GET', `/public-welfare/holdings?post=${post}&status=ended`, operator);
    expect(ended.json().items.map((h: { laborer: { id: string } }) => h.laborer.id)).toEqual([cards.e]);
  });
});

describe('the generated province', () => {
  it('gives every public_welfare job of the histories its township post and holding, with three months of attendance and pay', async () => {
    // A job of the channel as the laborers step writes it (no post), held since January by a card registered in 2025.
    const card = await call('POST', '/laborers', operator, seekerCard('43052219860101417', { homeVillageCode: DAZHU, caring: 'elders' }));
    const g = card.json().id as string;
    await sql`UPDATE laborer_version SET valid_from = '2025-01-01' WHERE laborer_id = ${g}`.execute(t.ctx.db);
    await sql`INSERT INTO employment (laborer_id, workplace_name, work_region_code, started_on, monthly_wage, channel)
      VALUES (${g}, '龙溪铺镇公益性岗位', '430522107', '2026-01-01', 800, 'public_welfare')`.execute(t.ctx.db);
    const run = () =>
      publicWelfareStep.run({
        preset: 'demo',
        seed: 1,
        rng: new Rng(1).fork('public-welfare'),
        db: t.database.db,
        audit: t.ctx.audit,
        progress: () => undefined,
      } as unknown as GeneratorContext);
    expect(await run()).toMatch(/^新增公益性岗位1个，在岗及曾在岗人员1人，近三个月出勤3人次/);
    const { rows: posts } = await sql<{ employer_name: string; region_code: string; headcount: number }>`
      SELECT employer_name, region_code, headcount FROM public_welfare_post WHERE created_by IS NULL`.execute(t.ctx.db);
    expect(posts).toEqual([{ employer_name: '龙溪铺镇人民政府', region_code: '430522107', headcount: expect.any(Number) }]);
    const { rows: pay } = await sql<{ month: string; days: number; pay: string; status: string; amount: string }>`
      SELECT a.month, a.days_worked AS days, a.pay::text AS pay, s.status, s.amount::text AS amount
      FROM public_welfare_attendance a JOIN public_welfare_holding h ON h.id = a.holding_id JOIN subsidy s ON s.id = a.subsidy_id
      WHERE h.laborer_id = ${g} ORDER BY a.month`.execute(t.ctx.db);
    expect(pay.map((p) => [p.month, p.status])).toEqual([
      ['2026-08', 'paid'],
      ['2026-09', 'paid'],
      ['2026-10', 'applied'],
    ]);
    for (const p of pay) expect(p.amount).toBe(p.pay);
    // The township's post is outside the village officer's region; its holder from his village is not.
    const seen = await call('GET', '/public-welfare/holdings?status=open', officer);
    expect(seen.json().items.map((h: { laborer: { id: string } }) => h.laborer.id)).toContain(g);
    expect(
      (await call('GET', '/public-welfare/posts', officer)).json().items.map((p: { region: { code: string } }) => p.region.code),
    ).toEqual([DAZHU]);
    expect(await run()).toBe('已有公益性岗位数据，未新增');
  });
});

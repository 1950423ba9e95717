import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createGeneratedTestApp, type TestApp } from '../../../test/helpers.ts';
import { Rng } from '../../generate/random.ts';
import { addDays, chinaToday } from '../../platform/time.ts';
import { peopleAsOf } from '../registry/index.ts';
import * as repo from './stats.repo.ts';

/**
 * Issue 16's "done when": on a generated world (the demo's ~30,000 cards with their ledgers, jobs,
 * services and subsidies), random moves, merges, deletions and backdated jobs, each through its
 * route as staff make them; after each, the fast figures (summary measures, breakdown, drill-down
 * totals, retention, the dashboards' curve and flows, the period counts) equal the straightforward
 * SQL for several regions and dates, and a move or a deletion — made today — leaves every earlier
 * date's figures as they were (docs/domain-notes-asof.md).
 */
let t: TestApp;
let province: string;
let village: string;
const today = chinaToday();
const yesterday = addDays(today, -1);
const DATES = ['2017-06-30', '2019-12-31', yesterday, today];
let regions: string[];
const rng = new Rng(16).fork('asof-property');

const get = async (url: string) => {
  const r = await t.app.inject({ method: 'GET', url, headers: { cookie: province } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload: unknown) =>
  t.app.inject({ method, url, headers: { cookie: province }, payload: payload as Record<string, unknown> });

beforeAll(async () => {
  t = await createGeneratedTestApp();
  province = await t.login('hunan_admin');
  // The busiest village of 新邵县 龙溪铺镇, so the changes below land in every region checked.
  const { rows } = await sql<{ code: string }>`SELECT home_village_code AS code FROM laborer WHERE home_village_code LIKE '430522107%'
    GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`.execute(t.ctx.db);
  village = rows[0]!.code;
  // (The demo's province is its three counties: 新邵县 stands for it, at a third of the cost.)
  regions = ['430522', '430522107', village];
}, 600_000);
afterAll(async () => t?.close());

/** The straightforward 6-month retention of the people as of d: their jobs started 6 months before d, at work then. */
async function straightRetention(region: string, d: string) {
  const { rows } = await sql<{ placed: string; retained: string }>`SELECT count(*) AS placed,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM employment x WHERE x.laborer_id = e.laborer_id
        AND x.started_on <= (e.started_on + interval '6 months')::date AND (x.ended_on IS NULL OR x.ended_on >= (e.started_on + interval '6 months')::date))) AS retained
    FROM (${peopleAsOf(region, d, sql`true`)}) p JOIN employment e ON e.laborer_id = p.laborer_id
    WHERE e.started_on + interval '6 months' <= ${d}::date`.execute(t.ctx.db);
  return { placed6: Number(rows[0]!.placed), retained6: Number(rows[0]!.retained) };
}

/** Services and subsidies of [from, d] counted straight: the person's card on the record's own day (laborer_village_on). */
async function straightPeriod(region: string, from: string, d: string) {
  const { rows: services } = await sql<{ kind: string; n: string }>`SELECT kind, count(*) AS n FROM service_record s
    WHERE s.served_on BETWEEN ${from}::date AND ${d}::date AND starts_with(laborer_village_on(s.laborer_id, s.served_on), ${region})
    GROUP BY kind`.execute(t.ctx.db);
  const { rows: subsidies } = await sql<{ kind: string; n: string }>`SELECT kind, count(DISTINCT laborer_id) AS n FROM subsidy s
    WHERE s.status = 'paid' AND s.laborer_id IS NOT NULL AND s.paid_on BETWEEN ${from}::date AND ${d}::date
      AND starts_with(laborer_village_on(s.laborer_id, s.paid_on), ${region})
    GROUP BY kind`.execute(t.ctx.db);
  const of = (rows: { kind: string; n: string }[]) => Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
  return { services: of(services), subsidies: of(subsidies) };
}

type Snapshot = Map<string, unknown>;

/** Every figure checked against the straight SQL; returns the fast figures of each (region, date) for the next step's comparison. */
async function checkAll(step: string): Promise<Snapshot> {
  const snapshot: Snapshot = new Map();
  for (const region of regions) {
    for (const d of DATES) {
      const at = `${step}: ${region} ${d}`;
      const fast = (await repo.asOfMeasures(t.ctx.db, region, d, region.length)).get(region) ?? repo.zeroMeasures();
      const { placed6, retained6, ...stock } = fast;
      expect(stock, at).toEqual(await repo.straightMeasures(t.ctx.db, region, d));
      expect({ placed6, retained6 }, `${at} retention`).toEqual(await straightRetention(region, d));
      // Drill-down totals are the figures.
      for (const figure of ['registered', 'employed', 'outOfProvince'] as const) {
        const rows = await repo.drillAsOf(t.ctx.db, { figure, region, asOf: d, scope: sql`true`, limit: 1, offset: 0 });
        const expected =
          figure === 'registered'
            ? fast.registered
            : figure === 'employed'
              ? fast.employed
              : fast.employed - fast.in_county - fast.in_province;
        expect(Number(rows[0]?.total ?? 0), `${at} drill ${figure}`).toBe(expected);
      }
      snapshot.set(`${region} ${d}`, fast);
    }
  }
  // The summary and the breakdown (a county's townships add up to it), the retention rate and the
  // dashboards' curve and flows, for a county at a past date and today.
  for (const d of ['2019-12-31', today]) {
    const s = await get(`/api/v1/stats/summary?region=430522&asOf=${d}`);
    const m = snapshot.get(`430522 ${d}`) as repo.Measures;
    expect([s.registered, s.employed, s.retentionRate6m], `${step}: summary ${d}`).toEqual([
      m.registered,
      m.employed,
      m.placed6 ? Math.round((m.retained6 / m.placed6) * 10_000) / 10_000 : null,
    ]);
    const b = await get(`/api/v1/stats/breakdown?region=430522&asOf=${d}`);
    expect(
      b.children.reduce((n: number, c: { registered: number }) => n + c.registered, 0),
      `${step}: breakdown ${d}`,
    ).toBe(m.registered);
    const rate = await get(`/api/v1/retention/rate?region=430522&asOf=${d}`);
    expect([rate.placed, rate.retained], `${step}: retention rate ${d}`).toEqual([m.placed6, m.retained6]);
    const curve = await get(`/api/v1/dashboards/retention-curve?region=430522&asOf=${d}`);
    expect([curve.points[5].placed, curve.points[5].retained], `${step}: curve ${d}`).toEqual([m.placed6, m.retained6]);
    const flows = await get(`/api/v1/dashboards/flows?region=430522&asOf=${d}`);
    expect(flows.total, `${step}: flows ${d}`).toBe(m.employed);
    snapshot.set(`period 430522 ${d}`, { services: s.services, subsidies: s.subsidies });
  }
  // The period counts: 2017's first half (the article's period) and this year so far.
  for (const [from, d] of [
    ['2017-01-01', '2017-06-30'],
    [`${today.slice(0, 4)}-01-01`, today],
  ] as const) {
    const [services, subsidies] = await Promise.all([
      repo.serviceCounts(t.ctx.db, '430522', from, d, 6),
      repo.subsidyPersons(t.ctx.db, '430522', from, d, 6),
    ]);
    const straight = await straightPeriod('430522', from, d);
    expect(services.get('430522') ?? {}, `${step}: services ${from}…${d}`).toEqual(straight.services);
    expect(subsidies.get('430522') ?? {}, `${step}: subsidies ${from}…${d}`).toEqual(straight.subsidies);
    snapshot.set(`counts ${from}`, { services: straight.services, subsidies: straight.subsidies });
  }
  return snapshot;
}

/** A live card of the checked township, at random. */
async function randomCard(extra = sql`true`): Promise<string> {
  const { rows } = await sql<{ id: string }>`SELECT id::text AS id FROM laborer l
    WHERE l.deleted_at IS NULL AND l.home_village_code LIKE '430522107%' AND ${extra} ORDER BY id`.execute(t.ctx.db);
  return rows[rng.int(0, rows.length - 1)]!.id;
}

/** The operations, as staff make them; each returns whether it rewrites the past on purpose. */
const operations: Record<string, () => Promise<{ rewritesPast: boolean; done: string }>> = {
  async move() {
    const id = await randomCard(rng.next() < 0.5 ? sql`l.home_village_code = ${village}` : sql`true`);
    const { rows } = await sql<{ code: string }>`SELECT code FROM region WHERE level = 5 AND code LIKE '4305221%' AND code <> ${village}
      ORDER BY code LIMIT 40`.execute(t.ctx.db);
    const to = rng.next() < 0.5 ? village : rows[rng.int(0, rows.length - 1)]!.code;
    const r = await send('PATCH', `/api/v1/laborers/${id}`, { homeVillageCode: to, reason: '迁居' });
    expect([200], r.body).toContain(r.statusCode);
    return { rewritesPast: false, done: `move ${id} → ${to}` };
  },
  async delete() {
    const id = await randomCard(sql`l.home_village_code = ${village}`);
    const r = await send('DELETE', `/api/v1/laborers/${id}`, { reason: '自然减员' });
    expect(r.statusCode, r.body).toBe(204);
    return { rewritesPast: false, done: `delete ${id}` };
  },
  async merge() {
    for (let attempt = 0; attempt < 20; attempt++) {
      const [a, b] = [await randomCard(sql`l.home_village_code = ${village}`), await randomCard()];
      if (a === b) continue;
      const r = await send('POST', `/api/v1/laborers/${a}/merge`, { duplicateId: b, reason: '同一人重复登记' });
      if (r.statusCode === 409) continue;
      expect(r.statusCode, r.body).toBe(200);
      return { rewritesPast: true, done: `merge ${b} into ${a}` };
    }
    return { rewritesPast: false, done: 'merge: no pair without overlapping jobs' };
  },
  async backdatedJob() {
    for (let attempt = 0; attempt < 20; attempt++) {
      const id = await randomCard(sql`NOT EXISTS (SELECT 1 FROM employment e WHERE e.laborer_id = l.id AND e.ended_on IS NULL)`);
      const start = addDays('2017-01-01', rng.int(0, 2400));
      const r = await send('POST', '/api/v1/employments', {
        laborerId: id,
        workplaceName: '补录务工单位',
        workRegionCode: rng.pick(['430522', '430102', '440307']),
        startedOn: start,
        monthlyWage: 2000 + rng.int(0, 30) * 100,
        socialInsurance: false,
        channel: rng.pick(['self_found', 'assisted']),
      });
      if (r.statusCode !== 201) continue;
      const end = addDays(start, rng.int(20, 400));
      const ended = await send('POST', `/api/v1/employments/${r.json().employment.id}/end`, {
        endedOn: end < yesterday ? end : yesterday,
        reason: 'contract_ended',
      });
      expect(ended.statusCode, ended.body).toBe(200);
      return { rewritesPast: true, done: `backdated job ${id} from ${start}` };
    }
    return { rewritesPast: false, done: 'backdated job: none fitted' };
  },
};

describe('as of a date, after random changes', () => {
  it('the fast figures equal the straightforward SQL after every change, and moves and deletions keep the past', async () => {
    let before = await checkAll('generated');
    const kinds = ['move', 'delete', 'merge', 'backdatedJob', 'move', 'merge'] as const;
    for (const kind of kinds) {
      const { rewritesPast, done } = await operations[kind]!();
      const after = await checkAll(done);
      if (!rewritesPast) {
        // Made today: every earlier date's figures are as they were.
        for (const [key, value] of before) {
          if (key.includes(today) || (key.startsWith('counts ') && key.includes(today.slice(0, 4)))) continue;
          expect(after.get(key), `${done}: ${key} changed`).toEqual(value);
        }
      }
      before = after;
    }
  }, 300_000);
});

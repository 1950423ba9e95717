import { sql } from 'kysely';
import { addDays, chinaToday } from '../platform/time.ts';
import type { GeneratorStep } from './step.ts';
import { DEMO_COUNTIES, PROVINCE } from './places.ts';
import { withinRegion } from '../platform/access.ts';

/**
 * 就业直通车: a few trips per county, from the open employments of the county's laborers — one
 * trip per employer with the most of them, carrying up to a bus (or a train carriage) of its hires.
 * Past trips have arrived (a passenger now and then got off on the way, with the reason recorded);
 * the latest of each county is still planned. Deterministic for the seed (given the same database),
 * idempotent: when generated trips exist in the preset's areas, nothing is added.
 */
const SCALE = {
  demo: { areas: [...DEMO_COUNTIES] as string[], tripsPerCounty: 4 },
  province: { areas: [PROVINCE], tripsPerCounty: 2 },
};
const SEATS = { bus: 45, train: 120 };
const SUBSIDY = { bus: 150, train: 300 };

export const travelStep: GeneratorStep = {
  name: 'travel',
  description: '就业直通车：各县按用人单位的在岗就业人员安排专车、专列，含上车、到达记录及乘车补贴',
  async run(ctx) {
    const scale = SCALE[ctx.preset];
    const today = chinaToday();
    let trips = 0;
    let passengers = 0;
    for (const area of scale.areas) {
      await ctx.db.transaction().execute(async (tx) => {
        const { rows: existing } = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM trip WHERE created_by IS NULL AND ${withinRegion('from_county_code', area)}`.execute(tx);
        if (existing[0]!.n > 0) return;
        // Employers by county, most hires first (ties by id): the trips' destinations.
        const { rows: groups } = await sql<{ county: string; employer_id: string; region: string; laborers: string[]; rank: number }>`
          SELECT county, employer_id, region, laborers, rank FROM (
            SELECT left(l.home_village_code, 6) AS county, e.employer_id, min(em.region_code) AS region,
              array_agg(l.id::text ORDER BY l.id) AS laborers,
              row_number() OVER (PARTITION BY left(l.home_village_code, 6) ORDER BY count(*) DESC, e.employer_id)::int AS rank
            FROM employment e JOIN laborer l ON l.id = e.laborer_id JOIN employer em ON em.id = e.employer_id
            WHERE e.ended_on IS NULL AND e.employer_id IS NOT NULL AND l.deleted_at IS NULL AND ${withinRegion('l.home_village_code', area)}
            GROUP BY 1, 2
          ) g WHERE rank <= ${scale.tripsPerCounty} ORDER BY county, rank`.execute(tx);
        if (groups.length === 0) return;
        const t = {
          mode: [] as string[],
          county: [] as string[],
          employer: [] as string[],
          region: [] as string[],
          day: [] as string[],
          capacity: [] as number[],
          subsidy: [] as number[],
          status: [] as string[],
        };
        for (const g of groups) {
          const mode = g.region.startsWith('43') ? 'bus' : 'train';
          // rank 1 leaves next week (planned); the others left 20, 40 … days ago and have arrived.
          t.mode.push(mode);
          t.county.push(g.county);
          t.employer.push(g.employer_id);
          t.region.push(g.region);
          t.day.push(g.rank === 1 ? addDays(today, 7) : addDays(today, -20 * (g.rank - 1)));
          t.capacity.push(SEATS[mode]);
          t.subsidy.push(SUBSIDY[mode]);
          t.status.push(g.rank === 1 ? 'planned' : 'arrived');
        }
        const { rows: ids } = await sql<{ id: string }>`
          INSERT INTO trip (mode, from_county_code, employer_id, destination_region_code, departs_on, capacity, subsidy_per_person, organiser_region_code, status, note)
          SELECT mode, county, employer, region, day, capacity, subsidy, county, status, '生成数据'
          FROM unnest(${t.mode}::text[], ${t.county}::text[], ${t.employer}::bigint[], ${t.region}::text[], ${t.day}::date[], ${t.capacity}::int[],
            ${t.subsidy}::int[], ${t.status}::text[]) WITH ORDINALITY AS x(mode, county, employer, region, day, capacity, subsidy, status, n)
          ORDER BY n RETURNING id`.execute(tx);
        trips += ids.length;
        const p = {
          trip: [] as string[],
          laborer: [] as string[],
          day: [] as string[],
          boarded: [] as boolean[],
          arrived: [] as boolean[],
          reason: [] as (string | null)[],
        };
        groups.forEach((g, i) => {
          const planned = t.status[i] === 'planned';
          for (const laborer of g.laborers.slice(0, t.capacity[i])) {
            const dropped = !planned && ctx.rng.int(0, 49) === 0;
            p.trip.push(ids[i]!.id);
            p.laborer.push(laborer);
            p.day.push(t.day[i]!);
            p.boarded.push(!planned);
            p.arrived.push(!planned && !dropped);
            p.reason.push(dropped ? '中途下车（家中有事返乡）' : null);
          }
        });
        // The employment of each hire, found by laborer and employer in the same statement.
        const inserted =
          await sql`INSERT INTO trip_passenger (trip_id, laborer_id, departs_on, source, employment_id, boarded, boarded_at, arrived, arrived_at, missing_reason)
          SELECT x.trip, x.laborer, x.day, 'hire', e.id, x.boarded, CASE WHEN x.boarded THEN x.day::timestamptz END,
            x.arrived, CASE WHEN x.arrived THEN x.day::timestamptz + interval '1 day' END, x.reason
          FROM unnest(${p.trip}::bigint[], ${p.laborer}::bigint[], ${p.day}::date[], ${p.boarded}::boolean[], ${p.arrived}::boolean[], ${p.reason}::text[])
            AS x(trip, laborer, day, boarded, arrived, reason)
          JOIN trip tr ON tr.id = x.trip
          JOIN employment e ON e.laborer_id = x.laborer AND e.ended_on IS NULL AND e.employer_id = tr.employer_id
          -- A laborer already on a trip that day (one arranged in the console) keeps that seat.
          WHERE NOT EXISTS (SELECT 1 FROM trip_passenger q WHERE q.laborer_id = x.laborer AND q.departs_on = x.day AND q.holds_seat)`.execute(
            tx,
          );
        passengers += Number(inserted.numAffectedRows ?? 0);
      });
    }
    return trips === 0 ? '已有就业直通车数据或没有在岗就业记录，未新增' : `新增就业直通车${trips}趟，乘车人员${passengers}人`;
  },
};

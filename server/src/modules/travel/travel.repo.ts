import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { withinRegion, regionScope } from '../../platform/access.ts';

/** Trips leaving from a county of a region (`t`, the trip in every trip query). */
export const tripsFromIn = (regionCode: string): Expression<SqlBool> => withinRegion('t.from_county_code', regionCode);
/** Trips leaving from one county. */
export const tripsFromCounty = (countyCode: string): Expression<SqlBool> => sql<SqlBool>`t.from_county_code = ${countyCode}`;
/** Trips of an employer. */
export const tripsOfEmployer = (employerId: string): Expression<SqlBool> => sql<SqlBool>`t.employer_id = ${employerId}`;
/** Passengers and candidates of the actor's region (`l`, the laborer every passenger query joins). */
export const laborersInScope = (actor: Actor): Expression<SqlBool> => regionScope(actor, 'l.home_village_code');

/**
 * SQL of 就业直通车: trips, their passengers, and the counts the trip list shows (one aggregation
 * over the trip's passengers). The same-day rule is the unique index trip_passenger_day_key.
 */

export interface TripRecord {
  id: string;
  mode: string;
  fromCountyCode: string;
  fromCountyName: string;
  employerId: string | null;
  employerName: string | null;
  destinationCode: string;
  destinationName: string;
  departsOn: string;
  capacity: number;
  subsidyPerPerson: number;
  organiserRegionCode: string;
  status: string;
  note: string | null;
  passengers: number;
  boarded: number;
  arrived: number;
  missing: number;
  createdBy: string | null;
  createdAt: Date;
}

type TripRow = {
  id: string;
  mode: string;
  from_county_code: string;
  from_county_name: string;
  employer_id: string | null;
  employer_name: string | null;
  destination_region_code: string;
  destination_name: string;
  departs_on: string;
  capacity: number;
  subsidy_per_person: number;
  organiser_region_code: string;
  status: string;
  note: string | null;
  passengers: number;
  boarded: number;
  arrived: number;
  missing: number;
  created_by: string | null;
  created_at: Date;
};

const toTrip = (r: TripRow): TripRecord => ({
  id: String(r.id),
  mode: r.mode,
  fromCountyCode: r.from_county_code,
  fromCountyName: r.from_county_name,
  employerId: r.employer_id === null ? null : String(r.employer_id),
  employerName: r.employer_name,
  destinationCode: r.destination_region_code,
  destinationName: r.destination_name,
  departsOn: r.departs_on,
  capacity: r.capacity,
  subsidyPerPerson: r.subsidy_per_person,
  organiserRegionCode: r.organiser_region_code,
  status: r.status,
  note: r.note,
  passengers: r.passengers,
  boarded: r.boarded,
  arrived: r.arrived,
  missing: r.missing,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const TRIP_SELECT = sql`
  SELECT t.id, t.mode, t.from_county_code, fc.name AS from_county_name, t.employer_id, em.name AS employer_name,
    t.destination_region_code, dr.name AS destination_name, to_char(t.departs_on, 'YYYY-MM-DD') AS departs_on, t.capacity,
    t.subsidy_per_person, t.organiser_region_code, t.status, t.note,
    coalesce(c.passengers, 0) AS passengers, coalesce(c.boarded, 0) AS boarded, coalesce(c.arrived, 0) AS arrived,
    coalesce(c.missing, 0) AS missing, cb.username AS created_by, t.created_at
  FROM trip t
  JOIN region fc ON fc.code = t.from_county_code
  JOIN region dr ON dr.code = t.destination_region_code
  LEFT JOIN employer em ON em.id = t.employer_id
  LEFT JOIN account cb ON cb.id = t.created_by
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS passengers, count(*) FILTER (WHERE p.boarded)::int AS boarded, count(*) FILTER (WHERE p.arrived)::int AS arrived,
      count(*) FILTER (WHERE p.boarded AND NOT p.arrived AND p.missing_reason IS NULL)::int AS missing
    FROM trip_passenger p WHERE p.trip_id = t.id
  ) c ON true`;

export async function insertTrip(
  db: DbOrTx,
  t: {
    mode: string;
    fromCountyCode: string;
    employerId: string | null;
    destinationCode: string;
    departsOn: string;
    capacity: number;
    subsidyPerPerson: number;
    organiserRegionCode: string;
    note: string | null;
    by: string;
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO trip (mode, from_county_code, employer_id, destination_region_code, departs_on, capacity, subsidy_per_person, organiser_region_code, note, created_by)
    VALUES (${t.mode}, ${t.fromCountyCode}, ${t.employerId}, ${t.destinationCode}, ${t.departsOn}, ${t.capacity}, ${t.subsidyPerPerson},
      ${t.organiserRegionCode}, ${t.note}, ${t.by})
    RETURNING id`.execute(db);
  return String(rows[0]!.id);
}

export async function findTrip(db: DbOrTx, id: string, scope: Expression<SqlBool>, forUpdate = false): Promise<TripRecord | undefined> {
  // The lock is taken on the trip row alone, first; the counts are read after it.
  if (forUpdate) {
    const { rows } = await sql<{ id: string }>`SELECT t.id FROM trip t WHERE t.id = ${id} AND ${scope} FOR UPDATE`.execute(db);
    if (!rows[0]) return undefined;
  }
  const { rows } = await sql<TripRow>`${TRIP_SELECT} WHERE t.id = ${id} AND ${scope}`.execute(db);
  return rows[0] && toTrip(rows[0]);
}

export async function listTrips(
  db: DbOrTx,
  q: {
    scope: Expression<SqlBool>;
    status?: string;
    from?: string;
    to?: string;
    limit: number;
    offset: number;
  },
): Promise<{ rows: TripRecord[]; total: number }> {
  const where: Expression<SqlBool>[] = [q.scope];
  if (q.status) where.push(sql<SqlBool>`t.status = ${q.status}`);
  if (q.from) where.push(sql<SqlBool>`t.departs_on >= ${q.from}::date`);
  if (q.to) where.push(sql<SqlBool>`t.departs_on <= ${q.to}::date`);
  const cond = sql.join(where, sql` AND `);
  const [{ rows }, { rows: count }] = await Promise.all([
    sql<TripRow>`${TRIP_SELECT} WHERE ${cond} ORDER BY t.departs_on DESC, t.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db),
    sql<{ n: string }>`SELECT count(*) AS n FROM trip t WHERE ${cond}`.execute(db),
  ]);
  return { rows: rows.map(toTrip), total: Number(count[0]!.n) };
}

export async function setTripStatus(db: DbOrTx, id: string, status: string): Promise<void> {
  await sql`UPDATE trip SET status = ${status}, updated_at = now() WHERE id = ${id}`.execute(db);
  // A cancelled trip no longer holds its passengers' day: they may take another trip.
  if (status === 'cancelled') await sql`UPDATE trip_passenger SET holds_seat = false WHERE trip_id = ${id}`.execute(db);
}

/**
 * Among `ids`: the live cards of the county inside the caller's scope, each with its open
 * employment at `employerId` when there is one.
 */
export async function eligibleLaborers(
  db: DbOrTx,
  q: {
    ids: string[];
    county: string;
    scope: Expression<SqlBool>;
    employerId: string | null;
  },
): Promise<Map<string, { employmentId: string | null }>> {
  const { rows } = await sql<{ id: string; employment_id: string | null }>`
    SELECT l.id, e.id AS employment_id FROM laborer l
    LEFT JOIN employment e ON e.laborer_id = l.id AND e.ended_on IS NULL AND e.employer_id = ${q.employerId}
    WHERE l.id = ANY(${q.ids}::bigint[]) AND l.deleted_at IS NULL
      AND ${withinRegion('l.home_village_code', q.county)} AND ${q.scope}`.execute(db);
  return new Map(rows.map((r) => [String(r.id), { employmentId: r.employment_id === null ? null : String(r.employment_id) }]));
}

/** Laborers of `ids` already holding a seat on another trip that day (or on this one). */
export async function bookedOn(db: DbOrTx, ids: string[], day: string): Promise<{ laborerId: string; tripId: string }[]> {
  const { rows } = await sql<{ laborer_id: string; trip_id: string }>`
    SELECT laborer_id, trip_id FROM trip_passenger WHERE laborer_id = ANY(${ids}::bigint[]) AND departs_on = ${day}::date AND holds_seat`.execute(
    db,
  );
  return rows.map((r) => ({ laborerId: String(r.laborer_id), tripId: String(r.trip_id) }));
}

export async function insertPassengers(
  db: DbOrTx,
  tripId: string,
  day: string,
  source: string,
  rows: { laborerId: string; employmentId: string | null }[],
  by: string,
): Promise<void> {
  await sql`INSERT INTO trip_passenger (trip_id, laborer_id, departs_on, source, employment_id, added_by)
    SELECT ${tripId}, x.laborer, ${day}::date, ${source}, x.employment, ${by}
    FROM unnest(${rows.map((r) => r.laborerId)}::bigint[], ${rows.map((r) => r.employmentId)}::bigint[]) AS x(laborer, employment)`.execute(
    db,
  );
}

/** The passengers of the trip among `ids` whose cards lie in `scope` (on l.home_village_code): to refuse the others. */
export async function passengersAmong(
  db: DbOrTx,
  tripId: string,
  ids: string[],
  scope: Expression<SqlBool>,
): Promise<{ laborerId: string; boarded: boolean; arrived: boolean }[]> {
  const { rows } = await sql<{ laborer_id: string; boarded: boolean; arrived: boolean }>`
    SELECT p.laborer_id, p.boarded, p.arrived FROM trip_passenger p JOIN laborer l ON l.id = p.laborer_id
    WHERE p.trip_id = ${tripId} AND p.laborer_id = ANY(${ids}::bigint[]) AND ${scope}`.execute(db);
  return rows.map((r) => ({ laborerId: String(r.laborer_id), boarded: r.boarded, arrived: r.arrived }));
}

export async function setBoarded(db: DbOrTx, tripId: string, ids: string[], boarded: boolean, by: string): Promise<void> {
  await sql`UPDATE trip_passenger SET boarded = ${boarded}, boarded_at = CASE WHEN ${boarded} THEN now() END,
      boarded_by = CASE WHEN ${boarded} THEN ${by}::bigint END
    WHERE trip_id = ${tripId} AND laborer_id = ANY(${ids}::bigint[])`.execute(db);
}

/** arrived: confirmed; not arrived with a reason: accounted for; neither: back to unaccounted. */
export async function setArrival(
  db: DbOrTx,
  tripId: string,
  ids: string[],
  arrived: boolean,
  reason: string | null,
  by: string,
): Promise<void> {
  await sql`UPDATE trip_passenger SET arrived = ${arrived},
      arrived_at = CASE WHEN ${arrived} THEN now() END, arrived_by = CASE WHEN ${arrived} THEN ${by}::bigint END,
      missing_reason = ${arrived ? null : reason}, missing_by = ${arrived || !reason ? null : by}::bigint
    WHERE trip_id = ${tripId} AND laborer_id = ANY(${ids}::bigint[])`.execute(db);
}

export interface PassengerRow {
  laborer_id: string;
  name: string;
  id_masked: string;
  phone_masked: string | null;
  home_village_code: string;
  village_name: string;
  source: string;
  employment_id: string | null;
  boarded: boolean;
  boarded_at: Date | null;
  arrived: boolean;
  arrived_at: Date | null;
  arrived_by: string | null;
  missing_reason: string | null;
}

/** The trip's passengers whose cards lie in `scope` (on l.home_village_code). */
export async function passengersOf(db: DbOrTx, tripId: string, scope: Expression<SqlBool>): Promise<PassengerRow[]> {
  const { rows } = await sql<PassengerRow>`
    SELECT p.laborer_id, l.name, l.id_masked, l.phone_masked, l.home_village_code, r.name AS village_name, p.source, p.employment_id,
      p.boarded, p.boarded_at, p.arrived, p.arrived_at, a.username AS arrived_by, p.missing_reason
    FROM trip_passenger p JOIN laborer l ON l.id = p.laborer_id JOIN region r ON r.code = l.home_village_code
    LEFT JOIN account a ON a.id = p.arrived_by
    WHERE p.trip_id = ${tripId} AND ${scope}
    ORDER BY l.home_village_code, l.name_pinyin, l.id`.execute(db);
  return rows;
}

/** Hires of the county (in the caller's scope) at the employer, with an open employment, not yet on the trip. */
export async function hireCandidates(db: DbOrTx, q: { tripId: string; employerId: string; county: string; scope: Expression<SqlBool> }) {
  const { rows } = await sql<{
    laborer_id: string;
    name: string;
    id_masked: string;
    village_name: string;
    employment_id: string;
    started_on: string;
  }>`
    SELECT l.id AS laborer_id, l.name, l.id_masked, r.name AS village_name, e.id AS employment_id, to_char(e.started_on, 'YYYY-MM-DD') AS started_on
    FROM employment e JOIN laborer l ON l.id = e.laborer_id JOIN region r ON r.code = l.home_village_code
    WHERE e.employer_id = ${q.employerId} AND e.ended_on IS NULL AND l.deleted_at IS NULL
      AND ${withinRegion('l.home_village_code', q.county)} AND ${q.scope}
      AND NOT EXISTS (SELECT 1 FROM trip_passenger p WHERE p.trip_id = ${q.tripId} AND p.laborer_id = l.id)
    ORDER BY l.home_village_code, l.name_pinyin, l.id LIMIT 500`.execute(db);
  return rows;
}

import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { TableRow } from '../../db/schema.ts';
import { withinRegion, UNSCOPED } from '../../platform/access.ts';

/** Fairs organised in a region or held at one of its villages (`f`, the fair in every fair query). */
export const fairsTouching = (regionCode: string): Expression<SqlBool> =>
  sql<SqlBool>`(${withinRegion('f.region_code', regionCode)} OR (f.village_code IS NOT NULL AND ${withinRegion('f.village_code', regionCode)}))`;

/**
 * Fairs, their employers and postings, attendees and intentions. Only this file speaks SQL for
 * them; the registry's cards are read here by blind index (the one lookup a door registration
 * needs), never decrypted. Identifier indexes travel as hex text and are decoded in SQL.
 */

export interface FairColumns {
  title: string;
  mode: string;
  heldOn: string;
  /** Online fairs: the last day applications are taken (null: the day it is held). */
  endsOn: string | null;
  regionCode: string;
  placeRegionCode: string;
  address: string | null;
  villageCode: string | null;
  organiserName: string | null;
}

export interface FairRow {
  id: string;
  title: string;
  mode: string;
  held_on: string;
  ends_on: string | null;
  region_code: string;
  region_name: string;
  place_region_code: string;
  place_region_name: string;
  address: string | null;
  village_code: string | null;
  village_name: string | null;
  organiser_name: string | null;
  created_by_username: string | null;
  attendees: number;
  poor_attendees: number;
  intentions: number;
  poor_intentions: number;
  hires: number;
  total?: string;
}

/** The article's figures of one fair (f): attendees, poor ones, people with an intention, hires. */
const figures = sql`
  LEFT JOIN LATERAL (SELECT count(*)::int AS attendees, (count(*) FILTER (WHERE a.poor))::int AS poor_attendees
    FROM fair_attendee a WHERE a.fair_id = f.id) att ON true
  LEFT JOIN LATERAL (SELECT count(DISTINCT i.attendee_id)::int AS intentions,
      (count(DISTINCT i.attendee_id) FILTER (WHERE a.poor))::int AS poor_intentions,
      (count(DISTINCT i.attendee_id) FILTER (WHERE r.status = 'hired'))::int AS hires
    FROM fair_intention i JOIN fair_attendee a ON a.id = i.attendee_id LEFT JOIN referral r ON r.id = i.referral_id
    WHERE i.fair_id = f.id) itn ON true`;

const columns = sql`f.id, f.title, f.mode, f.held_on::text AS held_on, f.ends_on::text AS ends_on, f.region_code, rr.full_name AS region_name,
  f.place_region_code, pr.full_name AS place_region_name, f.address, f.village_code, vr.full_name AS village_name,
  f.organiser_name, acc.username AS created_by_username,
  coalesce(att.attendees, 0) AS attendees, coalesce(att.poor_attendees, 0) AS poor_attendees,
  coalesce(itn.intentions, 0) AS intentions, coalesce(itn.poor_intentions, 0) AS poor_intentions, coalesce(itn.hires, 0) AS hires`;
const joins = sql`fair f JOIN region rr ON rr.code = f.region_code JOIN region pr ON pr.code = f.place_region_code
  LEFT JOIN region vr ON vr.code = f.village_code LEFT JOIN account acc ON acc.id = f.created_by ${figures}`;

export async function insertFair(db: DbOrTx, c: FairColumns, by: string | null): Promise<string> {
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO fair (title, mode, held_on, ends_on, region_code, place_region_code, address, village_code, organiser_name, created_by)
    VALUES (${c.title}, ${c.mode}, ${c.heldOn}, ${c.endsOn}, ${c.regionCode}, ${c.placeRegionCode}, ${c.address}, ${c.villageCode}, ${c.organiserName}, ${by})
    RETURNING id`.execute(db);
  return rows[0]!.id;
}

/** Adds employers and postings (and the postings' employers); returns the ids that do not exist. */
export async function addParticipants(
  db: DbOrTx,
  fairId: string,
  employerIds: string[],
  postingIds: string[],
): Promise<{ missingEmployers: string[]; missingPostings: string[] }> {
  const { rows: employers } = await sql<{ id: string }>`SELECT id FROM employer WHERE id = ANY(${employerIds}::bigint[])`.execute(db);
  const { rows: postings } = await sql<{
    id: string;
    employer_id: string;
  }>`SELECT id, employer_id FROM posting WHERE id = ANY(${postingIds}::bigint[])`.execute(db);
  const foundE = new Set(employers.map((r) => String(r.id)));
  const foundP = new Set(postings.map((r) => String(r.id)));
  const missingEmployers = employerIds.filter((id) => !foundE.has(id));
  const missingPostings = postingIds.filter((id) => !foundP.has(id));
  if (missingEmployers.length || missingPostings.length) return { missingEmployers, missingPostings };
  const allEmployers = [...new Set([...employerIds, ...postings.map((p) => String(p.employer_id))])];
  await sql`INSERT INTO fair_employer (fair_id, employer_id) SELECT ${fairId}, unnest(${allEmployers}::bigint[]) ON CONFLICT DO NOTHING`.execute(
    db,
  );
  await sql`INSERT INTO fair_posting (fair_id, posting_id) SELECT ${fairId}, unnest(${postingIds}::bigint[]) ON CONFLICT DO NOTHING`.execute(
    db,
  );
  return { missingEmployers, missingPostings };
}

export async function findFair(db: DbOrTx, id: string, scope: Expression<SqlBool>): Promise<FairRow | undefined> {
  const { rows } = await sql<FairRow>`SELECT ${columns} FROM ${joins} WHERE f.id = ${id} AND ${scope}`.execute(db);
  return rows[0];
}

/** Serialises door registrations of one fair (two desks at the same door), so de-duplication is exact. */
export async function lockFair(db: DbOrTx, id: string): Promise<void> {
  await sql`SELECT id FROM fair WHERE id = ${id} FOR UPDATE`.execute(db);
}

export interface FairFilter {
  scope: Expression<SqlBool>;
  region?: string;
  from?: string;
  to?: string;
  mode?: string;
  limit: number;
  offset: number;
}

const filterSql = (f: Omit<FairFilter, 'limit' | 'offset'>) => sql`${f.scope}
  AND ${f.region ? sql`(${withinRegion('f.region_code', f.region)} OR ${withinRegion('f.village_code', f.region)})` : UNSCOPED}
  AND (${f.from ?? null}::date IS NULL OR f.held_on >= ${f.from ?? null}::date)
  AND (${f.to ?? null}::date IS NULL OR f.held_on <= ${f.to ?? null}::date)
  AND (${f.mode ?? null}::text IS NULL OR f.mode = ${f.mode ?? null})`;

export async function listFairs(db: DbOrTx, f: FairFilter): Promise<{ rows: FairRow[]; total: number }> {
  const { rows } = await sql<FairRow>`SELECT ${columns}, count(*) OVER () AS total FROM ${joins}
    WHERE ${filterSql(f)} ORDER BY f.held_on DESC, f.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}

/** Every fair of the filter with its figures (the results table sums them). */
export async function results(db: DbOrTx, f: Omit<FairFilter, 'limit' | 'offset'>): Promise<FairRow[]> {
  const { rows } = await sql<FairRow>`SELECT ${columns} FROM ${joins} WHERE ${filterSql(f)} ORDER BY f.held_on DESC, f.id DESC`.execute(db);
  return rows;
}

export async function fairEmployers(db: DbOrTx, fairId: string): Promise<{ id: string; name: string }[]> {
  const { rows } = await sql<{
    id: string;
    name: string;
  }>`SELECT e.id, e.name FROM fair_employer fe JOIN employer e ON e.id = fe.employer_id
    WHERE fe.fair_id = ${fairId} ORDER BY e.name, e.id`.execute(db);
  return rows;
}

export interface FairPostingRow {
  id: string;
  title: string;
  employer_id: string;
  employer_name: string;
  work_region_code: string;
  wage_min: number;
  wage_max: number;
  headcount: number;
  filled: number;
}

export async function fairPostings(db: DbOrTx, fairId: string): Promise<FairPostingRow[]> {
  const { rows } =
    await sql<FairPostingRow>`SELECT p.id, p.title, p.employer_id, e.name AS employer_name, p.work_region_code, p.wage_min, p.wage_max,
      p.headcount, p.filled
    FROM fair_posting fp JOIN posting p ON p.id = fp.posting_id JOIN employer e ON e.id = p.employer_id
    WHERE fp.fair_id = ${fairId} ORDER BY e.name, p.id`.execute(db);
  return rows;
}

export async function isFairPosting(db: DbOrTx, fairId: string, postingId: string): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM fair_posting WHERE fair_id = ${fairId} AND posting_id = ${postingId}`.execute(db);
  return rows.length > 0;
}

export interface CardRow
  extends Pick<
    TableRow<'laborer'>,
    'id' | 'id_index' | 'phone_index' | 'name' | 'id_masked' | 'home_village_code' | 'poverty_status' | 'deleted_at' | 'merged_into'
  > {
  village_name: string;
}

const cardColumns = sql`l.id, l.id_index, l.phone_index, l.name, l.id_masked, l.home_village_code, r.full_name AS village_name,
  l.poverty_status, l.deleted_at, l.merged_into`;

/**
 * The registry cards these blind indexes name: by ID index (one unique index probe each, retired
 * cards included so a merged duplicate leads to its survivor) and by phone index (current cards).
 */
export async function cardsByIndex(db: DbOrTx, idHexes: string[], phoneHexes: string[]): Promise<CardRow[]> {
  if (!idHexes.length && !phoneHexes.length) return [];
  const { rows } = await sql<CardRow>`SELECT ${cardColumns} FROM laborer l JOIN region r ON r.code = l.home_village_code
    WHERE l.id_index = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest(${idHexes}::text[]) x))
    UNION ALL
    SELECT ${cardColumns} FROM laborer l JOIN region r ON r.code = l.home_village_code
    WHERE l.phone_index = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest(${phoneHexes}::text[]) x)) AND l.deleted_at IS NULL`.execute(db);
  return rows;
}

export async function cardsById(db: DbOrTx, ids: string[]): Promise<CardRow[]> {
  if (!ids.length) return [];
  const { rows } = await sql<CardRow>`SELECT ${cardColumns} FROM laborer l JOIN region r ON r.code = l.home_village_code
    WHERE l.id = ANY(${ids}::bigint[])`.execute(db);
  return rows;
}

export interface ExistingAttendee {
  id: string;
  laborer_id: string | null;
  id_hex: string | null;
  phone_hex: string | null;
}

/** The fair's attendees already registered under any of these keys. */
export async function existingAttendees(
  db: DbOrTx,
  fairId: string,
  laborerIds: string[],
  idHexes: string[],
  phoneHexes: string[],
): Promise<ExistingAttendee[]> {
  const { rows } =
    await sql<ExistingAttendee>`SELECT id, laborer_id, encode(id_index, 'hex') AS id_hex, encode(phone_index, 'hex') AS phone_hex
    FROM fair_attendee WHERE fair_id = ${fairId} AND (
      laborer_id = ANY(${laborerIds}::bigint[])
      OR id_index = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest(${idHexes}::text[]) x))
      OR phone_index = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest(${phoneHexes}::text[]) x)))`.execute(db);
  return rows;
}

export interface NewAttendee {
  laborerId: string | null;
  idHex: string | null;
  idMasked: string | null;
  phoneHex: string | null;
  phoneMasked: string | null;
  poor: boolean;
}

/** One INSERT for the whole batch (arrays unnested); returns each new row's id with its keys. */
export async function insertAttendees(db: DbOrTx, fairId: string, by: string | null, rows: NewAttendee[]): Promise<ExistingAttendee[]> {
  if (!rows.length) return [];
  const col = <K extends keyof NewAttendee>(k: K) => rows.map((r) => r[k]);
  const { rows: inserted } =
    await sql<ExistingAttendee>`INSERT INTO fair_attendee (fair_id, laborer_id, id_index, id_masked, phone_index, phone_masked, poor, registered_by)
    SELECT ${fairId}, t.laborer_id, decode(t.id_hex, 'hex'), t.id_masked, decode(t.phone_hex, 'hex'), t.phone_masked, t.poor, ${by}
    FROM unnest(${col('laborerId')}::bigint[], ${col('idHex')}::text[], ${col('idMasked')}::text[], ${col('phoneHex')}::text[],
      ${col('phoneMasked')}::text[], ${col('poor')}::boolean[]) WITH ORDINALITY AS t(laborer_id, id_hex, id_masked, phone_hex, phone_masked, poor, n)
    ORDER BY t.n
    RETURNING id, laborer_id, encode(id_index, 'hex') AS id_hex, encode(phone_index, 'hex') AS phone_hex`.execute(db);
  return inserted;
}

export interface AttendeeRow {
  id: string;
  id_masked: string | null;
  phone_masked: string | null;
  poor: boolean;
  online: boolean;
  registered_at: Date;
  laborer_id: string | null;
  laborer_name: string | null;
  laborer_id_masked: string | null;
  home_village_code: string | null;
  village_name: string | null;
  poverty_status: string | null;
  total?: string;
}

export async function listAttendees(
  db: DbOrTx,
  fairId: string,
  f: { poor?: boolean; limit: number; offset: number },
): Promise<{ rows: AttendeeRow[]; total: number }> {
  const { rows } =
    await sql<AttendeeRow>`SELECT a.id, a.id_masked, a.phone_masked, a.poor, a.online, a.registered_at, a.laborer_id, l.name AS laborer_name,
      l.id_masked AS laborer_id_masked, l.home_village_code, r.full_name AS village_name, l.poverty_status, count(*) OVER () AS total
    FROM fair_attendee a LEFT JOIN laborer l ON l.id = a.laborer_id LEFT JOIN region r ON r.code = l.home_village_code
    WHERE a.fair_id = ${fairId} AND (${f.poor ?? null}::boolean IS NULL OR a.poor = ${f.poor ?? null})
    ORDER BY a.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}

export async function findAttendee(
  db: DbOrTx,
  fairId: string,
  attendeeId: string,
): Promise<{ id: string; laborer_id: string | null; poor: boolean } | undefined> {
  const { rows } = await sql<{ id: string; laborer_id: string | null; poor: boolean }>`SELECT id, laborer_id, poor FROM fair_attendee
    WHERE id = ${attendeeId} AND fair_id = ${fairId}`.execute(db);
  return rows[0];
}

export interface IntentionRow {
  id: string;
  attendee_id: string;
  posting_id: string;
  posting_title: string;
  employer_name: string;
  referral_id: string | null;
  referral_status: string | null;
}

export async function intentionsOf(db: DbOrTx, attendeeIds: string[]): Promise<IntentionRow[]> {
  if (!attendeeIds.length) return [];
  const { rows } = await sql<IntentionRow>`SELECT i.id, i.attendee_id, i.posting_id, p.title AS posting_title, e.name AS employer_name,
      i.referral_id, rf.status AS referral_status
    FROM fair_intention i JOIN posting p ON p.id = i.posting_id JOIN employer e ON e.id = p.employer_id LEFT JOIN referral rf ON rf.id = i.referral_id
    WHERE i.attendee_id = ANY(${attendeeIds}::bigint[]) ORDER BY i.id`.execute(db);
  return rows;
}

/** A new intention, or undefined when the attendee already has one for the posting. */
export async function insertIntention(
  db: DbOrTx,
  i: { fairId: string; attendeeId: string; postingId: string; referralId: string | null; by: string | null },
): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`INSERT INTO fair_intention (fair_id, attendee_id, posting_id, referral_id, created_by)
    VALUES (${i.fairId}, ${i.attendeeId}, ${i.postingId}, ${i.referralId}, ${i.by}) ON CONFLICT (attendee_id, posting_id) DO NOTHING RETURNING id`.execute(
    db,
  );
  return rows[0]?.id;
}

export interface SeekerRow {
  id: string;
  name: string;
  sex: string;
  id_masked: string;
  phone_masked: string | null;
  willingness: string;
  attended: boolean;
  total?: string;
}

/** The village's job seekers (the matching demand list's rule), and whether each came to this fair. */
export async function villageSeekers(
  db: DbOrTx,
  fairId: string,
  villageCode: string,
  limit: number,
): Promise<{ rows: SeekerRow[]; total: number }> {
  const { rows } = await sql<SeekerRow>`SELECT l.id, l.name, l.sex, l.id_masked, l.phone_masked, l.willingness,
      EXISTS (SELECT 1 FROM fair_attendee a WHERE a.fair_id = ${fairId} AND a.laborer_id = l.id) AS attended, count(*) OVER () AS total
    FROM laborer l
    WHERE l.home_village_code = ${villageCode} AND l.deleted_at IS NULL AND l.employment_status = 'unemployed' AND l.labor_capacity IN ('full', 'partial')
    ORDER BY l.id LIMIT ${limit}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}

export async function regionExists(db: DbOrTx, code: string): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM region WHERE code = ${code}`.execute(db);
  return rows.length > 0;
}

export async function setIntentionReferral(db: DbOrTx, id: string, referralId: string): Promise<void> {
  await sql`UPDATE fair_intention SET referral_id = ${referralId} WHERE id = ${id}`.execute(db);
}

/**
 * Counts `n` more door lookups for the account in the current minute and China-time day, and
 * returns both totals. The UPSERT locks the account's two rows until the transaction ends, so
 * concurrent desks of one account are counted exactly; windows older than a day are dropped.
 */
export async function countLookups(db: DbOrTx, accountId: string, n: number): Promise<{ minute: number; day: number }> {
  await sql`DELETE FROM fair_lookup_window WHERE account_id = ${accountId} AND window_start < now() - interval '2 days'`.execute(db);
  const { rows } = await sql<{ span: 'minute' | 'day'; lookups: number }>`
    INSERT INTO fair_lookup_window AS w (account_id, span, window_start, lookups)
    VALUES (${accountId}, 'minute', date_trunc('minute', now()), ${n}),
           (${accountId}, 'day', date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai', ${n})
    ON CONFLICT (account_id, span, window_start) DO UPDATE SET lookups = w.lookups + EXCLUDED.lookups
    RETURNING span, lookups`.execute(db);
  return { minute: rows.find((r) => r.span === 'minute')!.lookups, day: rows.find((r) => r.span === 'day')!.lookups };
}

// Online fairs a laborer joins from the mobile page (issue 19 item 6).

export interface OnlineFairRow {
  id: string;
  title: string;
  mode: string;
  held_on: string;
  /** The last day applications are taken (held_on when the fair did not set one). */
  last_day: string;
  region_name: string;
  organiser_name: string | null;
  postings: number;
  joined: boolean;
}

const onlineColumns = (laborerId: string) => sql`f.id::text AS id, f.title, f.mode, f.held_on::text AS held_on,
  coalesce(f.ends_on, f.held_on)::text AS last_day, rr.full_name AS region_name, f.organiser_name,
  (SELECT count(*)::int FROM fair_posting fp WHERE fp.fair_id = f.id) AS postings,
  EXISTS (SELECT 1 FROM fair_attendee a WHERE a.fair_id = f.id AND a.laborer_id = ${laborerId}) AS joined`;

/**
 * A fair is a laborer's to join when it is organised for a region that holds their home village
 * (a fair held at a village's door: that village only) — the fair's own region scope, seen from
 * the laborer's side.
 */
const forVillage = (villageCode: string) => sql<SqlBool>`(${villageCode} >= f.region_code AND ${villageCode} < f.region_code || '~'
  AND (f.village_code IS NULL OR f.village_code = ${villageCode}))`;

/** The online fairs of the laborer's region that have not ended, soonest first. */
export async function onlineFairsFor(db: DbOrTx, laborerId: string, villageCode: string, today: string, limit: number) {
  const { rows } = await sql<OnlineFairRow>`SELECT ${onlineColumns(laborerId)} FROM fair f JOIN region rr ON rr.code = f.region_code
    WHERE f.mode = 'online' AND coalesce(f.ends_on, f.held_on) >= ${today}::date AND ${forVillage(villageCode)}
    ORDER BY f.held_on, f.id LIMIT ${limit}`.execute(db);
  return rows;
}

/** One fair of the laborer's region (online or not: the caller says why it cannot be joined); locked when asked. */
export async function fairForLaborer(db: DbOrTx, fairId: string, laborerId: string, villageCode: string, lock = false) {
  const { rows } = await sql<OnlineFairRow>`SELECT ${onlineColumns(laborerId)} FROM fair f JOIN region rr ON rr.code = f.region_code
    WHERE f.id = ${fairId} AND ${forVillage(villageCode)} ${lock ? sql`FOR UPDATE OF f` : sql``}`.execute(db);
  return rows[0];
}

/** The fair's posting ids, for the phone (bounded). */
export async function fairPostingIds(db: DbOrTx, fairId: string, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`SELECT posting_id::text AS id FROM fair_posting WHERE fair_id = ${fairId}
    ORDER BY posting_id LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

/** The postings of the fair this laborer has applied to (an intention of their attendee row). */
export async function appliedFairPostings(db: DbOrTx, fairId: string, laborerId: string): Promise<Set<string>> {
  const { rows } = await sql<{
    id: string;
  }>`SELECT i.posting_id::text AS id FROM fair_intention i JOIN fair_attendee a ON a.id = i.attendee_id
    WHERE i.fair_id = ${fairId} AND a.laborer_id = ${laborerId}`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/** The laborer's attendee row of the fair (a door registration or an earlier online one), or a new online one. */
export async function joinOnline(db: DbOrTx, fairId: string, laborerId: string): Promise<{ id: string; created: boolean }> {
  const { rows: found } = await sql<{
    id: string;
  }>`SELECT id::text AS id FROM fair_attendee WHERE fair_id = ${fairId} AND laborer_id = ${laborerId}`.execute(db);
  if (found[0]) return { id: found[0].id, created: false };
  // A registry card is a poor laborer's (建档立卡), as at the door; the card's blind index and masked
  // number stand for the identifier a desk would have typed (a later door registration finds it).
  const { rows } = await sql<{ id: string }>`INSERT INTO fair_attendee (fair_id, laborer_id, id_index, id_masked, poor, online)
    SELECT ${fairId}, l.id, l.id_index, l.id_masked, true, true FROM laborer l WHERE l.id = ${laborerId} RETURNING id::text AS id`.execute(
    db,
  );
  return { id: rows[0]!.id, created: true };
}

/**
 * 招聘会场次 between two regions (a cooperation agreement, issue 20 item 4): fairs held in the period
 * that one region organised or hosted and that employers of the other region took part in — 济南's
 * employers at a fair in 湘西, or a 湘西 fair held in 济南 with its employers. Each fair once.
 */
export async function fairsBetween(db: DbOrTx, regionA: string, regionB: string, from: string, to: string): Promise<number> {
  const side = (own: string, other: string) => sql<SqlBool>`(
    (${withinRegion('f.region_code', own)} OR ${withinRegion('f.place_region_code', own)})
    AND EXISTS (SELECT 1 FROM fair_employer fe JOIN employer m ON m.id = fe.employer_id
                 WHERE fe.fair_id = f.id AND ${withinRegion('m.region_code', other)}))`;
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM fair f
     WHERE f.held_on BETWEEN ${from}::date AND ${to}::date AND (${side(regionA, regionB)} OR ${side(regionB, regionA)})`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

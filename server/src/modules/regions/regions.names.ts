/**
 * Places given by name (省/市/县/乡/村, as the poverty registry exports them) matched to codes,
 * each level within the one above it, through current and former names (region_former_name).
 * A name that matches no place or more than one is never guessed: the caller gets the candidates
 * to show.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';

/** Province, city, county, township, village: names as written, any of them may be missing. */
export type RegionNamePath = [string?, string?, string?, string?, string?];

export const REGION_NAME_LEVELS = ['省', '市', '县', '乡', '村'] as const;
const CODE_LENGTH = [2, 4, 6, 9, 12];

export interface PlaceCandidate {
  code: string;
  fullName: string;
}

export type ResolvedPlace = { ok: true; code: string } | { ok: false; level: number; message: string; candidates: PlaceCandidate[] };

/** 湖南省 and 湖南 are one name; spaces and full-width forms are typing, not naming. */
export const placeName = (raw: string) => raw.normalize('NFKC').replace(/\s+/g, '');

/**
 * A resolver for one import: `anchor` is the importer's region (a county for a county admin);
 * names above it must be its own ancestors' (or their former names), names below are looked up
 * under it. Answers are cached for the import (a county has a few hundred villages).
 */
export function createRegionNameResolver(anchor: string) {
  const anchorLevel = CODE_LENGTH.indexOf(anchor.length);
  /**
   * `${parent}|${level}` → the places of that level under that parent by name (current and former):
   * a parent's places are read once, by its code range (the primary key), and names matched here.
   * (Looking each name up in SQL let the planner pick the trigram index on names for an equality,
   * which for a three-character village name matched the whole tree: 0.3 s per name.)
   */
  const cache = new Map<string, Map<string, PlaceCandidate[]>>();
  const key = (parent: string, level: number) => `${parent}|${level}`;

  async function lookUp(db: DbOrTx, level: number, parents: string[]) {
    const missing = [...new Set(parents.filter((p) => !cache.has(key(p, level))))];
    if (!missing.length) return;
    const { rows } = await sql<{ parent: string; name: string; code: string; full_name: string }>`
      SELECT p.parent, r.name, r.code, r.full_name
        FROM unnest(${missing}::text[]) AS p(parent)
        JOIN region r ON r.code >= p.parent AND r.code < p.parent || '~' AND r.level = ${level + 1}
      UNION
      SELECT p.parent, f.name, r.code, r.full_name
        FROM unnest(${missing}::text[]) AS p(parent)
        JOIN region r ON r.code >= p.parent AND r.code < p.parent || '~' AND r.level = ${level + 1}
        JOIN region_former_name f ON f.code = r.code`.execute(db);
    for (const parent of missing) cache.set(key(parent, level), new Map());
    for (const r of rows) {
      const byName = cache.get(key(r.parent, level))!;
      const name = placeName(r.name);
      const list = byName.get(name) ?? [];
      if (!list.some((c) => c.code === r.code)) list.push({ code: r.code, fullName: r.full_name });
      byName.set(name, list);
    }
    for (const parent of missing)
      for (const list of cache.get(key(parent, level))!.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  }

  /** The anchor's own ancestors' names (current and former), for the levels above it. */
  let ancestry: Map<number, { code: string; names: Set<string> }> | null = null;
  async function ancestors(db: DbOrTx) {
    if (ancestry) return ancestry;
    const codes = CODE_LENGTH.slice(0, anchorLevel + 1).map((n) => anchor.slice(0, n));
    const { rows } = await sql<{ code: string; name: string }>`
      SELECT code, name FROM region WHERE code = ANY(${codes}::text[])
      UNION SELECT code, name FROM region_former_name WHERE code = ANY(${codes}::text[])`.execute(db);
    ancestry = new Map(
      codes.map((code, level) => [level, { code, names: new Set(rows.filter((r) => r.code === code).map((r) => r.name)) }]),
    );
    return ancestry;
  }

  return {
    /** One answer per path, in order. */
    async resolve(db: DbOrTx, paths: RegionNamePath[]): Promise<ResolvedPlace[]> {
      const above = await ancestors(db);
      const state = paths.map((path) => {
        for (let level = 0; level <= anchorLevel; level++) {
          const name = path[level] ? placeName(path[level]!) : '';
          if (!name) continue;
          const own = above.get(level)!;
          if (!own.names.has(name))
            return {
              parent: anchor,
              parentName: '',
              done: {
                ok: false,
                level,
                message: `${REGION_NAME_LEVELS[level]}名『${name}』不是您管辖范围内的地方（应为『${[...own.names][0] ?? own.code}』）`,
                candidates: [],
              } as ResolvedPlace,
            };
        }
        return { parent: anchor, parentName: '您的管辖范围', done: undefined as ResolvedPlace | undefined };
      });
      for (let level = anchorLevel + 1; level < 5; level++) {
        const wanted: string[] = [];
        paths.forEach((path, i) => {
          if (!state[i]!.done && path[level] && placeName(path[level]!)) wanted.push(state[i]!.parent);
        });
        await lookUp(db, level, wanted);
        paths.forEach((path, i) => {
          const s = state[i]!;
          const name = path[level] ? placeName(path[level]!) : '';
          if (s.done || !name) return;
          const candidates = cache.get(key(s.parent, level))!.get(name) ?? [];
          const within = s.parentName;
          if (candidates.length === 1) {
            s.parent = candidates[0]!.code;
            s.parentName = name;
          } else if (candidates.length === 0)
            s.done = { ok: false, level, message: `${REGION_NAME_LEVELS[level]}名『${name}』在 ${within} 下不存在`, candidates };
          else
            s.done = {
              ok: false,
              level,
              message: `${REGION_NAME_LEVELS[level]}名『${name}』在 ${within} 下有 ${candidates.length} 个：${candidates.map((c) => `${c.fullName}（${c.code}）`).join('；')}，请在文件中写明上一级名称或改填村代码`,
              candidates,
            };
        });
      }
      return state.map((s, i) => {
        if (s.done) return s.done;
        if (s.parent.length !== 12) {
          const given = paths[i]![4];
          return { ok: false, level: 4, message: given ? '村名未能匹配' : '缺少村名', candidates: [] };
        }
        return { ok: true, code: s.parent };
      });
    },
  };
}

/**
 * Seeds former names (a 行政区划变更公告: code, the name it had before): kept under the place's
 * current parent. A name equal to the current one is skipped. Returns how many were added.
 */
export async function recordFormerNames(db: DbOrTx, renamed: { code: string; name: string }[]) {
  if (!renamed.length) return 0;
  const { rows } = await sql<{ code: string }>`
    INSERT INTO region_former_name (code, name, parent_code)
    SELECT g.code, r.name, g.parent_code
      FROM jsonb_to_recordset(${JSON.stringify(renamed.map((r) => ({ code: r.code, name: placeName(r.name) })))}::jsonb) AS r(code text, name text)
      JOIN region g ON g.code = r.code AND g.name <> r.name
    ON CONFLICT (code, name) DO NOTHING
    RETURNING code`.execute(db);
  return rows.length;
}

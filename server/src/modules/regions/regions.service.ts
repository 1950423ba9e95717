import type { DbOrTx } from '../../db/database.ts';
import { REGION_LEVELS, type RegionLevel } from '../../../../contracts/common.ts';
import type { Region, RegionDetail } from '../../../../contracts/regions.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './regions.repo.ts';
import type { RegionRecord } from './regions.repo.ts';

/** The region tree is public reference data (统计用区划代码): reading it needs a session but no scope. */
export const levelName = (level: number): RegionLevel => REGION_LEVELS[level - 1];
export const levelNumber = (level: RegionLevel): number => REGION_LEVELS.indexOf(level) + 1;

/** Codes of the ancestors of a code, from the province down (43, 4305, 430522 for 430522107). */
export function ancestorCodes(code: string): string[] {
  return [2, 4, 6, 9].filter((n) => n < code.length).map((n) => code.slice(0, n));
}

export const present = (r: RegionRecord): Region => ({
  code: r.code,
  name: r.name,
  level: levelName(r.level),
  parentCode: r.parentCode,
  fullName: r.fullName,
  hasChildren: r.childCount > 0,
});

export async function getRegion(db: DbOrTx, code: string): Promise<RegionDetail> {
  const region = await repo.findByCode(db, code);
  if (!region) throw new AppError('REGION_NOT_FOUND', `行政区划 ${code} 不存在`);
  const ancestors = await repo.findMany(db, ancestorCodes(code));
  return {
    ...present(region),
    ancestors: ancestors.map((a) => ({ code: a.code, name: a.name, level: levelName(a.level) })),
  };
}

export async function getChildren(db: DbOrTx, code: string): Promise<Region[]> {
  const region = await repo.findByCode(db, code);
  if (!region) throw new AppError('REGION_NOT_FOUND', `行政区划 ${code} 不存在`);
  return (await repo.findChildren(db, code)).map(present);
}

export async function getProvinces(db: DbOrTx): Promise<Region[]> {
  return (await repo.findChildren(db, null)).map(present);
}

export async function searchRegions(
  db: DbOrTx,
  q: string,
  options: { level?: RegionLevel; within?: string; limit?: number; preferWithin?: string },
): Promise<Region[]> {
  const cleaned = q.replace(/\s+/g, '');
  if (!cleaned) return [];
  const rows = await repo.search(db, {
    q: cleaned,
    level: options.level ? levelNumber(options.level) : undefined,
    within: options.within,
    preferWithin: options.preferWithin,
    limit: options.limit ?? 20,
  });
  return rows.map(present);
}

/** Region references for presenters: code → {code, name, fullName, level}. */
export async function regionRefs(db: DbOrTx, codes: (string | null)[]) {
  const rows = await repo.findMany(
    db,
    codes.filter((c): c is string => Boolean(c)),
  );
  return new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, fullName: r.fullName, level: levelName(r.level) }]));
}

export async function requireRegion(db: DbOrTx, code: string): Promise<RegionRecord> {
  const region = await repo.findByCode(db, code);
  if (!region) throw new AppError('REGION_NOT_FOUND', `行政区划 ${code} 不存在`);
  return region;
}

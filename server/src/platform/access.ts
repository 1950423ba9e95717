import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Role } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import { AppError } from './errors.ts';

/**
 * Region scope, in one place. A user bound to a region sees that region and everything below,
 * never a sibling (DOMAIN.md, "People who use it").
 *
 * Statistical codes are hierarchical by prefix (43 → 4305 → 430522 → 430522107 → 430522107212;
 * the region loader verifies it), so "code X and everything below" is the half-open range
 * [X, X || '~') on any column holding a region code: one indexed condition, bound as parameters,
 * never spliced into the SQL text ('~' sorts after every digit in the "C" collation).
 */
export function withinRegion(column: string, regionCode: string): Expression<SqlBool> {
  assertCodeShape(regionCode);
  return sql<SqlBool>`(${sql.ref(column)} >= ${regionCode} and ${sql.ref(column)} < ${regionRangeEnd(regionCode)})`;
}

/** The exclusive upper end of a region's subtree range, for in-memory searches over sorted codes. */
export const regionRangeEnd = (regionCode: string): string => regionCode + '~';

/** An optional region filter (a list's `region` parameter): withinRegion when given, else no condition. */
export function withinRegionIfGiven(column: string, regionCode: string | null | undefined): Expression<SqlBool> {
  return regionCode ? withinRegion(column, regionCode) : UNSCOPED;
}

/**
 * "No scope": the condition for a query whose scope was already checked (reading back a row just
 * written or found in scope), for a role whose narrower rule is applied elsewhere, or for a region
 * filter that was not given. Named so that a reader sees the decision, not a bare `true`.
 */
export const UNSCOPED: RawBuilder<SqlBool> = sql<SqlBool>`true`;

export function regionContains(ancestor: string, code: string): boolean {
  return code.startsWith(ancestor);
}

function assertCodeShape(code: string) {
  if (!/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(code)) throw new Error(`not a region code: ${code}`);
}

/** Roles whose data scope is a region subtree (the staff of the output and input areas). */
export const REGION_STAFF_ROLES: readonly Role[] = ['admin', 'township_operator', 'village_officer'];

/**
 * The condition every query of region-bound data applies for this actor, on the given column.
 * Roles without a region scope for such data get a condition that matches nothing; their own
 * domains (a broker's villages, an employer's postings, a laborer's own card) add narrower rules.
 */
export function regionScope(actor: Actor, column: string): Expression<SqlBool> {
  if (REGION_STAFF_ROLES.includes(actor.role)) return withinRegion(column, actor.regionCode);
  return sql<SqlBool>`false`;
}

/** For writes and for region parameters: the region must lie in the actor's subtree. */
export function assertRegionInScope(actor: Actor, regionCode: string): void {
  if (!REGION_STAFF_ROLES.includes(actor.role) && actor.role !== 'auditor') throw new AppError('REGION_OUT_OF_SCOPE');
  if (!regionContains(actor.regionCode, regionCode)) throw new AppError('REGION_OUT_OF_SCOPE');
}

export function canSeeRegion(actor: Actor, regionCode: string): boolean {
  return regionContains(actor.regionCode, regionCode);
}

export const LEVEL_BY_LENGTH: Record<number, number> = { 2: 1, 4: 2, 6: 3, 9: 4, 12: 5 };
export const regionLevelOf = (code: string): number => LEVEL_BY_LENGTH[code.length] ?? 0;

import { type Expression, type RawBuilder, sql, type SqlBool } from 'kysely';

/**
 * A posting on day D, written once (issue 16 item 3, issue 17 item 1): `alias` is the posting's
 * alias, `day` a 'YYYY-MM-DD' China day (bound as a parameter) or an SQL date expression.
 */
type Day = string | Expression<unknown>;
const dayOf = (d: Day) => (typeof d === 'string' ? sql`${d}::date` : d);
const col = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

/** Published and not closed, with D inside its validity (valid_from … valid_to, both days included). */
export const validOn = (alias: string, day: Day): RawBuilder<SqlBool> => {
  const d = dayOf(day);
  return sql<SqlBool>`(${col(alias, 'status')} = 'open' AND ${col(alias, 'valid_from')} <= ${d} AND ${col(alias, 'valid_to')} >= ${d})`;
};

/**
 * On the job supply list (岗位供给清单) on D: valid on D with places left. `filled` is today's
 * count, so for a past D this is the list as it would read now.
 */
export const openOn = (alias: string, day: Day): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${validOn(alias, day)} AND ${col(alias, 'filled')} < ${col(alias, 'headcount')})`;

/** openOn for a posting held in memory (the generator's), days as 'YYYY-MM-DD'. */
export const isOpenOn = (
  p: { status: string; valid_from: string; valid_to: string; filled: number; headcount: number },
  day: string,
): boolean => p.status === 'open' && p.valid_from <= day && p.valid_to >= day && p.filled < p.headcount;

import { sql, type RawBuilder } from 'kysely';

/** The places the demo centres on: the seeds' counties (新邵县, 花垣县, 古丈县), and the province. */
export const DEMO_COUNTIES = ['430522', '433124', '433126'] as const;
export const PROVINCE = '43';

/** The region codes a preset covers, and the condition "column lies in one of them". */
export const areasOf = (preset: 'demo' | 'province'): string[] => (preset === 'demo' ? [...DEMO_COUNTIES] : [PROVINCE]);
export const inAreas = (column: string, areas: string[]): RawBuilder<unknown> =>
  sql`(${sql.join(
    areas.map((a) => sql`starts_with(${sql.ref(column)}, ${a})`),
    sql` OR `,
  )})`;

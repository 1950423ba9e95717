import type { Tx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { StatsService } from '../stats/stats.service.ts';

/** New transfers this year and the year's target per county of a province, as of a date. */
export type TargetSource = (tx: Tx, actor: Actor, province: string, asOf: string) => Promise<Map<string, { newTransfers: number; target: number | null }>>;

/**
 * Target completion from the statistics (modules/stats), never recomputed here: the breakdown of
 * the province by county (newTransfersThisYear, yearTarget). A county is ranked among all the
 * province's counties whoever asks, so the breakdown is asked for at province level — these are
 * counts per county, no personal data — and recorded in the audit log under the caller's name.
 */
export function statsTargetSource(stats: StatsService): TargetSource {
  return async (tx, actor, province, asOf) => {
    const provinceView: Actor = { ...actor, role: 'admin', regionCode: province, regionLevel: 1 };
    const breakdown = await stats.breakdown(tx, provinceView, { region: province, asOf, by: 'county' });
    return new Map(breakdown.children.map((c) => [c.code, { newTransfers: c.newTransfersThisYear, target: c.yearTarget }]));
  };
}

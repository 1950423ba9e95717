import type { Tx } from '../../db/database.ts';
import type { StatsService } from '../stats/index.ts';

/** New transfers this year and the year's target per county of a province, as of a date. */
export type TargetSource = (
  tx: Tx,
  province: string,
  asOf: string,
) => Promise<Map<string, { newTransfers: number; target: number | null }>>;

/**
 * Target completion from the statistics (modules/stats), never recomputed here. A county is
 * ranked among all the province's counties whoever asks, so the statistics' internal per-county
 * counts are read (no personal data); the assessment audits its own view.
 */
export function statsTargetSource(stats: Pick<StatsService, 'countyTransfers'>): TargetSource {
  return (tx, province, asOf) => stats.countyTransfers(tx, province, asOf);
}

/**
 * The stats module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './stats.repo.ts';
export { statsRoutes } from './stats.routes.ts';
export { statsExportRoutes } from './stats.export.routes.ts';
export { createStatsService, type StatsService } from './stats.service.ts';
/** The measures and the rebuild, for the benchmark that compares them. */
export const statsRepo: Pick<typeof repo, 'asOfMeasures' | 'rebuild' | 'straightMeasures' | 'straightMeasuresBy'> = repo;
export type { Measures } from './stats.repo.ts';
/** Folds the statistics' change rows (migration 0038) so reading their total stays cheap: the sweeper's. */
export const foldStatsChanges = repo.foldChanges;

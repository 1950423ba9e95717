/**
 * The matching module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
export { topCandidates } from './engine.ts';
export type { Seeker } from './features.ts';
export { Market } from './market.ts';
export { failInterruptedRuns, postingById } from './matching.repo.ts';
export { matchingRoutes } from './matching.routes.ts';
export { createMatchingService, type MatchingService } from './matching.service.ts';
export { evaluate, INELIGIBLE, tieBreak } from './score.ts';

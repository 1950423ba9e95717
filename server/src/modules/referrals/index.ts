/**
 * The referrals module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './referrals.repo.ts';
export { insertStep } from './referrals.repo.ts';
export { referralRoutes } from './referrals.routes.ts';
export { referralExportRoutes } from './referrals.export.routes.ts';
export { createReferralsService, type HardConditionFailure, type ReferralsService } from './referrals.service.ts';
/** A batch run's suggestions, written by modules/matching in its own transaction. */
export const referralsRepo: Pick<typeof repo, 'insertSuggestions' | 'setSuggestionStatus' | 'supersedeProposals'> = repo;
export type { NewSuggestion } from './referrals.repo.ts';

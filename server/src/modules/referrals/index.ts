/**
 * The referrals module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
export { insertStep } from './referrals.repo.ts';
export { referralRoutes } from './referrals.routes.ts';
export { createReferralsService, type ReferralsService } from './referrals.service.ts';

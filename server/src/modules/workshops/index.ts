/**
 * The workshops module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
export { workshopRoutes } from './workshops.routes.ts';
export { createWorkshopsService } from './workshops.service.ts';
/**
 * A workshop's or base's standing (认定、摘牌, issue 20 item 8), as the subsidy ledger asks it:
 * accredited on a day, and accredited through a period (modules/subsidies refuses a workshop
 * subsidy otherwise). The one reading of the standing tables outside this module.
 */
export { accreditationThrough, isAccreditedOn } from './standing.service.ts';

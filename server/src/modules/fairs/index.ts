/**
 * The fairs module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './fairs.repo.ts';
export { fairRoutes } from './fairs.routes.ts';
/** 招聘会场次 of a cooperation agreement (modules/agreements). */
export { fairsBetween } from './fairs.repo.ts';
export { fairExportRoutes } from './fairs.export.routes.ts';
export { createFairsService, type FairsService } from './fairs.service.ts';
/** Fair participants and attendees written by the generator. */
export const fairsRepo: Pick<typeof repo, 'addParticipants' | 'insertAttendees'> = repo;

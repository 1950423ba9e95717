/**
 * The service-records module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './service-records.repo.ts';
export { personTimes } from './service-records.repo.ts';
/** Distinct laborers served per kind in a period (a cooperation agreement's 培训人数, modules/agreements). */
export { personsServed } from './service-records.repo.ts';
/** The training records of a finished training class, and a certificate issued later (modules/training). */
export { insertClassTraining, setClassTrainingCertificate } from './service-records.repo.ts';
/** The service records as the exchange feed gives them (modules/exchange). */
export { forExchange as serviceRecordsForExchange } from './service-records.repo.ts';
export { serviceRecordRoutes } from './service-records.routes.ts';
export { serviceRecordExportRoutes } from './service-records.export.routes.ts';
export { createServiceRecordsService } from './service-records.service.ts';
/** A merge's carry-over (registry/duplicates.service.ts), in the merge's transaction. */
export const serviceRecordsRepo: Pick<typeof repo, 'carryToCard'> = repo;

/**
 * The service-records module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
export { personTimes } from './service-records.repo.ts';
export { serviceRecordRoutes } from './service-records.routes.ts';
export { createServiceRecordsService } from './service-records.service.ts';

/**
 * The brokers module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
export { brokerTableCorrelated } from './brokers.repo.ts';
export { brokerRoutes } from './brokers.routes.ts';
export { brokerExportRoutes } from './brokers.export.routes.ts';
export { assertBrokerCovers, type BrokersService, createBrokersService } from './brokers.service.ts';

/**
 * The assessment module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
export { assessmentRoutes } from './assessment.routes.ts';
export { type AssessmentService, createAssessmentService } from './assessment.service.ts';

/**
 * The training module's public face (职业培训班, issue 20 item 5): what the app and the generator
 * may use of it. Nothing else of the module is imported from outside it.
 */
export { trainingRoutes } from './training.routes.ts';
export { createTrainingService, requiredHours } from './training.service.ts';

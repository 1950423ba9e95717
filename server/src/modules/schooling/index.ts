/**
 * The schooling module's public face (issue 20 item 4): 两后生 school enrolments. Nothing else of
 * the module is imported from outside it.
 */
export { schoolingRoutes } from './schooling.routes.ts';
export { createSchoolingService, type SchoolingService } from './schooling.service.ts';
/** 招收贫困家庭学生 of a cooperation agreement (modules/agreements). */
export { studentsEnrolled } from './schooling.repo.ts';

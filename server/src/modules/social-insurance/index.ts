/**
 * The social-insurance comparison's public face (issue 21 item 2): the service (the workbench and
 * the assessment read its counts), its routes, and the working-day deadline it sets.
 */
export { MAX_CONTRIBUTION_FILE_BYTES, socialInsuranceRoutes } from './social-insurance.routes.ts';
export {
  createSocialInsuranceService,
  LINE_BATCH,
  REVIEW_WORKING_DAYS,
  type SocialInsuranceService,
} from './social-insurance.service.ts';

/** The social-insurance comparison (issue 21 item 2): paths, roles and types from contracts/. */
export { SI_COMPARISONS_PATH, SI_REVIEWS_PATH } from '../../../contracts/paths.ts';
export { SI_OUTCOME, SI_REVIEW_FILTER } from '../../../contracts/social-insurance.ts';
export type { AcceptReviewInput, Comparison, Review } from '../../../contracts/social-insurance.ts';
export { SI_IMPORTER_ROLES, SI_REVIEWER_ROLES } from './roles.ts';

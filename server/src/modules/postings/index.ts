/**
 * The postings module's public face (issue 17 item 1): what other modules and the generator may
 * use of it.
 */
export { isOpenOn, openOn, validOn } from './open-on.ts';
export type { PostingsService } from './postings.service.ts';
export { postingRoutes } from './postings.routes.ts';
export { createPostingsService, openPostingCounts, postingState } from './postings.service.ts';

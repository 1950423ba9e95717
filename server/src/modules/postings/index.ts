/**
 * The postings module's public face (issue 17 item 1): what other modules and the generator may
 * use of it.
 */
import * as repo from './postings.repo.ts';
export { isOpenOn, openOn, validOn } from './open-on.ts';
export type { PostingsService } from './postings.service.ts';
export { postingRoutes } from './postings.routes.ts';
export { createPostingsService, openPostingCounts, postingState } from './postings.service.ts';
/** The reserved posts (就业扶贫专岗) employers had published by a day: the designated enterprises' table (modules/workshops). */
export { reservedPostsBy } from './postings.repo.ts';
/**
 * Posting titles for the audit log; insert and list for the generator's demo postings; a hire's
 * opening taken (modules/referrals, in the hire's transaction).
 */
export const postingsRepo: Pick<typeof repo, 'insert' | 'list' | 'takeOpening' | 'titlesOf'> = repo;
/** The postings import's kind (platform/import-job.ts runs it; app.ts wires it). */
export { POSTING_IMPORT_COLUMNS, postingImportKind } from './postings.import.ts';

/**
 * The accounts module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './accounts.repo.ts';
export { deleteIdleSessions, deleteStaleLoginThrottles } from './accounts.repo.ts';
export { accountRoutes } from './accounts.routes.ts';
export { ARGON2_OPTIONS, createAccountsService, hashPassword } from './accounts.service.ts';
export { authRoutes, SESSION_COOKIE } from './auth.routes.ts';
export { actorOf, createAuthService, toActor } from './auth.service.ts';
/**
 * Accounts by id and name: the audit log's names, an import's owner, the generator's and the CLI's
 * look-ups; the generator's demo employer account linked to its employer; a village's officers
 * (the returnees list's responsible person, modules/employment).
 */
export const accountsRepo: Pick<
  typeof repo,
  'findById' | 'findByUsername' | 'linkUnlinkedAccount' | 'namesOf' | 'usernameExists' | 'usernamesNamed' | 'villageOfficersOf'
> = repo;

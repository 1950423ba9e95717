/**
 * The employers module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './employers.repo.ts';
export { creditCodeCheckChar, parseCreditCode } from './credit-code.ts';
export type { DesignatedEmployer, EmployerRecord } from './employers.repo.ts';
/** The designated receiving enterprises (定点接收单位) on a day, for their table (modules/workshops). */
export { designatedOn as designatedEmployersOn } from './employers.repo.ts';
export { employerRoutes } from './employers.routes.ts';
export { createEmployersService, EMPLOYER_READERS, employerRefs, findEmployer, ownEmployerId } from './employers.service.ts';
/**
 * Employers by id, for the audit log's names and the generator's demo employers; a workshop's
 * planned posts (modules/workshops, in its transaction).
 */
export const employersRepo: Pick<typeof repo, 'findByCreditCode' | 'findById' | 'findMany' | 'insert' | 'setPosts'> = repo;

/**
 * The agreements module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './agreements.repo.ts';
export { activeAgreementPairs, type AgreementColumns, type AgreementPair, type CommitmentRecord } from './agreements.repo.ts';
export { agreementRoutes } from './agreements.routes.ts';
export { createAgreementsService } from './agreements.service.ts';
/** Agreements written by the generator. */
export const agreementsRepo: Pick<typeof repo, 'findSame' | 'insert' | 'replaceCommitments'> = repo;

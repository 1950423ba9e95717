/**
 * The subsidies module's public face (issue 17 item 1): what other modules, the app, tasks, the
 * generator, the CLI and the benchmarks may use of it. Nothing else of the module is imported from outside it.
 */
import * as repo from './subsidies.repo.ts';
export { personsByKind } from './subsidies.repo.ts';
/** The free-travel subsidy of 就业直通车 (modules/travel): the draft of a trip's riders, and the ledger's totals per trip. */
export { draftTripSubsidies, tripSubsidyTotals } from './subsidies.repo.ts';
/** 购买服务 (modules/brokers): a contract's kept placements drafted as the broker's pay, each once ever; their payments. */
export { brokerPayments, draftBrokerPay } from './subsidies.repo.ts';
/** The training subsidy (职业培训补贴) of a training class (modules/training): the draft for those who finished, and the ledger's view of it. */
export { classSubsidyTotals, classTrainingSubsidies, draftClassTrainingSubsidies } from './subsidies.repo.ts';
/** 公益性岗位's monthly pay (modules/public-welfare): a person's month drafted once; the drafts' statuses. */
export { draftPublicWelfarePay, statusesOf as subsidyStatuses } from './subsidies.repo.ts';
/** The subsidies as the exchange feed gives them (modules/exchange). */
export { forExchange as subsidiesForExchange } from './subsidies.repo.ts';
export { subsidyRoutes } from './subsidies.routes.ts';
export { subsidyExportRoutes } from './subsidies.export.routes.ts';
export { createSubsidiesService, type SubsidiesService } from './subsidies.service.ts';
/** 补贴代发 (issue 21 item 6). */
export { subsidyPaymentRoutes } from './subsidies.payments.routes.ts';
export { createSubsidyPaymentsService } from './subsidies.payments.service.ts';
/** A merge's carry-over (registry/duplicates.service.ts), in the merge's transaction; the retention candidates for the benchmark. */
export const subsidiesRepo: Pick<
  typeof repo,
  'carryToCard' | 'overlapsBetween' | 'personsByKind' | 'retentionCandidates' | 'retentionEligible' | 'retentionForLaborer'
> = repo;

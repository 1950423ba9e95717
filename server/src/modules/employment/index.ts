/**
 * The employment module's public face (issue 17 item 1): what other modules and the generator may
 * use of it. The rules are written once here — "open on day D" and "retained after N months" with
 * its subjects (DOMAIN.md) — and every figure that needs them builds its SQL from these.
 */
import * as repo from './employment.repo.ts';
export {
  type Day,
  checkDay,
  confirmedIn,
  earnedIn,
  type EvidenceKind,
  isOpenOn,
  KEPT_MONTHS_MAX,
  keptAfter,
  keptMonths,
  openOn,
  placedBy,
  monthsWorkedIn,
  newTransferOf,
  type RetentionSubject,
  retainedAfter,
  wageDaysIn,
  wageDaysOf,
  workedIn,
} from './rules.ts';
import { hasOpenEmployment, jobsWorkedIn, openOnDay } from './employment.repo.ts';
export { hasOpenEmployment, jobsWorkedIn, openOnDay };
/** Every job of some people, as spans and wages: the households' derived state (modules/households). */
export { jobSpansOf } from './employment.repo.ts';
/** Issue 21 item 3: verified employment and confirmed new transfers of groups of people, one SQL for all groups (stats, assessment). */
export { type ConfirmedEmployment, confirmedEmploymentBy, confirmedTransfersBy } from './employment.repo.ts';
/** Jobs started since a day, for the school leavers' later work (modules/schooling). */
export { jobsStartedFrom } from './employment.repo.ts';
/** Jobs started at some employers by a day, for the designated enterprises' table (modules/workshops). */
export { jobsStartedAt } from './employment.repo.ts';
/** Who is employed at an employer on a day: a base's visit roster, an accreditation's count (modules/workshops). */
export { employedAt } from './employment.repo.ts';
/** Confirmations written many at once, one kind and day (the social-insurance comparison, modules/social-insurance). */
export { addEvidenceFrom as recordEvidenceFrom } from './employment.repo.ts';
/** The jobs as the exchange feed gives them (modules/exchange). */
export { forExchange as employmentsForExchange } from './employment.repo.ts';
/** The jobs open on a day, as the registry reads them (its EmploymentFacts, wired in app.ts). */
export const employmentFacts = { openOnDay, hasOpenEmployment };
export type { EmploymentService } from './employment.service.ts';
export type { RetentionService } from './retention.service.ts';
export { employmentRoutes } from './employment.routes.ts';
export { createEmploymentService } from './employment.service.ts';
export { employmentContact, employmentEmployer } from './retention.repo.ts';
export { retentionRoutes } from './retention.routes.ts';
export { createRetentionService } from './retention.service.ts';
/** A merge's carry-over (registry/duplicates.service.ts), in the merge's transaction. */
export const employmentRepo: Pick<typeof repo, 'carryToCard' | 'overlapsBetween'> = repo;
/** The employment records import's kind (platform/import-job.ts runs it; app.ts wires it). */
export { EMPLOYMENT_IMPORT_COLUMNS, employmentImportKind } from './employment.import.ts';

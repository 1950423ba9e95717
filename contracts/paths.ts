/**
 * The API's paths that the console calls, shared by both sides: the server declares its routes on
 * them (`${FAIRS_PATH}/:id`) and the console's clients (web/src/api) build their requests from them,
 * so a path is written once. The console keeps its own short names where it had them.
 */

// accounts
/** The session's account (the console asks for it first, before its scripts have run). */
export const ME_PATH = '/api/v1/auth/me';

// employers
export const EMPLOYERS_PATH = '/api/v1/employers';

// postings
export const POSTINGS_PATH = '/api/v1/postings';

// agreements
export const AGREEMENTS_PATH = '/api/v1/agreements';

// fairs
export const FAIRS_PATH = '/api/v1/fairs';
export const FAIR_RESULTS_PATH = '/api/v1/fairs/results';

// referrals
export const REFERRALS_PATH = '/api/v1/referrals';
export const REFERRALS_EXPORT_PATH = '/api/v1/referrals/export';

// matching
export const MATCHING_DEMAND_PATH = '/api/v1/matching/demand';
export const MATCHING_SUPPLY_PATH = '/api/v1/matching/supply';
export const MATCHING_RUNS_PATH = '/api/v1/matching/runs';

// sms
export const SMS_CAMPAIGNS_PATH = '/api/v1/sms/campaigns';
export const SMS_PREVIEW_PATH = '/api/v1/sms/preview';
export const SMS_FIELDS_PATH = '/api/v1/sms/fields';
export const SMS_INBOX_PATH = '/api/v1/sms/inbox';

// brokers
export const BROKER_TABLE_EXPORT_PATH = '/api/v1/brokers/table/export';
export const BROKER_CONTRACTS_PATH = '/api/v1/brokers/contracts';
/** 购买服务 (issue 20 item 6): `${BROKER_CONTRACTS_PATH}/:id/pay`, `…/pay/draft`, `…/pay-terms`. */
export const brokerPayPath = (contractId: string) => `${BROKER_CONTRACTS_PATH}/${contractId}/pay`;

// stats
export const STATS_DRILL_EXPORT_PATH = '/api/v1/stats/drill/export';
/** The statistics page's cards below its two tables (each asked for when scrolled near: first-requests WHEN_NEAR). */
export const STATS_MONTHLY_PATH = '/api/v1/stats/monthly';
export const STATS_VERIFICATION_PATH = '/api/v1/stats/verification';
export const STATS_TARGETS_PATH = '/api/v1/stats/targets';

// teams
export const TEAMS_PATH = '/api/v1/teams';
export const TEAM_RESULTS_PATH = '/api/v1/teams/results';

// travel
export const TRIPS_PATH = '/api/v1/trips';

// training (职业培训班)
export const TRAINING_CLASSES_PATH = '/api/v1/training-classes';
// public-welfare (公益性岗位, issue 20 item 9)
export const PUBLIC_WELFARE_PATH = '/api/v1/public-welfare';

// workshops
export const WORKSHOPS_PATH = '/api/v1/workshops';
export const WORKSHOP_SUMMARY_PATH = '/api/v1/workshops/summary';
/** 定点接收单位's table (issue 20 item 3); the workshops module keeps the employers' programmes. */
export const DESIGNATED_SUMMARY_PATH = '/api/v1/designated-enterprises/summary';

// service-records
export const SERVICE_RECORDS_PATH = '/api/v1/service-records';
export const PERSON_TIMES_PATH = '/api/v1/service-records/person-times';
export const SERVICE_RECORDS_EXPORT_PATH = '/api/v1/service-records/export';

// subsidies
export const SUBSIDIES_PATH = '/api/v1/subsidies';
export const SUBSIDY_SUMMARY_PATH = '/api/v1/subsidies/summary';
export const SUBSIDIES_EXPORT_PATH = '/api/v1/subsidies/export';
export const RETENTION_ELIGIBILITY_PATH = '/api/v1/subsidies/retention/eligibility';
export const RETENTION_DRAFT_PATH = '/api/v1/subsidies/retention/draft';
export const SUBSIDY_APPROVALS_PATH = '/api/v1/subsidies/approvals';
export const SUBSIDY_PAYMENTS_PATH = '/api/v1/subsidies/payments';
export const SUBSIDY_PAYMENT_BATCHES_PATH = '/api/v1/subsidies/payment-batches';

// employment
export const FOLLOW_UP_RECORDS_PATH = '/api/v1/follow-ups/records';

// liaison
export const LIAISON_WORKERS_PATH = '/api/v1/liaison/workers';
export const LIAISON_WORKERS_EXPORT_PATH = '/api/v1/liaison/workers/export';
export const LIAISON_CASES_PATH = '/api/v1/liaison/cases';
export const LIAISON_POSTINGS_PATH = '/api/v1/liaison/postings';

// workbench
export const WORKBENCH_PATH = '/api/v1/workbench';

// households
export const HOUSEHOLDS_PATH = '/api/v1/households';
export const HOUSEHOLD_FIGURES_PATH = '/api/v1/households/figures';
export const POVERTY_LINES_PATH = '/api/v1/households/poverty-lines';
// exchange (数据交换, issue 21 item 5)
/** The change feed client systems read with their own credentials (docs/exchange.md). */
export const EXCHANGE_CHANGES_PATH = '/api/v1/exchange/changes';
/** The exchange's files (docs/exchange.md "Files"): `/statistics` and `/cards`. */
export const EXCHANGE_FILES_PATH = '/api/v1/exchange/files';
/** The client systems province admins register. */
export const EXCHANGE_CLIENTS_PATH = '/api/v1/exchange/clients';

// field (进村入户, issue 19): the field officer's phone
/** The cards and due follow-ups of the officer's villages, taken onto the phone before going out. */
export const FIELD_PACKAGE_PATH = '/api/v1/field/package';
/** The phone's outbox, sent entry by entry (idempotency key per entry), merged field by field. */
export const FIELD_SYNC_PATH = '/api/v1/field/sync';
/** The phone's device key: released to the signed-in officer (GET), replaced at sign-out (DELETE). */
export const FIELD_KEY_PATH = '/api/v1/field/key';

// social-insurance comparison (issue 21 item 2)
export const SI_COMPARISONS_PATH = '/api/v1/social-insurance/comparisons';
export const SI_REVIEWS_PATH = '/api/v1/social-insurance/reviews';

// registry import (建档立卡 / 防返贫监测 export)
export const REGISTRY_IMPORTS_PATH = '/api/v1/registry-imports';
export const REGISTRY_MAPPINGS_PATH = '/api/v1/registry-imports/mappings';
export const REGISTRY_PREVIEW_PATH = '/api/v1/registry-imports/preview';

// schooling (两后生 school enrolments)
export const SCHOOL_ENROLMENTS_PATH = '/api/v1/school-enrolments';

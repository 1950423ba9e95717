import type { RoleName } from './common.ts';

/**
 * Who may do what, domain by domain: the server declares its routes' roles (config.access) and
 * decides in its services with these lists, and the console shows its menus, pages and buttons by
 * the same ones, so the two sides cannot drift apart. The console names some of them after what
 * it shows (web/src/api: JOB_READER_ROLES is EMPLOYER_READERS).
 */

// employers
/** Employers and postings are not personal data: every staff role reads them; an employer account its own. */
export const EMPLOYER_READERS = [
  'admin',
  'township_operator',
  'village_officer',
  'broker',
  'liaison_office',
  'employer',
] as const satisfies readonly RoleName[];
export const EMPLOYER_CREATORS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];
export const EMPLOYER_EDITORS = ['admin', 'township_operator', 'employer'] as const satisfies readonly RoleName[];

// postings
export const POSTING_WRITERS = ['admin', 'township_operator', 'employer', 'liaison_office'] as const satisfies readonly RoleName[];

// matching
/** Staff who connect laborers to jobs in their region. */
export const MATCHING_STAFF = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];
/** Batch runs move many laborers at once: county and township staff, and the levels above. */
export const RUN_STARTERS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];

// referrals
/** Staff who put laborers forward: the laborer must lie in their region. */
export const REFERRAL_STAFF = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];
/** Who may put a laborer forward: staff, and a broker for the villages of a contract valid today (modules/brokers). */
export const REFERRAL_CREATORS = [...REFERRAL_STAFF, 'broker'] as const satisfies readonly RoleName[];
/** Who reads and moves referrals: staff for the laborers of their region, an employer for its own postings. */
export const REFERRAL_HANDLERS = [...REFERRAL_STAFF, 'employer'] as const satisfies readonly RoleName[];
/** Who reads referrals: the handlers, and a broker their own (how each ended), never moving them. */
export const REFERRAL_READERS = [...REFERRAL_HANDLERS, 'broker'] as const satisfies readonly RoleName[];

// teams
/** Who forms and reads teams: the county labour bureau and the township's 劳动保障服务站, in their region. */
export const TEAM_MANAGERS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];

// brokers
/**
 * Dual-line management (双线管理, the first article): the township (its 劳动保障服务站 operator) and
 * the county labour bureau (an admin whose region contains the villages) sign, read and end contracts.
 */
export const BROKER_MANAGERS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];
export const BROKER_SELF = ['broker'] as const satisfies readonly RoleName[];

// agreements
/** Not the auditor: separation of duties (等保 level 3) — auditors read the audit log and nothing else (issue 15). */
export const AGREEMENT_READERS = [
  'admin',
  'township_operator',
  'village_officer',
  'broker',
  'liaison_office',
] as const satisfies readonly RoleName[];
export const AGREEMENT_WRITERS = ['admin'] as const satisfies readonly RoleName[];

// subsidies
/** Who applies and reads: the staff of the region (a village officer for the village's laborers). */
export const SUBSIDY_STAFF = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];
/** Who applies for employers' and workshops' subsidies and drafts the retention list. */
export const SUBSIDY_MANAGERS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];
/** Who approves, rejects and pays: an admin of the county or above (人社局), never the applicant for approval. */
export const SUBSIDY_APPROVERS = ['admin'] as const satisfies readonly RoleName[];

// assessment
/** The assessment is read by admins: the province (every county), a city (its counties), a county (its own row and rank). */
export const ASSESSMENT_READERS = ['admin'] as const satisfies readonly RoleName[];

// service-records
/** Who records and reads services: the staff who keep the cards, each in their region. */
export const SERVICE_STAFF = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];

// sms
/** Who runs campaigns and approves them: county (and higher) bureaus and township stations, in their region. */
export const SMS_MANAGERS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];
/** Who reads the replies of their region's laborers (the inbox). */
export const INBOX_READERS = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];

// employment
/** Staff of the output areas: record, end and list employments of the laborers of their region. */
export const EMPLOYMENT_STAFF = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];
/** Whose task lists hold follow-ups: staff, brokers and liaison offices. */
export const FOLLOW_UP_WORKERS = [...EMPLOYMENT_STAFF, 'broker', 'liaison_office'] as const satisfies readonly RoleName[];

// fairs
/** Staff organise fairs for their region, register attendees at the door and record intentions. */
export const FAIR_STAFF = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];

// liaison
/** The office itself: its workers, its cases, its postings. */
export const LIAISON_OFFICE = ['liaison_office'] as const satisfies readonly RoleName[];

// dashboards
/** The dashboard is the output areas' staff view of their own region (the retention lists' readers). */
/** The statistics are the output areas' staff's: each for their region and below. */
export const STATS_READERS = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];
export const DASHBOARD_READERS = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];
/** Households (户) and their figures: the staff of the region, as the statistics (issue 20 item 1). */
export const HOUSEHOLD_READERS = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];
/** The yearly poverty line is the province's: an admin bound to the province (the service checks the level). */
export const POVERTY_LINE_SETTERS = ['admin'] as const satisfies readonly RoleName[];

// registry
/** Who decides on a request: the managers of the region holding the card (not village officers). */
export const TRANSFER_DECIDERS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];

// mobile
/** Who confirms the wishes a laborer sent from the phone: the card's writers (the village officer first). */
export const WISH_CONFIRMERS = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];

// travel
/** 就业直通车: the county bureau and its townships' stations organise the trips; the employer sees its own. */
export const TRIP_ORGANISERS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];
export const TRIP_READERS = [...TRIP_ORGANISERS, 'employer'] as const satisfies readonly RoleName[];

// training
/** 职业培训班: the county bureau and the township's service station organise their region's classes, keep the roster and hours, finish them. */
export const TRAINING_ORGANISERS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];
// public-welfare
/** 公益性岗位: the staff of the region read posts and holders; the village officer records the days worked. */
export const PUBLIC_WELFARE_READERS = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];
/** Posts, assignments, exits and the month's pay: the county bureau and the township's service station. */
export const PUBLIC_WELFARE_MANAGERS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];

// workshops
/** Who reads the registry: staff of the region where the workshops are (the county follows the laborers at work there). */
export const WORKSHOP_READERS = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];
/** Who sets the posts a workshop develops: the county bureau and the township's service station. */
export const WORKSHOP_EDITORS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];
/** Who accredits, reviews and removes workshops and bases (认定、年审、摘牌): admins, of a county or above (checked by the service). */
export const STANDING_DECIDERS = ['admin'] as const satisfies readonly RoleName[];
/** Who records a visit to a base (巡诊): the staff who manage workshops there. */
export const VISITORS = WORKSHOP_EDITORS;

// accounts and the audit log
/** Who manages accounts: admins and township operators (their region's staff), and the auditor (reads them). */
export const ACCOUNT_MANAGERS = ['admin', 'township_operator', 'auditor'] as const satisfies readonly RoleName[];
/** Who reads the audit log: the auditor alone (separation of duties, 等保 level 3). */
export const AUDITORS = ['auditor'] as const satisfies readonly RoleName[];

// exchange (数据交换)
/** Who sees the client systems of the exchange: admins, of their region; registering and revoking is the province admin's. */
export const EXCHANGE_MANAGERS = ['admin'] as const satisfies readonly RoleName[];

// field (进村入户, issue 19)
/**
 * Who takes their villages onto a phone and syncs from the field: village officers. A broker signs in
 * on /field too, but works online through the brokers' and referrals' own routes (their rules, their
 * scope): no cards of a broker are kept on the phone.
 */
export const FIELD_WORKERS = ['village_officer'] as const satisfies readonly RoleName[];
/**
 * Who signs in on /field, and so takes the phone's device key (issue 19 item 4): whatever the page
 * keeps on the phone — a broker's own sign-in and to-dos included — is encrypted under it.
 */
export const FIELD_PHONE_USERS = ['village_officer', 'broker'] as const satisfies readonly RoleName[];

// social-insurance comparison (issue 21 item 2)
/** Who uploads a contribution file: a province or county admin (人社部门); the service checks the level. */
export const SI_IMPORTERS = ['admin'] as const satisfies readonly RoleName[];
/** Who reads the runs and reviews the outcomes: the county admin and the township's operator, in their region. */
export const SI_REVIEWERS = ['admin', 'township_operator'] as const satisfies readonly RoleName[];

/** The registry import (建档立卡 / 防返贫监测 export, issue 21 item 1): the labour bureau's admins, county and above. */
export const REGISTRY_IMPORTERS = ['admin'] as const satisfies readonly RoleName[];
/** 两后生 school enrolments (issue 20 item 4): kept by the staff of the laborer's region, as the card is. */
export const ENROLMENT_STAFF = ['admin', 'township_operator', 'village_officer'] as const satisfies readonly RoleName[];

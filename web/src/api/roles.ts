/**
 * Which roles use which pages, in the console's words (each list is the server's own, from
 * contracts/roles.ts). Apart from the api modules so the menu and the routes — the shell every page
 * loads first — carry these lists without the request schemas and dictionaries of every domain.
 */
import type { RoleName } from './types.ts';
import {
  AGREEMENT_READERS,
  ASSESSMENT_READERS,
  BROKER_MANAGERS,
  BROKER_SELF,
  DASHBOARD_READERS,
  REGISTRY_IMPORTERS,
  EMPLOYER_CREATORS,
  EMPLOYER_EDITORS,
  EMPLOYER_READERS,
  EXCHANGE_MANAGERS,
  FAIR_STAFF,
  FOLLOW_UP_WORKERS,
  HOUSEHOLD_READERS,
  INBOX_READERS,
  LIAISON_OFFICE,
  MATCHING_STAFF,
  POSTING_WRITERS,
  PUBLIC_WELFARE_READERS,
  REFERRAL_READERS,
  SERVICE_STAFF,
  ENROLMENT_STAFF,
  SI_IMPORTERS,
  SI_REVIEWERS,
  SMS_MANAGERS,
  SUBSIDY_STAFF,
  TEAM_MANAGERS,
  TRIP_READERS,
  TRAINING_ORGANISERS,
  WISH_CONFIRMERS,
  WORKSHOP_READERS,
} from '../../../contracts/roles.ts';

// agreements
/** Every staff role reads the agreements touching its region; not the auditor (audit log only). */
export const AGREEMENT_READER_ROLES: RoleName[] = [...AGREEMENT_READERS];

// dashboards
/** The server's DASHBOARD_READERS and ASSESSMENT_READERS. */
export const DASHBOARD_ROLES: RoleName[] = [...DASHBOARD_READERS];
export const ASSESSMENT_ROLES: RoleName[] = [...ASSESSMENT_READERS];

// brokers
/** The township (劳动保障服务站) and the county labour bureau: 双线管理. */
export const BROKER_MANAGER_ROLES: RoleName[] = [...BROKER_MANAGERS];
export const BROKER_ROLES: RoleName[] = [...BROKER_SELF];

// employment
/** 本单位职工: an employer reads its own employees' records (the server's EMPLOYMENT_READERS scope it to them). */
export const EMPLOYEE_READER_ROLES: RoleName[] = ['employer'];
/** Whose task lists hold follow-ups (the server's FOLLOW_UP_WORKERS). */
export const FOLLOW_UP_ROLES: RoleName[] = [...FOLLOW_UP_WORKERS];

// employers
/** Who registers employers: admins and township operators, in their own region. */
export const EMPLOYER_CREATOR_ROLES: RoleName[] = [...EMPLOYER_CREATORS];
/** Who edits employers: those creators in their region, and an employer account its own record. */
export const EMPLOYER_EDITOR_ROLES: RoleName[] = [...EMPLOYER_EDITORS];
/** Employers and postings are not personal data: every staff role reads them; an employer account its own. */
export const JOB_READER_ROLES: RoleName[] = [...EMPLOYER_READERS];

// exchange
export const EXCHANGE_ROLES: RoleName[] = [...EXCHANGE_MANAGERS];

// fairs
/** Staff who organise fairs and read their results (the server's FAIR_STAFF). */
export const FAIR_ROLES: RoleName[] = [...FAIR_STAFF];

// households
/** Who reads households and their figures (the server's HOUSEHOLD_READERS). */
export const HOUSEHOLD_ROLES: RoleName[] = [...HOUSEHOLD_READERS];

// liaison
/** The liaison office itself (the server's LIAISON_OFFICE). */
export const LIAISON_ROLES: RoleName[] = [...LIAISON_OFFICE];

// matching
/** Who uses the matching pages (the server's MATCHING_STAFF). */
export const MATCHING_ROLES: RoleName[] = [...MATCHING_STAFF];

// postings
/** Who publishes postings (the server's POSTING_WRITERS; each record's `editable` says whether this one). */
export const POSTING_WRITER_ROLES: RoleName[] = [...POSTING_WRITERS];

// referrals
/** Who reads referrals: staff for their laborers, an employer for its postings, a broker their own (the server's REFERRAL_READERS). */
export const REFERRAL_ROLES: RoleName[] = [...REFERRAL_READERS];

// service-records
export const SERVICE_RECORD_ROLES: RoleName[] = [...SERVICE_STAFF];
/** 两后生 school enrolments (the server's ENROLMENT_STAFF). */
export const ENROLMENT_ROLES: RoleName[] = [...ENROLMENT_STAFF];

// sms
/** Replies land with the staff of the laborer's region. */
export const SMS_INBOX_ROLES: RoleName[] = [...INBOX_READERS];
/** County (and higher) bureaus and township stations run campaigns; a second one of them approves. */
export const SMS_ROLES: RoleName[] = [...SMS_MANAGERS];

// subsidies
export const SUBSIDY_ROLES: RoleName[] = [...SUBSIDY_STAFF];

// teams
/** The county labour bureau and the township's 劳动保障服务站. */
export const TEAM_ROLES: RoleName[] = [...TEAM_MANAGERS];

// travel
export const TRIP_ROLES: RoleName[] = [...TRIP_READERS];

// training
/** 职业培训班: the county bureau and the township's service station (the server's TRAINING_ORGANISERS). */
export const TRAINING_ROLES: RoleName[] = [...TRAINING_ORGANISERS];

// mobile
/** Who confirms the wishes sent from phones (the server's WISH_CONFIRMERS). */
export const WISH_CONFIRMER_ROLES: RoleName[] = [...WISH_CONFIRMERS];

// public-welfare
export const PUBLIC_WELFARE_ROLES: RoleName[] = [...PUBLIC_WELFARE_READERS];

// workshops
export const WORKSHOP_ROLES: RoleName[] = [...WORKSHOP_READERS];

// social-insurance comparison
/** The server's SI_REVIEWERS (the county admin, the township operator) and SI_IMPORTERS (admins; the province and counties upload). */
export const SI_REVIEWER_ROLES: RoleName[] = [...SI_REVIEWERS];
export const SI_IMPORTER_ROLES: RoleName[] = [...SI_IMPORTERS];

// registry import
/** Who imports the poverty registry's export (the server's REGISTRY_IMPORTERS). */
export const REGISTRY_IMPORT_ROLES: RoleName[] = [...REGISTRY_IMPORTERS];

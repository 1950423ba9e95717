/**
 * 精准稳岗 on the console side (contracts/employment.ts): employment records, follow-ups, re-employment
 * cases, the three lists, the retention rate and the risk list.
 */
import type { Static } from '@sinclair/typebox';
import type {
  Employment,
  EmploymentDetail,
  FollowUp,
  FollowUpBatch,
  OverdueSummary,
  ReemploymentCase,
  ResponsibilitySchema,
  RetentionListSchema,
  RetentionRateSchema,
  RiskListSchema,
  TaskListSchema,
} from '../../../contracts/employment.ts';
import {
  CASE_CLOSE_REASON,
  CASE_STATUS,
  END_REASON,
  FOLLOW_UP_METHOD,
  FOLLOW_UP_STATUS,
  RESPONSIBLE_KIND,
  RISK_SIGN,
  UNEMPLOYMENT_BENEFIT,
} from '../../../contracts/employment.ts';
import type { RoleName } from './types.ts';
import { EMPLOYMENT_STAFF } from '../../../contracts/roles.ts';
export { EMPLOYEE_READER_ROLES, FOLLOW_UP_ROLES } from './roles.ts';

export type { Employment, EmploymentDetail, FollowUp, FollowUpBatch, OverdueSummary, ReemploymentCase };
export type TaskList = Static<typeof TaskListSchema>;
export type Responsibility = Static<typeof ResponsibilitySchema>;
export type RetentionList = Static<typeof RetentionListSchema>;
export type RetentionRate = Static<typeof RetentionRateSchema>;
export type RiskList = Static<typeof RiskListSchema>;
export {
  CASE_CLOSE_REASON,
  CASE_STATUS,
  END_REASON,
  FOLLOW_UP_METHOD,
  FOLLOW_UP_STATUS,
  RESPONSIBLE_KIND,
  RISK_SIGN,
  UNEMPLOYMENT_BENEFIT,
};

/** Staff of the output areas (the server's EMPLOYMENT_STAFF / LIST_READERS). */
export const RETENTION_STAFF_ROLES: RoleName[] = [...EMPLOYMENT_STAFF];

export const EMPLOYMENTS_PATH = '/api/v1/employments';
export const employmentPath = (id: string) => `${EMPLOYMENTS_PATH}/${id}`;
export const FOLLOW_UPS_PATH = '/api/v1/follow-ups';
export const followUpPath = (id: string) => `${FOLLOW_UPS_PATH}/${id}`;
/** One follow-up form for several people at once (all or none). */
export { FOLLOW_UP_RECORDS_PATH } from '../../../contracts/paths.ts';
export const OVERDUE_PATH = '/api/v1/follow-ups/overdue';
export const CASES_PATH = '/api/v1/reemployment-cases';
export const casePath = (id: string) => `${CASES_PATH}/${id}`;
export const listPath = (list: 'tasks' | 'responsibility' | 'retention') => `/api/v1/lists/${list}`;
export const RATE_PATH = '/api/v1/retention/rate';
export const RISKS_PATH = '/api/v1/retention/risks';

export const PLACE_LABEL: Record<Employment['place'], string> = { in_county: '县内', in_province: '县外省内', out_of_province: '省外' };

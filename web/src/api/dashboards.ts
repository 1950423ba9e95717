/** 数据看板 and 量化考核 on the console side (contracts/dashboards.ts, contracts/assessment.ts). */
import type { Static } from '@sinclair/typebox';
import type { Flows, Funnel, Quarterly, RetentionCurve } from '../../../contracts/dashboards.ts';
import type {
  Assessment,
  AssessmentRow,
  Indicator,
  Weights,
  WeightsHistorySchema,
  WeightsVersionSchema,
} from '../../../contracts/assessment.ts';
import { INDICATOR_LABEL, INDICATORS } from '../../../contracts/assessment.ts';
export { ASSESSMENT_ROLES, DASHBOARD_ROLES } from './roles.ts';

export type { Assessment, AssessmentRow, Flows, Funnel, Indicator, Quarterly, RetentionCurve, Weights };
export type WeightsVersion = Static<typeof WeightsVersionSchema>;
export type WeightsHistory = Static<typeof WeightsHistorySchema>;
export { INDICATOR_LABEL, INDICATORS };

export const FLOWS_PATH = '/api/v1/dashboards/flows';
export const QUARTERLY_PATH = '/api/v1/dashboards/quarterly';
export const FUNNEL_PATH = '/api/v1/dashboards/funnel';
export const RETENTION_CURVE_PATH = '/api/v1/dashboards/retention-curve';
export const ASSESSMENT_PATH = '/api/v1/assessment';
export const WEIGHTS_PATH = '/api/v1/assessment/weights';

/** The statistics' breakdown by child region (modules/stats, issue 8 point 1), which colours the map. */
export const BREAKDOWN_PATH = '/api/v1/stats/breakdown';
export interface BreakdownRegion {
  code: string;
  name: string;
  level: number | string;
  employedShare: number | null;
  employed?: number;
  registered?: number;
}
export interface Breakdown {
  region: BreakdownRegion;
  children: BreakdownRegion[];
}

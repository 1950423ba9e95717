/**
 * 精准对接 on the console side: the demand and supply lists, recommendations, candidates and batch
 * runs (contracts/matching.ts), with the display helpers the matching pages share.
 */
import type { Static } from '@sinclair/typebox';
import type {
  Candidates,
  DemandSchema,
  MatchRun,
  MatchRunListSchema,
  PostingBrief,
  Recommendations,
  SeekerBrief,
  Suggestion,
  SuggestionListSchema,
  SupplySchema,
} from '../../../contracts/matching.ts';
import type { RoleName } from './types.ts';
import { RUN_STARTERS } from '../../../contracts/roles.ts';
import { MATCHING_DEMAND_PATH, MATCHING_RUNS_PATH, MATCHING_SUPPLY_PATH } from '../../../contracts/paths.ts';
export { MATCHING_ROLES } from './roles.ts';

export type { Candidates, MatchRun, PostingBrief, Recommendations, SeekerBrief, Suggestion };
export type Demand = Static<typeof DemandSchema>;
export type DemandItem = Demand['items'][number];
export type Supply = Static<typeof SupplySchema>;
export type SupplyItem = Supply['items'][number];
export type MatchRunList = Static<typeof MatchRunListSchema>;
export type SuggestionList = Static<typeof SuggestionListSchema>;
export type MatchRunSummary = NonNullable<MatchRun['summary']>;

/** Who starts batch runs (the server's RUN_STARTERS). */
export const RUN_STARTER_ROLES: RoleName[] = [...RUN_STARTERS];

export const DEMAND_PATH = MATCHING_DEMAND_PATH;
export const SUPPLY_PATH = MATCHING_SUPPLY_PATH;
export const RUNS_PATH = MATCHING_RUNS_PATH;
export const runPath = (id: string) => `${RUNS_PATH}/${encodeURIComponent(id)}`;
// Plain strings, not the registry's and postings' helpers: the menu imports this module, and those pull in their dictionaries.
export const recommendationsPath = (laborerId: string) => `/api/v1/laborers/${encodeURIComponent(laborerId)}/recommendations`;
export const candidatesPath = (postingId: string) => `/api/v1/postings/${encodeURIComponent(postingId)}/candidates`;
export const suggestionDecisionPath = (id: string, decision: 'accept' | 'dismiss') =>
  `/api/v1/matching/suggestions/${encodeURIComponent(id)}/${decision}`;

/** The phases of a batch run (server: matching.service executeRun, stable.ts). */
export const RUN_PHASES: { key: string; label: string }[] = [
  { key: 'rank', label: '排序' },
  { key: 'match', label: '匹配' },
  { key: 'verify', label: '校验' },
  { key: 'save', label: '保存' },
];
export const phaseLabel = (phase: string | null) => RUN_PHASES.find((p) => p.key === phase)?.label ?? '准备';

export const RUN_STATUS: Record<MatchRun['status'], { text: string; color: string }> = {
  running: { text: '进行中', color: 'processing' },
  done: { text: '已完成', color: 'success' },
  failed: { text: '失败', color: 'error' },
};

/** The suggestion statuses (contracts SUGGESTION_STATUS), kept here as plain text so no schema code reaches the bundle. */
export const SUGGESTION_STATUS: Record<string, { text: string; color: string }> = {
  proposed: { text: '待处理', color: 'processing' },
  recommended: { text: '已采纳', color: 'success' },
  dismissed: { text: '已驳回', color: 'default' },
  superseded: { text: '已被新批次取代', color: 'warning' },
};

/**
 * A score's colour. Points add up from the soft signals of score.ts (about 130 at most; a pair
 * that meets the card's wishes on job type, wage and place scores about 60 or more).
 */
export function scoreColor(score: number): string {
  if (score >= 60) return 'green';
  if (score >= 40) return 'blue';
  if (score >= 20) return 'gold';
  return 'default';
}

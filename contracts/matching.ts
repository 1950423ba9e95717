import { Type, type Static } from '@sinclair/typebox';
import { PageQuery, RegionCodeSchema } from './common.ts';
import { WILLINGNESS } from './laborers.ts';

/**
 * 精准对接: the job-seeker demand list (求职需求清单) beside the job supply list (岗位供给清单),
 * recommendations with their reasons, and batch matching runs.
 */
const Strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });

export const PostingBriefSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  employerId: Type.String(),
  employerName: Type.String(),
  employerKind: Type.String(),
  occupationCode: Type.String(),
  occupationLabel: Type.String(),
  workRegionCode: Type.String(),
  /** The work place as people say it: 深圳市龙岗区. */
  place: Type.String(),
  wageMin: Type.Integer(),
  wageMax: Type.Integer(),
  food: Type.Boolean(),
  housing: Type.Boolean(),
  openings: Type.Integer(),
  reservedForPoor: Type.Boolean(),
  validTo: Type.String(),
});
export type PostingBrief = Static<typeof PostingBriefSchema>;

/** What a matching list shows of a laborer: identifiers masked. */
export const SeekerBriefSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  sex: Type.String(),
  age: Type.Integer(),
  idNumberMasked: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  villageCode: Type.String(),
  villageName: Type.String(),
  education: Type.String(),
  willingness: Type.String(),
  wantedJobTypes: Type.Array(Type.String()),
  expectedWage: Type.Union([Type.Integer(), Type.Null()]),
});
export type SeekerBrief = Static<typeof SeekerBriefSchema>;

/** A score (points, one decimal) with its reasons in Chinese: "期望月薪3000元，岗位3500–4500元", "包食宿". */
const Scored = { score: Type.Number(), reasons: Type.Array(Type.String()) };

export const RecommendationsQuery = Strict({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })) });
export const RecommendationsSchema = Type.Object({
  laborer: Type.Object({ id: Type.String(), name: Type.String() }),
  /** Set when the laborer cannot be matched at all (已就业, 丧失劳动能力 …). */
  refused: Type.Union([Type.Null(), Type.String()]),
  /** Open postings the laborer qualifies for. */
  eligible: Type.Integer(),
  items: Type.Array(Type.Object({ ...Scored, posting: PostingBriefSchema })),
});
export type Recommendations = Static<typeof RecommendationsSchema>;

export const CandidatesQuery = Strict({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  /** Narrow to a region inside the caller's scope; default the caller's whole scope. */
  region: Type.Optional(RegionCodeSchema),
});
export const RefusalCountSchema = Type.Object({ reason: Type.String(), count: Type.Integer() });
export const CandidatesSchema = Type.Object({
  posting: PostingBriefSchema,
  /** Set when the posting takes nobody (closed, expired, filled). */
  refused: Type.Union([Type.Null(), Type.String()]),
  /** Job seekers in the region who qualify. */
  eligible: Type.Integer(),
  /** Job seekers in the region considered. */
  considered: Type.Integer(),
  /** Why the others do not qualify: each hard condition and how many it refused. */
  refusals: Type.Array(RefusalCountSchema),
  items: Type.Array(Type.Object({ ...Scored, laborer: SeekerBriefSchema })),
});
export type Candidates = Static<typeof CandidatesSchema>;

export const DemandQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  /** Name (any part), or pinyin / initials (prefix). */
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  willingness: Type.Optional(WILLINGNESS.schema),
  /** A wanted job type, as the card writes it (缝纫工) — matched through the occupation table. */
  jobType: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  ...PageQuery,
});
export const DemandSchema = Type.Object({
  items: Type.Array(Type.Object({ laborer: SeekerBriefSchema, eligiblePostings: Type.Integer() })),
  total: Type.Integer(),
});

export const SupplyQuery = Strict({
  /** Whose demand the counts are for; default the caller's region. */
  region: Type.Optional(RegionCodeSchema),
  /** Only postings working in this region. */
  workRegion: Type.Optional(RegionCodeSchema),
  occupation: Type.Optional(Type.String({ pattern: '^[1-8](-\\d{2}){0,3}$' })),
  ...PageQuery,
});
export const SupplySchema = Type.Object({
  items: Type.Array(Type.Object({ posting: PostingBriefSchema, eligibleSeekers: Type.Integer() })),
  total: Type.Integer(),
  openings: Type.Integer(),
});

export const MatchRunBody = Strict({ region: RegionCodeSchema });
export const MatchRunSummarySchema = Type.Object({
  seekers: Type.Integer(),
  postings: Type.Integer(),
  openings: Type.Integer(),
  matched: Type.Integer(),
  unmatchedNoEligible: Type.Integer(),
  unmatchedAllFilled: Type.Integer(),
  proposals: Type.Integer(),
  blockingPairs: Type.Integer(),
  listLength: Type.Integer(),
  seconds: Type.Number(),
});
export const MatchRunSchema = Type.Object({
  id: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  phase: Type.Union([Type.Null(), Type.String()]),
  done: Type.Integer(),
  total: Type.Integer(),
  summary: Type.Union([Type.Null(), MatchRunSummarySchema]),
  message: Type.Union([Type.Null(), Type.String()]),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.Null(), Type.String()]),
});
export type MatchRun = Static<typeof MatchRunSchema>;
export const MatchRunListQuery = Strict({ region: Type.Optional(RegionCodeSchema) });
export const MatchRunListSchema = Type.Object({ items: Type.Array(MatchRunSchema) });

export const SUGGESTION_STATUS = { proposed: '待处理', recommended: '已采纳', dismissed: '已驳回', superseded: '已被新批次取代' } as const;
export const SuggestionsQuery = Strict({
  status: Type.Optional(
    Type.Union([Type.Literal('proposed'), Type.Literal('recommended'), Type.Literal('dismissed'), Type.Literal('superseded')]),
  ),
  ...PageQuery,
});
export const SuggestionSchema = Type.Object({
  id: Type.String(),
  status: Type.String(),
  ...Scored,
  laborer: SeekerBriefSchema,
  posting: PostingBriefSchema,
});
export const SuggestionListSchema = Type.Object({ items: Type.Array(SuggestionSchema), total: Type.Integer() });
export type Suggestion = Static<typeof SuggestionSchema>;

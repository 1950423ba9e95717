import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * 扶贫车间 and 就业扶贫基地: employers of kind 'workshop' / 'base' with the posts they develop for
 * poor laborers, the poor laborers employed (open employments there, computed), the subsidies
 * received (paid subsidies to the employer) and the relocation site (易地扶贫搬迁安置点).
 */
export const WORKSHOP_KIND = { workshop: '扶贫车间', base: '就业扶贫基地' } as const;
const KindSchema = Type.Unsafe<'workshop' | 'base'>({ type: 'string', enum: ['workshop', 'base'] });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const WorkshopListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  kind: Type.Optional(KindSchema),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  /** Only those at a relocation site. */
  relocation: Type.Optional(Type.Boolean()),
  ...PageQuery,
});
export type WorkshopListQueryInput = Static<typeof WorkshopListQuery>;

export const WorkshopSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: KindSchema,
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  relocationSite: Nullable(Type.String()),
  postsPlanned: Nullable(Type.Integer()),
  /** Open employments at the workshop now. */
  employed: Type.Integer(),
  /** Paid subsidies to the workshop, yuan. */
  subsidies: Type.Number(),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  /** Its standing today (认定 / 摘牌, issue 20 item 8). */
  standing: Type.Unsafe<StandingStatus>({ type: 'string', enum: ['none', 'accredited', 'removed'] }),
});
export type Workshop = Static<typeof WorkshopSchema>;

export const WorkshopListSchema = Type.Object({ items: Type.Array(WorkshopSchema), total: Type.Integer() });
export type WorkshopList = Static<typeof WorkshopListSchema>;

export const WorkshopDetailSchema = Type.Object({
  workshop: WorkshopSchema,
  employees: Type.Array(
    Type.Object({
      laborerId: Type.String(),
      name: Type.String(),
      idNumberMasked: Type.String(),
      villageName: Type.String(),
      startedOn: Type.String(),
      monthlyWage: Nullable(Type.Integer()),
    }),
  ),
  subsidies: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      amount: Type.Number(),
      periodFrom: Type.String(),
      periodTo: Type.String(),
      status: Type.String(),
      paidOn: Nullable(Type.String()),
      laborerName: Nullable(Type.String()),
    }),
  ),
});
export type WorkshopDetail = Static<typeof WorkshopDetailSchema>;

export const UpdateWorkshopBody = Strict({
  postsPlanned: Type.Integer({ minimum: 0, maximum: 100_000, description: '开发扶贫岗位数' }),
});
export type UpdateWorkshopInput = Static<typeof UpdateWorkshopBody>;

export const WorkshopSummaryQuery = Strict({ region: Type.Optional(RegionCodeSchema) });

const Totals = Type.Object({
  workshops: Type.Integer(),
  bases: Type.Integer(),
  relocation: Type.Integer(),
  posts: Type.Integer(),
  employed: Type.Integer(),
  subsidies: Type.Number(),
});
export type WorkshopTotals = Static<typeof Totals>;

export const WorkshopSummarySchema = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  /** One row per child region (city, county, township …), then the totals of the region. */
  rows: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), totals: Totals })),
  totals: Totals,
});
export type WorkshopSummary = Static<typeof WorkshopSummarySchema>;

/**
 * 定点接收单位 (issue 20 item 3): the second article's table — "省人社厅遴选了110家企业作为贫困劳动力就业
 * 的定点接收单位，其中70个被人社部认定为全国就业扶贫基地。这110家企业已接收贫困劳动力就业9962人，并开发了
 * 一批……就业扶贫专岗，拟接收贫困劳动力12641人" — for a region's laborers as of a day.
 */
export const DesignatedSummaryQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  asOf: Type.Optional(Type.String({ format: 'date', description: '截至日期（含当日，北京时间；默认今天）' })),
});
export type DesignatedSummaryQueryInput = Static<typeof DesignatedSummaryQuery>;

const DesignatedTotals = Type.Object({
  /** Designated enterprises that received laborers of the region (for the region itself: see `enterprises`). */
  receiving: Type.Integer(),
  /** Laborers of the region (by their card's village) who started a job at a designated enterprise on or after its designation. */
  received: Type.Integer(),
  /** Reserved posts of the designated enterprises taken by laborers of the region (each posting's count capped at its headcount). */
  reservedFilled: Type.Integer(),
});
export type DesignatedTotals = Static<typeof DesignatedTotals>;

export const DesignatedSummarySchema = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  asOf: Type.String({ format: 'date' }),
  /** Designated on or before the day, wherever they are (the province designates them for its laborers). */
  enterprises: Type.Integer(),
  /** Of which 就业扶贫基地. */
  bases: Type.Integer(),
  /** Reserved posts (就业扶贫专岗) the designated enterprises had published by the day: the laborers they plan to receive. */
  reservedPlanned: Type.Integer(),
  totals: DesignatedTotals,
  /** One row per child region (city, county, township …) with laborers received; none below a village. */
  rows: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), totals: DesignatedTotals })),
});
export type DesignatedSummary = Static<typeof DesignatedSummarySchema>;

/**
 * The standing of a workshop or base (issue 20 item 8): accreditation (认定) with the criteria
 * checked, the yearly review (年审) and removal (摘牌), as dated acts. Accredited on day D when an
 * accreditation took effect on or before D and no removal since took effect on or before D (a
 * removal's day is its first day without standing). A failed review is recorded with its findings
 * and leaves the accreditation in place: removal is its own decision, with its reason and day.
 */
export const STANDING_ACT = dict({ accreditation: '认定', review: '年审', removal: '摘牌' });
export type StandingAct = keyof typeof STANDING_ACT.labels;
export const STANDING_STATUS = dict({ none: '未认定', accredited: '已认定', removed: '已摘牌' });
export type StandingStatus = keyof typeof STANDING_STATUS.labels;

/** The criteria an accreditation records, each with its value and the threshold then in force. */
export const ACCREDITATION_CRITERIA = dict({
  poor_employed: '吸纳建档立卡贫困劳动力就业（人，按就业记录）',
  poor_share: '贫困劳动力占职工总数（%）',
  workforce: '职工总数（人）',
  site: '有固定的生产经营场所',
  labor_contracts: '与务工人员签订劳动合同或务工协议',
});
export type AccreditationCriterion = keyof typeof ACCREDITATION_CRITERIA.labels;

/**
 * The thresholds of accreditation: poor laborers employed (counted from the platform's employment
 * records on the day) at least `poorEmployed`, or at least `poorShare` % of the workforce; and a
 * fixed site, and contracts or agreements with the workers. The counties set their own in their
 * 县级就业扶贫车间建设方案 (the first article: "明确建设任务、规格、范围和奖补标准"); these are the
 * platform's defaults, and each accreditation keeps the thresholds it was checked against, so a
 * later change never rewrites a past accreditation.
 */
export const ACCREDITATION_THRESHOLDS = {
  workshop: { poorEmployed: 10, poorShare: 30 },
  base: { poorEmployed: 30, poorShare: 30 },
} as const;

const Day = (description: string) => Type.String({ format: 'date', description });

export const AccreditBody = Strict({
  accreditedOn: Day('认定日期（北京时间，不晚于今天）'),
  workforce: Type.Integer({ minimum: 1, maximum: 100_000, description: '职工总数（人）' }),
  site: Type.Boolean({ description: '有固定的生产经营场所' }),
  laborContracts: Type.Boolean({ description: '与务工人员签订劳动合同或务工协议' }),
  documentNo: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: '认定文号' })),
});
export type AccreditInput = Static<typeof AccreditBody>;

export const ReviewBody = Strict({
  reviewedOn: Day('年审日期'),
  year: Type.Integer({ minimum: 2015, maximum: 2100, description: '年审年度' }),
  passed: Type.Boolean({ description: '是否通过' }),
  findings: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: '发现的问题（未通过时必填）' })),
});
export type ReviewInput = Static<typeof ReviewBody>;

export const RemoveBody = Strict({
  removedOn: Day('摘牌日期（当日起不再具有认定资格）'),
  reason: Type.String({ minLength: 2, maxLength: 500, description: '摘牌原因' }),
  documentNo: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: '文号' })),
});
export type RemoveInput = Static<typeof RemoveBody>;

export const StandingQuery = Strict({ asOf: Type.Optional(Day('截至日期（含当日；默认今天）')) });
export type StandingQueryInput = Static<typeof StandingQuery>;

const StandingActSchema = Type.Object({
  id: Type.String(),
  act: STANDING_ACT.schema,
  effectiveOn: Type.String(),
  reviewYear: Nullable(Type.Integer()),
  passed: Nullable(Type.Boolean()),
  findings: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  documentNo: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  recordedAt: Type.String(),
  criteria: Type.Array(
    Type.Object({
      criterion: ACCREDITATION_CRITERIA.schema,
      value: Type.Number(),
      threshold: Nullable(Type.Number()),
      met: Nullable(Type.Boolean()),
    }),
  ),
});
export type StandingActRecord = Static<typeof StandingActSchema>;

export const StandingSchema = Type.Object({
  workshopId: Type.String(),
  asOf: Type.String(),
  status: STANDING_STATUS.schema,
  /** The accreditation in force on the day (or the last one, when removed). */
  accreditedOn: Nullable(Type.String()),
  removedOn: Nullable(Type.String()),
  /** The latest review on or before the day. */
  lastReview: Nullable(Type.Object({ year: Type.Integer(), passed: Type.Boolean(), reviewedOn: Type.String() })),
  /** The acts that had taken effect by the day, oldest first. */
  history: Type.Array(StandingActSchema),
});
export type Standing = Static<typeof StandingSchema>;

/** 巡诊 of a base: each poor laborer employed there on the day, checked. */
export const VISIT_RESULT = dict({ at_work: '在岗', not_found: '未见到', left: '已离职' });
export type VisitResult = keyof typeof VISIT_RESULT.labels;

export const VisitRosterQuery = Strict({ on: Type.Optional(Day('巡诊日期（默认今天）')) });
export type VisitRosterQueryInput = Static<typeof VisitRosterQuery>;

const RosterEntry = Type.Object({
  employmentId: Type.String(),
  laborerId: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  villageName: Type.String(),
  startedOn: Type.String(),
});
export type VisitRosterEntry = Static<typeof RosterEntry>;
export const VisitRosterSchema = Type.Object({ on: Type.String(), items: Type.Array(RosterEntry) });
export type VisitRoster = Static<typeof VisitRosterSchema>;

export const VisitBody = Strict({
  visitedOn: Day('巡诊日期（不晚于今天）'),
  findings: Type.String({ minLength: 2, maxLength: 2000, description: '巡诊情况' }),
  checks: Type.Array(
    Strict({
      laborerId: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }),
      result: VISIT_RESULT.schema,
      note: Type.Optional(Type.String({ maxLength: 200 })),
    }),
    { maxItems: 5000, description: '当日在该基地就业的每一名贫困劳动力的核查结果' },
  ),
});
export type VisitInput = Static<typeof VisitBody>;

export const VisitSchema = Type.Object({
  id: Type.String(),
  visitedOn: Type.String(),
  visitor: Nullable(Type.String()),
  findings: Type.String(),
  recordedAt: Type.String(),
  counts: Type.Object({ at_work: Type.Integer(), not_found: Type.Integer(), left: Type.Integer() }),
  checks: Type.Array(
    Type.Object({
      laborerId: Type.String(),
      name: Type.String(),
      idNumberMasked: Type.String(),
      result: VISIT_RESULT.schema,
      note: Nullable(Type.String()),
    }),
  ),
});
export type Visit = Static<typeof VisitSchema>;
export const VisitListSchema = Type.Object({ items: Type.Array(VisitSchema) });
export type VisitList = Static<typeof VisitListSchema>;

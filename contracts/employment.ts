import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';
import { EMPLOYMENT_CHANNEL } from './referrals.ts';

/**
 * 精准稳岗: employment records (就业记录), the follow-ups a start schedules (回访, after 1, 3, 6 and
 * 12 months), the re-employment case an ending opens (转岗服务), the three lists (三个清单),
 * the retention rate (稳岗率) and the retention risk list.
 */
export const END_REASON = dict({
  resigned: '主动辞职',
  contract_ended: '合同期满',
  returned_home: '返乡',
  family: '照顾家庭',
  dismissed: '被辞退',
  business_closed: '企业停产关闭',
  health: '健康原因',
  other: '其他',
});
/**
 * What confirms a job beyond its being typed in (issue 21 item 3): a follow-up that found the
 * person at work, the employer (its own hire, or its confirmation of a current employee), social
 * insurance contributions matched to it. A job with none is typed only (录入未核实).
 */
export const EVIDENCE_KIND = dict({ follow_up: '回访确认', employer: '用人单位确认', social_insurance: '社保比对' });
export const EvidenceSchema = Type.Object({ kind: EVIDENCE_KIND.schema, kindLabel: Type.String(), on: Type.String() });
export const FOLLOW_UP_METHOD = dict({ phone: '电话', visit: '上门走访', wechat: '微信', employer: '向用人单位了解', sms: '短信' });
export const FOLLOW_UP_STATUS = dict({ due: '待回访', done: '已回访', cancelled: '已取消（离职）', missed: '未回访（已离职）' });
export const FOLLOW_UP_MONTHS = [1, 3, 6, 12] as const;
export const RESPONSIBLE_KIND = dict({ village: '村信息员', broker: '劳务经纪人', liaison: '驻外服务中心' });
export const UNEMPLOYMENT_BENEFIT = dict({ not_assessed: '未评估', not_eligible: '不符合条件', applied: '已申领', granted: '已领取' });
export const CASE_STATUS = dict({ open: '服务中', closed: '已结案' });
export const CASE_CLOSE_REASON = dict({ new_job: '重新就业', not_seeking: '暂无就业意愿', moved_away: '迁出或失联', other: '其他' });
export const RISK_SIGN = dict({
  overdue_follow_up: '回访逾期',
  reported_problem: '回访反映问题',
  far_with_caring: '远离家乡且有照料负担',
  short_tenure: '以往工作时间短',
  wage_below_expectation: '工资低于期望',
});

const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S', description });

/** The channels staff register a job with ('unknown' is only the migrated hand-set statuses'). */
export const REGISTERED_CHANNEL = Type.Unsafe<Exclude<(typeof EMPLOYMENT_CHANNEL.codes)[number], 'unknown'>>({
  type: 'string',
  enum: EMPLOYMENT_CHANNEL.codes.filter((c) => c !== 'unknown'),
  description: '就业渠道：自主就业、就业帮扶、创业、公益性岗位',
});

export const CreateEmploymentBody = Strict({
  laborerId: Id,
  /** A registered employer, or none (self-found work, a small shop: then workplaceName, and its credit code when it has one). */
  employerId: Type.Optional(Id),
  workplaceName: Type.Optional(Type.String({ minLength: 2, maxLength: 100, description: '工作单位名称（无登记用人单位时）' })),
  /** GB 32100, check character verified; a code of a registered employer links the job to it. */
  employerCreditCode: Type.Optional(Type.String({ minLength: 18, maxLength: 40, description: '统一社会信用代码（无登记用人单位时）' })),
  workplaceContact: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '单位联系方式' })),
  workRegionCode: Type.String({ pattern: '^(\\d{6}|\\d{9}|\\d{12})$', description: '工作地（县级或以下）' }),
  occupationCode: Type.Optional(Type.String({ pattern: '^[1-8](-\\d{2}){0,3}$', description: '职业（2022 版大典）' })),
  startedOn: Day('入职日期'),
  monthlyWage: Type.Integer({ minimum: 0, maximum: 1_000_000, description: '月工资（元）' }),
  socialInsurance: Type.Boolean({ default: false, description: '是否参加社会保险' }),
  channel: REGISTERED_CHANNEL,
});
export type CreateEmploymentInput = Static<typeof CreateEmploymentBody>;

export const EndEmploymentBody = Strict({
  endedOn: Day('离职日期（最后工作日）'),
  reason: END_REASON.schema,
  note: Type.Optional(Text(500, '说明')),
  /** Came back home (返乡): the card is flagged and back on the demand list. */
  returnee: Type.Optional(Type.Boolean({ default: false })),
});
export type EndEmploymentInput = Static<typeof EndEmploymentBody>;

export const EmploymentListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  laborer: Type.Optional(Id),
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('ended')])),
  ...PageQuery,
});
export type EmploymentListQueryInput = Static<typeof EmploymentListQuery>;

const LaborerBrief = Type.Object({
  id: Type.String(),
  name: Type.String(),
  sex: Type.String(),
  idNumberMasked: Type.String(),
  phoneMasked: Nullable(Type.String()),
  villageCode: Type.String(),
  villageName: Type.String(),
});

export const EmploymentSchema = Type.Object({
  id: Type.String(),
  laborer: LaborerBrief,
  employerId: Nullable(Type.String()),
  employerName: Nullable(Type.String()),
  workplaceName: Nullable(Type.String()),
  /** The credit code given with workplaceName (a registered employer's is on the employer). */
  employerCreditCode: Nullable(Type.String()),
  contact: Nullable(Type.String()),
  referralId: Nullable(Type.String()),
  workRegionCode: Type.String(),
  workRegionName: Type.String(),
  occupationCode: Nullable(Type.String()),
  startedOn: Type.String(),
  endedOn: Nullable(Type.String()),
  endReason: Nullable(END_REASON.schema),
  endNote: Nullable(Type.String()),
  monthlyWage: Nullable(Type.Integer()),
  socialInsurance: Type.Boolean(),
  channel: EMPLOYMENT_CHANNEL.schema,
  /** 县内 / 县外省内 / 省外, relative to the laborer's home county. */
  place: Type.Union([Type.Literal('in_county'), Type.Literal('in_province'), Type.Literal('out_of_province')]),
  /** The latest confirmation of the job (on the card's and the detail's views); null: typed only. */
  lastEvidence: Type.Optional(Nullable(EvidenceSchema)),
});
export type Employment = Static<typeof EmploymentSchema>;
export const EmploymentListSchema = Type.Object({ items: Type.Array(EmploymentSchema), total: Type.Integer() });

export const FollowUpSchema = Type.Object({
  id: Type.String(),
  employmentId: Type.String(),
  laborer: LaborerBrief,
  workplace: Nullable(Type.String()),
  workRegionName: Type.String(),
  startedOn: Type.String(),
  months: Type.Integer(),
  dueOn: Type.String(),
  overdue: Type.Boolean(),
  responsibleKind: RESPONSIBLE_KIND.schema,
  responsible: Nullable(Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() })),
  status: FOLLOW_UP_STATUS.schema,
  doneOn: Nullable(Type.String()),
  method: Nullable(FOLLOW_UP_METHOD.schema),
  stillEmployed: Nullable(Type.Boolean()),
  problems: Nullable(Type.String()),
  helpGiven: Nullable(Type.String()),
});
export type FollowUp = Static<typeof FollowUpSchema>;
export const FollowUpListSchema = Type.Object({ items: Type.Array(FollowUpSchema), total: Type.Integer() });

export const ReemploymentCaseSchema = Type.Object({
  id: Type.String(),
  laborer: LaborerBrief,
  endedEmployment: Type.Object({
    id: Type.String(),
    workplace: Nullable(Type.String()),
    workRegionName: Type.String(),
    startedOn: Type.String(),
    endedOn: Nullable(Type.String()),
    endReason: Nullable(END_REASON.schema),
  }),
  openedOn: Type.String(),
  returnee: Type.Boolean(),
  unemploymentBenefit: UNEMPLOYMENT_BENEFIT.schema,
  retraining: Nullable(Type.String()),
  note: Nullable(Type.String()),
  status: CASE_STATUS.schema,
  closedOn: Nullable(Type.String()),
  closeReason: Nullable(CASE_CLOSE_REASON.schema),
  newEmploymentId: Nullable(Type.String()),
});
export type ReemploymentCase = Static<typeof ReemploymentCaseSchema>;
export const ReemploymentCaseListSchema = Type.Object({ items: Type.Array(ReemploymentCaseSchema), total: Type.Integer() });

/**
 * Correcting a past employment (issue 16 item 1): its dates, work place or wage, with a stated
 * reason kept in the employment's ledger. Ending a job is /end; a correction changes an end only
 * of a job already ended.
 */
export const CorrectEmploymentBody = Strict({
  startedOn: Type.Optional(Day('更正后的入职日期')),
  endedOn: Type.Optional(Day('更正后的离职日期（仅已离职的记录）')),
  workRegionCode: Type.Optional(Type.String({ pattern: '^(\\d{6}|\\d{9}|\\d{12})$', description: '更正后的工作地（县级或以下）' })),
  monthlyWage: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: '更正后的月工资（元）' })),
  reason: Type.String({ minLength: 2, maxLength: 200, pattern: '\\S', description: '更正原因' }),
});
export type CorrectEmploymentInput = Static<typeof CorrectEmploymentBody>;

export const EmploymentCorrectionSchema = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  by: Nullable(Type.Object({ username: Type.String(), displayName: Type.String() })),
  reason: Type.String(),
  /** Fields: startedOn, endedOn, workRegionCode, monthlyWage. */
  changes: Type.Array(Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
});
export type EmploymentCorrection = Static<typeof EmploymentCorrectionSchema>;

export const EmploymentDetailSchema = Type.Object({
  employment: EmploymentSchema,
  followUps: Type.Array(FollowUpSchema),
  reemploymentCase: Nullable(ReemploymentCaseSchema),
  /** The employment's ledger of corrections, newest first. */
  corrections: Type.Array(EmploymentCorrectionSchema),
  /** Every confirmation of the job, newest first. */
  evidence: Type.Array(EvidenceSchema),
});
export type EmploymentDetail = Static<typeof EmploymentDetailSchema>;

/** The card's jobs (一人一卡 "current employment"): the status they give today, the open job, the ended ones (newest first). */
export const CardEmploymentsSchema = Type.Object({
  laborerId: Type.String(),
  /** employed / unemployed / not_working, today: from the records (不具备就业条件 from the card). */
  employmentStatus: Type.String(),
  current: Nullable(EmploymentSchema),
  past: Type.Array(EmploymentSchema),
});
export type CardEmployments = Static<typeof CardEmploymentsSchema>;

export const FollowUpListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  /** due: not yet done (overdue and upcoming); overdue: past due and not done; done: recorded. */
  status: Type.Optional(Type.Union([Type.Literal('due'), Type.Literal('overdue'), Type.Literal('done')])),
  /** Only those on the caller's own list. */
  mine: Type.Optional(Type.Boolean()),
  laborer: Type.Optional(Id),
  /** Due on or before this day (the coming week's list). */
  dueBy: Type.Optional(Day('截至日期')),
  ...PageQuery,
});
export type FollowUpListQueryInput = Static<typeof FollowUpListQuery>;

export const RecordFollowUpBody = Strict({
  doneOn: Day('回访日期'),
  method: FOLLOW_UP_METHOD.schema,
  stillEmployed: Type.Boolean({ description: '是否仍在岗' }),
  problems: Type.Optional(Text(500, '反映的问题')),
  helpGiven: Type.Optional(Text(500, '提供的帮助')),
  /** When no longer at work: the last day of work (defaults to the follow-up's day) and why. */
  endedOn: Type.Optional(Day('离职日期')),
  endReason: Type.Optional(END_REASON.schema),
  returnee: Type.Optional(Type.Boolean()),
});
export type RecordFollowUpInput = Static<typeof RecordFollowUpBody>;

/** One follow-up form for several people at once (issue 18 item 4): each recorded as a single one, all or none. */
export const RecordFollowUpsBody = Strict({
  ids: Type.Array(Id, { minItems: 1, maxItems: 200, description: '回访任务编号' }),
  ...RecordFollowUpBody.properties,
});
export type RecordFollowUpsInput = Static<typeof RecordFollowUpsBody>;
export const FollowUpBatchSchema = Type.Object({
  /** Follow-ups recorded: every one selected. */
  count: Type.Integer(),
  /** Of them, people no longer at work: their employment ended and a re-employment case opened. */
  ended: Type.Integer(),
  items: Type.Array(FollowUpSchema),
});
export type FollowUpBatch = Static<typeof FollowUpBatchSchema>;

export const OverdueQuery = Strict({ region: Type.Optional(RegionCodeSchema) });
export const OverdueSummarySchema = Type.Object({
  asOf: Type.String(),
  total: Type.Integer(),
  byRegion: Type.Array(Type.Object({ regionCode: Type.String(), regionName: Type.String(), overdue: Type.Integer(), due: Type.Integer() })),
  byResponsible: Type.Array(
    Type.Object({
      kind: RESPONSIBLE_KIND.schema,
      account: Nullable(Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() })),
      regionName: Type.String(),
      overdue: Type.Integer(),
      oldestDueOn: Type.String(),
    }),
  ),
});
export type OverdueSummary = Static<typeof OverdueSummarySchema>;

export const CaseListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  status: Type.Optional(CASE_STATUS.schema),
  laborer: Type.Optional(Id),
  ...PageQuery,
});
export type CaseListQueryInput = Static<typeof CaseListQuery>;

export const UpdateCaseBody = Strict({
  unemploymentBenefit: Type.Optional(UNEMPLOYMENT_BENEFIT.schema),
  retraining: Type.Optional(Type.Union([Text(200, '转岗培训'), Type.Null()])),
  note: Type.Optional(Type.Union([Text(500, '服务记录'), Type.Null()])),
});
export type UpdateCaseInput = Static<typeof UpdateCaseBody>;

export const CloseCaseBody = Strict({
  reason: Type.Union([Type.Literal('not_seeking'), Type.Literal('moved_away'), Type.Literal('other')], {
    description: '结案原因（重新就业由就业登记自动结案）',
  }),
  note: Type.Optional(Text(500, '说明')),
});
export type CloseCaseInput = Static<typeof CloseCaseBody>;

// ——— The three lists (三个清单), retention rate and risk ———

export const TaskListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  willingness: Type.Optional(Type.String({ maxLength: 30 })),
  ...PageQuery,
});
export type TaskListQueryInput = Static<typeof TaskListQuery>;
export const TaskItemSchema = Type.Object({
  laborer: LaborerBrief,
  age: Type.Integer(),
  willingness: Type.String(),
  wantedJobTypes: Type.Array(Type.String()),
  expectedWage: Nullable(Type.Integer()),
  skills: Type.Array(Type.String()),
  certificates: Type.Array(Type.String()),
  caring: Type.String(),
  flags: Type.Array(Type.String()),
  openCaseId: Nullable(Type.String()),
});
export const TaskListSchema = Type.Object({ items: Type.Array(TaskItemSchema), total: Type.Integer() });

export const ResponsibilityQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  /** home: laborers whose home is in the region; working: laborers from elsewhere working in it. */
  side: Type.Optional(Type.Union([Type.Literal('home'), Type.Literal('working')])),
  ...PageQuery,
});
export type ResponsibilityQueryInput = Static<typeof ResponsibilityQuery>;
const Party = Type.Object({ kind: Type.String(), name: Type.String(), code: Nullable(Type.String()) });
export const ResponsibilityItemSchema = Type.Object({
  laborer: LaborerBrief,
  employed: Type.Boolean(),
  workRegionName: Nullable(Type.String()),
  /** Who must act: the home county always; when employed also the work county and the liaison office there. */
  responsible: Type.Array(Party),
  tasks: Type.Array(Type.String()),
});
export const ResponsibilitySchema = Type.Object({
  summary: Type.Object({
    notEmployed: Type.Integer(),
    employed: Type.Integer(),
    followedByLiaison: Type.Integer(),
    openCases: Type.Integer(),
    overdueFollowUps: Type.Integer(),
  }),
  items: Type.Array(ResponsibilityItemSchema),
  total: Type.Integer(),
});

export const RetentionListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  /** Level of the place of work to group by. */
  groupBy: Type.Optional(Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('county')])),
  /** Rows of one group only (a place-of-work code at the grouping level). */
  workRegion: Type.Optional(RegionCodeSchema),
  ...PageQuery,
});
export type RetentionListQueryInput = Static<typeof RetentionListQuery>;
export const RetentionListSchema = Type.Object({
  groups: Type.Array(Type.Object({ regionCode: Type.String(), regionName: Type.String(), laborers: Type.Integer() })),
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      laborer: LaborerBrief,
      employmentId: Type.String(),
      workRegionCode: Type.String(),
      workRegionName: Type.String(),
      employer: Nullable(Type.String()),
      contact: Nullable(Type.String()),
      startedOn: Type.String(),
      monthlyWage: Nullable(Type.Integer()),
    }),
  ),
  itemsTotal: Type.Integer(),
});

/**
 * 本月返乡人员 (issue 20 item 2): the jobs that ended this month (China time) of the caller's
 * region's laborers, each with who is to call them: the follow-up's responsible account when the
 * job has one, else the village officer(s) of the laborer's village.
 */
export const ReturneesQuery = Strict({ region: Type.Optional(RegionCodeSchema), ...PageQuery });
export type ReturneesQueryInput = Static<typeof ReturneesQuery>;
export const ReturneesSchema = Type.Object({
  /** The month's first day and today: the jobs ended between them, both included. */
  from: Type.String(),
  to: Type.String(),
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      laborer: LaborerBrief,
      employmentId: Type.String(),
      workRegionName: Type.String(),
      employer: Nullable(Type.String()),
      startedOn: Type.String(),
      endedOn: Type.String(),
      endReason: Nullable(END_REASON.schema),
      responsible: Type.Array(
        Type.Object({
          kind: Type.Union([Type.Literal('follow_up'), Type.Literal('village_officer')], {
            description: 'follow_up: 回访责任人；village_officer: 村级信息员',
          }),
          accountId: Type.String(),
          name: Type.String(),
        }),
      ),
    }),
  ),
});
export type Returnees = Static<typeof ReturneesSchema>;

export const ListExportParams = Strict({
  list: Type.Union([Type.Literal('tasks'), Type.Literal('responsibility'), Type.Literal('retention')]),
});
export const ListExportQuery = Strict({ region: Type.Optional(RegionCodeSchema) });

export const RetentionRateQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  employer: Type.Optional(Id),
  broker: Type.Optional(Id),
  months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, default: 6 })),
  asOf: Type.Optional(Day('截至日期')),
  /** The laborers behind the figure: retained, or not retained. */
  list: Type.Optional(Type.Union([Type.Literal('retained'), Type.Literal('left')])),
  ...PageQuery,
});
export type RetentionRateQueryInput = Static<typeof RetentionRateQuery>;
export const RetentionRateSchema = Type.Object({
  asOf: Type.String(),
  months: Type.Integer(),
  placed: Type.Integer(),
  retained: Type.Integer(),
  rate: Nullable(Type.Number()),
  items: Type.Array(
    Type.Object({
      laborer: LaborerBrief,
      employmentId: Type.String(),
      workplace: Nullable(Type.String()),
      startedOn: Type.String(),
      endedOn: Nullable(Type.String()),
      retained: Type.Boolean(),
    }),
  ),
  itemsTotal: Type.Integer(),
});

export const RiskQuery = Strict({ region: Type.Optional(RegionCodeSchema), sign: Type.Optional(RISK_SIGN.schema), ...PageQuery });
export type RiskQueryInput = Static<typeof RiskQuery>;
export const RiskListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      laborer: LaborerBrief,
      employmentId: Type.String(),
      workplace: Nullable(Type.String()),
      workRegionName: Type.String(),
      startedOn: Type.String(),
      score: Type.Integer(),
      signs: Type.Array(Type.Object({ sign: RISK_SIGN.schema, detail: Type.String() })),
    }),
  ),
  total: Type.Integer(),
});

/** An employer confirms that a current employee still works there (issue 21 item 3). */
export const ConfirmEmploymentBody = Strict({
  note: Type.Optional(Type.String({ maxLength: 200, description: '说明（选填）' })),
});
export type ConfirmEmploymentInput = Static<typeof ConfirmEmploymentBody>;

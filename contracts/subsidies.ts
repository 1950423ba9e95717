import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * 补贴: to a laborer (training, social insurance, job, transport, one-time job, policy support) or
 * to an employer or workshop (retention: 1,000 yuan per laborer per year kept over one year, the
 * second article's rule; site, logistics, employment, social insurance for workshops); amount,
 * period, status applied → approved → paid (or rejected), who did each step and when.
 */
export const LABORER_SUBSIDY_KIND = dict({
  training: '职业培训补贴',
  social_insurance: '社会保险补贴',
  job: '岗位补贴',
  transport: '交通补贴',
  one_time_job: '一次性求职就业补贴',
  policy_support: '政策扶持',
  public_welfare: '公益性岗位补贴',
});
export const EMPLOYER_SUBSIDY_KIND = dict({
  retention: '稳岗补贴（吸纳贫困劳动力稳定就业1年以上）',
  site: '场地补贴',
  logistics: '物流补贴',
  employment: '就业补贴',
  social_insurance: '社会保险补贴',
});
/** 购买服务 (issue 20 item 6): a broker's pay per placement kept N months, drafted from the contract, never applied for by hand. */
export const BROKER_SUBSIDY_KIND = dict({ broker_service: '劳务经纪人购买服务费' });
/** Every kind code with its label (social_insurance is both a laborer's and a workshop's). */
export const SUBSIDY_KIND = dict({
  ...LABORER_SUBSIDY_KIND.labels,
  ...EMPLOYER_SUBSIDY_KIND.labels,
  ...BROKER_SUBSIDY_KIND.labels,
  social_insurance: '社会保险补贴',
});
export type SubsidyKind = (typeof SUBSIDY_KIND.codes)[number];
/** Who an application is made for (POST /subsidies). */
export const SUBSIDY_RECIPIENT = dict({ laborer: '劳动力', employer: '用人单位（扶贫车间）' });
/** Who a subsidy in the ledger is paid to: also a broker (drafted from the contract, modules/brokers). */
export const SUBSIDY_PAYEE = dict({ ...SUBSIDY_RECIPIENT.labels, broker: '劳务经纪人' });
export const SUBSIDY_STATUS = dict({ applied: '待审批', approved: '已审批待发放', paid: '已发放', rejected: '已驳回' });
export type SubsidyStatus = (typeof SUBSIDY_STATUS.codes)[number];
/** Kinds drafted from their own records, never applied for by hand: a public-welfare post's month from its attendance. */
export const DRAFTED_ONLY_KINDS = ['public_welfare'] as const;
/** Kinds paid only for time at work: their period must lie within the laborer's employment. */
export const WORK_REQUIRED_KINDS = ['social_insurance', 'job', 'one_time_job', 'retention'] as const;
/** The retention subsidy: yuan per laborer per year (长沙's rule in the second article). */
export const RETENTION_YUAN_PER_YEAR = 1000;

const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S', description });
const Year = Type.Integer({ minimum: 2016, maximum: 2100, description: '年度' });

export const CreateSubsidyBody = Strict({
  recipient: SUBSIDY_RECIPIENT.schema,
  kind: SUBSIDY_KIND.schema,
  /** A laborer's subsidy, and the retention subsidy (the laborer kept). */
  laborerId: Type.Optional(Id),
  /** An employer's or workshop's subsidy. */
  employerId: Type.Optional(Id),
  /** Yuan, more than 0; the retention subsidy is always 1,000 per year. */
  amount: Type.Number({ description: '金额（元）' }),
  periodFrom: Day('补贴期间起'),
  periodTo: Day('补贴期间止'),
  note: Type.Optional(Text(500, '说明')),
  /** A laborer's bank account (社保卡 or 一卡通) for the bank batch (代发), digits only. */
  bankAccount: Type.Optional(Type.String({ pattern: '^[0-9]{10,30}$', description: '收款银行账号' })),
});
export type CreateSubsidyInput = Static<typeof CreateSubsidyBody>;

export const SubsidyListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  status: Type.Optional(SUBSIDY_STATUS.schema),
  kind: Type.Optional(SUBSIDY_KIND.schema),
  recipient: Type.Optional(SUBSIDY_PAYEE.schema),
  laborer: Type.Optional(Id),
  employer: Type.Optional(Id),
  /** The approval queue: applied ones the caller may approve (not their own applications). */
  queue: Type.Optional(Type.Boolean()),
  ...PageQuery,
});
export type SubsidyListQueryInput = Static<typeof SubsidyListQuery>;
/** The export: the list's filters, every page. */
export const SubsidyExportQuery = Type.Omit(SubsidyListQuery, ['page', 'pageSize']);

const Step = Nullable(Type.Object({ by: Nullable(Type.String()), at: Type.String() }));

export const SubsidySchema = Type.Object({
  id: Type.String(),
  recipient: SUBSIDY_PAYEE.schema,
  kind: SUBSIDY_KIND.schema,
  laborer: Nullable(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      idNumberMasked: Type.String(),
      villageCode: Type.String(),
      villageName: Type.String(),
    }),
  ),
  employer: Nullable(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() })),
  /** A broker's pay (购买服务): the broker. */
  broker: Type.Optional(Nullable(Type.Object({ id: Type.String(), name: Type.String() }))),
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  amount: Type.Number(),
  periodFrom: Type.String(),
  periodTo: Type.String(),
  status: SUBSIDY_STATUS.schema,
  note: Nullable(Type.String()),
  applied: Step,
  approved: Step,
  paid: Step,
  paidOn: Nullable(Type.String()),
  paymentRef: Nullable(Type.String()),
  rejected: Step,
  rejectReason: Nullable(Type.String()),
  /** The account a laborer's subsidy is paid to, masked (6222***********0001); the whole number only in the bank file. */
  bankAccountMasked: Type.Optional(Nullable(Type.String())),
});
export type Subsidy = Static<typeof SubsidySchema>;

export const SubsidyListSchema = Type.Object({ items: Type.Array(SubsidySchema), total: Type.Integer(), amount: Type.Number() });
export type SubsidyList = Static<typeof SubsidyListSchema>;

export const ApproveSubsidyBody = Strict({ note: Type.Optional(Text(500, '审批意见')) });
export const RejectSubsidyBody = Strict({ reason: Text(500, '驳回理由') });
export const PaySubsidyBody = Strict({ paymentRef: Type.Optional(Text(60, '支付凭证号')) });
/** The account a laborer's subsidy is paid to, given or corrected before it is paid (a wrong one the bank failed; one applied for before accounts were recorded). */
export const SetBankAccountBody = Strict({
  bankAccount: Type.String({ pattern: '^[0-9]{10,30}$', description: '收款银行账号' }),
  reason: Type.String({ minLength: 2, maxLength: 200, pattern: '\\S', description: '修改原因，如“原账户已销户，本人提供新账号”' }),
});
export type SetBankAccountInput = Static<typeof SetBankAccountBody>;
export type RejectSubsidyInput = Static<typeof RejectSubsidyBody>;
export type PaySubsidyInput = Static<typeof PaySubsidyBody>;

/** Several applications in one action (issue 18 item 4): all of them moved, or none, with the reason stated once. */
const BatchIds = Type.Array(Id, { minItems: 1, maxItems: 200, description: '补贴编号' });
const Reason = (description: string) => Type.String({ minLength: 2, maxLength: 200, pattern: '\\S', description });
export const BatchApproveSubsidyBody = Strict({ ids: BatchIds, reason: Reason('审批意见，如“材料齐全，同意”') });
export const BatchPaySubsidyBody = Strict({
  ids: BatchIds,
  reason: Reason('发放说明，如“第二季度培训补贴集中发放”'),
  /** The day the money went out (the bank's day), not after today nor before a subsidy's approval. */
  paidOn: Day('发放日期'),
  paymentRef: Type.Optional(Text(60, '支付凭证号')),
});
export type BatchApproveSubsidyInput = Static<typeof BatchApproveSubsidyBody>;
export type BatchPaySubsidyInput = Static<typeof BatchPaySubsidyBody>;
export const SubsidyBatchSchema = Type.Object({
  /** Subsidies moved: every one selected. */
  count: Type.Integer(),
  /** Their yuan. */
  amount: Type.Number(),
  ids: Type.Array(Type.String()),
});
export type SubsidyBatch = Static<typeof SubsidyBatchSchema>;

export const SubsidySummaryQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  from: Type.Optional(Day('发放日期起')),
  to: Type.Optional(Day('发放日期止')),
});
export type SubsidySummaryQueryInput = Static<typeof SubsidySummaryQuery>;

export const SubsidySummarySchema = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  from: Type.String(),
  to: Type.String(),
  /** Per kind: persons receiving it (paid in the period, by the laborer's home region), payments and yuan. */
  kinds: Type.Array(
    Type.Object({ kind: Type.String(), label: Type.String(), persons: Type.Integer(), payments: Type.Integer(), amount: Type.Number() }),
  ),
  /** Waiting in the pipeline (not by period): applied, approved. */
  pending: Type.Object({ applied: Type.Integer(), approved: Type.Integer() }),
});
export type SubsidySummary = Static<typeof SubsidySummarySchema>;

export const EligibilityQuery = Strict({
  year: Year,
  /** Employers in this region (default the caller's). */
  region: Type.Optional(RegionCodeSchema),
  /** true: only those not yet subsidised for the year (the draft's rows). */
  onlyNew: Type.Optional(Type.Boolean()),
  ...PageQuery,
});
export type EligibilityQueryInput = Static<typeof EligibilityQuery>;

export const EligibleSchema = Type.Object({
  laborer: Type.Object({
    id: Type.String(),
    name: Type.String(),
    idNumberMasked: Type.String(),
    villageCode: Type.String(),
    villageName: Type.String(),
  }),
  employer: Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), regionCode: Type.String() }),
  /** The continuous spell at the employer (consecutive records joined). */
  since: Type.String(),
  until: Nullable(Type.String()),
  /** Whole months at the employer by the end of the year (or the spell's end). */
  months: Type.Integer(),
  amount: Type.Number(),
  /** A subsidy for this laborer and year already exists (not rejected): its id and status. */
  existing: Nullable(Type.Object({ id: Type.String(), status: SUBSIDY_STATUS.schema, employerId: Type.String() })),
});
export type Eligible = Static<typeof EligibleSchema>;

export const EligibilitySchema = Type.Object({
  year: Type.Integer(),
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  items: Type.Array(EligibleSchema),
  total: Type.Integer(),
  /** Of the total, not yet subsidised for the year: the rows a draft creates. */
  new: Type.Integer(),
  /** Rows of the list being paged (the new ones with onlyNew, else the total). */
  listed: Type.Integer(),
  amount: Type.Number(),
});
export type Eligibility = Static<typeof EligibilitySchema>;

export const DraftRetentionBody = Strict({
  year: Year,
  region: RegionCodeSchema,
  /** Only these laborers of the list (default every one not yet subsidised). */
  laborerIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 5000, uniqueItems: true })),
});
export type DraftRetentionInput = Static<typeof DraftRetentionBody>;

export const DraftRetentionSchema = Type.Object({
  year: Type.Integer(),
  region: Type.String(),
  /** Applications created (status applied), waiting for approval. */
  created: Type.Integer(),
  /** Eligible laborers that already had one (a concurrent draft, an earlier application). */
  skipped: Type.Integer(),
  amount: Type.Number(),
});
export type DraftRetention = Static<typeof DraftRetentionSchema>;

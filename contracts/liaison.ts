import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, Strict } from './common.ts';
import { EMPLOYMENT_CHANNEL } from './referrals.ts';
import { POSTING_STATE } from './postings.ts';

/**
 * Liaison offices (驻外劳务对接服务中心): the office of a home county in a host city sees the
 * laborers of its home county working in its host city (an open employment there), records their
 * problems and the help given, and lists the postings it gathered locally.
 */
export const LIAISON_CASE_KIND = dict({
  wage_arrears: '工资拖欠',
  labor_dispute: '劳动纠纷',
  work_injury: '工伤',
  hardship: '生活困难',
  return_home: '返乡意愿',
  other: '其他',
});
export type LiaisonCaseKind = (typeof LIAISON_CASE_KIND.codes)[number];
export const LIAISON_CASE_STATUS = dict({ open: '处理中', closed: '已办结' });

const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = (description: string) => Type.String({ format: 'date', description });
/** Free text: at least one non-blank character. */
const Text = (description: string) => Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S', description });

export const LaborerIdParams = Strict({ laborerId: Id });

export const WorkerListQuery = Strict({
  /** Name (汉字, 拼音 or initials), ID number tail or employer name. */
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  ...PageQuery,
});
export type WorkerListQueryInput = Static<typeof WorkerListQuery>;
/** The export: the list's search, every page (issue 18 item 2). */
export const WorkerExportQuery = Type.Omit(WorkerListQuery, ['page', 'pageSize']);
export type WorkerExportQueryInput = Static<typeof WorkerExportQuery>;

const EmploymentSchema = Type.Object({
  id: Type.String(),
  employerId: Type.Union([Type.String(), Type.Null()]),
  /** The registered employer's name, else the workplace written on the employment (as the 稳岗清单 shows it). */
  employerName: Type.Union([Type.String(), Type.Null()]),
  /** The employer's contact phone, else the workplace contact on the employment (a business number, not masked). */
  employerContact: Type.Union([Type.String(), Type.Null()]),
  postingId: Type.Union([Type.String(), Type.Null()]),
  postingTitle: Type.Union([Type.String(), Type.Null()]),
  workRegionCode: Type.String(),
  workRegionName: Type.String(),
  occupationCode: Type.Union([Type.String(), Type.Null()]),
  startedOn: Type.String(),
  monthlyWage: Type.Union([Type.Integer(), Type.Null()]),
  channel: EMPLOYMENT_CHANNEL.schema,
});
export type LiaisonEmployment = Static<typeof EmploymentSchema>;

/** A worker as the office sees them: identifiers masked. */
export const WorkerSchema = Type.Object({
  laborerId: Type.String(),
  name: Type.String(),
  sex: Type.String(),
  idNumberMasked: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  villageCode: Type.String(),
  villageName: Type.String(),
  employment: EmploymentSchema,
  openCases: Type.Integer(),
});
export type Worker = Static<typeof WorkerSchema>;
export const WorkerListSchema = Type.Object({ items: Type.Array(WorkerSchema), total: Type.Integer() });
export type WorkerList = Static<typeof WorkerListSchema>;

const AccountRef = Type.Object({ username: Type.String(), displayName: Type.String() });

export const LiaisonCaseSchema = Type.Object({
  id: Type.String(),
  laborerId: Type.String(),
  laborerName: Type.String(),
  villageName: Type.String(),
  /** The office: its home county and host city. */
  homeRegionCode: Type.String(),
  hostRegionCode: Type.String(),
  hostRegionName: Type.String(),
  recordedBy: AccountRef,
  reportedOn: Type.String(),
  kind: LIAISON_CASE_KIND.schema,
  description: Type.String(),
  helpGiven: Type.Union([Type.String(), Type.Null()]),
  status: LIAISON_CASE_STATUS.schema,
  closedOn: Type.Union([Type.String(), Type.Null()]),
  employerName: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type LiaisonCase = Static<typeof LiaisonCaseSchema>;
export const LiaisonCaseListSchema = Type.Object({ items: Type.Array(LiaisonCaseSchema), total: Type.Integer() });
export type LiaisonCaseList = Static<typeof LiaisonCaseListSchema>;

export const WorkerDetailSchema = Type.Object({
  ...WorkerSchema.properties,
  cases: Type.Array(LiaisonCaseSchema),
});
export type WorkerDetail = Static<typeof WorkerDetailSchema>;

export const CreateCaseBody = Strict({
  kind: LIAISON_CASE_KIND.schema,
  description: Text('反映的问题'),
  /** Default today (China Standard Time); never in the future. */
  reportedOn: Type.Optional(Day('反映日期 YYYY-MM-DD')),
  /** Help given so far (the case stays open until it is closed). */
  helpGiven: Type.Optional(Text('已提供的帮助')),
});
export type CreateCaseInput = Static<typeof CreateCaseBody>;

export const UpdateCaseBody = Type.Object(
  {
    kind: Type.Optional(LIAISON_CASE_KIND.schema),
    description: Type.Optional(Text('反映的问题')),
    helpGiven: Type.Optional(Text('提供的帮助')),
    /** 'closed' closes the case (办结): it needs the help given, here or recorded before. */
    status: Type.Optional(Type.Literal('closed')),
    /** With status 'closed': default today; not before the report, not in the future. */
    closedOn: Type.Optional(Day('办结日期 YYYY-MM-DD')),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCaseInput = Static<typeof UpdateCaseBody>;

export const CaseListQuery = Strict({
  status: Type.Optional(LIAISON_CASE_STATUS.schema),
  kind: Type.Optional(LIAISON_CASE_KIND.schema),
  laborer: Type.Optional(Id),
  ...PageQuery,
});
export type CaseListQueryInput = Static<typeof CaseListQuery>;

export const OfficePostingSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  employerId: Type.String(),
  employerName: Type.String(),
  occupationCode: Type.String(),
  workRegionCode: Type.String(),
  workRegionName: Type.String(),
  headcount: Type.Integer(),
  filled: Type.Integer(),
  wageMin: Type.Integer(),
  wageMax: Type.Integer(),
  validFrom: Type.String(),
  validTo: Type.String(),
  state: POSTING_STATE.schema,
  /** Employments opened on the posting (hires). */
  hires: Type.Integer(),
  createdBy: AccountRef,
  createdAt: Type.String({ format: 'date-time' }),
});
export type OfficePosting = Static<typeof OfficePostingSchema>;
export const OfficePostingListSchema = Type.Object({ items: Type.Array(OfficePostingSchema), total: Type.Integer() });
export type OfficePostingList = Static<typeof OfficePostingListSchema>;
export const OfficePostingQuery = Strict({ ...PageQuery });

import { Type, type Static } from '@sinclair/typebox';
import { END_REASON } from './employment.ts';
import { PageQuery, Paged, RegionCodeSchema, Strict } from './common.ts';

/**
 * 公益性岗位 (issue 20 item 9): posts a village committee or a township offers (保洁, 护林, 道路养护 …)
 * to poor laborers who can work but cannot leave home, each with its place and monthly pay
 * standard; a laborer assigned to a post (the assignment opens the employment record, channel
 * public_welfare), the days worked each month, the month's pay drafted once into the subsidy
 * ledger (公益性岗位补贴), and the exit (which ends the employment record).
 */
const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S', description });
const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: '月份（YYYY-MM）' });

/** The statutory paid days of a month (劳社部发〔2008〕3号): a month's pay is standard × days / 21.75, at most the standard. */
export const PAID_DAYS_PER_MONTH = 21.75;

export const CreatePublicWelfarePostBody = Strict({
  name: Text(60, '岗位名称（如：村道保洁员、护林员）'),
  /** A registered employer; or else the name of the village committee or township that employs. */
  employerId: Type.Optional(Id),
  employerName: Type.Optional(Text(100, '用工单位名称（如：大竹村村民委员会）')),
  /** A township or a village. */
  regionCode: Type.String({ pattern: '^(\\d{9}|\\d{12})$', description: '岗位所在乡镇或村（9或12位区划代码）' }),
  monthlyPay: Type.Number({ exclusiveMinimum: 0, maximum: 20000, description: '月补贴标准（元）' }),
  headcount: Type.Integer({ minimum: 1, maximum: 1000, description: '岗位人数' }),
  duties: Type.Optional(Text(500, '岗位职责')),
});
export type CreatePublicWelfarePostInput = Static<typeof CreatePublicWelfarePostBody>;

export const PublicWelfarePostListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  ...PageQuery,
});
export type PublicWelfarePostListQueryInput = Static<typeof PublicWelfarePostListQuery>;

export const PublicWelfarePostSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  employer: Type.Object({ id: Nullable(Type.String()), name: Type.String() }),
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  monthlyPay: Type.Number(),
  headcount: Type.Integer(),
  /** Holders whose employment is open today. */
  filled: Type.Integer(),
  duties: Nullable(Type.String()),
});
export type PublicWelfarePost = Static<typeof PublicWelfarePostSchema>;
export const PublicWelfarePostListSchema = Paged(PublicWelfarePostSchema);

export const AssignPublicWelfareBody = Strict({
  postId: Id,
  laborerId: Id,
  startedOn: Day('上岗日期'),
});
export type AssignPublicWelfareInput = Static<typeof AssignPublicWelfareBody>;

export const ExitPublicWelfareBody = Strict({
  endedOn: Day('退岗日期（最后工作日）'),
  reason: END_REASON.schema,
  note: Type.Optional(Text(500, '说明')),
});
export type ExitPublicWelfareInput = Static<typeof ExitPublicWelfareBody>;

export const PublicWelfareHoldingListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  post: Type.Optional(Id),
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('ended')])),
  ...PageQuery,
});
export type PublicWelfareHoldingListQueryInput = Static<typeof PublicWelfareHoldingListQuery>;

export const PublicWelfareHoldingSchema = Type.Object({
  id: Type.String(),
  post: Type.Object({ id: Type.String(), name: Type.String(), monthlyPay: Type.Number(), regionName: Type.String() }),
  laborer: Type.Object({ id: Type.String(), name: Type.String(), idNumberMasked: Type.String(), villageName: Type.String() }),
  /** The employment record the assignment opened (channel public_welfare): its dates are the holding's. */
  employmentId: Type.String(),
  startedOn: Type.String(),
  endedOn: Nullable(Type.String()),
  endReason: Nullable(END_REASON.schema),
});
export type PublicWelfareHolding = Static<typeof PublicWelfareHoldingSchema>;
export const PublicWelfareHoldingListSchema = Paged(PublicWelfareHoldingSchema);

export const RecordAttendanceBody = Strict({
  month: Month,
  daysWorked: Type.Integer({ minimum: 0, maximum: 31, description: '出勤天数' }),
});
export type RecordAttendanceInput = Static<typeof RecordAttendanceBody>;

export const AttendanceSchema = Type.Object({
  month: Type.String(),
  daysWorked: Type.Integer(),
  /** Yuan: the post's standard × days / 21.75, at most the standard. */
  pay: Type.Number(),
  /** The subsidy the month's pay was drafted as, with its status; null: not drafted yet. */
  subsidy: Nullable(Type.Object({ id: Type.String(), status: Type.String() })),
});
export type Attendance = Static<typeof AttendanceSchema>;
export const AttendanceListSchema = Type.Object({ items: Type.Array(AttendanceSchema) });

export const DraftPayBody = Strict({
  month: Month,
  /** Default the caller's region. */
  region: Type.Optional(RegionCodeSchema),
});
export type DraftPayInput = Static<typeof DraftPayBody>;

export const PayDraftSchema = Type.Object({
  month: Type.String(),
  /** Persons whose month's pay was drafted now (a subsidy of kind public_welfare, status applied). */
  drafted: Type.Integer(),
  amount: Type.Number(),
  /** Persons with attendance recorded whose month already had a live public-welfare subsidy: not drafted again. */
  skipped: Type.Integer(),
});
export type PayDraft = Static<typeof PayDraftSchema>;

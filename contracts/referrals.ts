import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * Referrals (推荐): a laborer put forward for a posting, by whom and through which channel, with
 * its pipeline recommended → interviewed → hired / not hired / withdrawn, each step dated and by
 * whom. A hire opens the laborer's employment record (就业记录).
 */
export const REFERRAL_STATUS = dict({
  proposed: '待采纳',
  recommended: '已推荐',
  interviewed: '已面试',
  hired: '已录用',
  not_hired: '未录用',
  withdrawn: '已撤回',
  dismissed: '已驳回',
  superseded: '已被替代',
});
export type ReferralStatus = keyof typeof REFERRAL_STATUS.labels;

/** The pipeline's statuses: what the referral list shows and filters by. */
export const PIPELINE_STATUS = dict({
  recommended: '已推荐',
  interviewed: '已面试',
  hired: '已录用',
  not_hired: '未录用',
  withdrawn: '已撤回',
});
/** The steps a referral may take from each status; everything else is refused (REFERRAL_TRANSITION). */
export const REFERRAL_TRANSITIONS: Record<string, readonly ReferralStatus[]> = {
  recommended: ['interviewed', 'not_hired', 'withdrawn'],
  interviewed: ['hired', 'not_hired', 'withdrawn'],
};
export const STEP_STATUS = dict({ interviewed: '已面试', hired: '已录用', not_hired: '未录用', withdrawn: '已撤回' });

export const REFERRAL_CHANNEL = dict({
  staff: '工作人员推荐',
  broker: '劳务经纪人',
  fair: '招聘会',
  sms: '短信推送',
  self: '本人申请',
  batch: '批量匹配',
});
/** Channels staff may name when they record a referral (brokers' and batch runs' come from their own flows). */
export const STAFF_REFERRAL_CHANNEL = dict({ staff: '工作人员推荐', fair: '招聘会', sms: '短信推送', self: '本人申请' });
/**
 * The matching engine's hard conditions (modules/matching/score.ts), by stable code, in the order
 * they are checked; a pair failing one is refused by the matching screens and by POST /referrals
 * (REFERRAL_CONDITION_FAILED) unless the referrer states why it goes ahead anyway.
 */
export const HARD_CONDITION = dict({
  employment_status: '已就业或不具备就业条件',
  labor_capacity: '劳动能力不足',
  age: '年龄不符',
  education: '学历不足',
  work_place: '工作地点超出务工意愿',
  caring: '需照顾家人，只能在本县就业',
  abroad_health: '出国务工须身体健康',
});

/** Channels POST /referrals accepts: staff name theirs; a broker's referrals are always 'broker' (the credit is theirs). */
export const CREATE_REFERRAL_CHANNEL = dict({ ...STAFF_REFERRAL_CHANNEL.labels, broker: '劳务经纪人' });

export const EMPLOYMENT_CHANNEL = dict({
  self_found: '自主就业',
  assisted: '就业帮扶',
  entrepreneurship: '创业',
  public_welfare: '公益性岗位',
  /** Made from a card's hand-set 已就业 (migration 0028): nobody said how the work was found. */
  unknown: '不详（原手填已就业）',
});

const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Note = Type.String({ maxLength: 500 });

export const CreateReferralBody = Strict({
  laborerId: Id,
  postingId: Id,
  channel: CREATE_REFERRAL_CHANNEL.schema,
  note: Type.Optional(Note),
  /** Staff only: the recruitment team (招工小分队) the referral is credited to. */
  teamId: Type.Optional(Id),
  /**
   * Why the referral goes ahead although the pair fails a hard condition (the refusal
   * REFERRAL_CONDITION_FAILED names it); kept on the referral and shown wherever it is shown.
   */
  overrideReason: Type.Optional(Type.String({ minLength: 4, maxLength: 200, pattern: '\\S' })),
});
export type CreateReferralInput = Static<typeof CreateReferralBody>;

export const ReferralStepBody = Strict({
  status: STEP_STATUS.schema,
  note: Type.Optional(Note),
  /** Hired only: the first day of work (default today, China Standard Time). */
  startedOn: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD' })),
  /** Hired only: the agreed monthly wage in yuan (default the posting's lower bound). */
  monthlyWage: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
});
export type ReferralStepInput = Static<typeof ReferralStepBody>;

export const ReferralListQuery = Strict({
  posting: Type.Optional(Id),
  laborer: Type.Optional(Id),
  status: Type.Optional(PIPELINE_STATUS.schema),
  /** The laborers' home region (staff: inside their scope). */
  region: Type.Optional(RegionCodeSchema),
  ...PageQuery,
});
export type ReferralListQueryInput = Static<typeof ReferralListQuery>;
/** The export: the list's filters, every page (issue 18 item 2). */
export const ReferralExportQuery = Type.Omit(ReferralListQuery, ['page', 'pageSize']);
export type ReferralExportQueryInput = Static<typeof ReferralExportQuery>;

const AccountRef = Type.Union([Type.Object({ username: Type.String(), displayName: Type.String() }), Type.Null()]);

export const ReferralSchema = Type.Object({
  id: Type.String(),
  status: REFERRAL_STATUS.schema,
  channel: REFERRAL_CHANNEL.schema,
  /** What a referral list shows of a laborer: identifiers masked, for staff and employers alike. */
  laborer: Type.Object({
    id: Type.String(),
    name: Type.String(),
    sex: Type.String(),
    idNumberMasked: Type.String(),
    phoneMasked: Type.Union([Type.String(), Type.Null()]),
    villageCode: Type.String(),
    villageName: Type.String(),
  }),
  posting: Type.Object({
    id: Type.String(),
    title: Type.String(),
    employerId: Type.String(),
    employerName: Type.String(),
    workRegionCode: Type.String(),
    wageMin: Type.Integer(),
    wageMax: Type.Integer(),
  }),
  createdBy: AccountRef,
  /** The recruitment team (招工小分队) credited with the referral. */
  teamId: Type.Union([Type.String(), Type.Null()]),
  /** Made although the pair failed a hard condition: which one, in Chinese, and the referrer's stated reason. */
  override: Type.Union([Type.Null(), Type.Object({ condition: HARD_CONDITION.schema, label: Type.String(), reason: Type.String() })]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  /** The steps this caller may take now. */
  next: Type.Array(STEP_STATUS.schema),
});
export type Referral = Static<typeof ReferralSchema>;

export const ReferralListSchema = Type.Object({ items: Type.Array(ReferralSchema), total: Type.Integer() });
export type ReferralList = Static<typeof ReferralListSchema>;

export const ReferralStepSchema = Type.Object({
  status: PIPELINE_STATUS.schema,
  at: Type.String(),
  by: AccountRef,
  note: Type.Union([Type.String(), Type.Null()]),
});

export const EmploymentBriefSchema = Type.Object({
  id: Type.String(),
  startedOn: Type.String(),
  endedOn: Type.Union([Type.String(), Type.Null()]),
  monthlyWage: Type.Union([Type.Integer(), Type.Null()]),
  workRegionCode: Type.String(),
  channel: EMPLOYMENT_CHANNEL.schema,
});

export const ReferralDetailSchema = Type.Object({
  ...ReferralSchema.properties,
  steps: Type.Array(ReferralStepSchema),
  employment: Type.Union([EmploymentBriefSchema, Type.Null()]),
});
export type ReferralDetail = Static<typeof ReferralDetailSchema>;

import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';
import { EDUCATION, EMPLOYMENT_STATUS, FLAGS, POVERTY_STATUS, WILLINGNESS } from './laborers.ts';

/**
 * 点对点短信: campaigns that push jobs to laborers by SMS. Staff pick laborers with the registry's
 * filters, write a template with fields, preview it for real recipients, and a second person
 * approves it before anything is sent.
 */
export const CAMPAIGN_STATUS = dict({
  draft: '草稿',
  composing: '生成中',
  pending_approval: '待审批',
  rejected: '已驳回',
  sending: '发送中',
  paused: '已暂停',
  done: '已完成',
  cancelled: '已取消',
  failed: '生成失败',
});
export type CampaignStatus = keyof typeof CAMPAIGN_STATUS.labels;

export const MESSAGE_STATUS = dict({
  queued: '待发送',
  sending: '发送中',
  sent: '已提交',
  delivered: '已送达',
  failed: '失败',
  skipped: '未发送',
});
/** Why a message was not sent or failed. */
export const MESSAGE_REASON = dict({
  opted_out: '已退订',
  daily_cap: '当日已达50条上限',
  no_phone: '无手机号',
  no_posting: '没有匹配的岗位',
  rejected: '短信中心拒收',
  undeliverable: '无法送达',
  expired: '超过有效期未送达',
  unknown: '提交结果未知（网关不回传本平台编号，按规定不重发）',
  cancelled: '活动已取消',
});

/** The registry's list filters (modules/registry), as a campaign keeps them. */
export const CampaignFiltersSchema = Strict({
  region: RegionCodeSchema,
  povertyStatus: Type.Optional(POVERTY_STATUS.schema),
  employmentStatus: Type.Optional(EMPLOYMENT_STATUS.schema),
  willingness: Type.Optional(WILLINGNESS.schema),
  education: Type.Optional(EDUCATION.schema),
  jobType: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  skill: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  flag: Type.Optional(FLAGS.schema),
  ageMin: Type.Optional(Type.Integer({ minimum: 16, maximum: 80 })),
  ageMax: Type.Optional(Type.Integer({ minimum: 16, maximum: 80 })),
});
export type CampaignFilters = Static<typeof CampaignFiltersSchema>;

/**
 * The compose form's starting template: one posting, and within one segment (70 characters with
 * the 【signature】) for typical names, posting and link — two segments would double the bill
 * (sms.preview.test.ts checks it with the segment counter). The budget: 10 characters of its own
 * and 6 of the signature leave 54 for a name (3), a place (city and county, 6), a title (6), a
 * wage range (10) and the link — a public address of up to 21 characters with a 5-character code.
 */
export const DEFAULT_TEMPLATE = '{姓名}：{地点1}{岗位1}月薪{月薪1}，{链接} 回TD退订';

const Template = Type.String({ minLength: 1, maxLength: 500, description: '短信正文模板，字段写在大括号中，如 {姓名}' });
const Signature = Type.String({ pattern: '^[\\u4e00-\\u9fa5A-Za-z0-9]{2,12}$', description: '短信签名（不含【】）' });

export const PreviewBody = Strict({ filters: CampaignFiltersSchema, template: Template, signature: Type.Optional(Signature) });
export type PreviewInput = Static<typeof PreviewBody>;

export const CreateCampaignBody = Strict({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  filters: CampaignFiltersSchema,
  template: Template,
  signature: Type.Optional(Signature),
});
export type CreateCampaignInput = Static<typeof CreateCampaignBody>;

export const DecisionBody = Strict({ note: Type.Optional(Type.String({ maxLength: 200 })) });

const Person = Type.Union([Type.Null(), Type.Object({ username: Type.String(), displayName: Type.String() })]);

export const SampleSchema = Type.Object({
  laborer: Type.Object({
    id: Type.String(),
    name: Type.String(),
    phoneMasked: Type.Union([Type.String(), Type.Null()]),
    villageName: Type.String(),
  }),
  text: Type.String(),
  chars: Type.Integer(),
  segments: Type.Integer(),
  /** Set when this person would not get the message, and why. */
  skip: Type.Union([Type.Null(), Type.String()]),
});

export const PreviewSchema = Type.Object({
  /** Cards the filters pick in the region. */
  matched: Type.Integer(),
  /** Of those, how many would get a message — the campaign composed from the same form queues these — and why the others would not. */
  recipients: Type.Integer(),
  skipped: Type.Array(Type.Object({ reason: Type.String(), label: Type.String(), count: Type.Integer() })),
  /** Picked laborers with a phone whom no eligible posting fits: no message for them (when the template names a posting). */
  noPosting: Type.Integer(),
  /** Billed segments of all the messages (a text over 70 characters bills as several). */
  segments: Type.Integer(),
  /** Recipients whose number already had today's cap of notices: queued, but skipped if still capped when sent. */
  cappedToday: Type.Integer(),
  fields: Type.Array(Type.String()),
  samples: Type.Array(SampleSchema),
  /** The longest sample's segments; the template's fixed part alone. */
  maxSegments: Type.Integer(),
  signature: Type.String(),
});
export type Preview = Static<typeof PreviewSchema>;

const Counts = Type.Object({
  queued: Type.Integer(),
  sending: Type.Integer(),
  sent: Type.Integer(),
  delivered: Type.Integer(),
  failed: Type.Integer(),
  skipped: Type.Integer(),
});

export const CampaignSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  filters: Type.Unknown(),
  signature: Type.String(),
  template: Type.String(),
  status: CAMPAIGN_STATUS.schema,
  /** Messages composed (one per recipient). */
  recipients: Type.Integer(),
  segments: Type.Integer(),
  counts: Counts,
  /** Why messages were skipped or failed. */
  reasons: Type.Array(Type.Object({ reason: Type.String(), label: Type.String(), count: Type.Integer() })),
  /** A note for the reader: waiting for the end of quiet hours, no gateway, a compose failure. */
  message: Type.Union([Type.String(), Type.Null()]),
  createdBy: Person,
  submittedBy: Person,
  decidedBy: Person,
  decisionNote: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  /** Whether the caller may approve it (a manager of the region who did not submit it). */
  canDecide: Type.Boolean(),
});
export type Campaign = Static<typeof CampaignSchema>;

export const CampaignListQuery = Strict({ status: Type.Optional(CAMPAIGN_STATUS.schema), ...PageQuery });
export const CampaignListSchema = Type.Object({ items: Type.Array(CampaignSchema), total: Type.Integer() });

export const MessageListQuery = Strict({ status: Type.Optional(MESSAGE_STATUS.schema), ...PageQuery });
export const MessageSchema = Type.Object({
  id: Type.String(),
  laborer: Type.Object({ id: Type.String(), name: Type.String(), phoneMasked: Type.Union([Type.String(), Type.Null()]) }),
  text: Type.String(),
  segments: Type.Integer(),
  status: MESSAGE_STATUS.schema,
  reason: Type.Union([Type.String(), Type.Null()]),
  reasonLabel: Type.Union([Type.String(), Type.Null()]),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  doneAt: Type.Union([Type.String(), Type.Null()]),
});
export const MessageListSchema = Type.Object({ items: Type.Array(MessageSchema), total: Type.Integer() });

export const InboxQuery = Strict({ handled: Type.Optional(Type.Boolean()), ...PageQuery });
export const InboxItemSchema = Type.Object({
  id: Type.String(),
  phoneMasked: Type.String(),
  laborer: Type.Union([Type.Null(), Type.Object({ id: Type.String(), name: Type.String(), villageName: Type.String() })]),
  body: Type.String(),
  kind: Type.Union([Type.Literal('opt_out'), Type.Literal('reply')]),
  receivedAt: Type.String(),
  handledBy: Person,
  handledAt: Type.Union([Type.String(), Type.Null()]),
});
export const InboxSchema = Type.Object({ items: Type.Array(InboxItemSchema), total: Type.Integer() });

export const TemplateFieldsSchema = Type.Object({
  fields: Type.Array(Type.Object({ name: Type.String(), label: Type.String() })),
  signature: Type.String(),
});

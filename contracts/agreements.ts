import { Type, type Static } from '@sinclair/typebox';
import { dict, RegionCodeSchema, Strict } from './common.ts';
import { RegionNameSchema } from './employers.ts';

/**
 * Cooperation agreements (劳务协作协议), issue 6 part 5 and DOMAIN.md "Records": an output region and
 * an input region (any level), a period, and commitments whose progress the server computes from
 * the platform's records — never typed by hand.
 */
export const COMMITMENT_KIND = dict({
  posts: '提供岗位',
  hires: '转移就业人数',
  students: '招收贫困家庭学生',
  fairs: '招聘会场次',
  trained: '培训人数',
});
export type CommitmentKind = (typeof COMMITMENT_KIND.codes)[number];

/** Units of each kind's figures (个 posts, 人 people, 场 fairs). */
export const COMMITMENT_UNIT: Record<CommitmentKind, string> = { posts: '个', hires: '人', students: '人', fairs: '场', trained: '人' };

const Date_ = (description: string) => Type.String({ format: 'date', description });
const text = (maxLength: number, description: string) =>
  Type.String({ maxLength, pattern: '^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f<>]*$', description });

export const CommitmentInputSchema = Strict({
  kind: COMMITMENT_KIND.schema,
  /**
   * Absent: a commitment the agreement states without a number ("组织培训贫困劳动力"). Not nullable:
   * the validator coerces types, and a null branch would turn 0 into null. The server refuses 0 and below.
   */
  target: Type.Optional(Type.Integer({ maximum: 100_000_000, description: '承诺数量（无具体数量的承诺不填）' })),
});
export type CommitmentInput = Static<typeof CommitmentInputSchema>;

const agreementFields = {
  title: Type.String({ minLength: 2, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f<>]+$', description: '协议名称' }),
  outputRegionCode: Type.String({ pattern: RegionCodeSchema.pattern, description: '输出地（任一级行政区划）' }),
  inputRegionCode: Type.String({ pattern: RegionCodeSchema.pattern, description: '输入地（任一级行政区划）' }),
  signedOn: Type.Optional(Type.Union([Type.Null(), Date_('签订日期')])),
  validFrom: Date_('协议期开始'),
  validTo: Date_('协议期截止（含）'),
  notes: Type.Optional(Type.Union([Type.Null(), text(2000, '备注')])),
  commitments: Type.Array(CommitmentInputSchema, { maxItems: 5, description: '承诺事项（每类至多一项）' }),
};

export const CreateAgreementBody = Strict(agreementFields);
export type CreateAgreementInput = Static<typeof CreateAgreementBody>;

/** Any subset; `commitments`, when given, replaces the whole list. */
export const UpdateAgreementBody = Type.Partial(Strict(agreementFields), { additionalProperties: false });
export type UpdateAgreementInput = Static<typeof UpdateAgreementBody>;

export const COMMITMENT_SOURCE = dict({
  computed: '按平台记录计算',
  not_recorded: '暂无记录来源',
});

export const CommitmentSchema = Type.Object({
  kind: COMMITMENT_KIND.schema,
  target: Type.Union([Type.Integer(), Type.Null()]),
  /** Computed from the records over the period; null when the platform keeps no records of this kind yet. */
  achieved: Type.Union([Type.Integer(), Type.Null()]),
  source: COMMITMENT_SOURCE.schema,
  /** How the figure is computed, in Chinese. */
  basis: Type.String(),
});
export type Commitment = Static<typeof CommitmentSchema>;

export const AGREEMENT_STATE = dict({ pending: '未开始', active: '执行中', ended: '已到期' });

export const AgreementSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  outputRegion: RegionNameSchema,
  inputRegion: RegionNameSchema,
  signedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.String({ format: 'date' }),
  notes: Type.Union([Type.String(), Type.Null()]),
  /** Against today (China Standard Time). */
  state: AGREEMENT_STATE.schema,
  commitments: Type.Array(CommitmentSchema),
  /** Whether the caller may edit it. */
  editable: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Agreement = Static<typeof AgreementSchema>;

export const AgreementListQuery = Strict({
  region: Type.Optional(Type.String({ pattern: RegionCodeSchema.pattern, description: '只看输出地或输入地与该区划有交集的协议' })),
  activeOn: Type.Optional(Date_('只看在该日期有效的协议')),
});
export type AgreementListQueryInput = Static<typeof AgreementListQuery>;

export const AgreementListSchema = Type.Object({ items: Type.Array(AgreementSchema), total: Type.Integer() });

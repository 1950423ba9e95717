import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';
import { EMPLOYER_KIND, RegionNameSchema } from './employers.ts';
import { EDUCATION } from './laborers.ts';

/**
 * Job postings (岗位), DOMAIN.md "Records": the occupation after the 2022 职业分类大典, the place of
 * work (a county or below, anywhere in China), headcount, monthly wage range, food and housing, age
 * range, minimum education, skills, whether it is a post reserved for poor laborers (就业扶贫专岗),
 * validity. The open postings form the job supply list (岗位供给清单).
 */
export const POSTING_STATUS = dict({ open: '招聘中', closed: '已停止' });
/**
 * What a posting is today: open (status open, within its validity, places left), or why not.
 * Only `open` postings are in the job supply list.
 */
export { ABROAD_AGE, ABROAD_REGION } from './abroad.ts';

export const POSTING_STATE = dict({ open: '招聘中', not_started: '未开始', expired: '已过期', full: '已招满', closed: '已停止' });
export type PostingState = (typeof POSTING_STATE.codes)[number];

/** 《中华人民共和国职业分类大典》(2022) code of a group or an occupation: 6, 6-05, 6-05-01, 6-05-01-03. */
export const OccupationCodeSchema = Type.String({
  pattern: '^[1-8](-\\d{2}){0,3}$',
  description: '职业分类大典（2022）代码，如 6-05-01-03',
});
const Date_ = (description: string) => Type.String({ format: 'date', description });
const textList = (maxItems: number, maxLength: number, description: string) =>
  Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength }), { maxItems, description }));

/**
 * The fields a posting's writer sets. Headcount, wage and age ranges are checked by the service
 * (POSTING_HEADCOUNT, POSTING_WAGE_RANGE, POSTING_AGE_RANGE) so that each bad input has its own code.
 */
const postingFields = {
  title: Type.String({ minLength: 2, maxLength: 60, pattern: '^[^\\u0000-\\u001f\\u007f<>]+$', description: '岗位名称' }),
  occupationCode: OccupationCodeSchema,
  /** Any region code is accepted here; the service refuses provinces and cities (POSTING_LOCATION_NOT_COUNTY). */
  workRegionCode: Type.String({ pattern: RegionCodeSchema.pattern, description: '工作地点（县级或以下行政区划）' }),
  headcount: Type.Integer({ maximum: 100000, description: '招聘人数（至少 1 人）' }),
  wageMin: Type.Integer({ minimum: 1, maximum: 1000000, description: '月薪下限（元）' }),
  wageMax: Type.Integer({ minimum: 1, maximum: 1000000, description: '月薪上限（元）' }),
  food: Type.Optional(Type.Boolean({ description: '包吃' })),
  housing: Type.Optional(Type.Boolean({ description: '包住' })),
  ageMin: Type.Optional(Type.Integer({ minimum: 16, maximum: 70, description: '年龄下限（不小于 16 岁）' })),
  ageMax: Type.Optional(Type.Integer({ minimum: 16, maximum: 70, description: '年龄上限（不大于 70 岁）' })),
  minEducation: Type.Optional(Type.Union([Type.Null(), EDUCATION.schema], { description: '最低学历（GB/T 4658），空为不限' })),
  skills: textList(20, 30, '技能要求'),
  certificates: textList(20, 40, '职业资格证书要求'),
  reservedForPoor: Type.Optional(Type.Boolean({ description: '就业扶贫专岗（仅限建档立卡贫困劳动力）' })),
  validFrom: Type.Optional(Date_('有效期开始（默认今天）')),
  validTo: Date_('有效期截止（含）'),
  description: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000, description: '岗位说明' })])),
};

export const CreatePostingBody = Strict({
  /** The employer account may leave it out (its own); everyone else names the employer. */
  employerId: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: '用人单位' })),
  ...postingFields,
});
export type CreatePostingInput = Static<typeof CreatePostingBody>;

export const UpdatePostingBody = Type.Partial(
  Strict({
    ...postingFields,
    filled: Type.Integer({ minimum: 0, maximum: 100000, description: '已招人数' }),
    /** Reopen a stopped posting (stopping it is POST /postings/:id/close). */
    status: Type.Literal('open'),
  }),
  { additionalProperties: false },
);
export type UpdatePostingInput = Static<typeof UpdatePostingBody>;

export const ClosePostingBody = Strict({
  reason: Type.Optional(Type.String({ maxLength: 200, description: '停止招聘的原因，如 已招满、企业取消' })),
});

export const PostingSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  employer: Type.Object({ id: Type.String(), name: Type.String(), kind: EMPLOYER_KIND.schema, region: RegionNameSchema }),
  occupation: Type.Object({ code: Type.String(), label: Type.String() }),
  workRegion: RegionNameSchema,
  headcount: Type.Integer(),
  filled: Type.Integer(),
  /** headcount − filled. */
  openings: Type.Integer(),
  wageMin: Type.Integer(),
  wageMax: Type.Integer(),
  food: Type.Boolean(),
  housing: Type.Boolean(),
  ageMin: Type.Integer(),
  ageMax: Type.Integer(),
  minEducation: Type.Union([Type.Null(), Type.String()]),
  skills: Type.Array(Type.String()),
  certificates: Type.Array(Type.String()),
  reservedForPoor: Type.Boolean(),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.String({ format: 'date' }),
  status: POSTING_STATUS.schema,
  state: POSTING_STATE.schema,
  description: Type.Union([Type.Null(), Type.String()]),
  /** Whether the caller may edit or close it. */
  editable: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Posting = Static<typeof PostingSchema>;

export const PostingListQuery = Strict({
  region: Type.Optional(Type.String({ pattern: RegionCodeSchema.pattern, description: '工作地点（含下级）' })),
  employerId: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$' })),
  occupation: Type.Optional(Type.String({ pattern: '^[1-8](-\\d{2}){0,3}$', description: '职业分类代码或其上级类别（前缀）' })),
  status: Type.Optional(POSTING_STATUS.schema),
  openOnly: Type.Optional(Type.Boolean({ description: '只看岗位供给清单：招聘中、在有效期内、尚未招满' })),
  reservedForPoor: Type.Optional(Type.Boolean({ description: '就业扶贫专岗' })),
  wageAtLeast: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000, description: '月薪可达（上限不低于）' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 30, description: '岗位名称' })),
  sort: Type.Optional(Type.Union([Type.Literal('updatedAt'), Type.Literal('wageMax'), Type.Literal('validTo')])),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  ...PageQuery,
});
export type PostingListQueryInput = Static<typeof PostingListQuery>;

export const PostingListSchema = Type.Object({ items: Type.Array(PostingSchema), total: Type.Integer() });

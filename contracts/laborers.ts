import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * The laborer card (一人一卡), DOMAIN.md "Records". Coded fields carry their dictionaries here, with
 * the Chinese labels the console and the collection form (劳动力资源信息采集表) show.
 */

/** Household poverty status. */
export const POVERTY_STATUS = dict({ registered: '建档立卡户', lifted: '已脱贫', monitored: '监测户' });
/** GB/T 4658 education codes, plus the platform's own 99 for 文盲或半文盲 (DOMAIN.md "Codes"). */
export const EDUCATION = dict({
  '10': '研究生',
  '20': '大学本科',
  '30': '大学专科',
  '40': '中等职业教育',
  '41': '中专',
  '44': '职高',
  '47': '技校',
  '60': '普通高中',
  '70': '初中',
  '80': '小学',
  '90': '其他',
  '99': '文盲或半文盲',
});
export const LABOR_CAPACITY = dict({ full: '全部劳动能力', partial: '部分劳动能力', lost: '丧失劳动能力', none: '无劳动能力' });
export const HEALTH = dict({ healthy: '健康', chronic: '长期慢性病', serious: '患有大病', disabled: '残疾' });
/** Employment willingness (意愿). */
export const WILLINGNESS = dict({
  in_county: '县内',
  in_province: '县外省内',
  out_of_province: '省外',
  stay_home: '不愿外出',
  abroad: '出国务工',
});
/** Caring constraints: a laborer caring for elders or children works only near home. */
export const CARING = dict({ none: '无', elders: '照顾老人', children: '照顾小孩', both: '照顾老人和小孩' });
/** village_cadre: a member of the village's 两委, who may not hold a public-welfare post (公益性岗位, modules/public-welfare). */
export const FLAGS = dict({
  school_leaver: '两后生',
  returnee: '返乡',
  disability: '残疾',
  relocated: '易地搬迁',
  village_cadre: '村干部',
});
export const EMPLOYMENT_STATUS = dict({ employed: '已就业', unemployed: '未就业', not_working: '不具备就业条件' });
export const SEX = dict({ male: '男', female: '女' });

/** GB 3304-91 《中国各民族名称的罗马字母拼写法和代码》 numeric codes. */
export const ETHNICITY = (() => {
  const d = dict({
    '01': '汉族',
    '02': '蒙古族',
    '03': '回族',
    '04': '藏族',
    '05': '维吾尔族',
    '06': '苗族',
    '07': '彝族',
    '08': '壮族',
    '09': '布依族',
    '10': '朝鲜族',
    '11': '满族',
    '12': '侗族',
    '13': '瑶族',
    '14': '白族',
    '15': '土家族',
    '16': '哈尼族',
    '17': '哈萨克族',
    '18': '傣族',
    '19': '黎族',
    '20': '傈僳族',
    '21': '佤族',
    '22': '畲族',
    '23': '高山族',
    '24': '拉祜族',
    '25': '水族',
    '26': '东乡族',
    '27': '纳西族',
    '28': '景颇族',
    '29': '柯尔克孜族',
    '30': '土族',
    '31': '达斡尔族',
    '32': '仫佬族',
    '33': '羌族',
    '34': '布朗族',
    '35': '撒拉族',
    '36': '毛南族',
    '37': '仡佬族',
    '38': '锡伯族',
    '39': '阿昌族',
    '40': '普米族',
    '41': '塔吉克族',
    '42': '怒族',
    '43': '乌孜别克族',
    '44': '俄罗斯族',
    '45': '鄂温克族',
    '46': '德昂族',
    '47': '保安族',
    '48': '裕固族',
    '49': '京族',
    '50': '塔塔尔族',
    '51': '独龙族',
    '52': '鄂伦春族',
    '53': '赫哲族',
    '54': '门巴族',
    '55': '珞巴族',
    '56': '基诺族',
    '97': '其他',
    '98': '外国血统中国籍人士',
  });
  // Object.keys lists integer-like keys ('10'…'98') before '01'…'09': keep the codes in code order.
  return { ...d, codes: [...d.codes].sort() };
})();

export const IdNumberInput = Type.String({ minLength: 15, maxLength: 40, description: '身份证号（18 位，或 15 位旧号）' });
export const PhoneInput = Type.String({ minLength: 11, maxLength: 20, description: '11 位大陆手机号' });

/**
 * The card's editable fields; optional ones accept null, so an edit can clear them (null comes
 * first in each union: the validator coerces types, and a string branch first would turn null into '').
 */
const cardFields = {
  name: Type.String({ minLength: 2, maxLength: 30, pattern: '^[^\\u0000-\\u001f\\u007f<>]+$' }),
  phone: Type.Optional(Type.Union([Type.Null(), PhoneInput])),
  ethnicity: Type.Optional(Type.Union([Type.Null(), ETHNICITY.schema])),
  homeVillageCode: Type.String({ pattern: '^\\d{12}$', description: '户籍所在村' }),
  householdCode: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 30, description: '户编号' })])),
  relationToHead: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 10, description: '与户主关系' })])),
  householdSize: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 30 })])),
  povertyStatus: POVERTY_STATUS.schema,
  education: EDUCATION.schema,
  laborCapacity: LABOR_CAPACITY.schema,
  health: HEALTH.schema,
  skills: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 20 })),
  certificates: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 })),
  willingness: WILLINGNESS.schema,
  wantedJobTypes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 10 })),
  expectedWage: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 100000 })])),
  caring: CARING.schema,
  flags: Type.Optional(Type.Array(FLAGS.schema, { maxItems: 5, uniqueItems: true })),
  /**
   * 已就业 / 未就业 come from the employment records, never from this field (issue 16): only
   * 不具备就业条件 is a fact of the card. 'not_working' sets it, 'unemployed' clears it (the person
   * can work: 未就业 until a job is registered on the card); a value that disagrees with the
   * records — 'employed' without an open job, anything else while one is open — is refused
   * (EMPLOYMENT_STATUS_FROM_RECORDS). Omitted on a new card: 'unemployed'.
   */
  employmentStatus: Type.Optional(EMPLOYMENT_STATUS.schema),
  trainingHistory: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])),
  remark: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])),
};

export const CreateLaborerBody = Strict({
  idNumber: IdNumberInput,
  /** Optional: when typed, they must agree with the ID number. */
  birthDate: Type.Optional(Type.String({ format: 'date' })),
  sex: Type.Optional(SEX.schema),
  ...cardFields,
});
export type CreateLaborerInput = Static<typeof CreateLaborerBody>;

export const UpdateLaborerBody = Type.Partial(Strict({ ...cardFields, reason: Type.String({ maxLength: 200 }) }), {
  additionalProperties: false,
});
export type UpdateLaborerInput = Static<typeof UpdateLaborerBody>;

/**
 * What lists and cards show: identifiers masked (430522********1234, 138****5678). No birth date:
 * the eight hidden digits of a masked ID number are the birth date, so a card or list showing it
 * would give them back (issue 15). The age (周岁, today) is shown; the full birth date comes only
 * with the audited reveal, as the ID number does.
 */
export const LaborerSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  sex: SEX.schema,
  /** Full years today, also on lists "as of" a past date: an age as of any chosen day, asked day by day, would give the birth date back. */
  age: Type.Integer(),
  ethnicity: Type.Union([Type.String(), Type.Null()]),
  homeVillage: Type.Object({ code: Type.String(), fullName: Type.String() }),
  householdCode: Type.Union([Type.String(), Type.Null()]),
  relationToHead: Type.Union([Type.String(), Type.Null()]),
  householdSize: Type.Union([Type.Integer(), Type.Null()]),
  povertyStatus: Type.String(),
  education: Type.String(),
  laborCapacity: Type.String(),
  health: Type.String(),
  skills: Type.Array(Type.String()),
  certificates: Type.Array(Type.String()),
  willingness: Type.String(),
  wantedJobTypes: Type.Array(Type.String()),
  expectedWage: Type.Union([Type.Integer(), Type.Null()]),
  caring: Type.String(),
  flags: Type.Array(Type.String()),
  employmentStatus: Type.String(),
  trainingHistory: Type.Union([Type.String(), Type.Null()]),
  remark: Type.Union([Type.String(), Type.Null()]),
  lastConfirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  version: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Laborer = Static<typeof LaborerSchema>;

export const LaborerListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  asOf: Type.Optional(Type.String({ format: 'date', description: '查看某日（含）结束时的状态' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 30, description: '姓名、拼音、首字母、身份证号后几位或手机号' })),
  povertyStatus: Type.Optional(POVERTY_STATUS.schema),
  employmentStatus: Type.Optional(EMPLOYMENT_STATUS.schema),
  willingness: Type.Optional(WILLINGNESS.schema),
  education: Type.Optional(EDUCATION.schema),
  jobType: Type.Optional(Type.String({ maxLength: 30 })),
  skill: Type.Optional(Type.String({ maxLength: 30 })),
  flag: Type.Optional(FLAGS.schema),
  /** Ages in full years today, also with asOf (see LaborerSchema.age). */
  ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  confirmed: Type.Optional(Type.Boolean({ description: '本季度是否已核实' })),
  sort: Type.Optional(Type.Union([Type.Literal('name'), Type.Literal('age'), Type.Literal('updatedAt'), Type.Literal('village')])),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  ...PageQuery,
});

export const LaborerListSchema = Type.Object({ items: Type.Array(LaborerSchema), total: Type.Integer() });

/** Another card named in a history entry: the merged card a version comes from, or the other card of a merge. */
const CardRefSchema = Type.Union([
  Type.Null(),
  Type.Object({ laborerId: Type.String(), name: Type.String(), idNumberMasked: Type.String() }),
]);

export const LaborerHistorySchema = Type.Object({
  items: Type.Array(
    Type.Object({
      /** The card the version belongs to: the card itself, or a card merged into it. */
      laborerId: Type.String(),
      version: Type.Integer(),
      at: Type.String({ format: 'date-time' }),
      kind: Type.String(),
      by: Type.Union([Type.Object({ username: Type.String(), displayName: Type.String() }), Type.Null()]),
      reason: Type.Union([Type.String(), Type.Null()]),
      /** When the change was captured on a phone offline (field sync); `at` is when it reached the server. */
      capturedAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
      changes: Type.Array(Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
      /** Set on versions of a card merged into this one (合并前原信息卡的记录). */
      fromCard: CardRefSchema,
      /** On a 'merge' version: the other card of the merge. */
      mergedCard: CardRefSchema,
    }),
  ),
});

export const RevealBody = Strict({ reason: Type.String({ minLength: 4, maxLength: 200, description: '查看完整身份证号、手机号的事由' }) });
/** Break the glass: the full ID number, the birth date it holds, and the phone. */
export const RevealSchema = Type.Object({
  idNumber: Type.String(),
  birthDate: Type.String({ format: 'date' }),
  phone: Type.Union([Type.String(), Type.Null()]),
});

const ProgressCounts = { cards: Type.Integer(), confirmed: Type.Integer(), due: Type.Integer() };
export const ConfirmationProgressQuery = Strict({ region: Type.Optional(RegionCodeSchema) });
export const ConfirmationProgressSchema = Type.Object({
  region: Type.String(),
  name: Type.String(),
  fullName: Type.String(),
  quarter: Type.String({ description: '如 2026Q4' }),
  ...ProgressCounts,
  items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), ...ProgressCounts })),
});

/** An import of the collection form: progress, counts, and up to 1,000 row problems (row = Excel's row number). */
export const ImportStatusSchema = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  mode: Type.Union([Type.Literal('partial'), Type.Literal('all_or_nothing')]),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  total: Type.Union([Type.Integer(), Type.Null()]),
  processed: Type.Integer(),
  /** Rows saved or found saved: created + updated + unchanged. */
  accepted: Type.Integer(),
  /** 新增: new cards. Null for an import run before these were told apart. */
  created: Type.Union([Type.Integer(), Type.Null()]),
  /** 更新: existing cards the row changed. Null for an import run before these were told apart. */
  updated: Type.Union([Type.Integer(), Type.Null()]),
  /** 未变化: the row matched the card exactly. */
  unchanged: Type.Integer(),
  /** 错误: rows not saved (see errors and the report). */
  rejected: Type.Integer(),
  message: Type.Union([Type.String(), Type.Null()]),
  /** The stable code of a file-level failure, e.g. IMPORT_PART_TOO_LARGE. */
  errorCode: Type.Union([Type.String(), Type.Null()]),
  /** While queued: 1 = the next to start, platform-wide. */
  queuePosition: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  /** The error report (rejected rows, masked) can be downloaded: only by the uploader, once finished. */
  reportAvailable: Type.Boolean(),
  errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() })),
  /** Rows saved with a warning (a 已就业 typed without an employment record: the card is saved, no job is made). */
  warnings: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() })),
});
export type ImportStatus = Static<typeof ImportStatusSchema>;

/** Likely duplicates (疑似重复): same name and birth date in one township, or the same phone. */
export const DUPLICATE_RULES = dict({ name_birth: '同乡镇同名同出生日期', phone: '手机号相同' });

export const DuplicatesQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  ...PageQuery,
});

export const DuplicateGroupSchema = Type.Object({
  /** Stable key of the group: its card ids. */
  key: Type.String(),
  rules: Type.Array(DUPLICATE_RULES.schema),
  reason: Type.String({ description: '如 同乡镇同名同出生日期；手机号相同' }),
  laborers: Type.Array(LaborerSchema),
});
export type DuplicateGroup = Static<typeof DuplicateGroupSchema>;
export const DuplicateListSchema = Type.Object({ region: Type.String(), items: Type.Array(DuplicateGroupSchema), total: Type.Integer() });

export const MergeBody = Strict({
  duplicateId: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: '并入保留卡后注销的信息卡' }),
  reason: Type.String({ minLength: 2, maxLength: 200, description: '合并原因' }),
  fillEmptyFields: Type.Optional(Type.Boolean({ default: true, description: '保留卡为空的项目用被合并卡的内容补齐' })),
});
export type MergeInput = Static<typeof MergeBody>;

/** Deleting (注销) a card: from now on it no longer counts; its past stays (docs/domain-notes-asof.md §4). */
export const DeleteLaborerBody = Strict({
  reason: Type.String({ minLength: 2, maxLength: 200, description: '删除（注销）原因，如：死亡、自然减员、迁出、重复录入' }),
});
export type DeleteLaborerInput = Static<typeof DeleteLaborerBody>;

export const DismissDuplicateBody = Strict({
  laborerIds: Type.Array(Type.String({ pattern: '^[1-9][0-9]{0,17}$' }), {
    minItems: 2,
    maxItems: 2,
    description: '经核实不是同一人的两张信息卡',
  }),
  reason: Type.Optional(Type.String({ maxLength: 200 })),
});

/** Transfer requests (迁移申请) between the county holding a card and the region a person now belongs to. */
export const TRANSFER_STATUS = dict({ pending: '待审批', approved: '已批准', rejected: '已驳回' });

export const CreateTransferBody = Strict({
  idNumber: IdNumberInput,
  toVillageCode: Type.String({ pattern: '^\\d{12}$', description: '迁入村（本辖区）' }),
  reason: Type.String({ minLength: 2, maxLength: 200, description: '申请原因，如 户籍迁入、长期居住' }),
});
export type CreateTransferInput = Static<typeof CreateTransferBody>;

export const TransferListQuery = Strict({
  direction: Type.Optional(
    Type.Union([Type.Literal('incoming'), Type.Literal('outgoing')], {
      description: 'incoming：本辖区信息卡收到的申请；outgoing：迁入本辖区的申请',
    }),
  ),
  status: Type.Optional(TRANSFER_STATUS.schema),
  ...PageQuery,
});

export const DecideTransferBody = Strict({ reason: Type.Optional(Type.String({ maxLength: 200 })) });
export const RejectTransferBody = Strict({ reason: Type.String({ minLength: 2, maxLength: 200, description: '驳回理由' }) });

const RegionRefSchema = Type.Object({ code: Type.String(), fullName: Type.String() });
const PersonSchema = Type.Object({ username: Type.String(), displayName: Type.String() });
export const TransferRequestSchema = Type.Object({
  id: Type.String(),
  status: TRANSFER_STATUS.schema,
  /** The ID number the requester typed, masked. */
  idNumberMasked: Type.String(),
  /** The county holding the card: all a requester learns about it. */
  holdingCounty: RegionRefSchema,
  /** The card's village: shown to the holding region only. */
  fromVillage: Type.Union([Type.Null(), RegionRefSchema]),
  toVillage: RegionRefSchema,
  reason: Type.String(),
  requestedAt: Type.String({ format: 'date-time' }),
  requestedBy: PersonSchema,
  requestingRegion: RegionRefSchema,
  decidedAt: Type.Union([Type.Null(), Type.String({ format: 'date-time' })]),
  decidedBy: Type.Union([Type.Null(), PersonSchema]),
  decisionReason: Type.Union([Type.Null(), Type.String()]),
  /** The card, when it lies in the caller's scope (the holder; the requester after approval). */
  laborer: Type.Union([
    Type.Null(),
    Type.Object({ id: Type.String(), name: Type.String(), idNumberMasked: Type.String(), homeVillage: RegionRefSchema }),
  ]),
  /** Whether the caller may approve or reject it now. */
  canDecide: Type.Boolean(),
});
export type TransferRequest = Static<typeof TransferRequestSchema>;
export const TransferListSchema = Type.Object({ items: Type.Array(TransferRequestSchema), total: Type.Integer() });

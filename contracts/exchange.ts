import { Type, type Static } from '@sinclair/typebox';
import { dict, RegionCodeSchema, Strict } from './common.ts';

/**
 * 数据交换 (issue 21 item 5): client systems of the level above and of other departments read an
 * incremental, region-scoped feed of changes. docs/exchange.md is the reference for each field,
 * code table and rule; the code tables are the dictionaries of contracts/laborers.ts,
 * contracts/employment.ts, contracts/referrals.ts, contracts/service-records.ts and contracts/subsidies.ts.
 */

/** The kinds of record the feed carries; a client is granted some of them. */
export const EXCHANGE_KIND = dict({
  laborer: '劳动力信息卡',
  employment: '就业记录',
  service_record: '服务记录',
  subsidy: '补贴',
  /** The statistics table as a file (GET /exchange/files/statistics): figures only, no person. */
  statistics: '统计表',
});
export type ExchangeKind = (typeof EXCHANGE_KIND.codes)[number];
export const EXCHANGE_OPERATION = dict({ insert: '新增', update: '修改', delete: '删除' });

// ---- the console: client systems (province admins) ----

export const ExchangeClientSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  keyId: Type.String({ description: '密钥标识（公开，随每次请求发送）' }),
  regionCode: Type.String(),
  regionName: Type.String(),
  kinds: Type.Array(EXCHANGE_KIND.schema),
  note: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastReadAt: Type.Union([Type.String(), Type.Null()]),
  lastCursor: Type.Union([Type.String(), Type.Null()]),
});
export type ExchangeClient = Static<typeof ExchangeClientSchema>;
export const ExchangeClientListSchema = Type.Object({ items: Type.Array(ExchangeClientSchema) });
export type ExchangeClientList = Static<typeof ExchangeClientListSchema>;

export const CreateExchangeClientBody = Strict({
  name: Type.String({ minLength: 2, maxLength: 60, description: '系统名称，如 国家防返贫监测信息系统' }),
  regionCode: RegionCodeSchema,
  kinds: Type.Array(EXCHANGE_KIND.schema, { minItems: 1, maxItems: 5, uniqueItems: true }),
  note: Type.Optional(Type.String({ maxLength: 200 })),
});
export type CreateExchangeClientInput = Static<typeof CreateExchangeClientBody>;

/** The answer to a registration: the only time the secret is ever shown. */
export const CreatedExchangeClientSchema = Type.Object({
  client: ExchangeClientSchema,
  secret: Type.String({ description: '密钥，仅此一次显示，平台只保存其 SM3 摘要' }),
  /** The value of the Authorization header the client sends: `Bearer <keyId>.<secret>`. */
  authorization: Type.String(),
});
export type CreatedExchangeClient = Static<typeof CreatedExchangeClientSchema>;

// ---- the feed ----

export const ExchangeChangesQuery = Strict({
  since: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,17})$', description: '上次响应的 next；从头读取时为 0 或省略' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
});
export type ExchangeChangesQueryInput = Static<typeof ExchangeChangesQuery>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A card (一人一卡) as the feed gives it: the ID number masked, the phone left out, the age instead of the birth date. */
export const ExchangeLaborerSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  sex: Type.String(),
  age: Type.Integer(),
  ethnicity: Nullable(Type.String()),
  villageCode: Type.String(),
  householdCode: Nullable(Type.String()),
  relationToHead: Nullable(Type.String()),
  householdSize: Nullable(Type.Integer()),
  povertyStatus: Type.String(),
  education: Type.String(),
  laborCapacity: Type.String(),
  health: Type.String(),
  skills: Type.Array(Type.String()),
  certificates: Type.Array(Type.String()),
  willingness: Type.String(),
  wantedJobTypes: Type.Array(Type.String()),
  expectedWage: Nullable(Type.Integer()),
  caring: Type.String(),
  flags: Type.Array(Type.String()),
  employmentStatus: Type.String(),
  lastConfirmedAt: Nullable(Type.String()),
  version: Type.Integer(),
  updatedAt: Type.String(),
  deleted: Type.Boolean(),
  mergedInto: Nullable(Type.String()),
});
export type ExchangeLaborer = Static<typeof ExchangeLaborerSchema>;

export const ExchangeEmploymentSchema = Type.Object({
  id: Type.String(),
  laborerId: Type.String(),
  homeVillageCode: Type.String(),
  employerId: Nullable(Type.String()),
  workplaceName: Nullable(Type.String()),
  workplaceCreditCode: Nullable(Type.String()),
  workRegionCode: Type.String(),
  occupationCode: Nullable(Type.String()),
  startedOn: Type.String(),
  endedOn: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
  monthlyWage: Nullable(Type.Integer()),
  socialInsurance: Type.Boolean(),
  channel: Type.String(),
  laborerDeleted: Type.Boolean(),
  updatedAt: Type.String(),
});
export type ExchangeEmployment = Static<typeof ExchangeEmploymentSchema>;

export const ExchangeServiceRecordSchema = Type.Object({
  id: Type.String(),
  laborerId: Type.String(),
  regionCode: Type.String(),
  kind: Type.String(),
  servedOn: Type.String(),
  provider: Nullable(Type.String()),
  content: Nullable(Type.String()),
  postingId: Nullable(Type.String()),
  course: Nullable(Type.String()),
  hours: Nullable(Type.Number()),
  certificate: Nullable(Type.String()),
  createdAt: Type.String(),
});
export type ExchangeServiceRecord = Static<typeof ExchangeServiceRecordSchema>;

export const ExchangeSubsidySchema = Type.Object({
  id: Type.String(),
  recipient: Type.String(),
  kind: Type.String(),
  laborerId: Nullable(Type.String()),
  employerId: Nullable(Type.String()),
  regionCode: Type.String(),
  homeRegionCode: Nullable(Type.String()),
  amount: Type.String({ description: '元，两位小数' }),
  periodFrom: Type.String(),
  periodTo: Type.String(),
  status: Type.String(),
  appliedAt: Type.String(),
  approvedAt: Nullable(Type.String()),
  paidOn: Nullable(Type.String()),
  rejectedAt: Nullable(Type.String()),
  rejectReason: Nullable(Type.String()),
});
export type ExchangeSubsidy = Static<typeof ExchangeSubsidySchema>;

/**
 * One change. Exactly one of `laborer`, `employment`, `serviceRecord`, `subsidy` (the kind's) holds
 * the record as it is now — unless `removed`: the record no longer exists, or no longer lies in the
 * client's region, and the client deletes its copy.
 */
export const ExchangeChangeSchema = Type.Object({
  position: Type.String({ description: '变更序号（游标）' }),
  kind: EXCHANGE_KIND.schema,
  id: Type.String(),
  operation: EXCHANGE_OPERATION.schema,
  changedAt: Type.String(),
  removed: Type.Boolean(),
  laborer: Type.Optional(ExchangeLaborerSchema),
  employment: Type.Optional(ExchangeEmploymentSchema),
  serviceRecord: Type.Optional(ExchangeServiceRecordSchema),
  subsidy: Type.Optional(ExchangeSubsidySchema),
});
export type ExchangeChange = Static<typeof ExchangeChangeSchema>;

export const ExchangeChangesSchema = Type.Object({
  changes: Type.Array(ExchangeChangeSchema),
  /** The cursor of the next request (`since`). */
  next: Type.String(),
  /** True when the page was full: more may be read at once. */
  more: Type.Boolean(),
});
export type ExchangeChanges = Static<typeof ExchangeChangesSchema>;

// ---- the files (docs/exchange.md "Files") ----

export const EXCHANGE_FILE_FORMAT = dict({ csv: 'CSV（UTF-8，带 BOM）', xlsx: 'Excel（.xlsx）' });
const FileFormat = Type.Optional(EXCHANGE_FILE_FORMAT.schema);

export const ExchangeStatisticsFileQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  asOf: Type.Optional(Type.String({ format: 'date', description: '截至日期（默认今天）' })),
  from: Type.Optional(Type.String({ format: 'date', description: '服务与补贴的起始日期（默认当年 1 月 1 日）' })),
  format: FileFormat,
});
export type ExchangeStatisticsFileQueryInput = Static<typeof ExchangeStatisticsFileQuery>;

export const ExchangeCardsFileQuery = Strict({ region: Type.Optional(RegionCodeSchema), format: FileFormat });
export type ExchangeCardsFileQueryInput = Static<typeof ExchangeCardsFileQuery>;

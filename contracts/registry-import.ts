import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, Paged, Strict } from './common.ts';
import { ImportStatusSchema } from './laborers.ts';

/**
 * The registry import (建档立卡 / 防止返贫监测 export, issue 21 item 1): a saved per-source column
 * mapping turns the registry's rows into the collection form's, and the form's import does the rest.
 */
/** The platform fields a registry column can fill (the card's fields, and the place as names). */
export const REGISTRY_TARGETS = dict({
  name: '姓名',
  idNumber: '身份证号',
  sex: '性别',
  ethnicity: '民族',
  phone: '联系电话',
  householdCode: '户编号',
  relationToHead: '与户主关系',
  householdSize: '家庭人口数',
  povertyStatus: '户类型（贫困户属性/监测对象类别）',
  education: '文化程度',
  health: '健康状况',
  laborCapacity: '劳动能力（劳动技能）',
  employmentStatus: '就业状态（务工状况）',
  provinceName: '省（名称）',
  cityName: '市（名称）',
  countyName: '县（名称）',
  townName: '乡镇（名称）',
  villageName: '村（名称）',
  homeVillageCode: '村代码（12 位）',
});
export type RegistryTarget = keyof typeof REGISTRY_TARGETS.labels;
export const RegistryTargetSchema = Type.Unsafe<RegistryTarget>({ type: 'string', enum: [...REGISTRY_TARGETS.codes] });

export const MappingColumnSchema = Type.Object(
  {
    /** The header as written in the file. */
    header: Type.String({ minLength: 1, maxLength: 100 }),
    /** The field it fills; null: the column is not read. */
    target: Type.Union([RegistryTargetSchema, Type.Null()]),
  },
  { additionalProperties: false },
);
export type MappingColumn = Static<typeof MappingColumnSchema>;

export const SaveMappingBody = Strict({
  /** The system the file comes from, e.g. 防返贫监测系统 (saved per region and name). */
  sourceName: Type.String({ minLength: 1, maxLength: 50 }),
  columns: Type.Array(MappingColumnSchema, { minItems: 1, maxItems: 200 }),
});
export type SaveMappingInput = Static<typeof SaveMappingBody>;

export const MappingSchema = Type.Object({
  id: Type.String(),
  sourceName: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  columns: Type.Array(MappingColumnSchema),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Mapping = Static<typeof MappingSchema>;

export const PreviewSchema = Type.Object({
  format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')]),
  sheetName: Type.String(),
  headerRow: Type.Integer(),
  /** Each header of the file with the field proposed for it (null: not read) and, for a known header the card has no field for, why. */
  columns: Type.Array(
    Type.Object({
      header: Type.String(),
      proposed: Type.Union([RegistryTargetSchema, Type.Null()]),
      note: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  /** The first rows, one cell per header, ID and phone numbers masked. */
  samples: Type.Array(Type.Array(Type.String())),
  /** The saved mapping whose headers this file has, if any. */
  matchingMappingId: Type.Union([Type.String(), Type.Null()]),
});
export type RegistryPreview = Static<typeof PreviewSchema>;

export const RegistryImportStatusSchema = Type.Composite([
  ImportStatusSchema,
  Type.Object({
    sourceName: Type.String(),
    /** People on the platform in the import's region that the file does not name (null until done). */
    missing: Type.Union([Type.Integer(), Type.Null()]),
    /** 户编号 whose members changed (null until done). */
    householdsReformed: Type.Union([Type.Integer(), Type.Null()]),
  }),
]);
export type RegistryImportStatus = Static<typeof RegistryImportStatusSchema>;

export const RegistryImportListSchema = Type.Array(
  Type.Object({
    id: Type.String(),
    fileName: Type.String(),
    sourceName: Type.String(),
    status: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  }),
);

export const ListPageQuery = Strict({ ...PageQuery });

export const MissingPersonSchema = Type.Object({
  laborerId: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  village: Type.String(),
  householdCode: Type.Union([Type.String(), Type.Null()]),
});
export const MissingPage = Paged(MissingPersonSchema);

export const ReformedHouseholdSchema = Type.Object({
  householdCode: Type.String(),
  membersBefore: Type.Integer(),
  membersAfter: Type.Integer(),
  joined: Type.Integer(),
  departed: Type.Integer(),
});
export const ReformedPage = Paged(ReformedHouseholdSchema);

/**
 * The collection form's (劳动力资源信息采集表) columns, in template order: one table drives the
 * template, its instructions sheet, header matching and cell parsing.
 */
import {
  CARING,
  EDUCATION,
  EMPLOYMENT_STATUS,
  ETHNICITY,
  FLAGS,
  HEALTH,
  LABOR_CAPACITY,
  POVERTY_STATUS,
  SEX,
  WILLINGNESS,
  type CreateLaborerInput,
} from '../../../../contracts/laborers.ts';
import type { CodedDictionary } from '../../platform/excel/cell-values.ts';

export const FORM_SHEET_NAME = '劳动力资源信息采集表';
export const INSTRUCTIONS_SHEET_NAME = '填表说明';
export const DICTIONARY_SHEET_NAME = '字典';
/** Rows 2..5001 of the template carry drop-down lists. */
export const TEMPLATE_DATA_ROWS = 5000;
/** The header row is searched for in the first rows only (cadres add title rows above it). */
export const HEADER_SEARCH_ROWS = 10;
/** Data rows accepted in one upload by default. */
export const DEFAULT_MAX_ROWS = 200_000;
/** Reading stops after this many consecutive empty rows by default. */
export const DEFAULT_EMPTY_ROWS_TO_STOP = 1000;

/** A coded dictionary of the form (platform/excel/cell-values.ts reads cells against it). */
export type FormDictionary = CodedDictionary;

/** 汉 for 汉族, 苗 for 苗族 …; all unique (土 is 土族, 土家 is 土家族). */
const ethnicityAliases = Object.fromEntries(
  Object.entries(ETHNICITY.labels)
    .filter(([, label]) => label.endsWith('族'))
    .map(([code, label]) => [label.slice(0, -1), code]),
);

export const DICTIONARIES = {
  sex: { title: '性别', ...SEX },
  ethnicity: { title: '民族', ...ETHNICITY, aliases: ethnicityAliases },
  povertyStatus: {
    title: '户类型',
    ...POVERTY_STATUS,
    aliases: { 脱贫户: 'lifted', 已脱贫户: 'lifted', 监测对象: 'monitored', 防返贫监测户: 'monitored', 防返贫监测对象: 'monitored' },
  },
  education: {
    title: '文化程度',
    ...EDUCATION,
    aliases: { 本科: '20', 大专: '30', 专科: '30', 中职: '40', 高中: '60', 文盲: '99', 半文盲: '99', 研究生及以上: '10' },
  },
  laborCapacity: { title: '劳动能力', ...LABOR_CAPACITY, aliases: { 全部: 'full', 部分: 'partial', 丧失: 'lost' } },
  health: { title: '健康状况', ...HEALTH, aliases: { 慢性病: 'chronic', 大病: 'serious', 残疾人: 'disabled' } },
  willingness: { title: '就业意愿', ...WILLINGNESS },
  caring: { title: '照料负担', ...CARING },
  flags: { title: '特殊标识', ...FLAGS },
  employmentStatus: { title: '就业状态', ...EMPLOYMENT_STATUS },
} satisfies Record<string, FormDictionary>;

export type ColumnKind =
  | 'text'
  | 'idNumber'
  | 'phone'
  /** 12-digit 村级行政区划代码 (shape only; the caller checks it exists and is in scope). */
  | 'villageCode'
  | 'date'
  | 'integer'
  /** One coded value. */
  | 'dict'
  /** Several coded values separated by 、，, ; or spaces. */
  | 'dictList'
  /** Several free texts separated the same way. */
  | 'list';

export type FormFieldKey = keyof CreateLaborerInput;

export interface FormColumn {
  /** Leading name, the matching key: 户类型 */
  name: string;
  /** Header as printed in the template: 户类型*（建档立卡户/已脱贫/监测户） */
  header: string;
  key: FormFieldKey;
  required: boolean;
  kind: ColumnKind;
  /** Excel column width (characters). */
  width: number;
  /** What to fill, for the 填表说明 sheet. */
  help: string;
  example: string;
  dictionary?: FormDictionary;
  /** Other header names accepted for this column (leading names, normalized). */
  aliases?: string[];
  minLength?: number;
  /** Characters (text) or per item (list kinds). */
  maxLength?: number;
  maxItems?: number;
  min?: number;
  max?: number;
  /** Formatted as text ('@') so Excel keeps long digit strings intact. */
  textFormat?: boolean;
}

const LIST_SEPARATORS = '顿号、逗号、分号或空格';

const col = (c: Omit<FormColumn, 'header'> & { note?: string }): FormColumn => {
  const { note, ...rest } = c;
  return { ...rest, header: `${c.name}${c.required ? '*' : ''}${note ? `（${note}）` : ''}` };
};

export const FORM_COLUMNS: readonly FormColumn[] = [
  col({
    name: '姓名',
    key: 'name',
    required: true,
    kind: 'text',
    width: 10,
    minLength: 2,
    maxLength: 30,
    help: '与身份证一致的姓名',
    example: '张三',
  }),
  col({
    name: '身份证号',
    key: 'idNumber',
    required: true,
    kind: 'idNumber',
    width: 22,
    textFormat: true,
    aliases: ['身份证号码', '公民身份号码', '身份证'],
    help: '18 位居民身份证号码，末位可为 X；15 位旧号会自动升级为 18 位。本列已设为文本格式，请勿改为数字格式',
    example: '430522199001011235',
  }),
  col({
    name: '性别',
    key: 'sex',
    required: false,
    kind: 'dict',
    width: 6,
    dictionary: DICTIONARIES.sex,
    help: '可不填（按身份证号自动识别）；填写时须与身份证号一致',
    example: '男',
  }),
  col({
    name: '出生日期',
    key: 'birthDate',
    required: false,
    kind: 'date',
    width: 12,
    help: '可不填（按身份证号自动识别）；填写时须与身份证号一致，格式如 1990-01-01',
    example: '1990-01-01',
  }),
  col({
    name: '手机号',
    key: 'phone',
    required: false,
    kind: 'phone',
    width: 14,
    textFormat: true,
    aliases: ['手机号码', '联系电话', '手机', '电话'],
    help: '本人 11 位手机号码',
    example: '13812345678',
  }),
  col({
    name: '民族',
    key: 'ethnicity',
    required: false,
    kind: 'dict',
    width: 8,
    dictionary: DICTIONARIES.ethnicity,
    help: '民族名称（如 汉族、苗族）或 GB 3304 两位代码',
    example: '汉族',
  }),
  col({
    name: '户籍所在村代码',
    key: 'homeVillageCode',
    required: true,
    kind: 'villageCode',
    width: 16,
    textFormat: true,
    aliases: ['户籍村代码', '村代码', '行政区划代码'],
    help: '户籍所在村（社区）的 12 位行政区划代码，可在系统“行政区划”中查询',
    example: '430522100201',
  }),
  col({
    name: '户编号',
    key: 'householdCode',
    required: false,
    kind: 'text',
    width: 14,
    textFormat: true,
    maxLength: 30,
    help: '扶贫系统中的户编号，同一户的成员填写相同编号',
    example: '4305221002010001',
  }),
  col({
    name: '与户主关系',
    key: 'relationToHead',
    required: false,
    kind: 'text',
    width: 10,
    maxLength: 10,
    help: '如 户主、配偶、之子、之女',
    example: '户主',
  }),
  col({
    name: '家庭人口',
    key: 'householdSize',
    required: false,
    kind: 'integer',
    width: 8,
    min: 1,
    max: 30,
    aliases: ['家庭人口数'],
    help: '全户人口数，1 到 30 的整数',
    example: '4',
  }),
  col({
    name: '户类型',
    key: 'povertyStatus',
    required: true,
    kind: 'dict',
    width: 14,
    dictionary: DICTIONARIES.povertyStatus,
    note: '建档立卡户/已脱贫/监测户',
    help: '从下拉列表选择',
    example: '已脱贫',
  }),
  col({
    name: '文化程度',
    key: 'education',
    required: true,
    kind: 'dict',
    width: 12,
    dictionary: DICTIONARIES.education,
    aliases: ['学历'],
    help: '从下拉列表选择，也可填写代码（如 70 表示初中）',
    example: '初中',
  }),
  col({
    name: '劳动能力',
    key: 'laborCapacity',
    required: true,
    kind: 'dict',
    width: 14,
    dictionary: DICTIONARIES.laborCapacity,
    help: '从下拉列表选择',
    example: '全部劳动能力',
  }),
  col({
    name: '健康状况',
    key: 'health',
    required: true,
    kind: 'dict',
    width: 12,
    dictionary: DICTIONARIES.health,
    help: '从下拉列表选择',
    example: '健康',
  }),
  col({
    name: '技能特长',
    key: 'skills',
    required: false,
    kind: 'list',
    width: 16,
    maxLength: 30,
    maxItems: 20,
    aliases: ['技能'],
    help: `可填多项，用${LIST_SEPARATORS}分隔，每项不超过 30 字，最多 20 项`,
    example: '电焊、驾驶',
  }),
  col({
    name: '职业资格证书',
    key: 'certificates',
    required: false,
    kind: 'list',
    width: 16,
    maxLength: 40,
    maxItems: 20,
    aliases: ['证书', '职业资格'],
    help: `可填多项，用${LIST_SEPARATORS}分隔，每项不超过 40 字，最多 20 项`,
    example: '焊工（中级）',
  }),
  col({
    name: '就业意愿',
    key: 'willingness',
    required: true,
    kind: 'dict',
    width: 12,
    dictionary: DICTIONARIES.willingness,
    help: '希望在哪里务工，从下拉列表选择',
    example: '县外省内',
  }),
  col({
    name: '意向工种',
    key: 'wantedJobTypes',
    required: false,
    kind: 'list',
    width: 16,
    maxLength: 30,
    maxItems: 10,
    help: `可填多项，用${LIST_SEPARATORS}分隔，每项不超过 30 字，最多 10 项`,
    example: '普工、保洁',
  }),
  col({
    name: '期望月薪',
    key: 'expectedWage',
    required: false,
    kind: 'integer',
    width: 10,
    min: 0,
    max: 100000,
    note: '元',
    aliases: ['期望工资', '期望薪资'],
    help: '每月期望收入，0 到 100000 的整数（元）',
    example: '4000',
  }),
  col({
    name: '照料负担',
    key: 'caring',
    required: true,
    kind: 'dict',
    width: 14,
    dictionary: DICTIONARIES.caring,
    help: '家中是否需要本人照顾老人或小孩，从下拉列表选择',
    example: '无',
  }),
  col({
    name: '特殊标识',
    key: 'flags',
    required: false,
    kind: 'dictList',
    width: 16,
    dictionary: DICTIONARIES.flags,
    maxItems: 5,
    note: '两后生、返乡、残疾、易地搬迁、村干部',
    help: `可不填，也可填多项，用${LIST_SEPARATORS}分隔`,
    example: '返乡、易地搬迁',
  }),
  col({
    name: '就业状态',
    key: 'employmentStatus',
    required: true,
    kind: 'dict',
    width: 14,
    dictionary: DICTIONARIES.employmentStatus,
    help: '从下拉列表选择',
    example: '未就业',
  }),
  col({
    name: '培训经历',
    key: 'trainingHistory',
    required: false,
    kind: 'text',
    width: 20,
    maxLength: 500,
    help: '参加过的技能培训，不超过 500 字',
    example: '2023 年参加县人社局电工培训',
  }),
  col({
    name: '备注',
    key: 'remark',
    required: false,
    kind: 'text',
    width: 20,
    maxLength: 500,
    help: '其他需要说明的情况，不超过 500 字',
    example: '',
  }),
];

/** General notes printed on the 填表说明 sheet. */
export const GENERAL_NOTES: readonly string[] = [
  `请在“${FORM_SHEET_NAME}”工作表中填写，第 1 行是表头，请勿修改或删除表头；表头上方可以加标题行（不超过 ${HEADER_SEARCH_ROWS - 1} 行）。`,
  '一人一行：每位劳动力填写一行，同一个身份证号在同一张表中只能出现一次。',
  '带 * 的列为必填项，表头为红色。可以调整列的顺序，也可以增加自己的列（如“序号”），系统会忽略不认识的列。',
  '身份证号为 18 位（末位可为 X），请保持本列为“文本”格式，否则 Excel 会把号码变成 4.30522E+17 这样的科学计数法，末尾几位会丢失且无法恢复。',
  '日期请写成 2016-03-01 的格式（也可写 2016/3/1、2016.3.1、2016年3月1日；只写年月时按当月 1 日处理）。',
  '下拉列表中的内容请直接选择，也可填写“字典”工作表中的代码。',
  '请勿合并单元格：合并后只有第一行有内容，其余行会被当作未填写。同一户的成员请每行都填写户编号。',
  '请勿使用公式；如果使用了公式，请确认已计算出结果（保存前在 Excel 中按 F9）。',
  '可以多项填写的列（技能特长、职业资格证书、意向工种、特殊标识），各项之间用顿号“、”、逗号、分号或空格分隔。',
  '隐藏的行也会被导入，请删除不需要导入的行，而不是隐藏它们。',
  '上传后如有错误，系统会生成一份带“错误说明”列的表格，修改后可直接重新上传。',
  `一次最多导入 ${DEFAULT_MAX_ROWS} 行；连续 ${DEFAULT_EMPTY_ROWS_TO_STOP} 个空行之后的内容将不再读取。`,
];

// ---------------------------------------------------------------------------------------------
// Header matching

/**
 * The leading name of a header cell: full-width forms folded (NFKC), whitespace removed,
 * `*` removed, notes in parentheses or brackets removed. `户类型*（建档立卡户/已脱贫/监测户）` → `户类型`.
 */
export function headerName(raw: string): string {
  let s = raw
    .normalize('NFKC')
    .replace(/[\s\u200b-\u200d\ufeff]+/g, '')
    .replace(/[*＊]/g, '');
  // strip any parenthesised/bracketed notes (after NFKC, （） became ()); repeat for nested/multiple
  for (let i = 0; i < 3; i++) s = s.replace(/[([【［][^()[\]【】［］]*[)\]】］]/g, '');
  return s.replace(/[:：]$/, '');
}

const BY_NAME = new Map<string, FormColumn>();
for (const c of FORM_COLUMNS) {
  BY_NAME.set(headerName(c.name), c);
  for (const a of c.aliases ?? []) BY_NAME.set(headerName(a), c);
}

/** The column a header cell denotes, or undefined. */
export function matchHeader(raw: string): FormColumn | undefined {
  return BY_NAME.get(headerName(raw));
}

export const REQUIRED_COLUMNS = FORM_COLUMNS.filter((c) => c.required);
/** A row is the header row when it has these two. */
export const HEADER_KEYS: readonly FormFieldKey[] = ['name', 'idNumber'];

/**
 * The registry's columns (建档立卡 / 防止返贫监测 export) as the collection form's: which header
 * means which platform field (the proposal for a new file, the mapping saved per source), and the
 * form columns the reader parses them with — the card fields' own columns, their dictionaries
 * widened with the registry's spellings (一般贫困户, 普通劳动力, 未务工 …), and the place as names.
 */
import { REGISTRY_TARGETS, type MappingColumn, type RegistryTarget } from '../../../../contracts/registry-import.ts';
import { AppError } from '../../platform/errors.ts';
import { DICTIONARIES, FORM_COLUMNS, headerName, type FormColumn, type FormFieldKey } from './collection-form.columns.ts';

/** The usual headers of the registry's exports, by field (normalized as headerName does). */
const RECOGNISED: Record<RegistryTarget, string[]> = {
  name: ['姓名', '成员姓名', '人员姓名', '户主姓名'],
  idNumber: ['证件号码', '身份证号', '身份证号码', '公民身份号码', '证件号', '身份证件号码'],
  sex: ['性别'],
  ethnicity: ['民族'],
  phone: ['联系电话', '手机号码', '手机号', '联系方式', '电话'],
  householdCode: ['户编号', '户码', '家庭编号', '户号'],
  relationToHead: ['与户主关系'],
  householdSize: ['人数', '家庭人口数', '家庭人数', '户人数', '家庭成员数'],
  povertyStatus: ['贫困户属性', '监测对象类别', '户类型', '户属性', '监测对象类型'],
  education: ['文化程度'],
  health: ['健康状况'],
  laborCapacity: ['劳动技能', '劳动能力'],
  employmentStatus: ['务工状况', '就业状态', '就业情况'],
  provinceName: ['省', '省份', '省名称', '省(区、市)'],
  cityName: ['市', '市州', '地市', '市名称', '市(州)'],
  countyName: ['县', '县区', '县市区', '区县', '县名称', '县(市、区)'],
  townName: ['乡', '乡镇', '乡镇街道', '镇', '乡(镇)', '乡镇名称'],
  villageName: ['村', '行政村', '村社区', '村名称', '村(社区)'],
  homeVillageCode: ['村代码', '行政区划代码', '村级行政区划代码'],
};

/** Headers the registry always has that the card holds no field for: shown, not read. */
const KNOWN_UNSTORED: Record<string, string> = {
  务工时间: '信息卡没有务工时间，不导入（务工以就业记录为准）',
  务工时间月: '信息卡没有务工时间，不导入（务工以就业记录为准）',
  务工所在地: '信息卡没有务工所在地，不导入（务工以就业记录为准）',
  务工地点: '信息卡没有务工所在地，不导入（务工以就业记录为准）',
  脱贫年份: '信息卡没有脱贫年份，不导入',
  脱贫年度: '信息卡没有脱贫年份，不导入',
};

const BY_HEADER = new Map<string, RegistryTarget>();
for (const [target, headers] of Object.entries(RECOGNISED) as [RegistryTarget, string[]][])
  for (const h of headers) BY_HEADER.set(headerName(h), target);

/** The registry's spellings of the card's coded values. */
const REGISTRY_ALIASES: Partial<Record<keyof typeof DICTIONARIES, Record<string, string>>> = {
  povertyStatus: {
    一般贫困户: 'registered',
    低保贫困户: 'registered',
    特困供养贫困户: 'registered',
    贫困户: 'registered',
    低保户: 'registered',
    五保户: 'registered',
    稳定脱贫户: 'lifted',
    脱贫不稳定户: 'monitored',
    边缘易致贫户: 'monitored',
    突发严重困难户: 'monitored',
  },
  education: { 大专及以上: '30', 高中: '60', 文盲或半文盲: '99', 技工学校: '47', 职业高中: '44' },
  laborCapacity: {
    普通劳动力: 'full',
    技能劳动力: 'full',
    弱劳动力或半劳动力: 'partial',
    弱劳动力: 'partial',
    半劳动力: 'partial',
    丧失劳动力: 'lost',
    无劳动力: 'none',
  },
  health: { 长期慢性病: 'chronic', 患有大病: 'serious', 残疾: 'disabled' },
  employmentStatus: {
    未务工: 'unemployed',
    无: 'unemployed',
    务工: 'employed',
    已务工: 'employed',
    省外务工: 'employed',
    县外省内务工: 'employed',
    省内县外务工: 'employed',
    县内务工: 'employed',
    乡镇内务工: 'employed',
    乡镇外县内务工: 'employed',
  },
};

const placeColumn = (key: string, name: string): FormColumn => ({
  name,
  header: name,
  key: key as FormFieldKey,
  required: false,
  kind: 'text',
  width: 12,
  help: '',
  example: '',
  maxLength: 100,
});

/** The form column that reads each target: the card field's column (never required but name and ID), or a place name. */
const COLUMN_OF: Record<RegistryTarget, FormColumn> = Object.fromEntries(
  REGISTRY_TARGETS.codes.map((target) => {
    const form = FORM_COLUMNS.find((c) => c.key === target);
    if (!form) return [target, placeColumn(target, REGISTRY_TARGETS.labels[target].replace(/（.*/, ''))];
    const dictKey = (Object.keys(DICTIONARIES) as (keyof typeof DICTIONARIES)[]).find((k) => DICTIONARIES[k] === form.dictionary);
    const extra = dictKey ? REGISTRY_ALIASES[dictKey] : undefined;
    const dictionary =
      form.dictionary && extra ? { ...form.dictionary, aliases: { ...form.dictionary.aliases, ...extra } } : form.dictionary;
    return [target, { ...form, required: target === 'name' || target === 'idNumber', dictionary }];
  }),
) as Record<RegistryTarget, FormColumn>;

/** The place name fields, province to village: row values under these keys. */
export const PLACE_TARGETS = ['provinceName', 'cityName', 'countyName', 'townName', 'villageName'] as const;

/** The card fields a new card cannot do without; a registry row creating one must have them. */
export const NEW_CARD_FIELDS = ['povertyStatus', 'education', 'health', 'laborCapacity'] as const satisfies readonly RegistryTarget[];
/**
 * What a new card from the registry holds where the registry says nothing: the registry has no
 * 就业意愿 or 照料负担; the village officer corrects them at the quarter's confirmation.
 */
export const NEW_CARD_DEFAULTS = { willingness: 'in_county', caring: 'none', employmentStatus: 'unemployed' } as const;

/** The proposal for a file's headers: each target once, the first column that names it. */
export function proposeMapping(headers: string[]): { header: string; proposed: RegistryTarget | null; note: string | null }[] {
  const used = new Set<RegistryTarget>();
  return headers.map((header) => {
    const key = headerName(header);
    const target = BY_HEADER.get(key);
    if (target && !used.has(target)) {
      used.add(target);
      return { header, proposed: target, note: null };
    }
    return {
      header,
      proposed: null,
      note: target ? `已由前面的列对应到“${REGISTRY_TARGETS.labels[target]}”` : (KNOWN_UNSTORED[key] ?? null),
    };
  });
}

/** The target a header proposes, for finding a file's header row before any mapping exists. */
export const recogniseHeader = (header: string): FormColumn | undefined => {
  const target = BY_HEADER.get(headerName(header));
  return target ? COLUMN_OF[target] : undefined;
};
export const NAME_AND_ID: readonly FormColumn[] = [COLUMN_OF.name, COLUMN_OF.idNumber];

/** Refuses a mapping that cannot import: unknown targets, a target twice, a header twice, no name, ID number or village. */
export function validateMapping(columns: MappingColumn[]): MappingColumn[] {
  const problems: string[] = [];
  const headers = new Set<string>();
  const targets = new Map<RegistryTarget, string>();
  for (const { header, target } of columns) {
    const key = headerName(header);
    if (!key) problems.push(`列名“${header}”为空`);
    if (headers.has(key)) problems.push(`列“${header}”出现了两次`);
    headers.add(key);
    if (target === null) continue;
    if (!(REGISTRY_TARGETS.codes as string[]).includes(target)) problems.push(`“${target}”不是平台字段`);
    else if (targets.has(target))
      problems.push(`“${REGISTRY_TARGETS.labels[target]}”同时对应了“${targets.get(target)}”和“${header}”两列，每个字段只能对应一列`);
    else targets.set(target, header);
  }
  if (!targets.has('name')) problems.push('须有一列对应“姓名”');
  if (!targets.has('idNumber')) problems.push('须有一列对应“身份证号”');
  if (!targets.has('villageName') && !targets.has('homeVillageCode')) problems.push('须有一列对应“村（名称）”或“村代码”');
  if (problems.length) throw new AppError('REGISTRY_MAPPING_INVALID', `列对应关系有误：${problems.join('；')}`, { problems });
  return columns;
}

/** The reader's options for a saved mapping: the mapped headers as form columns, name, ID number and village required. */
export function readOptionsFor(columns: MappingColumn[]) {
  const byHeader = new Map<string, FormColumn>();
  const mapped = new Set<RegistryTarget>();
  for (const { header, target } of columns) {
    if (target === null) continue;
    mapped.add(target);
    const column = COLUMN_OF[target];
    const village = target === 'villageName' || target === 'homeVillageCode';
    byHeader.set(headerName(header), village ? { ...column, required: true } : column);
  }
  const requiredColumns = [...byHeader.values()].filter((c) => c.required);
  return {
    headerMatcher: (header: string) => byHeader.get(headerName(header)),
    requiredColumns,
    mapped,
  };
}

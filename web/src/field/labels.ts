import { FOLLOW_UP_METHOD as METHOD_DICT } from '../../../contracts/employment.ts';
import {
  CARING as CARING_DICT,
  EDUCATION as EDUCATION_DICT,
  EMPLOYMENT_STATUS as EMPLOYMENT_DICT,
  HEALTH as HEALTH_DICT,
  LABOR_CAPACITY as CAPACITY_DICT,
  POVERTY_STATUS as POVERTY_DICT,
  WILLINGNESS as WILLINGNESS_DICT,
} from '../../../contracts/laborers.ts';

/** The dictionaries' labels the field pages show (the contracts own them). */
export const EDUCATION: Record<string, string> = EDUCATION_DICT.labels;
export const EMPLOYMENT_STATUS: Record<string, string> = EMPLOYMENT_DICT.labels;
export const WILLINGNESS: Record<string, string> = WILLINGNESS_DICT.labels;
export const POVERTY_STATUS: Record<string, string> = POVERTY_DICT.labels;
export const LABOR_CAPACITY: Record<string, string> = CAPACITY_DICT.labels;
export const HEALTH: Record<string, string> = HEALTH_DICT.labels;
export const CARING: Record<string, string> = CARING_DICT.labels;
export const FOLLOW_UP_METHOD: Record<string, string> = METHOD_DICT.labels;

export const label = (dict: Record<string, string>, code: string | null | undefined) => (code == null ? '—' : (dict[code] ?? code));

/** The card fields by their Chinese names (an edit's fields, a conflict's). */
export const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  phone: '手机号',
  ethnicity: '民族',
  householdCode: '户编号',
  relationToHead: '与户主关系',
  householdSize: '家庭人口',
  povertyStatus: '户类型',
  education: '文化程度',
  laborCapacity: '劳动能力',
  health: '健康状况',
  skills: '技能特长',
  certificates: '职业资格证书',
  willingness: '就业意愿',
  wantedJobTypes: '意向工种',
  expectedWage: '期望月薪',
  caring: '照料负担',
  flags: '特殊标识',
  employmentStatus: '就业状态',
  trainingHistory: '培训经历',
  remark: '备注',
};

const DICTS: Record<string, Record<string, string>> = {
  education: EDUCATION,
  willingness: WILLINGNESS,
  povertyStatus: POVERTY_STATUS,
  laborCapacity: LABOR_CAPACITY,
  health: HEALTH,
  caring: CARING,
  employmentStatus: EMPLOYMENT_STATUS,
};

/** A field's value as the officer reads it. */
export function shownValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '（空）';
  if (Array.isArray(value)) return value.length ? value.join('、') : '（空）';
  const dict = DICTS[field];
  if (dict && typeof value === 'string') return label(dict, value);
  if (field === 'expectedWage') return `${value} 元`;
  return String(value);
}
